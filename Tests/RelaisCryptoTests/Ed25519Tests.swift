import Testing
@testable import RelaisCrypto

@Suite("Ed25519")
struct Ed25519Tests {
    let key = Ed25519PrivateKey.generate(using: DeterministicRandom(seed: utf8("ed25519 tests")))
    let message = utf8("referral #42 for Alice")

    /// RFC 8032 §7.1, TEST 1.
    @Test func rfc8032Test1() throws {
        let key = try Ed25519PrivateKey(seed: hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        #expect(key.publicKey.bytes.hex == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        let signature = key.signature(for: [])
        #expect(signature.hex == "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
        #expect(key.publicKey.isValidSignature(signature, for: []))
    }

    @Test func signVerifyRoundTrip() throws {
        let signature = key.signature(for: message)
        #expect(signature.count == Ed25519PrivateKey.signatureByteCount)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        try key.publicKey.verify(signature, for: message)
        // Deterministic, and a public key rebuilt from its bytes verifies too.
        #expect(key.signature(for: message) == signature)
        #expect(try Ed25519PublicKey(bytes: key.publicKey.bytes).isValidSignature(signature, for: message))
    }

    @Test func flippedMessageBitFails() {
        let signature = key.signature(for: message)
        for i in message.indices {
            var bad = message
            bad[i] ^= 0x80
            #expect(!key.publicKey.isValidSignature(signature, for: bad), "message byte \(i)")
        }
        expectCryptoError(.invalidSignature) { try key.publicKey.verify(signature, for: message + [0]) }
    }

    @Test func flippedSignatureBitFails() {
        let signature = key.signature(for: message)
        for i in signature.indices {
            var bad = signature
            bad[i] ^= 0x01
            #expect(!key.publicKey.isValidSignature(bad, for: message), "signature byte \(i)")
            expectCryptoError(.invalidSignature, "signature byte \(i)") { try key.publicKey.verify(bad, for: message) }
        }
    }

    @Test func otherKeyFails() {
        let other = Ed25519PrivateKey.generate(using: DeterministicRandom(seed: utf8("other signer")))
        #expect(other.publicKey != key.publicKey)
        #expect(!other.publicKey.isValidSignature(key.signature(for: message), for: message))
    }

    @Test(arguments: [0, 63, 65])
    func wrongSignatureLengthIsInvalid(count: Int) {
        let signature = Array((key.signature(for: message) + [0]).prefix(count))
        #expect(!key.publicKey.isValidSignature(signature, for: message))
    }

    @Test(arguments: [0, 31, 33, 64])
    func wrongKeyLengthThrowsInvalidLength(count: Int) {
        let bytes = [UInt8](repeating: 1, count: count)
        expectCryptoError(.invalidLength, "public key") { try Ed25519PublicKey(bytes: bytes) }
        expectCryptoError(.invalidLength, "seed") { try Ed25519PrivateKey(seed: bytes) }
    }

    @Test func seedIsKept() throws {
        let seed = DeterministicRandom(seed: utf8("seed")).bytes(32)
        let key = try Ed25519PrivateKey(seed: seed)
        #expect(key.seed.bytes == seed)
        #expect(try Ed25519PrivateKey(seed: key.seed).publicKey == key.publicKey)
    }
}
