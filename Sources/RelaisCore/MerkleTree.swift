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
        return rangeHash(0 ..< size)
    }

    /// The root of a whole list of leaf hashes, without keeping them: what an auditor computes
    /// over a downloaded log. Memory is `O(log n)` hashes, so `leafHashes` may be a lazy sequence
    /// streaming from disk.
    ///
    /// - Returns: `MTH(D[n])`; `MerkleHashing.emptyRoot` for no leaves.
    /// - Throws: `AuditLogError.invalidHashLength` when a leaf hash is not 32 bytes.
    public static func root(leafHashes: some Sequence<[UInt8]>) throws(AuditLogError) -> [UInt8] {
        var frontier = MerkleFrontier()
        for leaf in leafHashes { try frontier.append(leafHash: leaf) }
        return frontier.root
    }

    // MARK: - Internals shared with the proof generator

    /// `MTH(D[range])`. Requires `range` within the tree and aligned as `MerkleProofPlan.subtrees(of:)` says.
    func rangeHash(_ range: Range<UInt64>) -> [UInt8] {
        precondition(range.upperBound <= size, "range \(range) outside tree of \(size)")
        return MerkleProofPlan.hash(of: range) { subtreeHash(level: $0.level, index: Int($0.index)) }
    }

    /// The cached hash of the complete subtree of `2^level` leaves starting at leaf
    /// `index << level`.
    private func subtreeHash(level: Int, index: Int) -> [UInt8] {
        levels[level].withUnsafeBytes { Array(Self.slot($0, index)) }
    }

    private static func slot(_ bytes: UnsafeRawBufferPointer, _ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[index * width ..< (index + 1) * width])
    }
}
