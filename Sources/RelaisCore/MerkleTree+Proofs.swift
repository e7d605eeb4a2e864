/// Proof generation, RFC 9162 §2.1.3.1 (inclusion) and §2.1.4.1 (consistency): the proof's leaf
/// ranges come from `MerkleProofPlan` (shared with the relay's stored tree), and each range's hash
/// from the cache of full subtrees, so a proof costs `O(log² size)` node hashes at worst.
extension MerkleTree {
    /// The inclusion proof (audit path) `PATH(index, D[size])` of the leaf at `index` in the tree
    /// as it was at `size` leaves. Requires `0 <= index < size <= self.size`.
    ///
    /// - Returns: the sibling hashes from the leaf's level up to the root's children; empty for a
    ///   tree of one leaf.
    /// - Throws: `AuditLogError.sizeBeyondTree` when `size > self.size`,
    ///   `AuditLogError.indexOutOfRange` when `index >= size`.
    public func inclusionProof(index: UInt64, size: UInt64) throws(AuditLogError) -> [[UInt8]] {
        guard size <= self.size else { throw .sizeBeyondTree(requested: size, treeSize: self.size) }
        return try MerkleProofPlan.inclusion(index: index, size: size).map(rangeHash)
    }

    /// The consistency proof `PROOF(from, D[to])` between the tree at `from` leaves and the tree
    /// at `to` leaves. Requires `0 < from <= to <= self.size`; `from == to` gives an empty proof.
    ///
    /// - Throws: `AuditLogError.sizeBeyondTree` when `to > self.size`,
    ///   `AuditLogError.sizesOutOfOrder` when `from > to`,
    ///   `AuditLogError.consistencyFromEmptyTree` when `from == 0` (RFC 9162 defines none: any
    ///   tree extends the empty one, and a proof could not show it).
    public func consistencyProof(from: UInt64, to: UInt64) throws(AuditLogError) -> [[UInt8]] {
        guard to <= size else { throw .sizeBeyondTree(requested: to, treeSize: size) }
        return try MerkleProofPlan.consistency(from: from, to: to).map(rangeHash)
    }
}
