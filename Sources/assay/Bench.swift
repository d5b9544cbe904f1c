import ArgumentParser

/// `assay bench …`: benchmarks that print figures beside a baseline measured in the same run.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmarks (build with -c release).", subcommands: [BenchRegistry.self, BenchLog.self, BenchHTTP.self, BenchAppendLoop.self, BenchPostLoop.self, BenchCustody.self, BenchRisk.self, BenchSoak.self, BenchScale.self, BenchLookup.self])
}
