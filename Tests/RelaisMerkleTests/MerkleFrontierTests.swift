import RelaisCore
import Testing

/// The right frontier (what the relay keeps in memory) and the subtrees it completes (what the relay
/// stores) against the literal RFC 9162 recursion (`MerkleReference`).
@Suite("Merkle frontier against the RFC 9162 reference")
struct MerkleFrontierTests {
    static let maxSize = 64
    static let entries = MerkleTestSupport.entries(maxSize)

    @Test("every completed subtree is MTH of its leaves, each once, and the frontier's root is MTH at every size")
    func completedSubtreesAndRoots() throws {
        var frontier = MerkleFrontier()
        var completed: [MerkleSubtree: [UInt8]] = [:]
        for (n, entry) in Self.entries.enumerated() {
            try frontier.append(leafHash: MerkleHashing.leafHash(entry)) { subtree, hash in
                #expect(completed[subtree] == nil, "\(subtree) completed twice")
                completed[subtree] = hash
                #expect(subtree.start + (1 << UInt64(subtree.level)) == UInt64(n + 1), "\(subtree) completes with leaf \(n)")
            }
            #expect(frontier.size == UInt64(n + 1))
            #expect(frontier.root == MerkleReference.mth(Self.entries[0...n]), "root of \(n + 1)")
        }
        // 64 leaves: 32 + 16 + 8 + 4 + 2 + 1 subtrees above the leaves.
        #expect(completed.count == Self.maxSize - 1)
        for (subtree, hash) in completed {
            let start = Int(subtree.start)
            #expect(hash == MerkleReference.mth(Self.entries[start ..< start + (1 << subtree.level)]), "\(subtree)")
        }
        #expect(MerkleFrontier().root == MerkleHashing.emptyRoot)
    }

    @Test("a frontier read back from its subtrees' hashes takes the next leaves as the original does", arguments: [1, 2, 3, 7, 8, 13, 32, 63])
    func frontierFromStoredSubtrees(size: Int) throws {
        let tree = MerkleTestSupport.tree(size)
        let subtrees = MerkleFrontier.subtrees(size: UInt64(size))
        #expect(subtrees.count == size.nonzeroBitCount)
        let hashes = subtrees.map { MerkleReference.mth(Self.entries[Int($0.start) ..< Int($0.start) + (1 << $0.level)]) }
        var resumed = try MerkleFrontier(size: UInt64(size), hashes: hashes)
        #expect(resumed.root == tree.root)
        for entry in Self.entries[size...] { try resumed.append(leafHash: MerkleHashing.leafHash(entry)) }
        #expect(resumed.root == MerkleReference.mth(Self.entries[...]))
        #expect(throws: AuditLogError.wrongProofSize(expected: subtrees.count, got: subtrees.count + 1)) {
            try MerkleFrontier(size: UInt64(size), hashes: hashes + [hashes[0]])
        }
    }

    @Test("a leaf hash of the wrong length is refused and leaves the frontier unchanged")
    func wrongLength() throws {
        var frontier = MerkleFrontier()
        try frontier.append(leafHash: MerkleHashing.leafHash([1]))
        let root = frontier.root
        #expect(throws: AuditLogError.self) { try frontier.append(leafHash: [1, 2, 3]) }
        #expect(frontier.size == 1 && frontier.root == root)
    }
}
