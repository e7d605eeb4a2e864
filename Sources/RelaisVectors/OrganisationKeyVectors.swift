import Foundation
import RelaisCore
import RelaisCrypto

extension VectorGenerator {
    /// Its own random streams, so that the other files do not change.
    static func organisationKeyFile() -> VectorFile {
        let rng = DeterministicRandom(seed: SHA256.hash(Array("relais/v1 organisation-key vectors".utf8)))
        let organisation = OrganisationID.random(using: rng)
        func device() -> (DeviceIdentity, OrganisationKeyVector.Device) {
            let seed = rng.bytes(32)
            let identity = DeviceIdentity(privateKey: try! Ed25519PrivateKey(seed: seed))
            let x = try! X25519PrivateKey(convertingEd25519: identity.privateKey)
            return (identity, .init(ed25519Seed: Hex.encode(seed), ed25519Public: Hex.encode(identity.publicIdentity.signingKey.bytes),
                                    deviceId: identity.deviceID.hex, x25519Public: Hex.encode(x.publicKey.bytes), x25519Secret: Hex.encode(x.secret.bytes)))
        }
        let (giver, giverVector) = device()
        let (target, targetVector) = device()
        let key = try! OrganisationKey(organisation: organisation, secret: SecretBytes(rng.bytes(32)))
        let createdAt = sealTime

        // The seal draws its ephemeral scalar first from this stream: the same stream, read here, shows it.
        let ephemeralSeed = SHA256.hash(Array("relais/v1 organisation-key vectors, ephemeral".utf8))
        let ephemeral = try! X25519PrivateKey(scalar: DeterministicRandom(seed: ephemeralSeed).bytes(32))
        let package = try! OrganisationKeyPackage.seal(key, from: giver, to: target.publicIdentity, createdAt: createdAt,
                                                       rng: DeterministicRandom(seed: ephemeralSeed))
        precondition(package.ephemeralPublic == ephemeral.publicKey)
        let targetX = try! X25519PublicKey(convertingEd25519: target.publicIdentity.signingKey)
        let shared = try! ephemeral.sharedSecret(with: targetX)
        let wrapKey = try! HKDFSHA256.deriveKey(inputKeyMaterial: shared, salt: [],
                                                info: domainSeparated(.organisationKeyWrap, ephemeral.publicKey.bytes + targetX.bytes), length: 32)

        let pseudonyms = ["CASE-2027-0042", "  CASE-2027-0042\n", "Dossier Hél\u{00E8}ne", "Dossier He\u{0301}le\u{0300}ne"].map { caseID in
            OrganisationKeyVector.Pseudonym(caseId: caseID, normalised: Hex.encode(Array(OrganisationKey.normalisedCaseID(caseID)!.utf8)),
                                            pseudonym: try! key.pseudonym(caseID: caseID))
        }

        // Refused packages: each re-signed by the giver after the change, so that only the check named fails.
        let body = Array(package.encoded[0..<OrganisationKeyPackage.bodyByteCount])
        func signed(_ body: [UInt8]) -> String { Hex.encode(body + giver.sign(.organisationKeyPackage, body)) }
        func changed(_ offset: Int, _ transform: (UInt8) -> UInt8) -> [UInt8] {
            var b = body
            b[offset] = transform(b[offset])
            return b
        }
        // A key id that names another key, the wrapping made over it: opens, then fails the id check.
        var header = Array(body[0..<OrganisationKeyPackage.bodyByteCount - 48])
        header.replaceSubrange(49..<65, with: OrganisationKey.generate(organisation: organisation, using: rng).id.bytes)
        let otherID = header + (try! XChaCha20Poly1305.seal(key.secret.bytes, key: wrapKey, nonce: [UInt8](repeating: 0, count: 24),
                                                            associatedData: header))
        var badSignature = package.encoded
        badSignature[OrganisationKeyPackage.bodyByteCount + 7] ^= 0x01
        let refused: [OrganisationKeyVector.Refused] = [
            .init(label: "signature-altered", package: Hex.encode(badSignature), opener: "target", expect: "badSignature"),
            .init(label: "truncated", package: Hex.encode(Array(package.encoded.dropLast())), opener: "target", expect: "malformed"),
            .init(label: "unknown-version", package: signed(changed(0) { _ in 2 }), opener: "target", expect: "malformed"),
            .init(label: "for-another-device", package: Hex.encode(package.encoded), opener: "giver", expect: "wrongTarget"),
            .init(label: "wrapped-key-altered", package: signed(changed(OrganisationKeyPackage.bodyByteCount - 1) { $0 ^ 0x80 }),
                  opener: "target", expect: "unwrapFailed"),
            .init(label: "created-at-altered", package: signed(changed(1 + 16 * 4 + 7) { $0 ^ 0x01 }), opener: "target", expect: "unwrapFailed"),
            .init(label: "key-id-altered", package: signed(changed(1 + 16 * 3) { $0 ^ 0x01 }), opener: "target", expect: "unwrapFailed"),
            .init(label: "key-id-of-another-key", package: signed(otherID), opener: "target", expect: "keyIdMismatch"),
        ]
        let v = OrganisationKeyVector(
            description: "An organisation key, its id and pseudonyms; a key package from giver to target (sealed to the target's Ed25519 key in X25519 form, signed by the giver) with its intermediate values; packages to refuse, each re-signed by the giver after the change so that only the named check fails.",
            organisationId: organisation.hex, key: Hex.encode(key.secret.bytes), keyId: key.id.hex, giver: giverVector, target: targetVector,
            createdAt: createdAt, ephemeralSecret: Hex.encode(ephemeral.secret.bytes), ephemeralPublic: Hex.encode(ephemeral.publicKey.bytes),
            sharedSecret: Hex.encode(shared.bytes), wrapKey: Hex.encode(wrapKey.bytes), package: Hex.encode(package.encoded),
            pseudonyms: pseudonyms, refused: refused)
        return VectorFile(name: "organisation-key.json", contents: json(v))
    }
}
