import Foundation
import GRDB
import RelaisCore
import RelaisStore
@testable import RelaisStoreSQLite
import Testing

/// What only the SQLite store promises: its pragmas, its file surviving a reopen, its migrations,
/// the `Int64` range of its columns, and its error messages.
@Suite struct SQLiteRelayStoreTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    func open() throws -> SQLiteRelayStore { try SQLiteRelayStore(path: directory.databasePath) }

    @Test func synchronousIsFullSecureDeleteIsOnAndTemporaryFilesStayInMemory() async throws {
        let store = try open()
        #expect(try await store.synchronousSetting() == 2, "synchronous must be FULL (2): GRDB leaves NORMAL (1) in WAL mode")
        #expect(try await store.secureDeleteSetting() == 1)
        #expect(try await store.tempStoreSetting() == 2, "savepoint journals hold copies of envelope pages: memory (2), never a file")
        try store.close()
        let reopened = try open()
        #expect(try await reopened.synchronousSetting() == 2)
        #expect(try await reopened.secureDeleteSetting() == 1)
        #expect(try await reopened.tempStoreSetting() == 2)
    }

    /// Everything readable through the protocol, to compare a store before and after a reopen.
    struct Snapshot: Equatable {
        var statistics: StoreStatistics
        var organisations: [StoredOrganisation]
        var invites: [StoredInvite?]
        var devices: [StoredDevice?]
        var prekey: StoredPrekey?
        var inbox: [InboxEntry]
        var bytes: [UInt8]?
    }

    func populate(_ store: any RelayStore) async throws {
        try await store.putOrganisation(Fixture.organisation(1, departements: ["75", "93"], sequence: 2, accreditedUntil: 8_000))
        try await store.createInvite(Fixture.invite(1))
        try await store.createInvite(Fixture.invite(2))
        try await store.redeemInvite(Fixture.inviteID(1), device: Fixture.storedDevice(1), at: 1_000)
        try await store.activateDevice(Fixture.device(1), record: Fixture.signed("record 1"), at: 1_001)
        try await store.putPrekey(Fixture.prekey(device: 1, 1, createdAt: 1_002))
        _ = try await store.submit(Fixture.envelope(1, to: [1, 3]))
        _ = try await store.submit(Fixture.envelope(2, to: [1]))
        _ = try await store.acknowledge(Fixture.envelopeID(2), device: Fixture.device(1), now: 1_100)
    }

    func snapshot(_ store: any RelayStore) async throws -> Snapshot {
        Snapshot(statistics: try await store.statistics(),
                 organisations: try await store.organisations(category: nil, departement: nil),
                 invites: [try await store.invite(Fixture.inviteID(1)), try await store.invite(Fixture.inviteID(2))],
                 devices: [try await store.device(Fixture.device(1))],
                 prekey: try await store.currentPrekey(device: Fixture.device(1)),
                 inbox: try await store.inbox(device: Fixture.device(3), now: 1_200, limit: 10),
                 bytes: try await store.envelope(Fixture.envelopeID(1), for: Fixture.device(1), now: 1_200))
    }

    @Test func dataSurvivesClosingAndReopening() async throws {
        let store = try open()
        try await populate(store)
        let before = try await snapshot(store)
        #expect(before.statistics == StoreStatistics(organisations: 1, devices: 1, invites: 2, prekeys: 1, envelopes: 1, deliveries: 2))
        #expect(before.bytes == Fixture.envelope(1, to: [1, 3]).bytes)
        try store.close()

        let reopened = try open()
        #expect(try await snapshot(reopened) == before)
        // And it is writable with the same rules.
        await expectStoreError(.conflict) { try await reopened.createInvite(Fixture.invite(1)) }
        #expect(try await reopened.submit(Fixture.envelope(1, to: [1, 3])) == .duplicate)
    }

    @Test func migrationsRunOnceAcrossReopens() async throws {
        let first = try open()
        #expect(try await first.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12-audit-tree", "v13-directory-log"])
        try await populate(first)
        let expected = try await snapshot(first)
        try first.close()
        for _ in 0..<3 {
            let again = try open()
            #expect(try await again.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12-audit-tree", "v13-directory-log"])
            #expect(try await snapshot(again) == expected)
            try again.close()
        }
    }

    /// v5 moved the receipts into the envelope rows: a file written before it keeps recognising
    /// retries, of envelopes still held and of envelopes already deleted.
    @Test func receiptsOfAVersion4FileBecomeTombstones() async throws {
        let held = Fixture.envelope(1, to: [2]), deleted = Fixture.envelope(2, to: [2])
        do {
            let queue = try DatabaseQueue(path: directory.databasePath)
            try SQLiteSchema.migrator.migrate(queue, upTo: "v4")
            try await queue.write { db in
                for e in [held, deleted] {
                    try db.execute(sql: "INSERT INTO envelope_receipts (id, sender_device, sender_org, digest, expires_at) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [Data(e.id.bytes), Data(e.senderDevice.bytes), Data(e.senderOrganisation.bytes), Data(e.digest),
                                               Int64(e.expiresAt)])
                }
                try db.execute(sql: """
                    INSERT INTO envelopes (id, sender_device, sender_org, bytes, byte_count, digest, size_class, consent_kind, consent_id,
                                           submitted_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, 0, 1, ?, ?, ?)
                    """, arguments: [Data(held.id.bytes), Data(held.senderDevice.bytes), Data(held.senderOrganisation.bytes), Data(held.bytes),
                                     held.bytes.count, Data(held.digest), Data(held.consent.id.bytes), Int64(held.submittedAt), Int64(held.expiresAt)])
                try db.execute(sql: "INSERT INTO deliveries (envelope_id, device_id, organisation_id) VALUES (?, ?, ?)",
                               arguments: [Data(held.id.bytes), Data(Fixture.device(2).bytes), Data(Fixture.org(12).bytes)])
            }
            try queue.close()
        }
        let store = try open()
        #expect(try await store.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12-audit-tree", "v13-directory-log"])
        #expect(try await store.statistics().envelopes == 1)
        #expect(try await store.inbox(device: Fixture.device(2), now: 1_000, limit: 10).map(\.envelopeID) == [held.id])
        #expect(try await store.envelope(deleted.id, for: Fixture.device(2), now: 1_000) == nil)
        #expect(try await store.submit(held) == .duplicate)
        #expect(try await store.submit(deleted) == .duplicate)
        await expectStoreError(.conflict) { _ = try await store.submit(Fixture.envelope(2, to: [2], bytes: Array("other bytes".utf8))) }
        let tables = try await store.pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name LIKE 'envelope_receipts%'") }
        #expect(tables.isEmpty)
        // The tombstone expires with its envelope: purged without an "expired" entry (its deletion was logged).
        #expect(try await store.purgeExpired(now: deleted.expiresAt) == [held.id])
        #expect(try await store.submit(deleted) == .stored)
    }

    @Test func openingSomethingThatIsNotADatabaseFileFailsAsDatabase() async throws {
        let path = directory.url.appendingPathComponent("secret-name-of-a-folder").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        do {
            _ = try SQLiteRelayStore(path: path)
            Issue.record("opening a directory must fail")
        } catch let e as StoreError {
            #expect(e.code == .database)
            #expect(!e.message.contains("secret-name-of-a-folder"), "database errors must not echo paths or data: \(e.message)")
        }
    }

    @Test func valuesAboveInt64MaxAreRefusedAndNowIsClamped() async throws {
        let store = try open()
        let tooLate = Fixture.envelope(1, to: [2], expiresAt: .max)
        let e = await expectStoreError(.conflict) { _ = try await store.submit(tooLate) }
        #expect(e?.message.contains("\(UInt64.max)") == true)
        await expectStoreError(.conflict) { try await store.putOrganisation(Fixture.organisation(1, sequence: UInt64(Int64.max) + 1)) }
        #expect(try await store.statistics() == StoreStatistics(organisations: 0, devices: 0, invites: 0, prekeys: 0, envelopes: 0, deliveries: 0))

        let latest = Fixture.envelope(2, to: [2], submittedAt: 0, expiresAt: UInt64(Int64.max))
        #expect(try await store.submit(latest) == .stored)
        try await store.putOrganisation(Fixture.organisation(1, sequence: UInt64(Int64.max)))
        #expect(try await store.organisation(Fixture.org(1))?.sequence == UInt64(Int64.max))
        #expect(try await store.inbox(device: Fixture.device(2), now: UInt64(Int64.max) - 1, limit: 1).first?.expiresAt == UInt64(Int64.max))
        #expect(try await store.inbox(device: Fixture.device(2), now: .max, limit: 1).isEmpty)
        #expect(try await store.acknowledge(latest.id, device: Fixture.device(2), now: .max) == nil)
        #expect(try await store.purgeExpired(now: .max) == [latest.id])
    }
}
