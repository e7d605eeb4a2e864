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

    public init(transactions: Int = 0, operations: Int = 0, largestBatch: Int = 0) {
        self.transactions = transactions
        self.operations = operations
        self.largestBatch = largestBatch
    }
}
