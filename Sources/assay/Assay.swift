import ArgumentParser
import AssayDomain
import AssayIngest
import AssayStore
import Foundation

/// `assay`: the command-line tool of the registry.
///
/// Exit codes: 0 done; 1 the input was refused (the message names the file, line, field and why);
/// 2 the command line itself is wrong (usage).
struct Assay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract: "An open, verifiable registry and monitor for minerals-for-security agreements.",
        subcommands: [Init.self, Demo.self, Import.self, List.self, Show.self, CheckGrant.self, Report.self, Rebuild.self, Verify.self, Backup.self, Restore.self,
                      Proof.self, LogCommand.self, WitnessCommand.self, Serve.self, TokenCommand.self, Bench.self,
                      KeyCommand.self, Sign.self, Trace.self, Ingest.self, Control.self]
    )
}

/// Options every command that touches the database takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The database file.")
    var db: String = "./assay.sqlite"

    @Flag(name: .long, help: "Print JSON for programs instead of tables.")
    var json = false

    @Option(name: .long, help: "The log's signing key file (default: the database path + .key). Created with mode 0600 with a new log.")
    var key: String?

    @Option(name: .long, help: "The log's origin (its name in checkpoints) when a new log is created.")
    var origin: String = "assay.local/registry"

    var keyPath: String { key ?? db + ".key" }
}

@main
enum Main {
    static func main() async {
        do {
            var command = try Assay.parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let failure as InputFailure {
            FileHandle.standardError.write(Data((failure.message + "\n").utf8))
            exit(1)
        } catch {
            let code = Assay.exitCode(for: error)
            if code == .success {
                Assay.exit(withError: error)
            }
            let message = Assay.fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            // Usage errors (ArgumentParser's validation failures) exit 2; others keep their code.
            exit(code == .validationFailure ? 2 : code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}

/// Input the tool refused: printed to standard error, exit code 1.
struct InputFailure: Error {
    var message: String
}
