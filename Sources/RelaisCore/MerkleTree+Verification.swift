/// Proof verification, RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), step by step.
/// Static: a verifier needs no tree, only the hashes it was given and the sizes and roots of
/// checkpoints it has verified.
///
/// Before the RFC's steps each function checks what the RFC leaves implicit, so that the error
/// names the fault: sizes and index in range, 32-byte hashes, and the exact proof length (the
/// RFC's loop would also fail on a wrong length, with less to say).
///
/// A proof binds a leaf (or an old root) to a root *at a size*, but different sizes can share a
/// proof's shape: callers MUST take `size` and `root` from the same verified checkpoint.
extension MerkleTree {
    /// Verifies that `leafHash` is the leaf at `index` of the tree of `size` leaves whose root is
    /// `root`. Requires `0 <= index < size`.
    ///
    /// - Parameters:
    ///   - leafHash: `SHA-256(0x00 ‖ entry)`, 32 bytes.
    ///   - proof: the audit path, leaf end first, 32 bytes per hash.
    ///   - root: the root from the verified checkpoint of size `size`; compared byte for byte.
    /// - Throws: `AuditLogError.indexOutOfRange` when `index >= size`;
    ///   `.invalidHashLength` for a leaf or proof hash that is not 32 bytes;
    ///   `.wrongProofSize` when the proof has too few or too many hashes;
    ///   `.rootMismatch(size:expected:calculated:)` when the calculated root is not `root`.
    public static func verifyInclusion(leafHash: [UInt8], index: UInt64, size: UInt64, proof: [[UInt8]],
                                       root: [UInt8]) throws(AuditLogError) {
        // 1. If leaf_index >= tree_size, fail.
        guard index < size else { throw .indexOutOfRange(index: index, size: size) }
        try MerkleHashing.requireHashLength(leafHash, "leaf hash")
        for (i, p) in proof.enumerated() { try MerkleHashing.requireHashLength(p, "proof[\(i)]") }
        let expected = inclusionProofLength(index: index, size: size)
        guard proof.count == expected else { throw .wrongProofSize(expected: expected, got: proof.count) }

        // 2. fn = leaf_index, sn = tree_size - 1.  3. r = hash.
        var fn = index
        var sn = size - 1
        var r = leafHash
        // 4. For each p in inclusion_path:
        for p in proof {
            // a. If sn is 0, fail.
            guard sn != 0 else { throw .wrongProofSize(expected: expected, got: proof.count) }
            // b. If LSB(fn) is set, or fn == sn:
            if fn & 1 == 1 || fn == sn {
                // i. r = HASH(0x01 ‖ p ‖ r)
                r = MerkleHashing.nodeHash(p, r)
                // ii. If LSB(fn) is not set, right-shift fn and sn until LSB(fn) is set or fn is 0.
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                // Otherwise r = HASH(0x01 ‖ r ‖ p)
                r = MerkleHashing.nodeHash(r, p)
            }
            // c. Right-shift fn and sn once.
            fn >>= 1
            sn >>= 1
        }
        // 5. sn must be 0, and r must equal root_hash.
        guard sn == 0 else { throw .wrongProofSize(expected: expected, got: proof.count) }
        guard r == root else { throw .rootMismatch(size: size, expected: root, calculated: r) }
    }

    /// Verifies that the tree of `size2` leaves with root `root2` extends the tree of `size1`
    /// leaves with root `root1`: same first `size1` leaves, nothing changed, only appended.
    /// Requires `0 < size1 <= size2`.
    ///
    /// For `size1 == size2` the proof must be empty and the roots equal. Consistency from size 0
    /// is refused (RFC 9162 defines proofs for `0 < first < second` only; an auditor with no
    /// earlier checkpoint recomputes the tree instead).
    ///
    /// - Parameters:
    ///   - proof: `PROOF(size1, D[size2])`, 32 bytes per hash.
    ///   - root1, root2: the roots of the verified checkpoints of sizes `size1` and `size2`;
    ///     compared byte for byte.
    /// - Throws: `AuditLogError.sizesOutOfOrder` when `size1 > size2`;
    ///   `.consistencyFromEmptyTree` when `size1 == 0`;
    ///   `.invalidHashLength` for a proof hash that is not 32 bytes;
    ///   `.wrongProofSize` when the proof has too few or too many hashes;
    ///   `.rootMismatch(size:expected:calculated:)` naming `size1` or `size2`, whichever root the
    ///   proof does not reproduce.
    public static func verifyConsistency(size1: UInt64, size2: UInt64, root1: [UInt8], root2: [UInt8],
                                         proof: [[UInt8]]) throws(AuditLogError) {
        guard size1 <= size2 else { throw .sizesOutOfOrder(size1: size1, size2: size2) }
        guard size1 > 0 else { throw .consistencyFromEmptyTree(size2: size2) }
        if size1 == size2 {
            guard proof.isEmpty else { throw .wrongProofSize(expected: 0, got: proof.count) }
            guard root1 == root2 else { throw .rootMismatch(size: size2, expected: root2, calculated: root1) }
            return
        }
        for (i, p) in proof.enumerated() { try MerkleHashing.requireHashLength(p, "proof[\(i)]") }
        let expected = consistencyProofLength(size1: size1, size2: size2)
        // 1. If consistency_path is empty, fail (expected is never 0 for size1 < size2).
        guard proof.count == expected, !proof.isEmpty else { throw .wrongProofSize(expected: expected, got: proof.count) }

        // 2. If first is an exact power of 2, prepend first_hash to consistency_path.
        let path = size1 & (size1 - 1) == 0 ? [root1] + proof : proof
        // 3. fn = first - 1, sn = second - 1.
        var fn = size1 - 1
        var sn = size2 - 1
        // 4. If LSB(fn) is set, right-shift fn and sn until LSB(fn) is not set.
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        // 5. fr = sr = consistency_path[0].
        var fr = path[0]
        var sr = path[0]
        // 6. For each subsequent c in consistency_path:
        for c in path.dropFirst() {
            // a. If sn is 0, fail.
            guard sn != 0 else { throw .wrongProofSize(expected: expected, got: proof.count) }
            // b. If LSB(fn) is set, or fn == sn:
            if fn & 1 == 1 || fn == sn {
                // i. fr = HASH(0x01 ‖ c ‖ fr)  ii. sr = HASH(0x01 ‖ c ‖ sr)
                fr = MerkleHashing.nodeHash(c, fr)
                sr = MerkleHashing.nodeHash(c, sr)
                // iii. If LSB(fn) is not set, right-shift fn and sn until LSB(fn) is set or fn is 0.
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                // Otherwise sr = HASH(0x01 ‖ sr ‖ c)
                sr = MerkleHashing.nodeHash(sr, c)
            }
            // c. Right-shift fn and sn once.
            fn >>= 1
            sn >>= 1
        }
        // 7. fr must equal first_hash, sr must equal second_hash, and sn must be 0.
        guard sn == 0 else { throw .wrongProofSize(expected: expected, got: proof.count) }
        guard fr == root1 else { throw .rootMismatch(size: size1, expected: root1, calculated: fr) }
        guard sr == root2 else { throw .rootMismatch(size: size2, expected: root2, calculated: sr) }
    }

    /// The number of hashes in `PATH(index, D[size])`: the levels below the point where the paths
    /// to `index` and to `size - 1` meet, plus one per left sibling on the right border above it.
    /// Requires `index < size`.
    static func inclusionProofLength(index: UInt64, size: UInt64) -> Int {
        let inner = UInt64.bitWidth - (index ^ (size - 1)).leadingZeroBitCount
        let border = (index >> UInt64(inner)).nonzeroBitCount
        return inner + border
    }

    /// The number of hashes in `PROOF(size1, D[size2])`. Requires `0 < size1 < size2`.
    /// The proof is the inclusion path of leaf `size1 - 1` in the tree of `size2`, without the
    /// levels inside the complete subtree that ends at `size1` (their hashes are known to the
    /// verifier), plus that subtree's hash unless it is the whole old tree (`size1` a power of 2).
    static func consistencyProofLength(size1: UInt64, size2: UInt64) -> Int {
        let shift = size1.trailingZeroBitCount
        let full = inclusionProofLength(index: size1 - 1, size: size2) - shift
        return size1 == 1 << UInt64(shift) ? full : full + 1
    }
}
