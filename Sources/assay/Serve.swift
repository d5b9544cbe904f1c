import ArgumentParser
import AssayIngest
import AssayServer
import AssayStore
import Foundation
import Logging
import Metrics
import Prometheus
import TransparencyLog

/// `assay serve`: the HTTP API and the log's tile API, until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the JSON API (/api/v1) and the log's C2SP read API (/log) on localhost; graceful on SIGTERM/SIGINT.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "The address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "The port.") var port: Int = 8080
    @Flag(help: "Load the demo set into the database first if it is empty.") var demo = false
    @Option(name: .customLong("log-format"), help: "text or json (one object a line, on stderr).") var logFormat: String = "text"
    @Option(name: .customLong("witness-key"), help: "Also run as a witness with this cosigner key (see `assay witness init`).") var witnessKey: String?
    @Option(name: .customLong("witness-log-vkey"), help: "The verifier key of the log to witness.") var witnessLogKey: String?
    @Option(name: .customLong("witness-state"), help: "Where the witness keeps the last checkpoint it cosigned.") var witnessState: String = "witness.state"
    @Option(name: .customLong("write-rate"), help: "Writes a second per API token (bursts of 4×); 0: no limit.") var writeRate: Double = 50
    @Option(name: .customLong("address-write-rate"), help: "Writes a second per client address (bursts of 4×); 0: no limit.") var addressWriteRate: Double = 100
    @Option(name: .customLong("max-connections"), help: "Open connections at once; 0: no limit.") var maxConnections: Int = 1024
    @Option(name: .customLong("witness-policy"), help: "A witness policy file (witness/group/quorum lines): take those witnesses' cosignatures at POST /log/cosignature and serve GET /log/checkpoint/final.") var witnessPolicy: String?
    @Flag(name: .customLong("no-webhooks"), help: "Do not deliver webhook notices from this server (subscriptions are still kept; another server, or a later start, delivers them).") var noWebhooks = false
    @Option(name: .customLong("request-timeout"), help: "Seconds a client has to send a whole request; 0: no limit.") var requestTimeout: Double = 30

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535") }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json") }
        if (witnessKey == nil) != (witnessLogKey == nil) { throw ValidationError("--witness-key and --witness-log-vkey go together") }
        guard writeRate >= 0, writeRate.isFinite else { throw ValidationError("--write-rate must be a number ≥ 0") }
        guard addressWriteRate >= 0, addressWriteRate.isFinite else { throw ValidationError("--address-write-rate must be a number ≥ 0") }
        guard maxConnections >= 0 else { throw ValidationError("--max-connections must be ≥ 0") }
        guard requestTimeout >= 0, requestTimeout <= 86_400 else { throw ValidationError("--request-timeout must be 0–86400 seconds") }
    }

    func run() async throws {
        let store = try await Context.store(options, create: demo)
        if demo, try await store.journalSize() == 0 {
            _ = try await store.append(try DemoSet.commands(), author: "demo")
        }
        if logFormat == "json" { LoggingSystem.bootstrap { JSONLogHandler(label: $0) } }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: "assay")
        logger.logLevel = .info
        let entries = try await store.journalSize()
        logger.info("serving", metadata: ["url": "http://\(host):\(port)", "log": "\(store.origin)", "entries": "\(entries)"])
        print("Assay is serving http://\(host):\(port)/api/v1/agreements and http://\(host):\(port)/log/checkpoint (Ctrl-C stops it)")
        var witness: WitnessEndpoint?
        if let witnessKey, let witnessLogKey {
            guard let keyText = FileManager.default.contents(atPath: witnessKey) else { throw InputFailure(message: "\(witnessKey): cannot read the witness key") }
            witness = try WitnessEndpoint(witness: Witness(signer: try WitnessAdd.signer(String(decoding: keyText, as: UTF8.self))),
                                          logKey: try WitnessAdd.logKey(witnessLogKey), statePath: witnessState)
        }
        var policy: WitnessPolicy?
        if let witnessPolicy {
            guard let d = FileManager.default.contents(atPath: witnessPolicy) else { throw InputFailure(message: "--witness-policy \(witnessPolicy): cannot read the file") }
            do { policy = try WitnessPolicy(text: String(decoding: d, as: UTF8.self)) } catch { throw InputFailure(message: "--witness-policy \(witnessPolicy): \(error.message)") }
        }
        let limits = ServerLimits(writesPerToken: .init(perSecond: writeRate, burst: writeRate * 4),
                                  writesPerAddress: .init(perSecond: addressWriteRate, burst: addressWriteRate * 4),
                                  maxConnections: maxConnections > 0 ? maxConnections : nil,
                                  requestTimeout: requestTimeout > 0 ? .milliseconds(Int64(requestTimeout * 1000)) : nil)
        try await AssayApplication.make(store: store, host: host, port: port, logger: logger, metrics: registry, witness: witness,
                                        limits: limits, deliverWebhooks: !noWebhooks, witnessPolicy: policy).runService()
    }
}
