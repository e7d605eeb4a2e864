import Foundation
import GRDB
public import RelaisCore
public import RelaisStore

/// The relay's SQLite store: `RelayStore` on one database file, through GRDB.
///
/// ## Schema (migration "v1", `SQLiteSchema`)
/// - `organisations` (id, operator-signed record + signature, category, sequence,
///   accredited_until) and `organisation_departements` (one row per code, indexed for an exact
///   match on one département).
/// - `devices` (status pending → active → revoked, the enroller-signed record and the signed
///   revocation as exact bytes), `invites` (only the secret's hash), `prekeys` keyed by
///   (device, prekey id).
/// - `envelopes` (opaque bytes, digest, sender, consent, times) and `deliveries`, one row per
///   addressed device, `ON DELETE CASCADE` from its envelope; indexed for the inbox
///   (device, acknowledged_at) and for the purge (envelopes.expires_at). An envelope deleted before
///   its expiry (last acknowledgement, revocation, withdrawal) keeps its row as a tombstone
///   (`deleted_at` set, bytes emptied and zeroed in the file, deliveries deleted) until the purge:
///   it is the receipt that makes a late retry a duplicate (migration "v5"; before it, receipts
///   had a table of their own, one more random-key index for every submit to write).
///
/// ## Durability
/// WAL mode (`DatabasePool`: one writer, concurrent readers) with `synchronous = FULL`: every
/// COMMIT fsyncs the log before it returns, so a submit that has returned survives `kill -9` and
/// power loss. (GRDB sets NORMAL on the writer when the pool opens; `init` sets FULL afterwards,
/// and `synchronousSetting()` lets a test check it.) `secure_delete = ON` zeroes deleted content
/// in the file; `checkpointTruncate()` then empties the WAL, so purged envelopes leave no copy.
/// `temp_store = MEMORY` keeps SQLite's temporary files, among them the savepoint journals of group
/// commit (copies of the pages each write changes), in memory: none reaches the disk.
///
/// ## Group commit
/// `submit` and `acknowledge` go through `GroupCommitQueue`: concurrent calls share one
/// transaction (each in its own SAVEPOINT, so one refused call rolls back only itself) and one
/// fsync, and every caller is answered only after that COMMIT. Batches form by themselves under
/// load (up to `maximumBatchSize`), with no timer and no added latency when idle. The other
/// writes (directory, revocation, purge) are rare and go straight to `pool.write`, serialised
/// with the batches by GRDB's single writer.
///
/// The log is copied into the file ahead of SQLite's automatic checkpoint by a
/// `BackgroundCheckpointer` (its own connection and thread, PASSIVE: it blocks nobody), so the
/// automatic one, which runs inside a COMMIT, finds little left to copy.
///
/// ## Reads
/// Reads use GRDB's synchronous `read` on the calling thread: a read is a few tens of
/// microseconds, less than the thread hand-off of the asynchronous variant (measured: ~300 µs and
/// four context switches per read, which dominated the relay's submit cost, BENCHMARKS.md).
///
/// The records read on every request (devices, prekeys, organisations, consents, declarations)
/// are kept in memory once read (`DirectoryCache`); every write outside group commit empties it.
///
/// ## Errors
/// Every method is atomic: one that throws has changed nothing. Refusals are `StoreError.conflict`
/// or `.notFound` with a message naming the values; any other failure is `StoreError.database`
/// naming the operation and SQLite's result code, never SQL or data.
public final class SQLiteRelayStore: RelayStore, Sendable {
    /// The database file.
    public let path: String
    /// Time of the audit entries of changes that carry no time of their own.
    let clock: any RelaisClock
    let pool: DatabasePool
    let checkpointer: BackgroundCheckpointer
    let writes: GroupCommitQueue
    /// The directory records of the hot path, in memory (`DirectoryCache`).
    let cache = DirectoryCache()

    /// Opens (creating if needed) the database file at `path` and migrates it.
    /// - Parameters:
    ///   - maximumBatchSize: the most writes one group-commit transaction carries; 1 gives one
    ///     transaction per submit (for comparison only).
    ///   - busyTimeout: seconds a connection waits for a lock held by another process before
    ///     failing with `StoreError.database`.
    public init(path: String, maximumBatchSize: Int = 256, busyTimeout: Double = 5, clock: any RelaisClock = SystemClock()) throws {
        self.clock = clock
        var config = Configuration()
        config.label = "RelaisStore"
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // Savepoint journals (one per group-commit write) in memory, not in a temporary file:
            // they held copies of envelope pages on disk and cost a write per page (BENCHMARKS.md).
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        self.path = path
        do {
            try Self.createPrivately(path)
            let pool = try DatabasePool(path: path, configuration: config)
            // After the pool exists: GRDB has just set NORMAL on the writer (STACK-NOTES pitfall 5).
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try SQLiteSchema.migrate(pool)  // refuses a file a newer release migrated (SQLiteMigrations)
            self.pool = pool
            checkpointer = try BackgroundCheckpointer(path: path)
        } catch {
            throw StoreFailure.map(error, during: "open")
        }
        writes = GroupCommitQueue(pool: pool, checkpointer: checkpointer, maximumBatchSize: maximumBatchSize)
    }

    /// Creates the database file, empty and mode 0600, when it does not exist: SQLite gives its
    /// -wal and -shm files the mode of the database file, so none of the three is ever readable
    /// by others, whatever the folder's mode and the process's umask (issue 14, finding 6).
    static func createPrivately(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            try FileHandle(fileDescriptor: fd, closeOnDealloc: true).close()
        } else if errno != EEXIST {
            throw StoreError.database("cannot create the database file \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Every write outside group commit: one `pool.write` transaction, after which (committed or
    /// not) the directory cache is emptied.
    func directoryWrite<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        defer { cache.invalidate() }
        return try await pool.write(updates)
    }

    /// Closes the file's connections. Calls made afterwards throw `StoreError.database`.
    public func close() throws {
        do {
            try checkpointer.close()
            // Everything into the file and the WAL emptied, so a clean stop leaves one whole file.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try pool.close()
        } catch { throw StoreFailure.map(error, during: "close") }
    }

    /// `PRAGMA synchronous` of the writer connection: 2 is FULL.
    public func synchronousSetting() async throws -> Int {
        try await StoreFailure.run("synchronousSetting") {
            try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
        }
    }

    /// `PRAGMA temp_store` of the writer connection: 2 is MEMORY.
    public func tempStoreSetting() async throws -> Int {
        try await StoreFailure.run("tempStoreSetting") {
            try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") ?? -1 }
        }
    }

    /// `PRAGMA secure_delete` of the writer connection (the one that deletes): 1 is ON.
    public func secureDeleteSetting() async throws -> Int {
        try await StoreFailure.run("secureDeleteSetting") {
            try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA secure_delete") ?? -1 }
        }
    }

    /// Copies the whole WAL into the database file and truncates the WAL to zero bytes
    /// (`wal_checkpoint(TRUNCATE)`, outside any transaction: STACK-NOTES pitfall 6). Run it after
    /// `purgeExpired` so that purged envelopes survive in neither file. Throws `database` if a
    /// reader kept the WAL from being fully checkpointed within the busy timeout.
    ///
    /// SQLite does not wait for a checkpoint run by another connection: when the
    /// `BackgroundCheckpointer`'s PASSIVE one is running at that instant, TRUNCATE fails at once
    /// with SQLITE_BUSY (seen in the tests under load). It is then tried again, every 10 ms for at
    /// most 2 s; a BUSY after waiting for readers (the busy timeout) is not retried.
    public func checkpointTruncate() async throws {
        try await StoreFailure.run("checkpointTruncate") {
            let deadline = ContinuousClock.now + .seconds(2)
            while true {
                let started = ContinuousClock.now
                do {
                    try await pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
                    return
                } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY && ContinuousClock.now < deadline
                    && ContinuousClock.now - started < .milliseconds(100) {
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
        }
    }

    /// `PRAGMA integrity_check`: "ok" for a sound file, otherwise SQLite's first findings.
    public func integrityCheck() async throws -> String {
        try await StoreFailure.run("integrityCheck") {
            try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
        }
    }

    /// `RelayStore.compact`: the WAL checkpoint that leaves no copy of purged rows.
    public func compact() async throws { try await checkpointTruncate() }

    /// The identifiers of the migrations applied to the file, in order ("v1", …).
    public func appliedMigrations() async throws -> [String] {
        try await StoreFailure.run("appliedMigrations") {
            try pool.read { db in try SQLiteSchema.migrator.appliedMigrations(db) }
        }
    }

    /// How group commit has batched the writes so far.
    public var groupCommitStatistics: GroupCommitStatistics { writes.statistics }

    public func pinRelayKey(_ publicKey: [UInt8]) async throws -> [UInt8] {
        try await StoreFailure.run("pinRelayKey") {
            try await directoryWrite { db in
                try db.execute(sql: "INSERT INTO relay_identity (one, log_public_key) VALUES (1, ?) ON CONFLICT (one) DO NOTHING",
                               arguments: [SQLiteCoding.blob(publicKey)])
                return try SQLiteCoding.bytes(try Row.fetchOne(db, sql: "SELECT log_public_key FROM relay_identity")
                                              ?? { throw SQLiteCoding.corrupt("relay_identity") }(), "log_public_key", "relay_identity")
            }
        }
    }

    public func ping() async throws {
        try await StoreFailure.run("ping") {
            try pool.read { db in _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM relay_identity") }
        }
    }

    public func statistics() async throws -> StoreStatistics {
        try await StoreFailure.run("statistics") {
            try pool.read { db in
                func count(_ table: String, _ condition: String = "1") throws -> Int {
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(condition)") ?? 0
                }
                return StoreStatistics(organisations: try count("organisations"), devices: try count("devices"),
                                       invites: try count("invites"), prekeys: try count("prekeys"),
                                       envelopes: try count("envelopes", "deleted_at IS NULL"), deliveries: try count("deliveries"))
            }
        }
    }
}
