import Foundation
import RelaisCore
import RelaisVectors
import Testing

/// Protocol/interop/relais_pynacl.py is an independent implementation of SPEC.md (Python, PyNaCl).
/// It must open every vector with the expected result, and the Swift code must open what it seals.
/// Skipped without PyNaCl; `RELAIS_REQUIRE_INTEROP=1` (CI) makes a missing PyNaCl a failure.
@Suite("PyNaCl interop", .enabled(if: Interop.shouldRun, "PyNaCl is not installed (pip install pynacl); set RELAIS_REQUIRE_INTEROP=1 to fail instead"))
struct InteropTests {
    @Test func pythonImplementationPassesEveryVector() throws {
        try #require(Interop.available, "RELAIS_REQUIRE_INTEROP=1 but python3 with PyNaCl is not available")
        let (status, output) = try Interop.python(["check-vectors", protocolVectors.path])
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        print("PyNaCl interop: \(last)")
        #expect(status == 0, "relais_pynacl.py check-vectors failed:\n\(output)")
        #expect(last.hasSuffix(" 0 failed") && !last.hasPrefix("0 passed"))
    }

    @Test func swiftOpensAnEnvelopeSealedByPython() throws {
        try #require(Interop.available, "RELAIS_REQUIRE_INTEROP=1 but python3 with PyNaCl is not available")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("relais-interop-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let (status, output) = try Interop.python(["seal", "--out", out.path])
        try #require(status == 0, "relais_pynacl.py seal failed:\n\(output)")
        let vector = try JSONDecoder().decode(EnvelopeVector.self, from: Data(contentsOf: out))
        let opened = try VectorTests.open(vector)
        #expect(String(decoding: opened.referralBytes, as: UTF8.self) == vector.referral)
        #expect(opened.sender.deviceID.hex == vector.senderDeviceId)
        _ = try opened.referral()
        print("PyNaCl interop: Swift opened an envelope sealed by relais_pynacl.py")
    }
}

enum Interop {
    static let script = packageRoot.appendingPathComponent("Protocol/interop/relais_pynacl.py")
    static let required = ProcessInfo.processInfo.environment["RELAIS_REQUIRE_INTEROP"] == "1"
    static let available: Bool = (try? python(["-c", "import nacl"], script: false).status) == 0
    static var shouldRun: Bool { available || required }

    static func python(_ arguments: [String], script useScript: Bool = true) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + (useScript ? [script.path] : []) + arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
