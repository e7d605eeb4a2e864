import Foundation

/// Counters of the group-commit queue since the store was opened: how many write transactions
/// carried how many batched operations. `operations / transactions` is the mean batch size; under
/// concurrent load it must be above 1, or group commit is not happening.
public struct GroupCommitStatistics: Sendable, Equatable {
    /// Batch transactions run (committed or failed).
    public var transactions: Int
    /// Operations they carried.
    public var operations: Int
    /// The largest batch so far.
    public var largestBatch: Int
    /// Batches run a second time, each write in its own savepoint, because one of their writes threw.
    public var retriedBatches: Int
    /// Wall time of the batch transactions (queue hop, statements, COMMIT and its fsync).
    public var transactionSeconds: Double
    /// Of which running the batched writes' statements (inside the transaction, before COMMIT).
    public var applySeconds: Double
    /// Of which waiting for the writer connection and opening the transaction (before the statements).
    public var waitSeconds: Double

    public init(transactions: Int = 0, operations: Int = 0, largestBatch: Int = 0, retriedBatches: Int = 0, transactionSeconds: Double = 0, applySeconds: Double = 0,
                waitSeconds: Double = 0) {
        self.transactions = transactions
        self.operations = operations
        self.largestBatch = largestBatch
        self.retriedBatches = retriedBatches
        self.transactionSeconds = transactionSeconds
        self.applySeconds = applySeconds
        self.waitSeconds = waitSeconds
    }

    /// What was added since `earlier`, a snapshot of the same queue (`largestBatch` stays the
    /// largest so far: a maximum does not subtract).
    public func since(_ earlier: GroupCommitStatistics) -> GroupCommitStatistics {
        GroupCommitStatistics(transactions: transactions - earlier.transactions, operations: operations - earlier.operations,
                              largestBatch: largestBatch, retriedBatches: retriedBatches - earlier.retriedBatches,
                              transactionSeconds: transactionSeconds - earlier.transactionSeconds,
                              applySeconds: applySeconds - earlier.applySeconds, waitSeconds: waitSeconds - earlier.waitSeconds)
    }

    /// One line for the logs: counts and times only.
    public var summary: String {
        let perOp = operations > 0 ? 1e6 / Double(operations) : 0
        return "\(transactions) transactions, \(operations) writes (largest batch \(largestBatch), \(retriedBatches) run again in savepoints); "
            + String(format: "per write: %.0f µs in transactions: %.0f µs before the statements, %.0f µs of statements, %.0f µs of COMMIT",
                     transactionSeconds * perOp, waitSeconds * perOp, applySeconds * perOp, (transactionSeconds - waitSeconds - applySeconds) * perOp)
    }
}
