import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisStore
import RelaisServer
import NIOHTTP1
import Testing

@Suite("Relay end to end: the story")
struct RelayStoryTests {
    @Test(arguments: RelayStoreKind.available) func healthAndRelayInfoNeedNoAuthentication(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let health = try await live.raw(.GET, "/healthz")
            #expect(health.status == 200)
            let info = try await live.client(nil).relayInfo()
            #expect(info.operatorPublicKey == nil, "no operator before the operator invite is redeemed")
            #expect(info.time == live.clock.now())
        }
    }

    @Test func operatorInviteIsStoredOwnerOnly() async throws {
        try await LiveRelay.run { live in
            let path = live.relay.configuration.operatorInvitePath
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(InviteCode(text) == live.operatorInvite)
            let key = try FileManager.default.attributesOfItem(atPath: live.relay.configuration.relayKeyPath)
            #expect((key[.posixPermissions] as? Int) == 0o600)
        }
    }

    @Test(arguments: RelayStoreKind.available) func enrolmentChainDirectorySubmitInboxFetchAcknowledge(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            // The directory, as a member sees it, verifies up to the pinned operator key.
            let info = try await live.client(nil).relayInfo()
            let operatorKey = try #require(info.operatorPublicKey)
            #expect(operatorKey == net.operatorIdentity.privateKey.publicKey)
            let pro = live.client(net.professional)
            let orgs = try await pro.organisations(departement: "93")
            #expect(orgs.count == 2)
            let records = try orgs.map { try OrganisationRecord.verify($0.signed, operatorKey: operatorKey) }
            #expect(Set(records.map(\.id)) == [net.association, net.socialService])
            #expect(try await pro.organisations(category: .specialisedAssociation).count == 1)
            #expect(try await pro.organisations(departement: "75").count == 1)
            let devices = try await pro.devices(organisation: net.association)
            #expect(devices.count == 3, "the admin and two members")
            for d in devices {
                let record = try #require(d.record)
                let signerID = try DeviceRecord.unverifiedSigner(of: record)
                let signer = try await pro.device(signerID)
                let signerKey = DevicePublicIdentity(signingKey: try Ed25519PublicKey(bytes: signer.publicKey))
                let verified = try DeviceRecord.verify(record, signer: signerKey)
                #expect(verified.organisationId == net.association)
            }
            let withPrekeys = devices.filter { $0.signedPrekey != nil }
            #expect(withPrekeys.count == 2)

            // Submit, both devices see it, fetch and open, acknowledge: gone after the second.
            let sealed = try net.sealToAssociation()
            let before = try await live.statistics()
            let (id, duplicate) = try await pro.submit(sealed.bytes)
            #expect(id == sealed.header.envelopeID && !duplicate)
            let after = try await live.statistics()
            #expect(after.envelopes == before.envelopes + 1 && after.deliveries == before.deliveries + 2)
            for (i, device) in net.associationDevices.enumerated() {
                let c = live.client(device.identity)
                let inbox = try await c.inbox()
                #expect(inbox.map(\.envelopeID) == [id])
                #expect(inbox.first?.senderDeviceID == net.professional.deviceID)
                let bytes = try await c.fetch(id)
                #expect(bytes == sealed.bytes)
                let opened = try Envelope.open(bytes, as: device.identity.deviceID,
                                               prekeys: { $0 == device.signed.prekeyID ? device.prekey : nil },
                                               senders: { $0 == net.professional.deviceID ? net.professional.publicIdentity : nil },
                                               clock: live.clock)
                #expect(opened.sender.deviceID == net.professional.deviceID)
                let deleted = try await c.acknowledge(id)
                #expect(deleted == (i == 1), "deleted only after the last addressed device acknowledged")
                #expect(try await c.inbox().isEmpty)
            }
            #expect(try await live.statistics().envelopes == before.envelopes)
            await expectRefusal(404, "not_found") { _ = try await live.client(net.associationDevices[0].identity).fetch(id) }
        }
    }

    @Test(arguments: RelayStoreKind.available) func submitIsIdempotentByEnvelopeID(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            let pro = live.client(net.professional)
            let sealed = try net.sealToAssociation()
            _ = try await pro.submit(sealed.bytes)
            let once = try await live.statistics()
            let (_, duplicate) = try await pro.submit(sealed.bytes)
            #expect(duplicate)
            #expect(try await live.statistics() == once)
            // Same id, different bytes: a conflict, nothing written.
            var other = sealed.bytes
            other[other.count - 1] ^= 1
            await expectRefusal(409, "conflict") { _ = try await pro.submit(other) }
            #expect(try await live.statistics() == once)
        }
    }

    @Test(arguments: RelayStoreKind.available) func revocationTakesEffectAtOnce(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            let member = net.associationDevices[1].identity
            _ = try await live.client(member).inbox()
            let revocation = DeviceRevocation(deviceId: member.deviceID, revokedBy: net.associationAdmin.deviceID,
                                              revokedAt: live.clock.now()).signed(by: net.associationAdmin)
            let status = try await live.client(net.associationAdmin).revoke(member.deviceID, revocation: revocation)
            #expect(status.status == "revoked")
            let before = try await live.statistics()
            await expectRefusal(401, "unknown_device") { _ = try await live.client(member).inbox() }
            // Sending to the revoked device is refused.
            await expectRefusal(422, "recipient") { _ = try await live.client(net.professional).submit(try net.sealToAssociation().bytes) }
            #expect(try await live.statistics() == before)
            // The directory shows the revocation, signed by the admin.
            let entry = try await live.client(net.professional).device(member.deviceID)
            #expect(entry.status == "revoked")
            let signed = try #require(entry.revocation)
            #expect(try DeviceRevocation.verify(signed, signer: net.associationAdmin.publicIdentity).deviceId == member.deviceID)
        }
    }
}
