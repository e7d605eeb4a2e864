import Foundation
import Testing

/// Where the public test suites (Wycheproof, transparency-dev Merkle proofs) live: `../shared/vectors`
/// from the package root. The root is three levels up from this file
/// (`<root>/Tests/RelaisCryptoTests/ExternalVectors.swift`).
///
/// Suites that read them take `.enabled(if: ExternalVectors.shouldRun, ExternalVectors.skipMessage)`
/// and start with `let root = try ExternalVectors.requireRoot()`:
/// - folder present: the tests run;
/// - folder absent: the tests are skipped with `skipMessage`;
/// - folder absent and `RELAIS_REQUIRE_VECTORS=1` (CI): the tests run and fail at `requireRoot()`.
enum ExternalVectors {
    /// The package root, from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // RelaisCryptoTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root

    /// Where the folder is expected, whether or not it exists.
    static let expectedRoot: URL = packageRoot
        .appendingPathComponent("..", isDirectory: true)
        .appendingPathComponent("shared", isDirectory: true)
        .appendingPathComponent("vectors", isDirectory: true)
        .standardizedFileURL

    /// The vectors folder, or nil when it is absent.
    static let root: URL? = {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: expectedRoot.path, isDirectory: &isDirectory)
        return exists && isDirectory.boolValue ? expectedRoot : nil
    }()

    /// `RELAIS_REQUIRE_VECTORS=1`: a missing folder is a failure, not a skip.
    static let isRequired: Bool = ProcessInfo.processInfo.environment["RELAIS_REQUIRE_VECTORS"] == "1"

    /// Whether suites using the vectors run at all.
    static let shouldRun: Bool = root != nil || isRequired

    static let skipMessage: Comment =
        "External test vectors not found at ../shared/vectors (expected beside the package root); skipped. Set RELAIS_REQUIRE_VECTORS=1 to make this a failure."

    /// The vectors folder; records a failure and throws when it is absent.
    static func requireRoot(sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        try #require(
            root,
            "RELAIS_REQUIRE_VECTORS=1 but the external test vectors folder is missing: \(expectedRoot.path)",
            sourceLocation: sourceLocation)
    }

    /// A file inside the vectors folder, e.g. `url("wycheproof/x25519_test.json")`.
    static func url(_ relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        try requireRoot(sourceLocation: sourceLocation).appendingPathComponent(relativePath)
    }
}
