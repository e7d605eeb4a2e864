import Foundation
import RelaisCore
import RelaisStore
import Testing

/// `DirectoryLogStore` on every store this run reaches: each record's log index names the entry
/// appended with it, which carries its exact bytes; an organisation's directory entries are its own.
@Suite struct DirectoryLogStoreTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    func entry(_ store: any RelayStore, _ index: UInt64?) async throws -> AuditEvent {
        let i = try #require(index, "the store gives the record's log index")
        return try AuditEvent.decode(try #require(try await store.auditEntries(from: i, count: 1).first))
    }

    @Test(arguments: StoreKind.available) func everyRecordNamesTheEntryThatCarriesIt(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        let first = Fixture.organisation(1)
        try await store.putOrganisation(first)
        try await store.putOrganisation(Fixture.organisation(2))
        var newer = Fixture.organisation(1, sequence: 2)
        newer.departements = ["93"]
        try await store.putOrganisation(newer)
        let orgIndexes = try await store.organisationLogIndexes([first.id, Fixture.org(2), Fixture.org(9)])
        #expect(orgIndexes.count == 2, "an unknown organisation has no index")
        let put = try await entry(store, orgIndexes[first.id])
        #expect(put.kind == .organisationPut && put.signedRecord == newer.signed, "the current record's entry, not the replaced one's")

        try await store.createInvite(Fixture.invite(1))
        try await store.createInvite(Fixture.invite(2))
        try await store.redeemInvite(Fixture.inviteID(1), device: Fixture.storedDevice(7, invite: 1), at: 1_100)
        try await store.redeemInvite(Fixture.inviteID(2), device: Fixture.storedDevice(8, invite: 2), at: 1_100)
        #expect(try await store.deviceLogIndexes([Fixture.device(7)])[Fixture.device(7)] == DeviceLogIndexes(record: nil, revocation: nil))
        let record = Fixture.signed("record 7"), revocation = Fixture.signed("revocation 7")
        try await store.activateDevice(Fixture.device(7), record: record, at: 1_200)
        try await store.revokeDevice(Fixture.device(7), revocation: revocation, at: 1_300)
        try await store.putPrekey(Fixture.prekey(device: 8, 1, createdAt: 1_250))
        let indexes = try #require(try await store.deviceLogIndexes([Fixture.device(7)])[Fixture.device(7)])
        let activated = try await entry(store, indexes.record)
        #expect(activated.kind == .deviceActivated && activated.device == Fixture.device(7) && activated.signedRecord == record)
        let revoked = try await entry(store, indexes.revocation)
        #expect(revoked.kind == .deviceRevoked && revoked.device == Fixture.device(7) && revoked.signedRecord == revocation)
        let published = try await entry(store, try await store.prekeyLogIndex(device: Fixture.device(8), prekey: Fixture.prekeyID(1)))
        #expect(published.kind == .prekeyPublished && published.device == Fixture.device(8))
        #expect(try await store.prekeyLogIndex(device: Fixture.device(8), prekey: Fixture.prekeyID(2)) == nil)

        // Organisation 1's directory entries: its three records' puts, the two enrolments, one
        // activation, one revocation (which names only the device) and one prekey; not organisation 2's.
        let entries = try await store.directoryEntries(organisation: first.id, from: 0, limit: 100)
        let kinds = try entries.map { try AuditEvent.decode($0.bytes).kind }
        #expect(kinds == [.organisationPut, .organisationPut, .deviceEnrolled, .deviceEnrolled, .deviceActivated, .prekeyPublished, .deviceRevoked]
                || kinds == [.organisationPut, .organisationPut, .deviceEnrolled, .deviceEnrolled, .deviceActivated, .deviceRevoked, .prekeyPublished])
        for e in entries { #expect(try await store.auditEntries(from: e.index, count: 1) == [e.bytes], "the index is the entry's") }
        let later = try await store.directoryEntries(organisation: first.id, from: entries[3].index + 1, limit: 2)
        #expect(later.map(\.index) == Array(entries[4...5]).map(\.index), "from an index, at most the limit")
        #expect(try await store.directoryEntries(organisation: Fixture.org(2), from: 0, limit: 100).count == 1)
    }
}
