import Foundation
import RelaisCore
import RelaisCrypto
import RelaisVectors
import Testing

/// `Protocol/vectors/verifier-key.json` (SPEC.md, "Signed notes"), read from the committed file:
/// a verifier key splits at its first two `+` only, a key name cannot hold a `+`.
@Suite("Verifier key vector")
struct VerifierKeyVectorTests {
    static func vector() throws -> VerifierKeyVector {
        try JSONDecoder().decode(VerifierKeyVector.self, from: Data(contentsOf: protocolVectors.appendingPathComponent("verifier-key.json")))
    }

    @Test func validKeysParseWithAPlusInTheirBase64() throws {
        let v = try Self.vector()
        #expect(v.valid.count == 2)
        for k in v.valid {
            let key = try CheckpointVerifierKey(parsing: k.text)
            #expect(key.name == k.name && Hex.encode(key.keyID.bigEndianBytes) == k.keyId && Hex.encode(key.publicKey.bytes) == k.publicKey)
            #expect(key.encoded == k.text, "re-encoded byte for byte")
            // The point of the vector: the base64 holds a '+', so splitting at every '+' would fail.
            #expect(k.text.split(separator: "+").count > 3)
        }
        // The relay's own name for a log: relais.log/ and 8 bytes of SHA-256 of the key, in hex.
        let relay = try #require(v.valid.last)
        let key = try Ed25519PublicKey(bytes: try #require(Hex.decode(relay.publicKey)))
        #expect(relay.name == "relais.log/" + Hex.encode(Array(SHA256.hash(key.bytes).prefix(8))))
    }

    @Test func refusedKeysAreRefused() throws {
        let v = try Self.vector()
        #expect(v.refused.count == 7)
        for r in v.refused {
            #expect(r.expect == "malformedVerifierKey")
            #expect {
                _ = try CheckpointVerifierKey(parsing: r.text)
            } throws: { error in
                if case AuditLogError.malformedVerifierKey = error { return true }
                return false
            }
        }
    }

    @Test func aKeyNameCannotHoldAPlus() throws {
        let key = try Ed25519PrivateKey(seed: (0..<32).map { UInt8($0) }).publicKey
        #expect(!CheckpointVerifierKey.isValidName("relais+example/log"))
        #expect(throws: AuditLogError.self) { _ = try CheckpointVerifierKey(name: "relais+example/log", publicKey: key) }
    }
}
