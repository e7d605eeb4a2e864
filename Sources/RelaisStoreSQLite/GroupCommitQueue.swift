import Dispatch
import GRDB
import Synchronization

/// Group commit: many concurrent writes share one durable transaction, so one fsync pays for all.
///
/// Callers `perform` a `BatchedWrite` and are suspended. The first caller to find the queue idle
/// starts the drainer on its own dispatch queue; the drainer takes up to `maximumBatchSize` queued
/// writes and runs them in ONE `pool.write` transaction. While that transaction commits, new
/// callers queue up and form the next batch. There are no timers: an isolated write runs at once
/// as a batch of one, and batches grow by themselves under load.
///
/// A batch first runs its writes one after the other, with no savepoint: the common case, where
/// every write succeeds, then pays for no `SAVEPOINT`/`RELEASE` statements and no savepoint journal
/// (a copy of every page each write touches). If any write of a batch of several throws, that whole
/// transaction is rolled back and the batch runs again, each write inside its own SAVEPOINT, so
/// that the failing write rolls back alone and the others commit (`retriedBatches` counts these).
/// Writes are deterministic functions of the database (each carries its own time and audit
/// entries), so the second run sees the state the first one saw and gives the same answers.
///
/// The drainer is a plain thread of its own, not a Swift task: it runs the blocking `pool.write`
/// and resumes the callers itself, so it never waits for a turn on the (busy) cooperative thread
/// pool between two batches. As a task it did, and the writer sat idle for milliseconds after each
/// COMMIT while HTTP handlers held both cores (BENCHMARKS.md).
///
/// Guarantees:
/// - A caller is resumed only after its batch's COMMIT returned (with `synchronous = FULL` in
///   WAL mode that COMMIT has fsynced the log), so a success is durable when it is reported.
/// - A write that throws (`conflict`…) changes nothing: the batch runs again in savepoints, where it
///   rolls back only its own savepoint; the others of the batch still commit, each caller getting
///   its own result.
/// - If the transaction itself fails (I/O, full disk, an error that aborted the whole transaction),
///   nothing of the batch was written and every caller of the batch gets an error.
/// - Writes run in arrival order, one batch at a time, serialised with every other write of the
///   pool (GRDB's single writer): once a caller has been resumed, any write it starts afterwards,
///   batched or not, sees its effects.
/// - A caller's task being cancelled does not abandon its write: it still gets the true outcome.
final class GroupCommitQueue: Sendable {
    private struct Request: Sendable {
        let write: BatchedWrite
        let continuation: CheckedContinuation<BatchedWriteResult, any Error>
    }

    private struct State {
        var pending: [Request] = []
        var draining = false
        var statistics = GroupCommitStatistics()
    }

    private let pool: DatabasePool
    private let checkpointer: BackgroundCheckpointer?
    private let maximumBatchSize: Int
    private let state = Mutex(State())
    private let drainer = DispatchQueue(label: "RelaisStore.groupCommit")

    init(pool: DatabasePool, checkpointer: BackgroundCheckpointer?, maximumBatchSize: Int) {
        precondition(maximumBatchSize >= 1, "a batch holds at least one write")
        self.pool = pool
        self.checkpointer = checkpointer
        self.maximumBatchSize = maximumBatchSize
    }

    var statistics: GroupCommitStatistics { state.withLock { $0.statistics } }

    /// Queues `write` and returns its own outcome once its batch has committed.
    func perform(_ write: BatchedWrite) async throws -> BatchedWriteResult {
        try await withCheckedThrowingContinuation { continuation in
            let startDrainer = state.withLock { s in
                s.pending.append(Request(write: write, continuation: continuation))
                if s.draining { return false }
                s.draining = true
                return true
            }
            if startDrainer {
                drainer.async { self.drain() }
            }
        }
    }

    /// Runs batches until the queue is empty, then marks it idle (under the lock, so a caller that
    /// queues right after sees `draining == false` and starts a new drainer).
    private func drain() {
        while true {
            let batch: [Request] = state.withLock { s in
                guard !s.pending.isEmpty else {
                    s.draining = false
                    return []
                }
                let n = min(maximumBatchSize, s.pending.count)
                let batch = Array(s.pending.prefix(n))
                s.pending.removeFirst(n)
                return batch
            }
            if batch.isEmpty { return }
            run(batch)
        }
    }

    private func run(_ batch: [Request]) {
        let writes = batch.map(\.write)
        let outcome: Result<[Result<BatchedWriteResult, any Error>], any Error>
        let start = ContinuousClock.now
        let applied = Mutex((wait: Duration.zero, apply: Duration.zero))
        var retried = false
        do {
            outcome = .success(try pool.write { db in
                let applyStart = ContinuousClock.now
                defer { applied.withLock { $0 = (applyStart - start, ContinuousClock.now - applyStart) } }
                return try Self.applyWithoutSavepoints(writes, db)
            })
        } catch is WriteFailed where writes.count > 1 {
            // The first run was rolled back as a whole: run the batch again, isolating each write.
            retried = true
            do {
                outcome = .success(try pool.write { db in try Self.applyInSavepoints(writes, db) })
            } catch {
                outcome = .failure(error)
            }
        } catch let failed as WriteFailed {
            outcome = .success([.failure(failed.error)])  // a batch of one: its transaction was rolled back
        } catch {
            outcome = .failure(error)
        }
        let elapsed = ContinuousClock.now - start
        state.withLock { s in
            s.statistics.transactionSeconds += elapsed.seconds
            let (wait, apply) = applied.withLock { $0 }
            s.statistics.applySeconds += apply.seconds
            s.statistics.waitSeconds += wait.seconds
            s.statistics.transactions += 1
            s.statistics.operations += batch.count
            s.statistics.largestBatch = max(s.statistics.largestBatch, batch.count)
            if retried { s.statistics.retriedBatches += 1 }
        }
        checkpointer?.batchCommitted()
        // Only now, after COMMIT (or after the whole transaction failed), are callers resumed.
        switch outcome {
        case let .success(results):
            for (request, result) in zip(batch, results) {
                switch result {
                case let .success(value): request.continuation.resume(returning: value)
                case let .failure(error): request.continuation.resume(throwing: StoreFailure.map(error, during: request.write.operationName))
                }
            }
        case let .failure(error):
            for request in batch {
                request.continuation.resume(throwing: StoreFailure.map(error, during: request.write.operationName))
            }
        }
    }

    /// A write of the first run threw: the transaction is rolled back (by `pool.write`, which sees
    /// this error) before anything is reported.
    private struct WriteFailed: Error {
        let error: any Error
    }

    /// Inside the batch transaction, the first run: the writes one after the other, with no
    /// savepoint. The first one that throws aborts the run (`WriteFailed`).
    private static func applyWithoutSavepoints(_ writes: [BatchedWrite], _ db: Database) throws -> [Result<BatchedWriteResult, any Error>] {
        var results: [Result<BatchedWriteResult, any Error>] = []
        results.reserveCapacity(writes.count)
        for write in writes {
            do {
                results.append(.success(try write.apply(db)))
            } catch {
                throw WriteFailed(error: error)
            }
        }
        return results
    }

    /// Inside the batch transaction, the second run: each write in its own savepoint.
    private static func applyInSavepoints(_ writes: [BatchedWrite], _ db: Database) throws -> [Result<BatchedWriteResult, any Error>] {
        var results: [Result<BatchedWriteResult, any Error>] = []
        results.reserveCapacity(writes.count)
        for write in writes {
            var value: BatchedWriteResult?
            do {
                try db.inSavepoint {
                    value = try write.apply(db)
                    return .commit
                }
                results.append(.success(value!))
            } catch {
                // SQLite aborts the whole transaction on some errors (full disk, I/O): then the
                // writes before this one are gone too, and the batch must fail as a whole.
                guard db.isInsideTransaction else { throw error }
                results.append(.failure(error))
            }
        }
        return results
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
