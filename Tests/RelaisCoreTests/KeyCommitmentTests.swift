import Foundation
import RelaisCore
import RelaisCrypto
import RelaisVectors
import Testing

/// XChaCha20-Poly1305 does not commit to its key; the envelope's frame does (SPEC.md, "Roots of
/// trust, keystore and primitives"). The vectors hold a body that authenticates under two keys:
/// the AEAD accepts it under both, the frame refuses it for both recipients.
@Suite("Key commitment")
struct KeyCommitmentTests {
    @Test func oneCiphertextOpensUnderTwoKeys() throws {
        let v = try JSONDecoder().decode(AEADTwoKeysVector.self,
                                         from: Data(contentsOf: protocolVectors.appendingPathComponent("aead/xchacha20poly1305-two-keys.json")))
        let sealed = try #require(Hex.decode(v.ciphertext)), ad = try #require(Hex.decode(v.associatedData))
        let nonce = try #require(Hex.decode(v.nonce))
        let p1 = try XChaCha20Poly1305.open(sealed, key: SecretBytes(try #require(Hex.decode(v.key1))), nonce: nonce, associatedData: ad)
        let p2 = try XChaCha20Poly1305.open(sealed, key: SecretBytes(try #require(Hex.decode(v.key2))), nonce: nonce, associatedData: ad)
        #expect(Hex.encode(p1) == v.plaintext1)
        #expect(Hex.encode(p2) == v.plaintext2)
        #expect(p1 != p2)
        // Every block of the plaintext under key 1 is the chosen text but the solved one.
        let chosen = String(decoding: p1, as: UTF8.self)
        #expect(chosen.hasPrefix("Sous la cle 1, ce texte"))
    }

    @Test func theSolverFindsACollisionForFreshKeys() throws {
        let rng = DeterministicRandom(seed: SHA256.hash(Array("key commitment test".utf8)))
        let k1 = SecretBytes(rng.bytes(32)), k2 = SecretBytes(rng.bytes(32))
        let plaintext = rng.bytes(256), ad = rng.bytes(37)
        let result = try #require(TwoKeyCiphertext.solve(plaintext: plaintext, associatedData: ad, key1: k1, key2: k2,
                                                         freeBlocks: Array((0..<16).reversed())))
        let nonce = Envelope.bodyNonce
        #expect(try XChaCha20Poly1305.open(result.sealed, key: k1, nonce: nonce, associatedData: ad) == result.plaintext1)
        #expect(try XChaCha20Poly1305.open(result.sealed, key: k2, nonce: nonce, associatedData: ad) == result.plaintext2)
        // Key 1's plaintext differs from the chosen one in the solved block only.
        for block in 0..<16 where block != result.freeBlock {
            #expect(result.plaintext1[block * 16..<block * 16 + 16] == plaintext[block * 16..<block * 16 + 16])
        }
    }

    /// Each recipient of the two-key envelope unwraps its own content key, the body authenticates
    /// under it (step 4 of "Opening"), and the frame refuses the plaintext (step 5).
    @Test(arguments: ["two-keys-one-body-first", "two-keys-one-body-second"])
    func theFrameRefusesATwoKeyBody(_ name: String) throws {
        let v = try #require(try VectorTests.envelopeVectors().first { $0.name == name })
        let bytes = try #require(Hex.decode(v.envelope))
        let (header, bodyOffset) = try EnvelopeHeader.parse(bytes)
        let stanza = try #require(header.stanzas.first { $0.deviceID.hex == v.opener.deviceId })
        let prekey = try X25519PrivateKey(scalar: try #require(Hex.decode(v.opener.prekeys[0].x25519Secret)))
        let contentKey = try SealedBox.open(stanza.wrappedKey, with: prekey)
        let plaintext = try XChaCha20Poly1305.open(Array(bytes[bodyOffset...]),
                                                   key: Envelope.bodyKey(contentKey: contentKey, envelopeID: header.envelopeID),
                                                   nonce: Envelope.bodyNonce, associatedData: header.encoded)
        #expect(plaintext.count == header.paddedLength)
        #expect(throws: EnvelopeError.self) { try VectorTests.open(v) }
        #expect(v.expect == "malformedPayload")
    }

    @Test func theTwoRecipientsHoldDifferentContentKeys() throws {
        let vectors = try VectorTests.envelopeVectors().filter { $0.name.hasPrefix("two-keys-one-body-") }
        try #require(vectors.count == 2)
        let keys = try vectors.map { v -> [UInt8] in
            let bytes = try #require(Hex.decode(v.envelope))
            let (header, _) = try EnvelopeHeader.parse(bytes)
            let stanza = try #require(header.stanzas.first { $0.deviceID.hex == v.opener.deviceId })
            return try SealedBox.open(stanza.wrappedKey, with: try X25519PrivateKey(scalar: try #require(Hex.decode(v.opener.prekeys[0].x25519Secret)))).bytes
        }
        #expect(keys[0] != keys[1])
        #expect(vectors[0].envelope == vectors[1].envelope)
    }
}
