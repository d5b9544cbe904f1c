import ArgumentParser
import AssayIngest
import AssayServer
import AssayStore
import Foundation
import Logging
import Metrics
import Prometheus

/// `assay serve`: the HTTP API and the log's tile API, until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the JSON API (/api/v1) and the log's C2SP read API (/log) on localhost; graceful on SIGTERM/SIGINT.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "The address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "The port.") var port: Int = 8080
    @Flag(help: "Load the demo set into the database first if it is empty.") var demo = false
    @Option(name: .customLong("log-format"), help: "text or json (one object a line, on stderr).") var logFormat: String = "text"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535") }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json") }
    }

    func run() async throws {
        let store = try Context.store(options, create: demo)
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
        try await AssayApplication.make(store: store, host: host, port: port, logger: logger, metrics: registry).runService()
    }
}
