import Foundation
import GRDB
import RelaisCore
import RelaisStore

/// What a copy of the store holds, as `relais-server backup` prints it and its file's header keeps it.
public struct SQLiteStoreSummary: Sendable, Equatable {
    /// Envelopes still held (not yet acknowledged by every device, purged or withdrawn).
    public let envelopes: Int
    /// The earliest and latest expiry (Unix seconds) among them; nil without envelopes.
    public let oldestExpiry: UInt64?
    public let latestExpiry: UInt64?
    /// Entries in the audit log.
    public let auditLogSize: UInt64
    /// The relay key the store is pinned to (`pinRelayKey`); nil for a store never started.
    public let relayPublicKey: [UInt8]?
}

/// Online backup and offline restore checks of the SQLite store, for `relais-server backup` and
/// `restore`.
///
/// The backup runs in a process of its own beside the running relay, not through it: the file is
/// in WAL mode, so a second process reading it sees the last committed transaction and never blocks
/// the relay's writer (nor is blocked by it), and SQLite's backup API copying every page in one
/// step does so inside one read transaction, so the copy is one consistent state of the store.
/// Every submit the relay acknowledged before the copy began is in it, since the relay answers
/// only after its transaction committed with `synchronous = FULL`. No route of the relay hands out
/// its store (a route would need its own authentication and would put the whole store on the
/// network), and the copy works the same whether the relay runs or not.
extension SQLiteRelayStore {
    /// Copies the store at `path` into a new SQLite file `copy` (created with the process's umask),
    /// in one read transaction, then leaves the copy in rollback-journal mode (one file, no -wal)
    /// and checks it. Throws `StoreError.notFound` when there is no store at `path`.
    public static func snapshot(path: String, to copy: String) throws -> SQLiteStoreSummary {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.notFound("no store at \(path): check --data") }
        do {
            var config = Configuration()
            config.readonly = true
            config.busyMode = .timeout(10)
            let source = try DatabaseQueue(path: path, configuration: config)
            defer { try? source.close() }
            let destination = try DatabaseQueue(path: copy)
            defer { try? destination.close() }
            try source.backup(to: destination)
            try destination.writeWithoutTransaction { db in
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
            }
            return try destination.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
                guard check == "ok" else { throw StoreError.database("the copy fails SQLite's integrity check: \(check)") }
                return try summary(db)
            }
        } catch { throw StoreFailure.map(error, during: "backup") }
    }

    /// Checks a restored copy before it is put in place: SQLite's integrity check, a schema this
    /// release can open (not migrated by a newer one), and what it holds.
    public static func inspectCopy(path: String) throws -> SQLiteStoreSummary {
        do {
            let copy = try readOnlyQueue(path)
            defer { try? copy.close() }
            return try copy.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
                guard check == "ok" else { throw StoreError.database("the restored store fails SQLite's integrity check: \(check)") }
                if let refusal = try SQLiteSchema.status(db).newerReleaseError { throw refusal }
                return try summary(db)
            }
        } catch { throw StoreFailure.map(error, during: "restore check") }
    }

    /// True when another connection holds the store at `path` open (a running relay: each of its
    /// connections keeps a shared lock on a WAL database for as long as it is open), found by asking
    /// for an exclusive lock without waiting. False when there is no file. Changes nothing when
    /// the file is in use; otherwise closing this connection checkpoints the WAL, as a relay's
    /// clean stop does.
    public static func isInUse(path: String) throws -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        var config = Configuration()
        config.busyMode = .immediateError
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE") }
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            try queue.inDatabase { db in
                try db.execute(sql: "BEGIN EXCLUSIVE")
                try db.execute(sql: "COMMIT")
            }
            return false
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            return true
        } catch { throw StoreFailure.map(error, during: "lock check") }
    }

    private static func summary(_ db: Database) throws -> SQLiteStoreSummary {
        let row = try Row.fetchOne(db, sql: "SELECT COUNT(*), MIN(expires_at), MAX(expires_at) FROM envelopes WHERE deleted_at IS NULL")
        let size = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_log") ?? 0
        let key = try Data.fetchOne(db, sql: "SELECT log_public_key FROM relay_identity")
        let oldest: Int64? = row?[1], latest: Int64? = row?[2]
        return SQLiteStoreSummary(envelopes: row?[0] ?? 0, oldestExpiry: oldest.map { UInt64(max(0, $0)) },
                                  latestExpiry: latest.map { UInt64(max(0, $0)) }, auditLogSize: UInt64(max(0, size)),
                                  relayPublicKey: key.map { Array($0) })
    }
}
