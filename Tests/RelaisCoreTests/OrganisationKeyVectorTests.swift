import Foundation
import RelaisCore
import RelaisCrypto
import RelaisVectors
import Testing

/// `Protocol/vectors/organisation-key.json` (SPEC.md, "Organisation key"), read from the committed
/// file: every intermediate value recomputed from the inputs, the package opened, and every
/// refused package refused with its class. (`VectorTests` checks the file against the generator.)
@Suite("Organisation key vectors")
struct OrganisationKeyVectorTests {
    static func vector() throws -> OrganisationKeyVector {
        try JSONDecoder().decode(OrganisationKeyVector.self, from: Data(contentsOf: protocolVectors.appendingPathComponent("organisation-key.json")))
    }

    static func identity(_ d: OrganisationKeyVector.Device) throws -> DeviceIdentity {
        DeviceIdentity(privateKey: try Ed25519PrivateKey(seed: try #require(Hex.decode(d.ed25519Seed))))
    }

    static func open(_ bytes: [UInt8], giver: DeviceIdentity, as opener: DeviceIdentity) -> String {
        do {
            _ = try OrganisationKeyPackage(verifying: bytes, giver: giver.publicIdentity).open(as: opener)
            return "success"
        } catch {
            return error.className
        }
    }

    @Test func everyValueFollowsFromTheInputs() throws {
        let v = try Self.vector()
        let giver = try Self.identity(v.giver), target = try Self.identity(v.target)
        for (identity, d) in [(giver, v.giver), (target, v.target)] {
            #expect(Hex.encode(identity.publicIdentity.signingKey.bytes) == d.ed25519Public && identity.deviceID.hex == d.deviceId)
            let x = try X25519PrivateKey(convertingEd25519: identity.privateKey)
            #expect(Hex.encode(x.secret.bytes) == d.x25519Secret && Hex.encode(x.publicKey.bytes) == d.x25519Public)
            #expect(try X25519PublicKey(convertingEd25519: identity.publicIdentity.signingKey) == x.publicKey, "both conversions agree")
        }
        let org = try #require(OrganisationID(hex: v.organisationId))
        let key = try OrganisationKey(organisation: org, secret: SecretBytes(try #require(Hex.decode(v.key))))
        #expect(key.id.hex == v.keyId)
        #expect(v.keyId == Hex.encode(Array(SHA256.hash(Array("relais/v1/organisation-key-id".utf8) + [0] + org.bytes + key.secret.bytes)[0..<16])))

        let ephemeral = try X25519PrivateKey(scalar: try #require(Hex.decode(v.ephemeralSecret)))
        #expect(Hex.encode(ephemeral.publicKey.bytes) == v.ephemeralPublic)
        let targetX = try X25519PublicKey(bytes: try #require(Hex.decode(v.target.x25519Public)))
        let shared = try ephemeral.sharedSecret(with: targetX)
        #expect(Hex.encode(shared.bytes) == v.sharedSecret)
        let info = Array("relais/v1/organisation-key-wrap".utf8) + [0] + ephemeral.publicKey.bytes + targetX.bytes
        #expect(Hex.encode(try HKDFSHA256.deriveKey(inputKeyMaterial: shared, salt: [], info: info, length: 32).bytes) == v.wrapKey)

        let bytes = try #require(Hex.decode(v.package))
        let package = try OrganisationKeyPackage(verifying: bytes, giver: giver.publicIdentity)
        #expect(package.encoded == bytes && bytes.count == 217)
        #expect(package.organisationID == org && package.giverDeviceID == giver.deviceID && package.targetDeviceID == target.deviceID)
        #expect(package.createdAt == v.createdAt && Hex.encode(package.ephemeralPublic.bytes) == v.ephemeralPublic)
        #expect(try OrganisationKeyPackage.unverifiedGiver(of: bytes) == giver.deviceID)
        let opened = try package.open(as: target)
        #expect(opened == key)
        // The wrapping, by hand: XChaCha20-Poly1305 under the wrap key, zero nonce, the first 105 bytes as associated data.
        let plain = try XChaCha20Poly1305.open(Array(bytes[105..<153]), key: SecretBytes(try #require(Hex.decode(v.wrapKey))),
                                               nonce: [UInt8](repeating: 0, count: 24), associatedData: Array(bytes[0..<105]))
        #expect(Hex.encode(plain) == v.key)
        #expect(giver.publicIdentity.signingKey.isValidSignature(Array(bytes[153...]),
                                                                 for: Array("relais/v1/organisation-key-package".utf8) + [0] + Array(bytes[0..<153])))

        // Pseudonyms: the case ids as typed give the same pseudonym when they are the same text.
        for p in v.pseudonyms {
            #expect(Hex.encode(Array(try #require(OrganisationKey.normalisedCaseID(p.caseId)).utf8)) == p.normalised)
            #expect(try key.pseudonym(caseID: p.caseId) == p.pseudonym)
            #expect(p.pseudonym == Hex.encode(HMACSHA256.authenticate(Array("relais/v1/subject".utf8) + [0] + (Hex.decode(p.normalised) ?? []),
                                                                       key: key.secret.bytes)))
        }
        #expect(v.pseudonyms[0].pseudonym == v.pseudonyms[1].pseudonym && v.pseudonyms[2].pseudonym == v.pseudonyms[3].pseudonym)
        #expect(v.pseudonyms[0].pseudonym != v.pseudonyms[2].pseudonym)
        #expect(throws: OrganisationKeyError.emptyCaseID) { try key.pseudonym(caseID: " \n ") }
    }

    @Test func everyRefusedPackageIsRefusedWithItsClass() throws {
        let v = try Self.vector()
        let giver = try Self.identity(v.giver), target = try Self.identity(v.target)
        #expect(Self.open(try #require(Hex.decode(v.package)), giver: giver, as: target) == "success")
        var classes = Set<String>()
        for r in v.refused {
            let got = Self.open(try #require(Hex.decode(r.package)), giver: giver, as: r.opener == "giver" ? giver : target)
            #expect(got == r.expect, "\(r.label): expected \(r.expect), got \(got)")
            classes.insert(got)
        }
        #expect(classes == ["badSignature", "malformed", "wrongTarget", "unwrapFailed", "keyIdMismatch"])
        // Signed by another device than the one named as giver.
        #expect(Self.open(try #require(Hex.decode(v.package)), giver: target, as: target) == "badSignature")
    }

    @Test func theOneKeyRuleOfRelayAndClient() {
        let a = OrganisationID.random(using: SystemRandom()), b = OrganisationID.random(using: SystemRandom())
        typealias E = DirectoryRules.Enroller
        #expect(OrganisationKeyRules.mayGive(giver: E(role: .member, organisation: a), target: E(role: .admin, organisation: a), organisation: a, toItself: false))
        #expect(OrganisationKeyRules.mayGive(giver: E(role: .admin, organisation: a), target: E(role: .admin, organisation: a), organisation: a, toItself: true))
        #expect(!OrganisationKeyRules.mayGive(giver: E(role: .member, organisation: a), target: E(role: .member, organisation: a), organisation: a, toItself: true))
        #expect(!OrganisationKeyRules.mayGive(giver: E(role: .admin, organisation: a), target: E(role: .member, organisation: b), organisation: a, toItself: false))
        #expect(!OrganisationKeyRules.mayGive(giver: E(role: .admin, organisation: b), target: E(role: .member, organisation: b), organisation: a, toItself: false))
        #expect(!OrganisationKeyRules.mayGive(giver: E(role: .auditor, organisation: nil), target: E(role: .member, organisation: a), organisation: a, toItself: false))
        #expect(!OrganisationKeyRules.mayGive(giver: E(role: .admin, organisation: a), target: E(role: .operator, organisation: nil), organisation: a, toItself: false))
    }
}
