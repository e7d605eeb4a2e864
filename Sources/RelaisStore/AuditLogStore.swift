public import RelaisCore

/// The audit log as stored: entries appended by every state change, in the same transaction.
public protocol AuditLogStore: Sendable {
    /// Number of entries (the next index).
    func auditLogSize() async throws -> UInt64
    /// The exact entry bytes of indexes `start ..< start + count` (fewer at the end of the log).
    func auditEntries(from start: UInt64, count: Int) async throws -> [[UInt8]]
    /// The RFC 9162 leaf hashes of the same range.
    func auditLeafHashes(from start: UInt64, count: Int) async throws -> [[UInt8]]

    // The tree's interior hashes (SPEC.md, "Storage of the tree"; `StoredAuditTree` keeps them).

    /// The number of leaves whose tree is stored: every complete subtree within the first
    /// `auditTreeSize()` entries has its hash stored. 0 in a store that has none yet.
    func auditTreeSize() async throws -> UInt64
    /// The hashes of complete subtrees, in the order asked: level 0 is the entry's leaf hash, higher
    /// levels the stored hashes. Each must lie within `auditTreeSize()` leaves.
    ///
    /// - Throws: `StoreError` `.database` when one is missing (the store lost part of its tree).
    func auditSubtreeHashes(_ subtrees: [MerkleSubtree]) async throws -> [[UInt8]]
    /// Stores the hashes of complete subtrees of level 1 and up (a hash already stored is kept: they
    /// are a function of the entries), and, in the same transaction, raises `auditTreeSize()` to
    /// `treeSize` (never lowers it). The caller stores every subtree within `treeSize` leaves.
    func storeAuditSubtrees(_ nodes: [(MerkleSubtree, [UInt8])], treeSize: UInt64) async throws
}
