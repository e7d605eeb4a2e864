import Foundation
import Testing

/// Where the public test suites (transparency-dev Merkle proofs among them) live: `../shared/vectors`
/// from the package root. The root is three levels up from this file
/// (`<root>/Tests/RelaisMerkleTests/MerkleVectors.swift`). The same logic as `ExternalVectors` in
/// RelaisCryptoTests; test targets cannot share code.
///
/// Suites that read them take `.enabled(if: MerkleVectors.shouldRun, MerkleVectors.skipMessage)`
/// and start with `let root = try MerkleVectors.requireRoot()`:
/// - folder present: the tests run;
/// - folder absent: the tests are skipped with `skipMessage`;
/// - folder absent and `RELAIS_REQUIRE_VECTORS=1` (CI): the tests run and fail at `requireRoot()`.
enum MerkleVectors {
    /// The package root, from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // RelaisMerkleTests
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

    /// Every `.json` file under `relativePath` (subfolders included), sorted by path.
    static func jsonFiles(under relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [URL] {
        let folder = try requireRoot(sourceLocation: sourceLocation).appendingPathComponent(relativePath, isDirectory: true)
        let enumerator = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil),
                                      "cannot list \(folder.path)", sourceLocation: sourceLocation)
        return enumerator.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "json" }
            .sorted { $0.path < $1.path }
    }

    /// A path relative to the vectors folder, for messages.
    static func relative(_ url: URL) -> String {
        guard let root else { return url.path }
        return String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
    }
}
