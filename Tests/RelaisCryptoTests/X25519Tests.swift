import Testing
@testable import RelaisCrypto

@Suite("X25519")
struct X25519Tests {
    /// RFC 7748 §6.1 (Alice and Bob).
    @Test func rfc7748DiffieHellman() throws {
        let alice = try X25519PrivateKey(scalar: hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
        let bob = try X25519PrivateKey(scalar: hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))
        #expect(alice.publicKey.bytes.hex == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        #expect(bob.publicKey.bytes.hex == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
        let ab = try alice.sharedSecret(with: bob.publicKey)
        let ba = try bob.sharedSecret(with: alice.publicKey)
        #expect(ab.bytes.hex == "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
        #expect(ab == ba)
    }

    @Test func smallOrderPeerKeyIsInvalidKey() throws {
        let key = X25519PrivateKey.generate(using: DeterministicRandom(seed: utf8("x25519 small order")))
        let zeroPoint = try X25519PublicKey(bytes: [UInt8](repeating: 0, count: 32))
        expectCryptoError(.invalidKey) { try key.sharedSecret(with: zeroPoint) }
    }

    @Test(arguments: [0, 31, 33, 64])
    func wrongLengthsThrowInvalidLength(count: Int) {
        let bytes = [UInt8](repeating: 7, count: count)
        expectCryptoError(.invalidLength, "public key, \(count) bytes") { try X25519PublicKey(bytes: bytes) }
        expectCryptoError(.invalidLength, "scalar, \(count) bytes") { try X25519PrivateKey(scalar: bytes) }
        expectCryptoError(.invalidLength, "seed, \(count) bytes") { try X25519PrivateKey(seed: bytes) }
    }

    /// `init(seed:)` must be `crypto_box_seed_keypair`: `SealedBox.seal` derives its ephemeral key
    /// with libsodium's `crypto_box_seed_keypair` from the first 32 bytes it draws, and puts the
    /// public half first in its output.
    @Test func seedMatchesCryptoBoxSeedKeypair() throws {
        let recipient = X25519PrivateKey.generate(using: DeterministicRandom(seed: utf8("recipient")))
        for label in ["a", "b", "c"] {
            let seed = DeterministicRandom(seed: utf8(label)).bytes(32)
            let sealed = try SealedBox.seal(utf8("m"), to: recipient.publicKey, using: DeterministicRandom(seed: utf8(label)))
            let ours = try X25519PrivateKey(seed: seed)
            #expect(ours.publicKey.bytes.hex == Array(sealed.prefix(32)).hex, "seed \(label)")
        }
    }

    /// And the key from a seed works as a box key: seal to its public key, open with it.
    @Test func seedKeyOpensWhatIsSealedToIt() throws {
        let seed = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
        let key = try X25519PrivateKey(seed: seed)
        #expect(key.secret.bytes == Array(SHA512.hash(seed).prefix(32)))
        let message = utf8("to the seeded key")
        #expect(try SealedBox.open(SealedBox.sealWithLibsodium(message, to: key.publicKey), with: key).bytes == message)
        #expect(try SealedBox.open(SealedBox.seal(message, to: key.publicKey), with: key).bytes == message)
        // The same seed gives the same key; another seed does not.
        #expect(try X25519PrivateKey(seed: seed).publicKey == key.publicKey)
        #expect(try X25519PrivateKey(seed: [UInt8](repeating: 0, count: 32)).publicKey != key.publicKey)
    }
}

@Suite("SealedBox")
struct SealedBoxTests {
    let recipient = X25519PrivateKey.generate(using: DeterministicRandom(seed: utf8("sealed box recipient")))

    @Test(arguments: [0, 1, 47, 48, 1000])
    func deterministicSealOpens(length: Int) throws {
        let message = DeterministicRandom(seed: utf8("message")).bytes(length)
        let sealed = try SealedBox.seal(message, to: recipient.publicKey, using: DeterministicRandom(seed: utf8("eph")))
        #expect(sealed.count == message.count + SealedBox.overhead)
        #expect(try SealedBox.open(sealed, with: recipient).bytes == message)
    }

    @Test func libsodiumSealOpensWithSealedBoxOpen() throws {
        let message = utf8("sealed by crypto_box_seal")
        let sealed = try SealedBox.sealWithLibsodium(message, to: recipient.publicKey)
        #expect(sealed.count == message.count + SealedBox.overhead)
        #expect(try SealedBox.open(sealed, with: recipient).bytes == message)
    }

    @Test func sameSeedSameBytes() throws {
        let message = utf8("reproducible")
        let a = try SealedBox.seal(message, to: recipient.publicKey, using: DeterministicRandom(seed: utf8("s")))
        let b = try SealedBox.seal(message, to: recipient.publicKey, using: DeterministicRandom(seed: utf8("s")))
        let c = try SealedBox.seal(message, to: recipient.publicKey, using: DeterministicRandom(seed: utf8("t")))
        #expect(a == b)
        #expect(a != c)
    }

    @Test func everyFlippedByteIsAuthenticationFailure() throws {
        let sealed = try SealedBox.seal(utf8("tamper"), to: recipient.publicKey, using: DeterministicRandom(seed: utf8("f")))
        for i in sealed.indices {
            var bad = sealed
            bad[i] ^= 0x01
            expectCryptoError(.authenticationFailure, "byte \(i) flipped") { try SealedBox.open(bad, with: recipient) }
        }
    }

    @Test(arguments: [0, 1, 47])
    func tooShortIsAuthenticationFailure(length: Int) throws {
        let sealed = try SealedBox.seal([], to: recipient.publicKey, using: DeterministicRandom(seed: utf8("short")))
        expectCryptoError(.authenticationFailure) { try SealedBox.open(Array(sealed.prefix(length)), with: recipient) }
    }

    @Test func wrongRecipientIsAuthenticationFailure() throws {
        let other = X25519PrivateKey.generate(using: DeterministicRandom(seed: utf8("someone else")))
        let sealed = try SealedBox.sealWithLibsodium(utf8("not for you"), to: recipient.publicKey)
        expectCryptoError(.authenticationFailure) { try SealedBox.open(sealed, with: other) }
    }

    @Test func smallOrderRecipientIsInvalidKey() throws {
        let zero = try X25519PublicKey(bytes: [UInt8](repeating: 0, count: 32))
        expectCryptoError(.invalidKey) { try SealedBox.seal(utf8("x"), to: zero, using: DeterministicRandom(seed: utf8("z"))) }
        expectCryptoError(.invalidKey) { try SealedBox.sealWithLibsodium(utf8("x"), to: zero) }
    }
}

/// Keys of small order (SPEC.md, "Signed prekeys"): refused by name, before any use.
@Suite("X25519 low-order keys")
struct X25519LowOrderTests {
    static let encodings: [[UInt8]] = X25519PublicKey.lowOrderPoints.flatMap { p -> [[UInt8]] in
        var high = p
        high[31] |= 0x80
        return [p, high]
    }

    /// Each listed point, with and without bit 255, is flagged, and libsodium agrees that it is of
    /// small order: the shared secret with any scalar is all zeros, which `crypto_scalarmult` refuses.
    @Test(arguments: encodings)
    func eachLowOrderPointIsRefused(point: [UInt8]) throws {
        let key = try X25519PublicKey(bytes: point)
        #expect(key.hasLowOrder, "\(point.hex)")
        let scalar = X25519PrivateKey.generate(using: DeterministicRandom(seed: point))
        expectCryptoError(.invalidKey, point.hex) { try scalar.sharedSecret(with: key) }
    }

    @Test func theListIsTheSevenKnownPoints() {
        #expect(X25519PublicKey.lowOrderPoints.count == 7)
        #expect(Set(X25519PublicKey.lowOrderPoints.map(\.hex)).count == 7)
        #expect(X25519PublicKey.lowOrderPoints[0] == [UInt8](repeating: 0, count: 32))
        #expect(X25519PublicKey.lowOrderPoints[1] == [1] + [UInt8](repeating: 0, count: 31))
    }

    /// Ordinary keys, and values next to the listed ones, are not flagged.
    @Test func ordinaryKeysAreNotFlagged() throws {
        for label in ["a", "b", "c", "d"] {
            #expect(!X25519PrivateKey.generate(using: DeterministicRandom(seed: utf8(label))).publicKey.hasLowOrder)
        }
        for p in X25519PublicKey.lowOrderPoints {
            var near = p
            near[0] ^= 0x02
            if !X25519PublicKey.lowOrderPoints.contains(near) { #expect(!(try X25519PublicKey(bytes: near)).hasLowOrder, "\(near.hex)") }
        }
    }
}
