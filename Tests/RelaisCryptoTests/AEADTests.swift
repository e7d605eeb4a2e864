import Testing
@testable import RelaisCrypto

/// Round trip and failure behaviour shared by both AEADs (Wycheproof covers the known answers).
@Suite("AEAD")
struct AEADTests {
    static var primitives: [(name: String, type: any AEADUnderTest.Type)] {
        [
            ("ChaCha20-Poly1305", ChaCha20Poly1305.self),
            ("XChaCha20-Poly1305", XChaCha20Poly1305.self),
        ]
    }

    let key = SecretBytes(DeterministicRandom(seed: utf8("aead key")).bytes(32))
    let message = utf8("the referral payload")
    let aad = utf8("header")

    @Test(arguments: primitives.map(\.name))
    func roundTrip(name: String) throws {
        let P = try #require(Self.primitives.first { $0.name == name }).type
        let nonce = DeterministicRandom(seed: utf8("nonce")).bytes(P.nonceByteCount)
        let sealed = try P.seal(message, key: key, nonce: nonce, associatedData: aad)
        #expect(sealed.count == message.count + 16)
        #expect(try P.open(sealed, key: key, nonce: nonce, associatedData: aad) == message)
        let empty = try P.seal([], key: key, nonce: nonce, associatedData: [])
        #expect(empty.count == 16)
        #expect(try P.open(empty, key: key, nonce: nonce, associatedData: []) == [])
    }

    @Test(arguments: primitives.map(\.name))
    func anyChangeIsAuthenticationFailure(name: String) throws {
        let P = try #require(Self.primitives.first { $0.name == name }).type
        let nonce = DeterministicRandom(seed: utf8("nonce")).bytes(P.nonceByteCount)
        let sealed = try P.seal(message, key: key, nonce: nonce, associatedData: aad)
        for i in sealed.indices {
            var bad = sealed
            bad[i] ^= 0x04
            expectCryptoError(.authenticationFailure, "byte \(i)") { try P.open(bad, key: key, nonce: nonce, associatedData: aad) }
        }
        var otherNonce = nonce
        otherNonce[0] ^= 1
        expectCryptoError(.authenticationFailure, "nonce") { try P.open(sealed, key: key, nonce: otherNonce, associatedData: aad) }
        expectCryptoError(.authenticationFailure, "aad") { try P.open(sealed, key: key, nonce: nonce, associatedData: []) }
        let otherKey = SecretBytes([UInt8](repeating: 9, count: 32))
        expectCryptoError(.authenticationFailure, "key") { try P.open(sealed, key: otherKey, nonce: nonce, associatedData: aad) }
        for n in [0, 15, sealed.count - 1] {
            expectCryptoError(.authenticationFailure, "truncated to \(n)") {
                try P.open(Array(sealed.prefix(n)), key: key, nonce: nonce, associatedData: aad)
            }
        }
    }

    @Test(arguments: primitives.map(\.name))
    func wrongSizesThrowInvalidLength(name: String) throws {
        let P = try #require(Self.primitives.first { $0.name == name }).type
        let nonce = [UInt8](repeating: 0, count: P.nonceByteCount)
        for bad in [0, P.nonceByteCount - 1, P.nonceByteCount + 1] {
            let n = [UInt8](repeating: 0, count: bad)
            expectCryptoError(.invalidLength, "nonce \(bad)") { try P.seal(message, key: key, nonce: n, associatedData: []) }
            expectCryptoError(.invalidLength, "nonce \(bad)") { try P.open(message, key: key, nonce: n, associatedData: []) }
        }
        for bad in [0, 16, 31, 33] {
            let k = SecretBytes([UInt8](repeating: 0, count: bad))
            expectCryptoError(.invalidLength, "key \(bad)") { try P.seal(message, key: k, nonce: nonce, associatedData: []) }
            expectCryptoError(.invalidLength, "key \(bad)") { try P.open(message, key: k, nonce: nonce, associatedData: []) }
        }
    }
}
