import Foundation
import RelaisCore
import RelaisCrypto
import RelaisVectors
import Testing

/// Protocol/interop/organisation_key.py, an independent implementation of SPEC.md "Organisation
/// key" in Python with PyNaCl, checks every value and refusal of `organisation-key.json`, and
/// seals a package that the Swift code opens. Skipped without PyNaCl, as `InteropTests`.
@Suite("PyNaCl interop: organisation key", .enabled(if: Interop.shouldRun, "PyNaCl is not installed (pip install pynacl); set RELAIS_REQUIRE_INTEROP=1 to fail instead"))
struct OrganisationKeyInteropTests {
    static let script = packageRoot.appendingPathComponent("Protocol/interop/organisation_key.py").path
    static let vectors = protocolVectors.appendingPathComponent("organisation-key.json").path

    @Test func pythonChecksTheVectorFile() throws {
        try #require(Interop.available, "RELAIS_REQUIRE_INTEROP=1 but python3 with PyNaCl is not available")
        let (status, output) = try Interop.python([Self.script, "check", Self.vectors], script: false)
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        print("PyNaCl interop (organisation key): \(last)")
        #expect(status == 0 && last.hasSuffix(" 0 failed") && !last.hasPrefix("0 passed"), "\(output)")
    }

    @Test func swiftOpensAPackageSealedByPython() throws {
        try #require(Interop.available, "RELAIS_REQUIRE_INTEROP=1 but python3 with PyNaCl is not available")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("relais-orgkey-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let (status, output) = try Interop.python([Self.script, "seal", Self.vectors, "--out", out.path], script: false)
        try #require(status == 0, "organisation_key.py seal failed:\n\(output)")
        let sealed = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: String])
        let v = try OrganisationKeyVectorTests.vector()
        let giver = try OrganisationKeyVectorTests.identity(v.giver), target = try OrganisationKeyVectorTests.identity(v.target)
        let package = try OrganisationKeyPackage(verifying: try #require(sealed["package"].flatMap(Hex.decode)), giver: giver.publicIdentity)
        #expect(package.createdAt == v.createdAt + 60 && Hex.encode(package.ephemeralPublic.bytes) != v.ephemeralPublic, "a fresh ephemeral key")
        #expect(Hex.encode(try package.open(as: target).secret.bytes) == v.key)
    }
}
