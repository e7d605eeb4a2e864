import Testing
@testable import RelaisCrypto

/// Every case of the five Wycheproof files in `../shared/vectors/wycheproof/`.
@Suite("Wycheproof", .enabled(if: ExternalVectors.shouldRun, ExternalVectors.skipMessage))
struct WycheproofTests {
    @Test("X25519 (crypto_scalarmult)")
    func x25519() throws {
        let file = try Wycheproof.load("x25519_test.json", as: Wycheproof.XDHGroup.self)
        var tally = Wycheproof.Tally("X25519")
        var casesInFile = 0
        for group in file.testGroups {
            #expect(group.curve == "curve25519")
            for t in group.tests {
                casesInFile += 1
                let label: Comment = "tcId \(t.tcId) \(t.flags) \(t.comment)"
                let key = try X25519PrivateKey(scalar: t.private.bytes)
                let peer = try X25519PublicKey(bytes: t.public.bytes)
                // The low-order list catches exactly the keys whose shared secret is all zeros.
                #expect(peer.hasLowOrder == t.flags.contains("ZeroSharedSecret"), "hasLowOrder: \(label)")
                let passed: Bool
                do {
                    let shared = try key.sharedSecret(with: peer).bytes
                    passed = shared == t.shared.bytes
                    #expect(shared.hex == t.shared.bytes.hex, label)
                } catch let error as CryptoError where error.kind == .invalidKey {
                    // libsodium refuses an all-zero result: only "acceptable" cases may do that.
                    passed = t.result == .acceptable
                    #expect(t.result == .acceptable, "rejected a \(t.result.rawValue) case: \(label)")
                    if passed {
                        tally.note(t.flags.contains("ZeroSharedSecret")
                                   ? "acceptable ZeroSharedSecret rejected by libsodium"
                                   : "acceptable non-zero-secret rejected by libsodium")
                    }
                }
                tally.record(t.result, passed: passed)
            }
        }
        tally.finish(file, casesInFile: casesInFile)
    }

    @Test("Ed25519 (crypto_sign_verify_detached)")
    func ed25519() throws {
        let file = try Wycheproof.load("ed25519_test.json", as: Wycheproof.EdDSAGroup.self)
        var tally = Wycheproof.Tally("Ed25519")
        var casesInFile = 0
        for group in file.testGroups {
            #expect(group.publicKey.curve == "edwards25519")
            let key = try Ed25519PublicKey(bytes: group.publicKey.pk.bytes)
            for t in group.tests {
                casesInFile += 1
                let verifies = key.isValidSignature(t.sig.bytes, for: t.msg.bytes)
                let expected: Bool
                switch t.result {
                case .valid: expected = true
                case .invalid: expected = false
                case .acceptable:
                    expected = verifies  // none in the file today; either outcome is allowed
                    tally.note(verifies ? "acceptable verified" : "acceptable rejected")
                }
                #expect(verifies == expected, "tcId \(t.tcId) \(t.result.rawValue) \(t.flags) \(t.comment)")
                // `verify` must agree with `isValidSignature`.
                let throwsInvalid = throwsCryptoError(.invalidSignature) { try key.verify(t.sig.bytes, for: t.msg.bytes) }
                #expect(throwsInvalid == !verifies, "tcId \(t.tcId): verify and isValidSignature disagree")
                tally.record(t.result, passed: verifies == expected && throwsInvalid == !verifies)
            }
        }
        tally.finish(file, casesInFile: casesInFile)
    }

    @Test("ChaCha20-Poly1305 (IETF)")
    func chacha20Poly1305() throws {
        try runAEAD(ChaCha20Poly1305.self, name: "ChaCha20-Poly1305", file: "chacha20_poly1305_test.json")
    }

    @Test("XChaCha20-Poly1305")
    func xchacha20Poly1305() throws {
        try runAEAD(XChaCha20Poly1305.self, name: "XChaCha20-Poly1305", file: "xchacha20_poly1305_test.json")
    }

    private func runAEAD<P: AEADUnderTest>(_: P.Type, name: String, file fileName: String) throws {
        let file = try Wycheproof.load(fileName, as: Wycheproof.AEADGroup.self)
        var tally = Wycheproof.Tally(name)
        var casesInFile = 0
        for group in file.testGroups {
            for t in group.tests {
                casesInFile += 1
                let label: Comment = "tcId \(t.tcId) \(t.result.rawValue) \(t.flags) \(t.comment)"
                let key = SecretBytes(t.key.bytes)
                let (iv, aad, msg) = (t.iv.bytes, t.aad.bytes, t.msg.bytes)
                let sealed = t.ct.bytes + t.tag.bytes
                #expect(group.ivSize == iv.count * 8 && group.keySize == key.count * 8, label)

                if iv.count != P.nonceByteCount || key.count != P.keyByteCount {
                    // libsodium takes fixed sizes: the wrapper must refuse before calling it.
                    #expect(t.result != .valid, "a valid case has a size the primitive does not take: \(label)")
                    let sealRefused = throwsCryptoError(.invalidLength) { try P.seal(msg, key: key, nonce: iv, associatedData: aad) }
                    let openRefused = throwsCryptoError(.invalidLength) { try P.open(sealed, key: key, nonce: iv, associatedData: aad) }
                    #expect(sealRefused, "seal did not throw invalidLength: \(label)")
                    #expect(openRefused, "open did not throw invalidLength: \(label)")
                    tally.note("invalid by nonce/key size")
                    tally.record(t.result, passed: t.result != .valid && sealRefused && openRefused)
                    continue
                }

                switch t.result {
                case .valid:
                    let ours = try P.seal(msg, key: key, nonce: iv, associatedData: aad)
                    let opened = try P.open(sealed, key: key, nonce: iv, associatedData: aad)
                    #expect(ours.hex == sealed.hex, "seal: \(label)")
                    #expect(opened.hex == msg.hex, "open: \(label)")
                    tally.record(t.result, passed: ours == sealed && opened == msg)
                case .invalid, .acceptable:
                    let refused = throwsCryptoError(.authenticationFailure) {
                        try P.open(sealed, key: key, nonce: iv, associatedData: aad)
                    }
                    if t.result == .invalid {
                        #expect(refused, "open accepted: \(label)")
                    } else {
                        tally.note(refused ? "acceptable refused" : "acceptable opened")
                    }
                    tally.record(t.result, passed: refused || t.result == .acceptable)
                }
            }
        }
        tally.finish(file, casesInFile: casesInFile)
    }

    @Test("HKDF-SHA256")
    func hkdfSHA256() throws {
        let file = try Wycheproof.load("hkdf_sha256_test.json", as: Wycheproof.HKDFGroup.self)
        var tally = Wycheproof.Tally("HKDF-SHA256")
        var casesInFile = 0
        for group in file.testGroups {
            for t in group.tests {
                casesInFile += 1
                let label: Comment = "tcId \(t.tcId) \(t.result.rawValue) \(t.flags) \(t.comment)"
                #expect(group.keySize == t.ikm.bytes.count * 8, label)
                switch t.result {
                case .valid:
                    let okm = try HKDFSHA256.deriveKey(inputKeyMaterial: t.ikm.bytes, salt: t.salt.bytes,
                                                       info: t.info.bytes, length: t.size).bytes
                    #expect(okm.hex == t.okm.bytes.hex, label)
                    tally.record(t.result, passed: okm == t.okm.bytes)
                case .invalid, .acceptable:
                    // The only invalid cases are output sizes above 255 × 32 bytes.
                    let refused = throwsCryptoError(.outputTooLong) {
                        try HKDFSHA256.deriveKey(inputKeyMaterial: t.ikm.bytes, salt: t.salt.bytes,
                                                 info: t.info.bytes, length: t.size)
                    }
                    #expect(refused || t.result == .acceptable, "not refused: \(label)")
                    tally.record(t.result, passed: refused || t.result == .acceptable)
                }
            }
        }
        tally.finish(file, casesInFile: casesInFile)
    }
}

/// The common shape of `ChaCha20Poly1305` and `XChaCha20Poly1305`.
protocol AEADUnderTest {
    static var keyByteCount: Int { get }
    static var nonceByteCount: Int { get }
    static func seal(_ plaintext: [UInt8], key: SecretBytes, nonce: [UInt8], associatedData: [UInt8]) throws -> [UInt8]
    static func open(_ sealed: [UInt8], key: SecretBytes, nonce: [UInt8], associatedData: [UInt8]) throws -> [UInt8]
}

extension ChaCha20Poly1305: AEADUnderTest {}
extension XChaCha20Poly1305: AEADUnderTest {}
