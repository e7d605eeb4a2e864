/// An append-only Merkle tree of leaf hashes, RFC 9162 §2.1 (hashing in `MerkleHashing`).
///
/// It keeps every leaf hash and, for each level `k`, the hash of every complete subtree of `2^k`
/// leaves (the cache of full subtrees), each level one contiguous byte array. Appending a leaf
/// costs one node hash on average; the root of any prefix size, and every hash an inclusion or
/// consistency proof needs, is then at most `2 log2(size)` cached lookups and node hashes. Memory
/// is about 64 bytes per leaf (1,000,000 leaves: 64 MB).
///
/// A value type: copies are independent (copy-on-write). Proof generation is in
/// `MerkleTree+Proofs.swift`, verification (which needs no tree) in `MerkleTree+Verification.swift`.
public struct MerkleTree: Sendable {
    /// `levels[k]` is the concatenation of the hashes of the complete subtrees of `2^k` leaves,
    /// left to right; `levels[0]` holds the leaf hashes.
    private var levels: [[UInt8]] = [[]]

    private static let width = MerkleHashing.hashByteCount

    /// An empty tree (size 0, root `MerkleHashing.emptyRoot`).
    public init() {}

    /// A tree of the given leaf hashes, in order.
    ///
    /// - Throws: `AuditLogError.invalidHashLength` when a leaf hash is not 32 bytes.
    public init(leafHashes: some Sequence<[UInt8]>) throws(AuditLogError) {
        for hash in leafHashes { try append(leafHash: hash) }
    }

    /// The number of leaves.
    public var size: UInt64 { UInt64(leafCount) }

    private var leafCount: Int { levels[0].count / Self.width }

    /// Appends one leaf hash (`MerkleHashing.leafHash(entry)`; the tree never sees entries).
    ///
    /// - Throws: `AuditLogError.invalidHashLength` when `leafHash` is not 32 bytes; the tree is
    ///   then unchanged.
    public mutating func append(leafHash: [UInt8]) throws(AuditLogError) {
        try MerkleHashing.requireHashLength(leafHash, "leaf hash \(size)")
        levels[0].append(contentsOf: leafHash)
        // Each time a level gains an entry at an odd index, a pair is complete: hash it one level up.
        var level = 0
        var index = leafCount - 1
        while index & 1 == 1 {
            let parent = levels[level].withUnsafeBytes { bytes in
                MerkleHashing.nodeHash(Self.slot(bytes, index - 1), Self.slot(bytes, index))
            }
            level += 1
            if levels.count == level { levels.append([]) }
            levels[level].append(contentsOf: parent)
            index >>= 1
        }
    }

    /// Hashes `entry` as a leaf (`SHA-256(0x00 ‖ entry)`), appends it, and returns the leaf hash.
    @discardableResult
    public mutating func append(entry: [UInt8]) -> [UInt8] {
        let hash = MerkleHashing.leafHash(entry)
        try! append(leafHash: hash)  // 32 bytes by construction
        return hash
    }

    /// The leaf hash at `index`. Requires `0 <= index < size`.
    ///
    /// - Throws: `AuditLogError.indexOutOfRange` otherwise.
    public func leafHash(at index: UInt64) throws(AuditLogError) -> [UInt8] {
        guard index < size else { throw .indexOutOfRange(index: index, size: size) }
        return subtreeHash(level: 0, index: Int(index))
    }

    /// The root of the whole tree: `MTH(D[size])`, `MerkleHashing.emptyRoot` when empty.
    public var root: [UInt8] { try! root(size: size) }

    /// The root the tree had when it held its first `size` leaves, `MTH(D[0:size])`. Requires
    /// `0 <= size <= self.size`; size 0 gives `MerkleHashing.emptyRoot`.
    ///
    /// - Throws: `AuditLogError.sizeBeyondTree` when `size` exceeds the leaves held.
    public func root(size: UInt64) throws(AuditLogError) -> [UInt8] {
        guard size <= self.size else { throw .sizeBeyondTree(requested: size, treeSize: self.size) }
        guard size > 0 else { return MerkleHashing.emptyRoot }
        return rangeHash(0, Int(size))
    }

    /// The root of a whole list of leaf hashes, without keeping them: what an auditor computes
    /// over a downloaded log. Memory is `O(log n)` hashes, so `leafHashes` may be a lazy sequence
    /// streaming from disk.
    ///
    /// - Returns: `MTH(D[n])`; `MerkleHashing.emptyRoot` for no leaves.
    /// - Throws: `AuditLogError.invalidHashLength` when a leaf hash is not 32 bytes.
    public static func root(leafHashes: some Sequence<[UInt8]>) throws(AuditLogError) -> [UInt8] {
        // The compact range of [0, n): one hash per complete subtree, sizes strictly decreasing
        // left to right (the binary digits of n). Equal neighbours merge as leaves arrive.
        var stack: [(hash: [UInt8], level: Int)] = []
        var count: UInt64 = 0
        for leaf in leafHashes {
            try MerkleHashing.requireHashLength(leaf, "leaf hash \(count)")
            count += 1
            var node = (hash: leaf, level: 0)
            while let last = stack.last, last.level == node.level {
                stack.removeLast()
                node = (MerkleHashing.nodeHash(last.hash, node.hash), node.level + 1)
            }
            stack.append(node)
        }
        return foldRight(stack.map(\.hash))
    }

    // MARK: - Internals shared with the proof generator

    /// `MTH(D[start:end])`. Requires `0 <= start < end <= size` and `start` a multiple of the
    /// largest power of two not above `end - start`, which holds for every range RFC 9162's
    /// recursion visits (its left parts are complete and aligned).
    func rangeHash(_ start: Int, _ end: Int) -> [UInt8] {
        precondition(0 <= start && start < end && end <= leafCount, "range \(start)..<\(end) outside tree of \(leafCount)")
        // Split into complete subtrees, largest first; each is one cached hash.
        var parts: [[UInt8]] = []
        var at = start
        while at < end {
            let level = Int.bitWidth - 1 - (end - at).leadingZeroBitCount  // largest 2^level <= end - at
            precondition(at & ((1 << level) - 1) == 0, "unaligned subtree at \(at), level \(level)")
            parts.append(subtreeHash(level: level, index: at >> level))
            at += 1 << level
        }
        return Self.foldRight(parts)
    }

    /// The cached hash of the complete subtree of `2^level` leaves starting at leaf
    /// `index << level`.
    private func subtreeHash(level: Int, index: Int) -> [UInt8] {
        levels[level].withUnsafeBytes { Array(Self.slot($0, index)) }
    }

    private static func slot(_ bytes: UnsafeRawBufferPointer, _ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[index * width ..< (index + 1) * width])
    }

    /// `MTH` of consecutive complete subtrees of strictly decreasing sizes: by RFC 9162's split
    /// (the left part is the largest power of two below n), the root is
    /// `node(h0, node(h1, … node(h(n-2), h(n-1))))`.
    private static func foldRight(_ hashes: [[UInt8]]) -> [UInt8] {
        guard var accumulator = hashes.last else { return MerkleHashing.emptyRoot }
        for hash in hashes.dropLast().reversed() {
            accumulator = MerkleHashing.nodeHash(hash, accumulator)
        }
        return accumulator
    }

    /// The largest power of two strictly below `n`. Requires `n >= 2`.
    static func largestPowerOfTwo(below n: Int) -> Int {
        1 << (Int.bitWidth - 1 - (n - 1).leadingZeroBitCount)
    }
}
