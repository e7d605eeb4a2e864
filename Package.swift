// swift-tools-version:6.1
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Relais",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RelaisCrypto", targets: ["RelaisCrypto"]),
        .library(name: "RelaisCore", targets: ["RelaisCore"]),
        .executable(name: "relais", targets: ["relais"]),
        .executable(name: "relais-server", targets: ["relais-server"]),
        .executable(name: "relais-witness", targets: ["relais-witness"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libsodium from the system (Debian: libsodium-dev). Only RelaisCrypto imports it.
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .target(name: "RelaisCrypto", dependencies: ["CSodium"], swiftSettings: upcoming),
        .target(name: "RelaisCore", dependencies: ["RelaisCrypto"], swiftSettings: upcoming),
        .executableTarget(
            name: "relais",
            dependencies: ["RelaisCore", "RelaisCrypto", "RelaisClient", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: upcoming),
        // The HTTP contract, generated from Protocol/openapi.yaml (symlinked into the target).
        .target(
            name: "RelaisAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            swiftSettings: [.unsafeFlags(["-suppress-warnings"])],  // generated code only (STACK-NOTES 3)
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]),
        // The relay's storage protocol, and its SQLite implementation (GRDB, WAL, group commit).
        .target(name: "RelaisStore", dependencies: ["RelaisCore", "RelaisCrypto"], swiftSettings: upcoming),
        .target(
            name: "RelaisStoreSQLite",
            dependencies: ["RelaisStore", "RelaisCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: upcoming),
        // The same protocol on PostgreSQL (postgres-nio), for operators at scale.
        .target(
            name: "RelaisStorePostgres",
            dependencies: ["RelaisStore", "RelaisCore", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: upcoming),
        .target(
            name: "RelaisServer",
            dependencies: [
                "RelaisAPI", "RelaisCore", "RelaisCrypto", "RelaisStore", "RelaisStoreSQLite", "RelaisStorePostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // The relay asks witnesses for cosignatures (CosignatureCollector).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: upcoming),
        .target(
            name: "RelaisClient",
            dependencies: [
                "RelaisAPI", "RelaisCore", "RelaisCrypto",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: upcoming),
        .executableTarget(
            name: "relais-server",
            dependencies: ["RelaisServer", "RelaisCore", "RelaisStoreSQLite", "RelaisStorePostgres", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "UnixSignals", package: "swift-service-lifecycle")],
            swiftSettings: upcoming),
        // A witness (c2sp.org/tlog-witness) that cosigns the relay's checkpoints; its logic is in RelaisServer.
        .executableTarget(
            name: "relais-witness",
            dependencies: ["RelaisServer", "RelaisCore", "RelaisCrypto", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "UnixSignals", package: "swift-service-lifecycle")],
            swiftSettings: upcoming),
        // The deterministic test-vector generator (seeded RNG, fixed clock), shared by the
        // `relais-vectors` tool that writes Protocol/vectors/ and the tests that compare with it.
        .target(name: "RelaisVectors", dependencies: ["RelaisCore", "RelaisCrypto"], swiftSettings: upcoming),
        .executableTarget(name: "relais-vectors", dependencies: ["RelaisVectors"], swiftSettings: upcoming),
        // Benchmark (release build). Imports CSodium directly to measure the raw primitives beside Relais.
        .executableTarget(name: "relais-bench", dependencies: ["RelaisCore", "RelaisCrypto", "CSodium"], swiftSettings: upcoming),
        // The decoders under libFuzzer (scripts/fuzz-decoders.sh builds it with --sanitize=fuzzer and
        // -DRELAIS_FUZZ); built normally, it replays saved inputs.
        .executableTarget(name: "relais-fuzz", dependencies: ["RelaisCore", "RelaisCrypto"], swiftSettings: upcoming),
        // Load generator for the relay benchmark (BENCHMARKS.md): release build, loopback only.
        .executableTarget(
            name: "relais-load",
            dependencies: ["RelaisClient", "RelaisCore", "RelaisCrypto", "RelaisServer", "RelaisStore", "RelaisStoreSQLite", "RelaisStorePostgres",
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "Hummingbird", package: "hummingbird"), .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: upcoming),
        .testTarget(name: "RelaisCryptoTests", dependencies: ["RelaisCrypto"], swiftSettings: upcoming),
        .testTarget(name: "RelaisCoreTests", dependencies: ["RelaisCore", "RelaisVectors"], swiftSettings: upcoming),
        .testTarget(name: "RelaisMerkleTests", dependencies: ["RelaisCore", "RelaisCrypto"], swiftSettings: upcoming),
        .testTarget(name: "RelaisStoreTests", dependencies: ["RelaisStore", "RelaisStoreSQLite", "RelaisStorePostgres", "RelaisCore", "RelaisCrypto", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")], swiftSettings: upcoming),
        .testTarget(
            name: "RelaisServerTests",
            dependencies: ["RelaisAPI", "RelaisServer", "RelaisClient", "RelaisStore", "RelaisStoreSQLite", "RelaisStorePostgres", "RelaisCore", "RelaisCrypto",
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log"),
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: upcoming),
    ]
)
