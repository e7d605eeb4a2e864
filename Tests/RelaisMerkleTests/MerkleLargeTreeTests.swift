import RelaisCore
import RelaisCrypto
import Testing

/// A tree of 1,000,000 leaves: appending and the root are fast, and the cached structure agrees
/// with the streaming root and with verification at large sizes. The timing line is printed, not
/// asserted (machines differ); BENCHMARKS.md records release measurements.
@Suite("Merkle tree at scale")
struct MerkleLargeTreeTests {
    static let leafCount = 1_000_000

    static func entry(_ i: Int) -> [UInt8] { UInt64(i).bigEndianBytes }

    @Test("1,000,000 leaves: root, prefix roots and proofs agree with the streaming root and verify")
    func millionLeaves() throws {
        let n = Self.leafCount
        let clock = ContinuousClock()
        var tree = MerkleTree()
        let start = clock.now
        for i in 0..<n { tree.append(entry: Self.entry(i)) }
        let root = tree.root
        let elapsed = clock.now - start
        print("MerkleTree: appended \(n) leaves (hashing each entry) and computed the root in \(elapsed)")

        let size = UInt64(n)
        #expect(tree.size == size)
        let streamed = try MerkleTree.root(leafHashes: (0..<size).lazy.map { try! tree.leafHash(at: $0) })
        #expect(root == streamed)

        for index in [0, 1, 524_287, 524_288, n / 2, n - 2, n - 1].map(UInt64.init) {
            let proof = try tree.inclusionProof(index: index, size: size)
            #expect((1...20).contains(proof.count), "proof length \(proof.count) for leaf \(index)")
            #expect(throws: Never.self, "leaf \(index)") {
                try MerkleTree.verifyInclusion(leafHash: MerkleHashing.leafHash(Self.entry(Int(index))), index: index, size: size,
                                               proof: proof, root: root)
            }
        }
        for old in [1, 2, 3, 524_288, 524_289, 777_777, n - 1, n].map(UInt64.init) {
            let oldRoot = try tree.root(size: old)
            let proof = try tree.consistencyProof(from: old, to: size)
            #expect(throws: Never.self, "consistency \(old) → \(n)") {
                try MerkleTree.verifyConsistency(size1: old, size2: size, root1: oldRoot, root2: root, proof: proof)
            }
        }
        // A prefix root is the root of a tree that stopped there.
        let prefix = 100_003
        #expect(try tree.root(size: UInt64(prefix))
                == MerkleTree.root(leafHashes: (0..<prefix).lazy.map { MerkleHashing.leafHash(Self.entry($0)) }))
    }
}
