import RelaisCore
import RelaisCrypto
import Testing

@Suite("Identities, fingerprints, signed prekeys")
struct IdentityTests {
    let rng = DeterministicRandom(seed: Array("identity tests".utf8))

    @Test func deviceIDIsDerivedFromTheKey() throws {
        let a = DeviceIdentity.generate(using: rng), b = DeviceIdentity.generate(using: rng)
        #expect(a.deviceID != b.deviceID)
        #expect(DevicePublicIdentity(signingKey: a.privateKey.publicKey).deviceID == a.deviceID)
        #expect(a.deviceID.hex.count == 32)
        #expect(DeviceID(hex: a.deviceID.hex) == a.deviceID)
        #expect(DeviceID(hex: a.deviceID.hex.uppercased()) == nil)
        #expect(DeviceID(hex: "abc") == nil)
    }

    @Test func fingerprintShape() {
        let a = DeviceIdentity.generate(using: rng).publicIdentity, b = DeviceIdentity.generate(using: rng).publicIdentity
        #expect(a.fingerprint.digits.count == 30)
        #expect(a.fingerprint.digits.allSatisfy { $0.isNumber })
        #expect(a.fingerprint.description.split(separator: " ").count == 6)
        #expect(a.fingerprint != b.fingerprint)
        #expect(Fingerprint.safetyNumber(a.signingKey, b.signingKey).count == 60)
    }

    @Test func signedPrekeyRefusesTampering() throws {
        let id = DeviceIdentity.generate(using: rng), other = DeviceIdentity.generate(using: rng)
        let pk = X25519PrivateKey.generate(using: rng)
        let signed = SignedPrekey.sign(publicKey: pk.publicKey, identity: id, createdAt: 10_000, notAfter: 20_000)
        #expect(signed.encoded.count == SignedPrekey.byteCount)
        #expect(try SignedPrekey(verifying: signed.encoded, signer: id.publicIdentity) == signed)
        #expect(throws: PrekeyError.badSignature) { try SignedPrekey(verifying: signed.encoded, signer: other.publicIdentity) }
        for i in [0, 5, 30, 60, 72, 100] {
            var b = signed.encoded
            b[i] ^= 1
            #expect(throws: PrekeyError.badSignature) { try SignedPrekey(verifying: b, signer: id.publicIdentity) }
        }
        #expect(throws: PrekeyError.self) { try SignedPrekey(verifying: signed.encoded + [0], signer: id.publicIdentity) }
        // Correctly signed but inconsistent bodies are refused after the signature check.
        let backwards = SignedPrekeyBody(version: 1, device: id.deviceID, key: pk.publicKey, created: 20, notAfter: 20)
        #expect(throws: PrekeyError.malformed("created_at is not before not_after")) {
            try SignedPrekey(verifying: backwards.signed(by: id), signer: id.publicIdentity)
        }
        let wrongDevice = SignedPrekeyBody(version: 1, device: other.deviceID, key: pk.publicKey, created: 1, notAfter: 2)
        #expect(throws: PrekeyError.wrongDevice) { try SignedPrekey(verifying: wrongDevice.signed(by: id), signer: id.publicIdentity) }
        let v2 = SignedPrekeyBody(version: 2, device: id.deviceID, key: pk.publicKey, created: 1, notAfter: 2)
        #expect(throws: PrekeyError.malformed("unknown version")) { try SignedPrekey(verifying: v2.signed(by: id), signer: id.publicIdentity) }
        #expect(signed.isUsable(at: 10_000) && signed.isUsable(at: 19_999))
        #expect(signed.isUsable(at: 10_000 - 3600), "a sender's clock may be up to an hour behind")
        #expect(!signed.isUsable(at: 10_000 - 3601) && !signed.isUsable(at: 20_000))
    }
}

/// Builds prekey records by hand, to reach the checks after the signature.
struct SignedPrekeyBody {
    var version: UInt8, device: DeviceID, key: X25519PublicKey, created: UInt64, notAfter: UInt64
    func signed(by id: DeviceIdentity) -> [UInt8] {
        var w = ByteWriter()
        w.write(version)
        w.write(device)
        w.write(PrekeyID(for: key).bytes)
        w.write(key.bytes)
        w.write(created)
        w.write(notAfter)
        return w.bytes + id.sign(.signedPrekey, w.bytes)
    }
}
