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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // libsodium from the system (Debian: libsodium-dev). Only RelaisCrypto imports it.
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .target(name: "RelaisCrypto", dependencies: ["CSodium"], swiftSettings: upcoming),
        .target(name: "RelaisCore", dependencies: ["RelaisCrypto"], swiftSettings: upcoming),
        .executableTarget(
            name: "relais",
            dependencies: ["RelaisCore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: upcoming),
        .executableTarget(
            name: "relais-server",
            dependencies: ["RelaisCore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: upcoming),
        // The deterministic test-vector generator (seeded RNG, fixed clock), shared by the
        // `relais-vectors` tool that writes Protocol/vectors/ and the tests that compare with it.
        .target(name: "RelaisVectors", dependencies: ["RelaisCore", "RelaisCrypto"], swiftSettings: upcoming),
        .executableTarget(name: "relais-vectors", dependencies: ["RelaisVectors"], swiftSettings: upcoming),
        // Benchmark (release build). Imports CSodium directly to measure the raw primitives beside Relais.
        .executableTarget(name: "relais-bench", dependencies: ["RelaisCore", "RelaisCrypto", "CSodium"], swiftSettings: upcoming),
        .testTarget(name: "RelaisCryptoTests", dependencies: ["RelaisCrypto"], swiftSettings: upcoming),
        .testTarget(name: "RelaisCoreTests", dependencies: ["RelaisCore", "RelaisVectors"], swiftSettings: upcoming),
    ]
)
