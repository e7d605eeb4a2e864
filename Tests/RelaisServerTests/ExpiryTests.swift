import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import RelaisStore
import Testing

/// Issue 7: expiry and real erasure, driven by an injected clock (no sleeps).
@Suite("Expiry and erasure")
struct ExpiryTests {
    @Test func anExpiredEnvelopeIsNeverServedAndIsGoneAfterThePurge() async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let sealed = try net.sealToAssociation(expiresIn: 3_600)
            _ = try await live.client(net.professional).submit(sealed.bytes)
            let member = live.client(net.associationDevices[0].identity)
            #expect(try await member.inbox().count == 1)
            live.clock.advance(by: 3_600)  // the second of expiry
            // Between purges: not listed, not served, not acknowledged.
            #expect(try await member.inbox().isEmpty)
            await expectRefusal(404, "not_found") { _ = try await member.fetch(sealed.header.envelopeID) }
            await expectRefusal(404, "not_found") { _ = try await member.acknowledge(sealed.header.envelopeID) }
            #expect(try await live.statistics().envelopes == 1, "still stored until the purge runs")
            let purged = try await live.relay.purgeExpired()
            #expect(purged == [sealed.header.envelopeID])
            let after = try await live.statistics()
            #expect(after.envelopes == 0 && after.deliveries == 0)
        }
    }

    @Test func theScheduledPurgeRunsByItself() async throws {
        try await LiveRelay.run(configure: { $0.purgeIntervalSeconds = 1 }) { live in
            let net = try await Network.build(on: live)
            let sealed = try net.sealToAssociation(expiresIn: 60)
            _ = try await live.client(net.professional).submit(sealed.bytes)
            live.clock.advance(by: 60)
            // The purge service ticks every second of real time; wait (bounded) for it to notice.
            var remaining = 1
            for _ in 0..<100 where remaining > 0 {
                try await Task.sleep(for: .milliseconds(100))
                remaining = try await live.statistics().envelopes
            }
            #expect(remaining == 0, "the purge service did not delete the expired envelope within 10 s")
        }
    }

    @Test func purgedBytesAreInNeitherTheDatabaseNorItsWAL() async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            // The relay never decrypts bodies: a body made of a marker pattern is stored as is.
            let sealed = try net.sealToAssociation(expiresIn: 600)
            let marker = Array("RELAIS-FORENSIC-MARKER-7f3a".utf8)
            var bytes = Array(sealed.bytes[0..<sealed.header.encoded.count])
            while bytes.count < sealed.bytes.count { bytes += marker }
            bytes = Array(bytes.prefix(sealed.bytes.count))
            _ = try await live.client(net.professional).submit(bytes)
            let db = live.relay.configuration.databasePath
            func copies() -> Int {
                [db, db + "-wal"].reduce(0) { n, path in
                    guard let data = FileManager.default.contents(atPath: path) else { return n }
                    var count = 0, range = data.startIndex..<data.endIndex
                    while let found = data.range(of: Data(marker), in: range) {
                        count += 1
                        range = found.upperBound..<data.endIndex
                    }
                    return n + count
                }
            }
            #expect(copies() > 0, "the search must find the marker while the envelope is stored")
            live.clock.advance(by: 601)
            try await live.relay.purgeExpired()
            #expect(copies() == 0, "purged envelope bytes survive in the database files")
            let wal = (try? FileManager.default.attributesOfItem(atPath: db + "-wal")[.size] as? Int) ?? 0
            #expect(wal == 0, "the WAL is truncated after a purge")
        }
    }

    @Test func afterRotationAndGraceTheOldPrekeyIsErasedAndCapturedEnvelopesAreNoise() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-rotate-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await LiveRelay.run(at: 1_800_000_000) { live in
            let net = try await Network.build(on: live)
            let passphrase = SecretBytes(Array("rotation test passphrase".utf8))
            let device = try await Self.memberProfile(root: root, live: live, net: net, passphrase: passphrase)
            let first = try #require(device.heldPrekeys.first)
            #expect(device.heldPrekeys.count == 1)
            // A sender seals to the first prekey; an attacker captures the ciphertext.
            let entry = try await live.client(net.professional).device(device.identity.deviceID)
            let prekey = try SignedPrekey(verifying: try #require(entry.signedPrekey), signer: device.identity.publicIdentity)
            let captured = try Envelope.seal(referral: Array("{}".utf8), from: net.professional,
                                             to: [RecipientDevice(organisationID: net.association, prekey: prekey)],
                                             consent: ConsentReference(kind: .consent, id: .random(using: SystemRandom())),
                                             expiresAt: live.clock.now() + 14 * 86_400, clock: live.clock, rng: SystemRandom())
            let sender = try await device.verify(try await device.client.device(net.professional.deviceID))
            #expect(try device.open(bytes: captured.bytes, from: sender).referralBytes == Array("{}".utf8), "opens while the prekey is held")
            // Rotation is due a day before not_after: a new prekey, the old one still held.
            live.clock.advance(by: Double(LocalDevice.prekeyRotationPeriod - 86_400))
            _ = try await device.refresh()
            #expect(device.heldPrekeys.count == 2 && device.heldPrekeys.contains(first))
            // Grace: not_after + the longest envelope lifetime. One second before, still held; at it, erased.
            let firstNotAfter = 1_800_000_000 + LocalDevice.prekeyRotationPeriod
            live.clock.set(Double(firstNotAfter + Envelope.maximumLifetime - 1))
            _ = try await device.refresh()
            #expect(device.heldPrekeys.contains(first))
            live.clock.set(Double(firstNotAfter + Envelope.maximumLifetime))
            _ = try await device.refresh()
            #expect(!device.heldPrekeys.contains(first))
            #expect(throws: EnvelopeError.prekeyUnavailable(prekey.prekeyID)) { try device.open(bytes: captured.bytes, from: sender) }
            // The keystore file itself no longer holds the old private key.
            let file = try #require(FileManager.default.contents(atPath: root + "/keystore"))
            let (plaintext, _) = try Keystore.open(Array(file), passphrase: passphrase)
            let text = String(decoding: plaintext, as: UTF8.self)
            #expect(!text.contains(first), "the erased prekey is still in the keystore")
            #expect(text.contains(try #require(device.heldPrekeys.last)))
        }
    }

    @Test func openedReferralsAreErasedAfterTheRetentionPeriod() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-retention-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await LiveRelay.run(at: 1_800_000_000) { live in
            let net = try await Network.build(on: live)
            let device = try await Self.memberProfile(root: root, live: live, net: net, passphrase: SecretBytes(Array("retention passphrase".utf8)))
            let entry = try await live.client(net.professional).device(device.identity.deviceID)
            let prekey = try SignedPrekey(verifying: try #require(entry.signedPrekey), signer: device.identity.publicIdentity)
            let referral = try ReferralOptionsForTests.referral(now: live.clock.now(), consent: net.consent)
            let sealed = try Envelope.seal(referral: try referral.encoded(), from: net.professional,
                                           to: [RecipientDevice(organisationID: net.association, prekey: prekey)], consent: referral.consent,
                                           expiresAt: live.clock.now() + 86_400, clock: live.clock, rng: SystemRandom())
            _ = try await live.client(net.professional).submit(sealed.bytes)
            _ = try await device.open(sealed.header.envelopeID)
            #expect(try await device.acknowledge(sealed.header.envelopeID))
            #expect(device.settings.retentionDays == 90)
            live.clock.advance(by: 90 * 86_400 - 1)
            #expect(try device.purgeLocal() == 0 && device.openedReferrals.count == 1)
            live.clock.advance(by: 1)
            #expect(try device.purgeLocal() == 1 && device.openedReferrals.isEmpty)
            let file = try #require(FileManager.default.contents(atPath: root + "/keystore"))
            let (plaintext, _) = try Keystore.open(Array(file), passphrase: SecretBytes(Array("retention passphrase".utf8)))
            #expect(!String(decoding: plaintext, as: UTF8.self).contains(sealed.header.envelopeID.hex))
        }
    }

    /// A member device of the association with a real profile on the relay's clock, approved and online.
    static func memberProfile(root: String, live: LiveRelay, net: Network, passphrase: SecretBytes) async throws -> LocalDevice {
        let device = try await LocalDevice.create(directory: root, relay: live.url, passphrase: passphrase, parameters: .minimum, clock: live.clock)
        let (code, _) = try await live.client(net.associationAdmin).createInvite(role: .member)
        _ = try await device.enrol(invite: code, asOperator: false)
        let pending = try #require(try await live.client(net.associationAdmin).pendingEnrolments().first { $0.deviceID == device.identity.deviceID })
        let record = try DeviceRecord(identity: DevicePublicIdentity(signingKey: pending.publicKey), organisationId: pending.organisationID,
                                      role: .member, enrolledBy: net.associationAdmin.deviceID, inviteId: pending.inviteID,
                                      issuedAt: live.clock.now()).signed(by: net.associationAdmin)
        _ = try await live.client(net.associationAdmin).approve(device.identity.deviceID, record: record)
        _ = try await device.refresh()
        return device
    }
}
