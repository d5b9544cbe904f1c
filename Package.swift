// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Assay",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "assay", targets: ["assay"]),
        .library(name: "AssayDomain", targets: ["AssayDomain"]),
        .library(name: "AssayStore", targets: ["AssayStore"]),
        .library(name: "AssayIngest", targets: ["AssayIngest"]),
        .library(name: "TransparencyLog", targets: ["TransparencyLog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // `swift package benchmark` (Benchmarks/). Only the MallocInterposer trait: naming the traits drops the
        // default RuntimeInterposer, whose swift-runtime-interposer package Linux on Swift 6.3 would otherwise fetch.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Pure domain: value types, validation, the rules, the cadastral grid, canonical JSON. No I/O.
        // Crypto only for Ed25519 signature checks and SHA-256 of custody events (pure computation).
        // TransparencyLog only for CBOR and COSE_Sign1 (signatures made as SCITT signed statements).
        .target(name: "AssayDomain", dependencies: ["TransparencyLog", .product(name: "Crypto", package: "swift-crypto")]),
        // RFC 9162 Merkle trees, proofs, C2SP tiles, checkpoints, signed notes and cosignatures; CBOR, COSE_Sign1
        // and COSE receipts (RFC 9942). Knows nothing of minerals.
        .target(name: "TransparencyLog", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The journal, projections and log behind the `RegistryStore` protocol: the shared SQL in
        // Relational/, SQLite through GRDB in SQLite/, PostgreSQL through PostgresNIO in PostgreSQL/.
        .target(
            name: "AssayStore",
            dependencies: ["AssayDomain", "TransparencyLog", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
                           .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio")]
        ),
        // The transparency log on PostgreSQL: several servers append to one log under a row lock (first slice).
        .target(
            name: "AssayPostgres",
            dependencies: ["TransparencyLog", "AssayStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Parsers for import formats (NDJSON commands, CSV, GeoJSON, IPIS) and the demo set built from `data/`.
        .target(
            name: "AssayIngest",
            dependencies: ["AssayDomain"],
            resources: [.copy("Reference")]
        ),
        // Reports as JSON and CSV, read from the store: what the CLI, the API and the portal share.
        .target(
            name: "AssayReports",
            dependencies: ["AssayDomain", "AssayStore", "TransparencyLog"]
        ),
        // The HTTP API and the C2SP tile read API (Hummingbird 2).
        .target(
            name: "AssayServer",
            dependencies: ["AssayDomain", "AssayStore", "AssayReports", "TransparencyLog", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Prometheus", package: "swift-prometheus"),
                           .product(name: "Metrics", package: "swift-metrics"), .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                           .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "HummingbirdCore", package: "hummingbird")]
        ),
        .executableTarget(
            name: "assay",
            dependencies: [
                "AssayDomain", "AssayStore", "AssayIngest", "TransparencyLog", "AssayServer", "AssayPostgres", "AssayReports", "AssayBenchSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"), .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // What `assay bench` and the ordo-one suites share: a seedable generator and synthetic workloads.
        .target(name: "AssayBenchSupport", dependencies: ["AssayDomain"]),
        // ordo-one/benchmark suites (`swift package benchmark --target AssayBenchmarks`): percentiles and
        // allocation counts of the hot paths, comparable against a saved baseline.
        .executableTarget(
            name: "AssayBenchmarks",
            dependencies: [.product(name: "Benchmark", package: "benchmark"), "AssayDomain", "AssayStore", "TransparencyLog", "AssayIngest",
                           "AssayBenchSupport"],
            path: "Benchmarks/AssayBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // What storage tests share: which backend this run uses and a fresh database on it.
        .target(name: "AssayTestSupport"),
        .testTarget(
            name: "AssayDomainTests",
            dependencies: ["AssayDomain", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "AssayStoreTests",
            dependencies: ["AssayDomain", "AssayStore", "AssayIngest", "TransparencyLog", "AssayTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "AssayPostgresTests",
            dependencies: ["AssayPostgres", "TransparencyLog", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        .testTarget(name: "AssayIngestTests", dependencies: ["AssayDomain", "AssayIngest"]),
        .testTarget(name: "AssayCLITests", dependencies: ["AssayDomain", "AssayTestSupport"]),
        .testTarget(
            name: "AssayServerTests",
            dependencies: ["AssayServer", "AssayStore", "AssayIngest", "AssayDomain", "AssayReports", "TransparencyLog", "AssayTestSupport",
                           .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "Crypto", package: "swift-crypto"),
                           // Only as the oracle the typed portal pages must match (PortalTemplateOracle).
                           .product(name: "Mustache", package: "swift-mustache")]
        ),
        .testTarget(
            name: "TransparencyLogTests",
            dependencies: ["TransparencyLog", .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "PropertyBased", package: "swift-property-based")]
        ),
    ]
)

// libFuzzer targets (`scripts/fuzz`), only when ASSAY_FUZZ=1: the parsers' modules are compiled with
// coverage and AddressSanitizer, each Fuzz/<name> becomes an executable `fuzz-<name>` whose main is
// libFuzzer's. Ordinary builds and tests never see any of this.
if Context.environment["ASSAY_FUZZ"] == "1" {
    let sanitize = ["-sanitize=fuzzer,address"]
    for target in package.targets where ["AssayDomain", "TransparencyLog", "AssayIngest"].contains(target.name) {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(sanitize)]
    }
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("json", ["AssayDomain"]), ("csv", ["AssayIngest"]), ("geojson", ["AssayDomain", "AssayIngest"]),
        ("note", ["TransparencyLog"]), ("bundle", ["TransparencyLog"]), ("command", ["AssayDomain", "AssayIngest"]),
        ("ipis", ["AssayDomain", "AssayIngest"]), ("acled", ["AssayDomain", "AssayIngest"]),
    ]
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/Support", swiftSettings: [.unsafeFlags(sanitize)]))
    for t in fuzzTargets {
        package.targets.append(.executableTarget(
            name: "fuzz-\(t.name)", dependencies: t.dependencies + ["FuzzSupport"], path: "Fuzz/\(t.name)",
            swiftSettings: [.unsafeFlags(sanitize + ["-parse-as-library"])],
            linkerSettings: [.unsafeFlags(sanitize)]
        ))
    }
}
