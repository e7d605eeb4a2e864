import Foundation
import GRDB
import RelaisCore
import RelaisStore
@testable import RelaisStoreSQLite
import Testing

/// Upgrades of the SQLite store (issue 19): a file of the previous release's schema, committed
/// under Tests/Fixtures, is migrated and keeps its relay key; a file a newer release migrated is
/// refused naming that release; `--status` and `--dry-run` change nothing.
@Suite("SQLite store upgrades", .serialized)
struct StoreUpgradeTests {
    /// The previous release's store (schema v8, as relais-server 0.2.0 left it on 27 November),
    /// with its relay key pinned. `RELAIS_WRITE_STORE_FIXTURE=1` writes it again.
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/relais-0.2-store.sqlite").path
    static let fixtureKey = [UInt8](repeating: 0x5A, count: 32)

    static func copyOfFixture() throws -> String {
        if ProcessInfo.processInfo.environment["RELAIS_WRITE_STORE_FIXTURE"] == "1" {
            try? FileManager.default.removeItem(atPath: fixture)
            let queue = try DatabaseQueue(path: fixture)
            try SQLiteSchema.migrator.migrate(queue, upTo: "v8")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO relay_identity (one, log_public_key) VALUES (1, ?)", arguments: [Data(fixtureKey)])
            }
            try queue.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
            try queue.close()
        }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("relais-upgrade-\(UUID().uuidString).sqlite").path
        try FileManager.default.copyItem(atPath: fixture, toPath: copy)
        return copy
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    @Test func thePreviousReleasesStoreIsMigrated() async throws {
        let path = try Self.copyOfFixture()
        defer { Self.remove(path) }
        let before = try #require(try SQLiteRelayStore.migrationStatus(path: path))
        #expect(before.applied == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8"])
        #expect(before.pending.first == "v9" && before.unknown.isEmpty && before.migratedBy == nil)
        // A dry run tries the migrations on a copy and leaves the file as it was.
        let tried = try #require(try SQLiteRelayStore.dryRunMigration(path: path))
        #expect(tried == before)
        #expect(try SQLiteRelayStore.migrationStatus(path: path) == before)
        let store = try SQLiteRelayStore(path: path)
        // The relay key pinned by the old release is kept: the same key opens it, another is refused.
        #expect(try await store.pinRelayKey([UInt8](repeating: 1, count: 32)) == Self.fixtureKey)
        _ = try await store.statistics()
        try store.close()
        let after = try #require(try SQLiteRelayStore.migrationStatus(path: path))
        #expect(after.pending.isEmpty && after.applied.count == SQLiteSchema.migrator.migrations.count)
        #expect(after.migratedBy == RelaisVersion.current)
    }

    @Test func aStoreANewerReleaseMigratedIsRefusedNamingIt() async throws {
        let path = try Self.copyOfFixture()
        defer { Self.remove(path) }
        try SQLiteRelayStore(path: path).close()
        // What a release 0.7.0 with a migration "v99" would leave.
        let queue = try DatabaseQueue(path: path)
        try await queue.writeWithoutTransaction { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')")
            try db.execute(sql: "PRAGMA user_version = 700")
        }
        try queue.close()
        let status = try #require(try SQLiteRelayStore.migrationStatus(path: path))
        #expect(status.unknown == ["v99"] && status.migratedBy == "0.7.0")
        for attempt in [{ _ = try SQLiteRelayStore(path: path) }, { _ = try SQLiteRelayStore.dryRunMigration(path: path) }] {
            do {
                try attempt()
                Issue.record("a store migrated by 0.7.0 was opened")
            } catch let error as StoreError {
                #expect(error.message.contains("Relais 0.7.0 or newer"), "\(error)")
                #expect(error.message.contains("v99"))
            }
        }
    }

    /// `close()` of the protocol checkpoints the WAL into the file: nothing is left in -wal.
    @Test func closeLeavesTheFileWhole() async throws {
        let path = try Self.copyOfFixture()
        defer { Self.remove(path) }
        let store: any RelayStore = try SQLiteRelayStore(path: path)
        _ = try await store.pinRelayKey(Self.fixtureKey)
        try store.close()
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0)
        await #expect(throws: StoreError.self) { _ = try await store.statistics() }
    }
}
