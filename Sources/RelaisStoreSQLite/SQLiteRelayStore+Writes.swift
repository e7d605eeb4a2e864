import GRDB
import RelaisStore

/// What the relay's readiness needs to know of the store's writes (`Relay+Readiness.swift`).
extension SQLiteRelayStore {
    /// Calls `wrote` after each committed transaction that changed rows (a submit's batch, an
    /// acknowledgement, a directory write, a purge that deleted something), on the writer's
    /// thread: `wrote` must be quick. A transaction that changed nothing wrote nothing to the file,
    /// so it says nothing of whether the disk takes writes.
    public func observeWrites(_ wrote: @escaping @Sendable () -> Void) {
        pool.add(transactionObserver: CommitObserver(wrote: wrote), extent: .databaseLifetime)
    }

    /// One small real write: page 1 written again with the value it holds (`user_version`), so
    /// the write-ahead log takes a frame as it would for a submit. It fails as a submit would when
    /// the disk is full or the file read-only, and changes nothing the store keeps.
    public func probeWrite() async throws {
        try await StoreFailure.run("probeWrite") {
            try await pool.write { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                try db.execute(sql: "PRAGMA user_version = \(version)")
            }
        }
    }
}

private final class CommitObserver: TransactionObserver, @unchecked Sendable {
    // Read and written only on the pool's writer connection, one transaction at a time.
    private var changes = 0
    private let wrote: @Sendable () -> Void

    init(wrote: @escaping @Sendable () -> Void) { self.wrote = wrote }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidRollback(_ db: Database) { changes = db.totalChangesCount }

    func databaseDidCommit(_ db: Database) {
        let total = db.totalChangesCount
        defer { changes = total }
        if total != changes { wrote() }
    }
}
