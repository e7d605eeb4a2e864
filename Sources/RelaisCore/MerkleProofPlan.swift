/// Which hashes make up a proof, RFC 9162 §2.1.3.1 (inclusion) and §2.1.4.1 (consistency),
/// apart from where they are kept: each proof hash is `MTH(D[start:end])` of one leaf range, and
/// each such range is a few complete aligned subtrees (`MerkleSubtree`). The in-memory tree
/// (`MerkleTree+Proofs`) and the relay's stored tree (`StoredAuditTree`) both build their proofs
/// here, so they are the same proofs byte for byte.
public enum MerkleProofPlan {
    /// The leaf ranges of `PATH(index, D[size])`, leaf end first. Requires `0 <= index < size`.
    ///
    /// - Throws: `AuditLogError.indexOutOfRange` when `index >= size`.
    public static func inclusion(index: UInt64, size: UInt64) throws(AuditLogError) -> [Range<UInt64>] {
        guard index < size else { throw .indexOutOfRange(index: index, size: size) }
        // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])   when m < k
        //               = PATH(m - k, D[k:n]) : MTH(D[0:k])   when m >= k
        // with k the largest power of two below n; PATH(0, {d}) = {}.
        var start: UInt64 = 0
        var end = size
        var topDown: [Range<UInt64>] = []
        while end - start > 1 {
            let k = largestPowerOfTwo(below: end - start)
            if index - start < k {
                topDown.append(start + k ..< end)
                end = start + k
            } else {
                topDown.append(start ..< start + k)
                start += k
            }
        }
        return topDown.reversed()
    }

    /// The leaf ranges of `PROOF(from, D[to])`, leaf end first. Requires `0 < from <= to`;
    /// `from == to` gives none.
    ///
    /// - Throws: `AuditLogError.sizesOutOfOrder` when `from > to`,
    ///   `AuditLogError.consistencyFromEmptyTree` when `from == 0` (RFC 9162 defines none: any
    ///   tree extends the empty one, and a proof could not show it).
    public static func consistency(from: UInt64, to: UInt64) throws(AuditLogError) -> [Range<UInt64>] {
        guard from <= to else { throw .sizesOutOfOrder(size1: from, size2: to) }
        guard from > 0 else { throw .consistencyFromEmptyTree(size2: to) }
        // PROOF(m, D[n]) = SUBPROOF(m, D[n], true)
        // SUBPROOF(m, D[m], true)  = {}
        // SUBPROOF(m, D[m], false) = {MTH(D[m])}
        // SUBPROOF(m, D[n], b) = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])          when m <= k
        //                      = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])  when m > k
        // `m` stays absolute: the relative m of the range start..<end is m - start.
        let m = from
        var start: UInt64 = 0
        var end = to
        var isWholeOldTree = true  // the RFC's b
        var topDown: [Range<UInt64>] = []
        while m != end {
            let k = largestPowerOfTwo(below: end - start)
            if m - start <= k {
                topDown.append(start + k ..< end)
                end = start + k
            } else {
                topDown.append(start ..< start + k)
                start += k
                isWholeOldTree = false
            }
        }
        if !isWholeOldTree { topDown.append(start ..< end) }
        return topDown.reversed()
    }

    /// The complete subtrees of `range`, largest first. Requires `range` non-empty and its start a
    /// multiple of the largest power of two not above its length, which holds for every range the
    /// RFC's recursion visits (its left parts are complete and aligned).
    public static func subtrees(of range: Range<UInt64>) -> [MerkleSubtree] {
        precondition(!range.isEmpty, "empty range \(range)")
        var parts: [MerkleSubtree] = []
        var at = range.lowerBound
        while at < range.upperBound {
            let level = UInt64.bitWidth - 1 - (range.upperBound - at).leadingZeroBitCount  // largest 2^level <= end - at
            precondition(at & ((1 << UInt64(level)) - 1) == 0, "unaligned subtree at \(at), level \(level)")
            parts.append(MerkleSubtree(level: level, index: at >> UInt64(level)))
            at += 1 << UInt64(level)
        }
        return parts
    }

    /// Every subtree the hashes of `ranges` need, each once, in a stable order (what to fetch).
    public static func subtrees(of ranges: [Range<UInt64>]) -> [MerkleSubtree] {
        var seen = Set<MerkleSubtree>()
        return ranges.flatMap { subtrees(of: $0) }.filter { seen.insert($0).inserted }
    }

    /// `MTH(D[range])` from the hashes of `subtrees(of: range)`.
    public static func hash<E: Error>(of range: Range<UInt64>, subtree: (MerkleSubtree) throws(E) -> [UInt8]) throws(E) -> [UInt8] {
        var parts: [[UInt8]] = []
        for s in subtrees(of: range) { parts.append(try subtree(s)) }
        return MerkleFrontier.foldRight(parts)
    }

    /// The largest power of two strictly below `n`. Requires `n >= 2`.
    static func largestPowerOfTwo(below n: UInt64) -> UInt64 {
        1 << UInt64(UInt64.bitWidth - 1 - (n - 1).leadingZeroBitCount)
    }
}
