import RelaisCore
import RelaisCrypto
import Testing

/// The RelaisCore rules a client applies to what a relay shows (SPEC.md, "Clients against a lying relay").
@Suite("Directory trust rules")
struct DirectoryTrustTests {
    let rng = DeterministicRandom(seed: Array("directory trust".utf8))

    /// A validly signed prekey on each low-order point (with and without bit 255) is refused by
    /// name, so that a client can leave that one device out instead of failing the whole send.
    @Test(arguments: X25519PublicKey.lowOrderPoints.flatMap { p -> [[UInt8]] in [p, Array(p.dropLast()) + [p[31] | 0x80]] })
    func aLowOrderPrekeyIsRefused(point: [UInt8]) throws {
        let id = DeviceIdentity.generate(using: rng)
        let body = SignedPrekey.body(device: id.deviceID, publicKey: try X25519PublicKey(bytes: point), createdAt: 1, notAfter: 2)
        #expect(throws: PrekeyError.lowOrderKey) { try SignedPrekey(verifying: body + id.sign(.signedPrekey, body), signer: id.publicIdentity) }
    }

    @Test func aDeviceReceivesOnlyForItsOwnOrganisation() throws {
        let a = OrganisationID.random(using: rng), m = OrganisationID.random(using: rng)
        func record(_ role: DeviceRole, _ org: OrganisationID?) -> DeviceRecord {
            DeviceRecord(identity: DeviceIdentity.generate(using: rng).publicIdentity, organisationId: org, role: role,
                         enrolledBy: DeviceID.random(using: rng), inviteId: .random(using: rng), issuedAt: 1)
        }
        #expect(record(.member, a).mayReceive(for: a))
        #expect(record(.admin, a).mayReceive(for: a))
        #expect(!record(.member, m).mayReceive(for: a), "another organisation's genuine device")
        #expect(!record(.admin, m).mayReceive(for: a))
        #expect(!record(.auditor, nil).mayReceive(for: a))
        #expect(!record(.operator, nil).mayReceive(for: a))
    }

    @Test func aRevocationCountsFromItsDate() {
        let r = DeviceRevocation(deviceId: .random(using: rng), revokedBy: .random(using: rng), revokedAt: 1_000)
        #expect(!r.isEffective(at: 999), "signed before the revocation")
        #expect(r.isEffective(at: 1_000))
        #expect(r.isEffective(at: 5_000))
    }
}
