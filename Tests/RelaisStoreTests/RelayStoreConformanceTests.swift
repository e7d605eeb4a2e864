import Foundation
import RelaisCore
import RelaisCrypto
import RelaisStore
import RelaisStoreSQLite
import Testing

/// The contract of `RelayStore`, written against the protocol only, and run on every implementation
/// this run can reach (`StoreKind.available`): a real SQLite file, and a real PostgreSQL server.
@Suite struct RelayStoreConformance {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    // MARK: Organisations

    @Test(arguments: StoreKind.available) func putOrganisationThenRead(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        let o = Fixture.organisation(1, category: .legal, departements: ["93", "75", "2A"], sequence: 3, accreditedUntil: 9_000)
        try await store.putOrganisation(o)
        #expect(try await store.organisation(o.id) == o)
        #expect(try await store.organisation(Fixture.org(2)) == nil)
        let plain = Fixture.organisation(2, accreditedUntil: nil)
        try await store.putOrganisation(plain)
        #expect(try await store.organisation(plain.id) == plain)
    }

    @Test(arguments: StoreKind.available) func organisationIsReplacedOnlyByAHigherSequence(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        try await store.putOrganisation(Fixture.organisation(1, category: .health, departements: ["75"], sequence: 5))
        let newer = Fixture.organisation(1, category: .police, departements: ["93"], sequence: 6, accreditedUntil: 4_000)
        try await store.putOrganisation(newer)
        #expect(try await store.organisation(newer.id) == newer)
        #expect(try await store.organisations(category: nil, departement: "75").isEmpty, "the old département must be gone")
        #expect(try await store.organisations(category: .health, departement: nil).isEmpty)

        for stale: UInt64 in [6, 5, 1] {
            let e = await expectStoreError(.conflict) {
                try await store.putOrganisation(Fixture.organisation(1, category: .legal, departements: ["13"], sequence: stale))
            }
            #expect(e?.message.contains(newer.id.hex) == true)
            #expect(e?.message.contains("\(stale)") == true)
        }
        #expect(try await store.organisation(newer.id) == newer)
        #expect(try await store.statistics().organisations == 1)
    }

    @Test(arguments: StoreKind.available) func searchByCategoryAndDepartement(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        // Inserted out of id order: results must come back ordered by id.
        try await store.putOrganisation(Fixture.organisation(4, category: .legal, departements: ["971"]))
        try await store.putOrganisation(Fixture.organisation(1, category: .health, departements: ["75", "93"]))
        try await store.putOrganisation(Fixture.organisation(3, category: .health, departements: ["97"]))
        try await store.putOrganisation(Fixture.organisation(2, category: .legal, departements: ["93"]))

        func ids(_ c: PartnerCategory?, _ d: String?) async throws -> [OrganisationID] {
            try await store.organisations(category: c, departement: d).map(\.id)
        }
        #expect(try await ids(nil, nil) == [1, 2, 3, 4].map(Fixture.org))
        #expect(try await ids(.health, nil) == [1, 3].map(Fixture.org))
        #expect(try await ids(nil, "93") == [1, 2].map(Fixture.org))
        #expect(try await ids(.legal, "93") == [Fixture.org(2)])
        // Exact match only: no prefix, no substring.
        #expect(try await ids(nil, "97") == [Fixture.org(3)])
        #expect(try await ids(nil, "971") == [Fixture.org(4)])
        #expect(try await ids(nil, "9").isEmpty)
        #expect(try await ids(nil, "7").isEmpty)
        #expect(try await ids(.police, nil).isEmpty)
        // Whatever a client sends as a code is only compared: a NUL (which PostgreSQL text cannot
        // hold) or other control characters match nothing, and fail nothing.
        #expect(try await ids(nil, "9\u{0}3").isEmpty)
        #expect(try await ids(nil, "93\n").isEmpty)
        // Full records come back, départements in their order.
        #expect(try await store.organisations(category: nil, departement: "75") == [Fixture.organisation(1, category: .health, departements: ["75", "93"])])
    }

    // MARK: Invites

    @Test(arguments: StoreKind.available) func createInviteAndRefuseADuplicate(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        let invite = Fixture.invite(1)
        try await store.createInvite(invite)
        #expect(try await store.invite(invite.id) == invite)
        #expect(try await store.invite(Fixture.inviteID(2)) == nil)
        let operatorInvite = Fixture.invite(3, organisation: nil, role: .operator, issuedBy: nil)
        try await store.createInvite(operatorInvite)
        #expect(try await store.invite(operatorInvite.id) == operatorInvite)

        let e = await expectStoreError(.conflict) { try await store.createInvite(Fixture.invite(1, role: .admin, expiresAt: 9_999)) }
        #expect(e?.message.contains(invite.id.hex) == true)
        #expect(try await store.invite(invite.id) == invite)
        #expect(try await store.statistics().invites == 2)
    }

    // MARK: Redeem

    @Test(arguments: StoreKind.available) func redeemMarksTheInviteAndInsertsTheDevice(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        try await store.createInvite(Fixture.invite(1))
        let device = Fixture.storedDevice(7, invite: 1)
        try await store.redeemInvite(Fixture.inviteID(1), device: device, at: 1_500)
        #expect(try await store.device(device.id) == device)
        var expected = Fixture.invite(1)
        expected.redeemedBy = device.id
        #expect(try await store.invite(expected.id) == expected)
    }

    @Test(arguments: StoreKind.available) func redeemTwiceIsAConflictAndChangesNothing(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        try await store.createInvite(Fixture.invite(1))
        try await store.redeemInvite(Fixture.inviteID(1), device: Fixture.storedDevice(7, invite: 1), at: 1_500)
        let before = try await store.statistics()
        let e = await expectStoreError(.conflict) {
            try await store.redeemInvite(Fixture.inviteID(1), device: Fixture.storedDevice(8, invite: 1), at: 1_600)
        }
        #expect(e?.message.contains(Fixture.inviteID(1).hex) == true)
        #expect(try await store.statistics() == before)
        #expect(try await store.device(Fixture.device(8)) == nil)
        #expect(try await store.invite(Fixture.inviteID(1))?.redeemedBy == Fixture.device(7))
    }

    @Test(arguments: StoreKind.available) func redeemUnknownInviteIsNotFoundAndChangesNothing(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        try await store.createInvite(Fixture.invite(1))
        let before = try await store.statistics()
        let e = await expectStoreError(.notFound) {
            try await store.redeemInvite(Fixture.inviteID(9), device: Fixture.storedDevice(7, invite: 9), at: 1_500)
        }
        #expect(e?.message.contains(Fixture.inviteID(9).hex) == true)
        #expect(try await store.statistics() == before)
        #expect(try await store.device(Fixture.device(7)) == nil)
    }

    @Test(arguments: StoreKind.available) func redeemWithAnExistingDeviceIdIsAConflictAndChangesNothing(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        try await store.createInvite(Fixture.invite(1))
        try await store.createInvite(Fixture.invite(2))
        try await store.redeemInvite(Fixture.inviteID(1), device: Fixture.storedDevice(7, invite: 1), at: 1_500)
        let before = try await store.statistics()
        let e = await expectStoreError(.conflict) {
            try await store.redeemInvite(Fixture.inviteID(2), device: Fixture.storedDevice(7, role: .admin, invite: 2), at: 1_600)
        }
        #expect(e?.message.contains(Fixture.device(7).hex) == true)
        #expect(try await store.statistics() == before)
        #expect(try await store.invite(Fixture.inviteID(2))?.redeemedBy == nil, "the invite must not be marked redeemed")
        #expect(try await store.device(Fixture.device(7)) == Fixture.storedDevice(7, invite: 1))
    }

    // MARK: Device listings

    @Test(arguments: StoreKind.available) func deviceListings(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        // Redeemed out of id order, in two organisations and none.
        let specs: [(n: Int, org: OrganisationID?, role: DeviceRole)] = [
            (5, Fixture.org(1), .member), (2, Fixture.org(1), .admin), (9, Fixture.org(2), .member),
            (4, nil, .auditor), (1, nil, .operator),
        ]
        for s in specs {
            try await store.createInvite(Fixture.invite(s.n, organisation: s.org, role: s.role))
            try await store.redeemInvite(Fixture.inviteID(s.n), device: Fixture.storedDevice(s.n, organisation: s.org, role: s.role), at: 1_000)
        }
        try await store.revokeDevice(Fixture.device(5), revocation: Fixture.signed("revoke 5"), at: 1_100)
        #expect(try await store.devices(organisation: Fixture.org(1)).map(\.id) == [2, 5].map(Fixture.device), "any status, by id")
        #expect(try await store.devices(organisation: Fixture.org(2)).map(\.id) == [Fixture.device(9)])
        #expect(try await store.devices(organisation: Fixture.org(3)).isEmpty)
        #expect(try await store.devicesWithoutOrganisation().map(\.id) == [1, 4].map(Fixture.device))
        #expect(try await store.device(Fixture.device(3)) == nil)
    }

    @Test(arguments: StoreKind.available) func pendingDevicesPerEnrollerInCreationOrder(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        // (device, enroller, createdAt): ids deliberately not in creation order.
        let specs = [(8, 100, 1_003), (3, 100, 1_001), (6, 101, 1_002), (5, 100, 1_002), (4, 100, 1_004)]
        for (n, enroller, createdAt) in specs {
            try await store.createInvite(Fixture.invite(n))
            try await store.redeemInvite(Fixture.inviteID(n),
                                         device: Fixture.storedDevice(n, enroller: Fixture.device(enroller), createdAt: UInt64(createdAt)), at: 1_000)
        }
        try await store.activateDevice(Fixture.device(4), record: Fixture.signed("record 4"), at: 1_100)
        #expect(try await store.pendingDevices(enroller: Fixture.device(100)).map(\.id) == [3, 5, 8].map(Fixture.device))
        #expect(try await store.pendingDevices(enroller: Fixture.device(101)).map(\.id) == [Fixture.device(6)])
        #expect(try await store.pendingDevices(enroller: Fixture.device(102)).isEmpty)
    }

    // MARK: Activate and revoke

    @Test(arguments: StoreKind.available) func activateOnceThenConflict(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        try await store.createInvite(Fixture.invite(1))
        try await store.redeemInvite(Fixture.inviteID(1), device: Fixture.storedDevice(1), at: 1_000)
        let record = Fixture.signed("record 1")
        try await store.activateDevice(Fixture.device(1), record: record, at: 1_100)
        var expected = Fixture.storedDevice(1)
        expected.status = .active
        expected.record = record
        #expect(try await store.device(Fixture.device(1)) == expected)

        let e = await expectStoreError(.conflict) {
            try await store.activateDevice(Fixture.device(1), record: Fixture.signed("other record"), at: 1_200)
        }
        #expect(e?.message.contains(Fixture.device(1).hex) == true)
        #expect(try await store.device(Fixture.device(1)) == expected)
        await expectStoreError(.notFound) { try await store.activateDevice(Fixture.device(2), record: record, at: 1_200) }

        try await store.revokeDevice(Fixture.device(1), revocation: Fixture.signed("revoke 1"), at: 1_300)
        await expectStoreError(.conflict) { try await store.activateDevice(Fixture.device(1), record: record, at: 1_400) }
        #expect(try await store.device(Fixture.device(1))?.status == .revoked)
    }

    @Test(arguments: StoreKind.available) func revokeRemovesTheDevicesDeliveries(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        for n in [2, 3] {
            try await store.createInvite(Fixture.invite(n))
            try await store.redeemInvite(Fixture.inviteID(n), device: Fixture.storedDevice(n), at: 1_000)
            try await store.activateDevice(Fixture.device(n), record: Fixture.signed("record \(n)"), at: 1_000)
        }
        _ = try await store.submit(Fixture.envelope(1, to: [2]))        // only device 2: must go
        _ = try await store.submit(Fixture.envelope(2, to: [2, 3]))     // device 3 still waits: must stay
        _ = try await store.submit(Fixture.envelope(3, to: [2, 3]))     // device 3 acknowledged: nobody waits, must go
        _ = try await store.submit(Fixture.envelope(4, to: [3]))        // not for device 2: untouched
        #expect(try await store.acknowledge(Fixture.envelopeID(3), device: Fixture.device(3), now: 1_100) == .acknowledged(deleted: false))
        #expect(try await store.statistics().deliveries == 6)

        let revocation = Fixture.signed("revoke 2")
        try await store.revokeDevice(Fixture.device(2), revocation: revocation, at: 1_200)
        let revoked = try #require(try await store.device(Fixture.device(2)))
        #expect(revoked.status == .revoked)
        #expect(revoked.revocation == revocation)
        #expect(revoked.record == Fixture.signed("record 2"))

        #expect(try await store.inbox(device: Fixture.device(2), now: 1_200, limit: 100).isEmpty)
        #expect(try await store.envelope(Fixture.envelopeID(2), for: Fixture.device(2), now: 1_200) == nil)
        #expect(try await store.inbox(device: Fixture.device(3), now: 1_200, limit: 100).map(\.envelopeID) == [2, 4].map(Fixture.envelopeID))
        let stats = try await store.statistics()
        #expect(stats.envelopes == 2)
        #expect(stats.deliveries == 2)
        // The last remaining recipient acknowledging deletes the envelope as usual.
        #expect(try await store.acknowledge(Fixture.envelopeID(2), device: Fixture.device(3), now: 1_300) == .acknowledged(deleted: true))

        let before = try await store.statistics()
        let e = await expectStoreError(.conflict) { try await store.revokeDevice(Fixture.device(2), revocation: Fixture.signed("again"), at: 1_400) }
        #expect(e?.message.contains(Fixture.device(2).hex) == true)
        #expect(try await store.device(Fixture.device(2))?.revocation == revocation)
        #expect(try await store.statistics() == before)
        await expectStoreError(.notFound) { try await store.revokeDevice(Fixture.device(9), revocation: revocation, at: 1_400) }
    }

    @Test(arguments: StoreKind.available) func aPendingDeviceCanBeRevoked(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        try await store.createInvite(Fixture.invite(1))
        try await store.redeemInvite(Fixture.inviteID(1), device: Fixture.storedDevice(1), at: 1_000)
        try await store.revokeDevice(Fixture.device(1), revocation: Fixture.signed("revoke 1"), at: 1_100)
        #expect(try await store.device(Fixture.device(1))?.status == .revoked)
        #expect(try await store.pendingDevices(enroller: Fixture.device(100)).isEmpty)
    }

    /// The relay checks recipients before it submits; a revocation that commits in between must
    /// still win: the store refuses, inside the submit's own transaction, a delivery to a revoked
    /// device (it would never be fetched, and no acknowledgement could delete the envelope).
    @Test(arguments: StoreKind.available) func aSubmitToARevokedDeviceIsRefusedAndChangesNothing(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        try await store.createInvite(Fixture.invite(3))
        try await store.redeemInvite(Fixture.inviteID(3), device: Fixture.storedDevice(3), at: 1_000)
        try await store.revokeDevice(Fixture.device(3), revocation: Fixture.signed("revoke 3"), at: 1_100)
        let before = try await store.statistics()
        let size = try await store.auditLogSize()
        let e = await expectStoreError(.conflict) { _ = try await store.submit(Fixture.envelope(1, to: [2, 3])) }
        #expect(e?.message.contains(Fixture.device(3).hex) == true)
        #expect(try await store.statistics() == before)
        #expect(try await store.auditLogSize() == size)
        // The id was not taken: the same envelope without the revoked device goes through.
        #expect(try await store.submit(Fixture.envelope(1, to: [2])) == .stored)
    }

    /// A relay restarted before its operator enrolled has printed several operator invites: the
    /// first redeemed makes the operator, any other is refused and changes nothing.
    @Test(arguments: StoreKind.available) func aRelayHasOneOperatorWhateverItsInvites(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        for n in [1, 2] { try await store.createInvite(Fixture.invite(n, organisation: nil, role: .operator, issuedBy: nil)) }
        var first = Fixture.storedDevice(1, organisation: nil, role: .operator, status: .active, invite: 1)
        first.record = Fixture.signed("operator record 1")
        try await store.redeemInvite(Fixture.inviteID(1), device: first, at: 1_000)
        let before = try await store.statistics()
        let size = try await store.auditLogSize()
        var second = Fixture.storedDevice(2, organisation: nil, role: .operator, status: .active, invite: 2)
        second.record = Fixture.signed("operator record 2")
        let e = await expectStoreError(.conflict) { try await store.redeemInvite(Fixture.inviteID(2), device: second, at: 1_100) }
        #expect(e?.message.contains("operator") == true)
        #expect(try await store.statistics() == before)
        #expect(try await store.auditLogSize() == size)
        #expect(try await store.invite(Fixture.inviteID(2))?.redeemedBy == nil)
        #expect(try await store.devicesWithoutOrganisation().map(\.id) == [Fixture.device(1)])
    }

    @Test(arguments: StoreKind.available) func theFirstRelayKeyIsKept(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        let first = SHA256.hash(Array("relay key 1".utf8)), other = SHA256.hash(Array("relay key 2".utf8))
        #expect(try await store.pinRelayKey(first) == first)
        #expect(try await store.pinRelayKey(other) == first, "a second key does not replace the first")
        #expect(try await store.pinRelayKey(first) == first)
    }

    // MARK: Prekeys

    @Test(arguments: StoreKind.available) func prekeysAreIdempotentAndTheNewestIsCurrent(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        #expect(try await store.currentPrekey(device: Fixture.device(1)) == nil)
        let middle = Fixture.prekey(device: 1, 1, createdAt: 2_000)
        let newest = Fixture.prekey(device: 1, 2, createdAt: 3_000)
        let oldest = Fixture.prekey(device: 1, 3, createdAt: 1_000)
        for p in [middle, newest, oldest] { try await store.putPrekey(p) }
        try await store.putPrekey(Fixture.prekey(device: 2, 4, createdAt: 9_000))
        #expect(try await store.currentPrekey(device: Fixture.device(1)) == newest)
        #expect(try await store.prekey(device: Fixture.device(1), id: Fixture.prekeyID(3)) == oldest)
        #expect(try await store.prekey(device: Fixture.device(2), id: Fixture.prekeyID(3)) == nil, "a prekey id belongs to its device")

        try await store.putPrekey(middle)
        try await store.putPrekey(Fixture.prekey(device: 1, 2, createdAt: 3_000, fill: 9))  // same key again, other bytes
        #expect(try await store.statistics().prekeys == 4)
        #expect(try await store.prekey(device: Fixture.device(1), id: Fixture.prekeyID(2)) == newest)
    }

    // MARK: Submit

    @Test(arguments: StoreKind.available) func submitStoresTheEnvelopeAndItsDeliveries(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        let e = Fixture.envelope(1, to: [2, 3, 4])
        #expect(try await store.submit(e) == .stored)
        let stats = try await store.statistics()
        #expect(stats.envelopes == 1)
        #expect(stats.deliveries == 3)
        for d in [2, 3, 4] { #expect(try await store.envelope(e.id, for: Fixture.device(d), now: 1_000) == e.bytes) }
    }

    @Test(arguments: StoreKind.available) func resubmittingTheSameBytesIsADuplicateThatWritesNothing(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        let e = Fixture.envelope(1, to: [2, 3])
        #expect(try await store.submit(e) == .stored)
        _ = try await store.acknowledge(e.id, device: Fixture.device(2), now: 1_100)
        let before = try await store.statistics()
        var retry = e
        retry.submittedAt = 1_200  // a retry arrives later: still the same submission
        #expect(try await store.submit(retry) == .duplicate)
        #expect(try await store.statistics() == before)
        #expect(try await store.envelope(e.id, for: Fixture.device(2), now: 1_200) == nil, "the acknowledgement must survive the retry")
        #expect(try await store.inbox(device: Fixture.device(3), now: 1_200, limit: 10).first?.submittedAt == 1_000)
    }

    @Test(arguments: StoreKind.available) func aLateRetryAfterDeletionIsStillADuplicate(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        let e = Fixture.envelope(1, to: [2])
        #expect(try await store.submit(e) == .stored)
        #expect(try await store.acknowledge(e.id, device: Fixture.device(2), now: 1_100) == .acknowledged(deleted: true))
        let before = try await store.statistics()
        // The sender lost the reply and retries after the only recipient acknowledged: not delivered twice.
        #expect(try await store.submit(e) == .duplicate)
        #expect(try await store.statistics() == before)
        #expect(try await store.inbox(device: Fixture.device(2), now: 1_200, limit: 10).isEmpty)
        var other = Fixture.envelope(1, to: [2], bytes: Array("other bytes".utf8))
        other.submittedAt = 1_200
        await expectStoreError(.conflict) { _ = try await store.submit(other) }
        // After expiry and purge the receipt goes too.
        _ = try await store.purgeExpired(now: e.expiresAt)
        #expect(try await store.submit(e) == .stored, "a receipt is kept only until the envelope's expiry")
    }

    @Test(arguments: StoreKind.available) func reusingAnIdWithOtherBytesOrAnotherSenderIsAConflict(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        let e = Fixture.envelope(1, from: 1, to: [2])
        #expect(try await store.submit(e) == .stored)
        let before = try await store.statistics()

        let otherBytes = Fixture.envelope(1, from: 1, to: [2], bytes: Array("something else".utf8))
        let m1 = await expectStoreError(.conflict) { _ = try await store.submit(otherBytes) }
        #expect(m1?.message.contains(e.id.hex) == true)
        // Another sender with the very same bytes and digest: not a duplicate, a conflict.
        var otherSender = e
        otherSender.senderDevice = Fixture.device(5)
        let m2 = await expectStoreError(.conflict) { _ = try await store.submit(otherSender) }
        #expect(m2?.message.contains(Fixture.device(1).hex) == false, "must not reveal who holds the id")
        var otherOrg = e
        otherOrg.senderOrganisation = Fixture.org(5)
        await expectStoreError(.conflict) { _ = try await store.submit(otherOrg) }

        #expect(try await store.statistics() == before)
        #expect(try await store.envelope(e.id, for: Fixture.device(2), now: 1_000) == e.bytes)
    }

    @Test(arguments: StoreKind.available) func anEnvelopeAddressingADeviceTwiceIsRefusedWhole(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        await expectStoreError(.conflict) { _ = try await store.submit(Fixture.envelope(1, to: [2, 3, 2])) }
        #expect(try await store.statistics() == StoreStatistics(organisations: 0, devices: 0, invites: 0, prekeys: 0, envelopes: 0, deliveries: 0))
    }

    // MARK: Inbox

    @Test(arguments: StoreKind.available) func inboxListsOnlyWhatTheDeviceStillHasToFetch(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        // Submitted out of time order.
        _ = try await store.submit(Fixture.envelope(1, to: [2, 3], submittedAt: 1_030, expiresAt: 5_000))
        _ = try await store.submit(Fixture.envelope(2, to: [2], submittedAt: 1_010, expiresAt: 5_000))
        _ = try await store.submit(Fixture.envelope(3, to: [3], submittedAt: 1_000, expiresAt: 5_000))       // other device
        _ = try await store.submit(Fixture.envelope(4, to: [2, 3], submittedAt: 1_020, expiresAt: 5_000))    // acknowledged by 2
        _ = try await store.submit(Fixture.envelope(5, to: [2], submittedAt: 1_005, expiresAt: 2_000))       // expires at 2000
        _ = try await store.submit(Fixture.envelope(6, to: [2], submittedAt: 1_040, expiresAt: 5_000))
        #expect(try await store.acknowledge(Fixture.envelopeID(4), device: Fixture.device(2), now: 1_100) == .acknowledged(deleted: false))

        let device = Fixture.device(2)
        #expect(try await store.inbox(device: device, now: 1_999, limit: 100).map(\.envelopeID) == [5, 2, 1, 6].map(Fixture.envelopeID))
        #expect(try await store.inbox(device: device, now: 2_000, limit: 100).map(\.envelopeID) == [2, 1, 6].map(Fixture.envelopeID),
                "expired at expiresAt == now")
        #expect(try await store.inbox(device: device, now: 2_000, limit: 2).map(\.envelopeID) == [2, 1].map(Fixture.envelopeID))
        #expect(try await store.inbox(device: device, now: 2_000, limit: 0).isEmpty)
        #expect(try await store.inbox(device: Fixture.device(9), now: 2_000, limit: 100).isEmpty)

        let e = Fixture.envelope(1, to: [2, 3], submittedAt: 1_030, expiresAt: 5_000)
        let entry = try #require(try await store.inbox(device: Fixture.device(3), now: 2_000, limit: 1).first)
        #expect(entry.envelopeID == Fixture.envelopeID(3))
        let full = try await store.inbox(device: Fixture.device(3), now: 2_000, limit: 100)
        #expect(full.map(\.envelopeID) == [3, 4, 1].map(Fixture.envelopeID))
        #expect(full.last == InboxEntry(envelopeID: e.id, senderDevice: e.senderDevice, senderOrganisation: e.senderOrganisation,
                                        byteCount: e.bytes.count, submittedAt: 1_030, expiresAt: 5_000, coverKind: e.consent.kind))
    }

    @Test(arguments: StoreKind.available) func inboxTiesAreOrderedByEnvelopeId(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        for n in [7, 3, 5] { _ = try await store.submit(Fixture.envelope(n, to: [2], submittedAt: 1_000)) }
        #expect(try await store.inbox(device: Fixture.device(2), now: 1_000, limit: 10).map(\.envelopeID) == [3, 5, 7].map(Fixture.envelopeID))
    }

    // MARK: Envelope fetch

    @Test(arguments: StoreKind.available) func fetchFollowsTheInboxRules(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        let e = Fixture.envelope(1, to: [2, 3], expiresAt: 2_000)
        _ = try await store.submit(e)
        #expect(try await store.envelope(e.id, for: Fixture.device(2), now: 1_999) == e.bytes)
        let otherDevice = try await store.envelope(e.id, for: Fixture.device(9), now: 1_500)
        let nonexistent = try await store.envelope(Fixture.envelopeID(99), for: Fixture.device(2), now: 1_500)
        #expect(otherDevice == nil)
        #expect(nonexistent == nil)
        #expect(try await store.envelope(e.id, for: Fixture.device(2), now: 2_000) == nil, "expired at expiresAt == now")
        #expect(try await store.acknowledge(e.id, device: Fixture.device(2), now: 1_500) == .acknowledged(deleted: false))
        #expect(try await store.envelope(e.id, for: Fixture.device(2), now: 1_500) == nil, "acknowledged")
        #expect(try await store.envelope(e.id, for: Fixture.device(3), now: 1_500) == e.bytes)
    }

    // MARK: Acknowledge

    @Test(arguments: StoreKind.available) func acknowledgeRecordsThenDeletesAfterTheLastDevice(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        let e = Fixture.envelope(1, to: [2, 3])
        _ = try await store.submit(e)
        #expect(try await store.acknowledge(e.id, device: Fixture.device(2), now: 1_100) == .acknowledged(deleted: false))
        #expect(try await store.statistics().envelopes == 1)
        #expect(try await store.acknowledge(e.id, device: Fixture.device(2), now: 1_150) == .alreadyAcknowledged)
        #expect(try await store.acknowledge(e.id, device: Fixture.device(3), now: 1_200) == .acknowledged(deleted: true))
        let stats = try await store.statistics()
        #expect(stats.envelopes == 0)
        #expect(stats.deliveries == 0)
        #expect(try await store.envelope(e.id, for: Fixture.device(3), now: 1_200) == nil)
    }

    @Test(arguments: StoreKind.available) func acknowledgeAnswersNilAlikeAndChangesNothing(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        let e = Fixture.envelope(1, to: [2], expiresAt: 2_000)
        _ = try await store.submit(e)
        let before = try await store.statistics()
        let notAddressed = try await store.acknowledge(e.id, device: Fixture.device(9), now: 1_500)
        let nonexistent = try await store.acknowledge(Fixture.envelopeID(42), device: Fixture.device(2), now: 1_500)
        let expired = try await store.acknowledge(e.id, device: Fixture.device(2), now: 2_000)
        #expect(notAddressed == nil)
        #expect(nonexistent == nil)
        #expect(expired == nil)
        #expect(try await store.statistics() == before)
        // Still acknowledgeable before expiry: the expired attempt recorded nothing.
        #expect(try await store.acknowledge(e.id, device: Fixture.device(2), now: 1_999) == .acknowledged(deleted: true))
    }

    // MARK: Purge and statistics

    @Test(arguments: StoreKind.available) func purgeDeletesExactlyTheExpiredEnvelopes(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        _ = try await store.submit(Fixture.envelope(1, to: [2, 3], expiresAt: 2_000))
        _ = try await store.submit(Fixture.envelope(2, to: [2], expiresAt: 1_500))
        _ = try await store.submit(Fixture.envelope(3, to: [2], expiresAt: 2_001))
        #expect(try await store.purgeExpired(now: 1_499).isEmpty)
        #expect(try await store.purgeExpired(now: 2_000) == [2, 1].map(Fixture.envelopeID), "expiresAt <= now, by expiry")
        let stats = try await store.statistics()
        #expect(stats.envelopes == 1)
        #expect(stats.deliveries == 1, "deliveries go with their envelope")
        #expect(try await store.purgeExpired(now: 2_000).isEmpty)
        #expect(try await store.inbox(device: Fixture.device(2), now: 1_000, limit: 10).map(\.envelopeID) == [Fixture.envelopeID(3)])
        #expect(try await store.purgeExpired(now: .max) == [Fixture.envelopeID(3)])
    }

    @Test(arguments: StoreKind.available) func statisticsCountEveryTable(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        #expect(try await store.statistics() == StoreStatistics(organisations: 0, devices: 0, invites: 0, prekeys: 0, envelopes: 0, deliveries: 0))
        try await store.putOrganisation(Fixture.organisation(1))
        try await store.putOrganisation(Fixture.organisation(2))
        for n in 1...3 { try await store.createInvite(Fixture.invite(n)) }
        try await store.redeemInvite(Fixture.inviteID(1), device: Fixture.storedDevice(1), at: 1_000)
        try await store.putPrekey(Fixture.prekey(device: 1, 1, createdAt: 1_000))
        _ = try await store.submit(Fixture.envelope(1, to: [2, 3, 4, 5]))
        _ = try await store.submit(Fixture.envelope(2, to: [2]))
        #expect(try await store.statistics() == StoreStatistics(organisations: 2, devices: 1, invites: 3, prekeys: 1, envelopes: 2, deliveries: 5))
    }
}
