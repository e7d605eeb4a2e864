/// Proof generation, RFC 9162 §2.1.3.1 (inclusion) and §2.1.4.1 (consistency). Both walk the
/// RFC's recursion from the root down, iteratively, collecting one subtree hash per level, and
/// return it leaf end first, as the RFC orders proofs. Every hash comes from the cache of full
/// subtrees (`MerkleTree.rangeHash`), so a proof costs `O(log² size)` node hashes at worst.
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
        guard index < size else { throw .indexOutOfRange(index: index, size: size) }
        // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])   when m < k
        //               = PATH(m - k, D[k:n]) : MTH(D[0:k])   when m >= k
        // with k the largest power of two below n; PATH(0, {d}) = {}.
        let m = Int(index)
        var start = 0
        var end = Int(size)
        var topDown: [[UInt8]] = []
        while end - start > 1 {
            let k = Self.largestPowerOfTwo(below: end - start)
            if m - start < k {
                topDown.append(rangeHash(start + k, end))
                end = start + k
            } else {
                topDown.append(rangeHash(start, start + k))
                start += k
            }
        }
        return topDown.reversed()
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
        guard from <= to else { throw .sizesOutOfOrder(size1: from, size2: to) }
        guard from > 0 else { throw .consistencyFromEmptyTree(size2: to) }
        // PROOF(m, D[n]) = SUBPROOF(m, D[n], true)
        // SUBPROOF(m, D[m], true)  = {}
        // SUBPROOF(m, D[m], false) = {MTH(D[m])}
        // SUBPROOF(m, D[n], b) = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])          when m <= k
        //                      = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])  when m > k
        // `m` stays absolute: the relative m of the range start..<end is m - start.
        let m = Int(from)
        var start = 0
        var end = Int(to)
        var isWholeOldTree = true  // the RFC's b
        var topDown: [[UInt8]] = []
        while m != end {
            let k = Self.largestPowerOfTwo(below: end - start)
            if m - start <= k {
                topDown.append(rangeHash(start + k, end))
                end = start + k
            } else {
                topDown.append(rangeHash(start, start + k))
                start += k
                isWholeOldTree = false
            }
        }
        if !isWholeOldTree { topDown.append(rangeHash(start, end)) }
        return topDown.reversed()
    }
}
