/// One complete, aligned subtree of an RFC 9162 tree: the `2^level` leaves from `index << level`.
/// Level 0 is a leaf. Its hash never changes once the log holds its last leaf, which is what lets a
/// store keep it (SPEC.md, "Storage of the tree").
public struct MerkleSubtree: Hashable, Sendable, CustomStringConvertible {
    public var level: Int
    public var index: UInt64

    public init(level: Int, index: UInt64) {
        self.level = level
        self.index = index
    }

    /// The first leaf it covers.
    public var start: UInt64 { index << UInt64(level) }

    public var description: String { "subtree(level \(level), index \(index))" }
}

/// The right frontier of a tree of `size` leaves: the hashes of its compact range `[0, size)`, one
/// complete subtree per set bit of `size`, largest first. That is all an append-only tree needs to
/// take the next leaf and to give its root, in `O(log size)` memory whatever the size: the relay
/// keeps it in memory and stores the subtrees it completes; an auditor streams the log through it.
public struct MerkleFrontier: Sendable {
    /// The number of leaves appended.
    public private(set) var size: UInt64 = 0
    /// The hashes of `MerkleFrontier.subtrees(size:)`, in that order.
    private var hashes: [[UInt8]] = []

    /// The empty tree's frontier.
    public init() {}

    /// The frontier of the tree of `size` leaves, from the hashes of `subtrees(size:)` in order
    /// (read from a store).
    ///
    /// - Throws: `AuditLogError.wrongProofSize` when the count differs from `subtrees(size:)`,
    ///   `AuditLogError.invalidHashLength` when a hash is not 32 bytes.
    public init(size: UInt64, hashes: [[UInt8]]) throws(AuditLogError) {
        let expected = Self.subtrees(size: size).count
        guard hashes.count == expected else { throw .wrongProofSize(expected: expected, got: hashes.count) }
        for (i, hash) in hashes.enumerated() { try MerkleHashing.requireHashLength(hash, "frontier hash \(i)") }
        self.size = size
        self.hashes = hashes
    }

    /// The complete subtrees whose hashes make up the frontier of `size` leaves, largest first:
    /// for each set bit `level` of `size`, the subtree of index `(size >> level) - 1`.
    public static func subtrees(size: UInt64) -> [MerkleSubtree] {
        (0..<UInt64.bitWidth).reversed().compactMap { level in
            size & (1 << UInt64(level)) == 0 ? nil : MerkleSubtree(level: level, index: (size >> UInt64(level)) - 1)
        }
    }

    /// Appends one leaf hash and reports, lowest first, each subtree it completes above the leaf
    /// (level 1 and up): what a store keeps so that proofs need no leaf but their own.
    ///
    /// - Throws: `AuditLogError.invalidHashLength` when `leafHash` is not 32 bytes; the frontier is
    ///   then unchanged.
    public mutating func append(leafHash: [UInt8], completed: (MerkleSubtree, [UInt8]) -> Void = { _, _ in }) throws(AuditLogError) {
        try MerkleHashing.requireHashLength(leafHash, "leaf hash \(size)")
        var node = leafHash
        var subtree = MerkleSubtree(level: 0, index: size)
        // The low set bits of `size` are the frontier's smallest subtrees: each merges with the new node.
        while subtree.index & 1 == 1 {
            node = MerkleHashing.nodeHash(hashes.removeLast(), node)
            subtree = MerkleSubtree(level: subtree.level + 1, index: subtree.index >> 1)
            completed(subtree, node)
        }
        hashes.append(node)
        size += 1
    }

    /// `MTH(D[size])`: `node(h0, node(h1, … node(h(k-2), h(k-1))))` over the frontier (RFC 9162's
    /// split puts the largest complete subtree on the left); `MerkleHashing.emptyRoot` when empty.
    public var root: [UInt8] { Self.foldRight(hashes) }

    /// The hash of consecutive complete subtrees of strictly decreasing sizes, as above.
    static func foldRight(_ hashes: [[UInt8]]) -> [UInt8] {
        guard var accumulator = hashes.last else { return MerkleHashing.emptyRoot }
        for hash in hashes.dropLast().reversed() {
            accumulator = MerkleHashing.nodeHash(hash, accumulator)
        }
        return accumulator
    }
}
