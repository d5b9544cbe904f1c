import ArgumentParser
import AssayDomain
import Foundation
import Synchronization

/// The options every `assay bench …` command shares.
struct BenchOptions: ParsableArguments {
    @Flag(help: "Print one JSON object per figure on standard output (the sentences go to standard error): the figure, its unit, its percentiles, the limit measured in the same run and the goal.")
    var json = false
}

/// What a benchmark compares a figure with: a limit measured in the same run (raw row inserts, SHA-256,
/// Ed25519 verifies, a trivial route), so a figure is never read without its ceiling.
struct BenchLimit {
    var name: String
    var value: Double
    var unit: String
}

/// Where the benchmarks' figures go. By default, sentences for people on standard output. With `--json`,
/// one JSON object per figure on standard output and the sentences on standard error, so
/// `assay bench log --json | jq` reads the figures and a person still sees progress.
///
/// Each object carries `bench`, `figure`, `value` and `unit`; where measured, `p50`, `p99` and `latency_unit`;
/// the `limit` of the same run (`name`, `value`, `unit`) and `ratio` = value ÷ limit; the `goal` as the issue
/// states it and, where it is a number, whether it was `met`; and anything else the figure needs (`cold`, `backend`).
enum BenchOutput {
    /// Set once by each command before it measures anything; read by every print.
    private static let jsonMode = Mutex(false)

    static func configure(_ options: BenchOptions) { jsonMode.withLock { $0 = options.json } }

    static var isJSON: Bool { jsonMode.withLock { $0 } }

    /// A sentence for people.
    static func say(_ text: String) {
        if isJSON {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        } else {
            print(text)
        }
    }

    /// One figure as a JSON line (only with `--json`; the sentence beside it is printed with ``say(_:)``).
    static func figure(_ bench: String, _ name: String, value: Double, unit: String,
                       p50: Double? = nil, p99: Double? = nil, latencyUnit: String = "ms",
                       limit: BenchLimit? = nil, goal: String? = nil, met: Bool? = nil,
                       extra: [String: JSONValue] = [:]) {
        guard isJSON else { return }
        var m = extra
        m["bench"] = .string(bench)
        m["figure"] = .string(name)
        m["value"] = number(value)
        m["unit"] = .string(unit)
        if let p50 { m["p50"] = number(p50) }
        if let p99 { m["p99"] = number(p99) }
        if p50 != nil || p99 != nil { m["latency_unit"] = .string(latencyUnit) }
        if let limit {
            m["limit"] = .object(["name": .string(limit.name), "value": number(limit.value), "unit": .string(limit.unit)])
            if limit.value > 0 { m["ratio"] = number(value / limit.value) }
        }
        if let goal { m["goal"] = .string(goal) }
        if let met { m["met"] = .bool(met) }
        // Unbuffered, so a reader sees each figure as it is measured (and never half a line).
        FileHandle.standardOutput.write(Data((CanonicalJSON.string(.object(m)) + "\n").utf8))
    }

    /// A JSON number: four decimals from 1 up, six significant digits below (a limit of 0.0027 ms keeps its
    /// digits), no trailing zeros.
    static func number(_ x: Double) -> JSONValue {
        guard x.isFinite else { return .null }
        if x == x.rounded(), abs(x) < 9e15 { return .int(Int64(x)) }
        if abs(x) < 1 { return .decimal(String(format: "%.6g", x)) }
        var s = String(format: "%.4f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? .int(0) : .decimal(s)
    }
}
