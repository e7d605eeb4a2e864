import Foundation
import Testing

/// Protocol/interop/exit_programme_consent.py, an independent implementation of SPEC.md "Consent
/// records" (the exit-programme consent of version 2 with its département and `"adult": true`,
/// its public part, version 1 still verifying) in Python with PyNaCl, checks every signature,
/// canonical form and rule of `exit-programme-consent.json` and refuses each of its `refused[]`.
/// It must also fail on a tampered copy, so that this test can fail. Skipped without PyNaCl, as
/// `InteropTests`.
@Suite("PyNaCl interop: exit-programme consent", .enabled(if: Interop.shouldRun, "PyNaCl is not installed (pip install pynacl); set RELAIS_REQUIRE_INTEROP=1 to fail instead"))
struct ExitProgrammeConsentInteropTests {
    static let script = packageRoot.appendingPathComponent("Protocol/interop/exit_programme_consent.py").path
    static let vectors = protocolVectors.appendingPathComponent("exit-programme-consent.json")

    static func check(_ file: String) throws -> (status: Int32, output: String, last: String) {
        let (status, output) = try Interop.python([script, "check", file], script: false)
        return (status, output, output.split(separator: "\n").last.map(String.init) ?? "")
    }

    /// A copy of the vector file changed by `change`, with identity.json beside it (the script
    /// finds the signer there), in a fresh directory; returns the copy's path.
    static func copy(in directory: URL, _ change: (inout [String: Any]) throws -> Void) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: protocolVectors.appendingPathComponent("identity.json"),
                                         to: directory.appendingPathComponent("identity.json"))
        var v = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: vectors)) as? [String: Any])
        try change(&v)
        let file = directory.appendingPathComponent("exit-programme-consent.json")
        try JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .prettyPrinted]).write(to: file)
        return file.path
    }

    @Test func pythonChecksTheVectorFile() throws {
        try #require(Interop.available, "RELAIS_REQUIRE_INTEROP=1 but python3 with PyNaCl is not available")
        let (status, output, last) = try Self.check(Self.vectors.path)
        print("PyNaCl interop (exit-programme consent): \(last)")
        #expect(status == 0 && last.hasSuffix(" 0 failed") && !last.hasPrefix("0 passed"), "\(output)")
    }

    @Test func pythonFailsOnATamperedCopy() throws {
        try #require(Interop.available, "RELAIS_REQUIRE_INTEROP=1 but python3 with PyNaCl is not available")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-epc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }

        // The copy as it is passes: a failure below comes from the change alone.
        let same = try Self.check(try Self.copy(in: root.appendingPathComponent("same")) { _ in })
        #expect(same.status == 0 && same.last.hasSuffix(" 0 failed"), "\(same.output)")

        let tampered: [(String, (inout [String: Any]) throws -> Void)] = [
            ("a refused record in the accepted record's place", { v in
                let refused = try #require(v["refused"] as? [[String: Any]])
                v["record"] = try #require(refused.first { $0["object"] as? String == "record" }?["signed"])
            }),
            ("a refused public part in the accepted public part's place", { v in
                let refused = try #require(v["refused"] as? [[String: Any]])
                v["publicPart"] = try #require(refused.last { $0["object"] as? String == "publicPart" }?["signed"])
            }),
            ("one byte of the public part's signature flipped", { v in
                var part = try #require(v["publicPart"] as? [String: String])
                var hex = Array(try #require(part["signature"]))
                hex[20] = hex[20] == "0" ? "1" : "0"
                part["signature"] = String(hex)
                v["publicPart"] = part
            }),
            ("the accepted record among the refused", { v in
                var refused = try #require(v["refused"] as? [[String: Any]])
                refused.append(["label": "the accepted record", "object": "record", "signed": try #require(v["record"])])
                v["refused"] = refused
            }),
        ]
        for (index, (label, change)) in tampered.enumerated() {
            let run = try Self.check(try Self.copy(in: root.appendingPathComponent("\(index)"), change))
            #expect(run.status != 0 && !run.last.hasSuffix(" 0 failed"), "\(label): the script passed\n\(run.output)")
        }
    }
}
