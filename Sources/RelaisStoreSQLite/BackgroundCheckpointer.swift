import Foundation
import GRDB
import Synchronization

/// Copies the write-ahead log into the database file on a connection and a thread of its own
/// (`PRAGMA wal_checkpoint(PASSIVE)`: it never blocks the writer or the readers), started after
/// every `interval` group-commit batches.
///
/// SQLite's automatic checkpoint runs on the writer, inside the COMMIT that crosses 1,000 pages of
/// log: every ~400 submits one COMMIT copied ~4 MB while the whole queue of writes waited, which
/// made most of the submit latency's 99th percentile (BENCHMARKS.md). With this one running ahead,
/// the automatic checkpoint still runs (it bounds the log and lets SQLite restart it from its
/// beginning) but finds little left to copy. Durability is unchanged: a checkpoint only copies
/// committed, already synced frames.
final class BackgroundCheckpointer: Sendable {
    private struct State {
        var batchesSinceStart = 0
        var running = false
        var closed = false
        var completed = 0
    }

    private let connection: DatabaseQueue
    private let interval: Int
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "RelaisStore.checkpoint", qos: .utility)

    init(path: String, interval: Int = 8) throws {
        var config = Configuration()
        config.label = "RelaisStore.checkpoint"
        // PASSIVE never waits for a lock; a checkpoint already running elsewhere is just skipped.
        config.busyMode = .immediateError
        connection = try DatabaseQueue(path: path, configuration: config)
        self.interval = interval
    }

    /// Called after each committed batch.
    func batchCommitted() {
        let start = state.withLock { s in
            s.batchesSinceStart += 1
            guard !s.running, !s.closed, s.batchesSinceStart >= interval else { return false }
            s.running = true
            s.batchesSinceStart = 0
            return true
        }
        guard start else { return }
        queue.async {
            // A failure (busy: SQLite's own checkpoint is running) costs nothing: the next one catches up.
            let done = (try? self.connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }) != nil
            self.state.withLock { s in
                s.running = false
                if done { s.completed += 1 }
            }
        }
    }

    /// Checkpoints that ran to their end (for tests and statistics).
    var completed: Int { state.withLock { $0.completed } }

    func close() throws {
        state.withLock { $0.closed = true }
        try queue.sync { try connection.close() }
    }
}
