import Foundation
import GRDB
public import RelaisStore
import RelaisCore

/// Upgrades of the SQLite file: where it stands (`relais-server migrate --status`), a trial on a
/// copy in memory (`--dry-run`), the refusal of a file a newer release migrated, and the release
/// that last migrated it, kept in SQLite's `user_version` (0.5.0 → 500).
extension SQLiteRelayStore {
    /// The status of the file at `path`, read only; nil when there is no file.
    public static func migrationStatus(path: String) throws -> MigrationStatus? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let queue = try readOnlyQueue(path)
            defer { try? queue.close() }
            return try queue.read(SQLiteSchema.status)
        } catch { throw StoreFailure.map(error, during: "migrationStatus") }
    }

    /// Copies the file at `path` into memory (SQLite's backup API, consistent while a relay writes)
    /// and migrates the copy: what a start would apply, tried without touching the file.
    public static func dryRunMigration(path: String) throws -> MigrationStatus? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let source = try readOnlyQueue(path)
            defer { try? source.close() }
            let copy = try DatabaseQueue()
            try source.backup(to: copy)
            let before = try copy.read(SQLiteSchema.status)
            if let refusal = before.newerReleaseError { throw refusal }
            try SQLiteSchema.migrate(copy)
            return before
        } catch { throw StoreFailure.map(error, during: "dryRunMigration") }
    }
}

extension SQLiteRelayStore {
    /// A read-only connection to the file at `path`, which must exist.
    static func readOnlyQueue(_ path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        return try DatabaseQueue(path: path, configuration: config)
    }
}

extension SQLiteSchema {
    static func status(_ db: Database) throws -> MigrationStatus {
        let known = migrator.migrations
        let applied = try db.tableExists("grdb_migrations") ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
        let number = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        return MigrationStatus(applied: known.filter(applied.contains), pending: known.filter { !applied.contains($0) },
                               unknown: applied.filter { !known.contains($0) }.sorted(),
                               migratedBy: number > 0 ? RelaisVersion.version(number: number) : nil)
    }

    /// Refuses a file a newer release migrated, applies the pending migrations and records this
    /// release as the last that migrated it.
    static func migrate(_ writer: some DatabaseWriter) throws {
        if let refusal = try writer.read(status).newerReleaseError { throw refusal }
        try migrator.migrate(writer)
        guard let release = RelaisVersion.number(RelaisVersion.current) else { return }
        try writer.writeWithoutTransaction { db in
            if try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 < release {
                try db.execute(sql: "PRAGMA user_version = \(release)")
            }
        }
    }
}
