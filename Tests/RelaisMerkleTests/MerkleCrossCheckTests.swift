import RelaisCore
import Testing

/// The fast tree against the literal RFC 9162 recursion (`MerkleReference`), for every tree size
/// 1…64, every leaf index and every pair of sizes: same roots, same proofs, and the proofs verify.
@Suite("Merkle tree against the RFC 9162 reference")
struct MerkleCrossCheckTests {
    static let maxSize = 64
    static let entries = MerkleTestSupport.entries(maxSize)
    static let tree = MerkleTestSupport.tree(maxSize)

    @Test("roots of every size 0…64: prefix roots, fresh trees and the streaming root agree with MTH")
    func roots() throws {
        let tree = Self.tree
        #expect(tree.size == UInt64(Self.maxSize))
        for n in 0...Self.maxSize {
            let expected = MerkleReference.mth(Self.entries[0..<n])
            #expect(try tree.root(size: UInt64(n)) == expected, "prefix root of size \(n)")
            let fresh = MerkleTestSupport.tree(n)
            #expect(fresh.root == expected, "root of a tree of exactly \(n) leaves")
            let leafHashes = Self.entries[0..<n].map(MerkleHashing.leafHash)
            #expect(try MerkleTree.root(leafHashes: leafHashes) == expected, "streaming root of \(n) leaves")
            #expect(try MerkleTree(leafHashes: leafHashes).root == expected, "tree built from \(n) leaf hashes")
        }
    }

    @Test("inclusion proofs for every index of every size 1…64 equal PATH and verify")
    func inclusionProofs() throws {
        let tree = Self.tree
        var checked = 0
        for n in 1...Self.maxSize {
            let d = Self.entries[0..<n]
            let root = MerkleReference.mth(d)
            for m in 0..<n {
                let proof = try tree.inclusionProof(index: UInt64(m), size: UInt64(n))
                #expect(proof == MerkleReference.path(m, d), "PATH(\(m), D[\(n)])")
                let leafHash = try tree.leafHash(at: UInt64(m))
                #expect(leafHash == MerkleHashing.leafHash(Self.entries[m]))
                #expect(throws: Never.self, "proof for leaf \(m) of \(n) verifies") {
                    try MerkleTree.verifyInclusion(leafHash: leafHash, index: UInt64(m), size: UInt64(n), proof: proof, root: root)
                }
                checked += 1
            }
        }
        #expect(checked == Self.maxSize * (Self.maxSize + 1) / 2)
    }

    @Test("consistency proofs for every pair 1 <= m <= n <= 64 equal PROOF and verify")
    func consistencyProofs() throws {
        let tree = Self.tree
        var checked = 0
        for n in 1...Self.maxSize {
            let d = Self.entries[0..<n]
            let root2 = MerkleReference.mth(d)
            for m in 1...n {
                let root1 = MerkleReference.mth(Self.entries[0..<m])
                let proof = try tree.consistencyProof(from: UInt64(m), to: UInt64(n))
                #expect(proof == MerkleReference.proof(m, d), "PROOF(\(m), D[\(n)])")
                #expect(throws: Never.self, "consistency \(m) → \(n) verifies") {
                    try MerkleTree.verifyConsistency(size1: UInt64(m), size2: UInt64(n), root1: root1, root2: root2, proof: proof)
                }
                checked += 1
            }
        }
        #expect(checked == Self.maxSize * (Self.maxSize + 1) / 2)
    }

    @Test("sampled sizes up to 1,000: roots and proofs equal the reference", arguments: [65, 100, 127, 128, 129, 255, 511, 777, 1000])
    func largerSizes(n: Int) throws {
        let entries = MerkleTestSupport.entries(n)
        var tree = MerkleTree()
        for e in entries { tree.append(entry: e) }
        let d = entries[...]
        let root = MerkleReference.mth(d)
        #expect(tree.root == root)
        for m in Set([0, 1, n / 3, n / 2, n - 2, n - 1]) {
            #expect(try tree.inclusionProof(index: UInt64(m), size: UInt64(n)) == MerkleReference.path(m, d), "PATH(\(m), D[\(n)])")
        }
        for m in Set([1, 2, 3, 64, n / 2, n - 1, n]) where m <= n {
            let proof = try tree.consistencyProof(from: UInt64(m), to: UInt64(n))
            #expect(proof == MerkleReference.proof(m, d), "PROOF(\(m), D[\(n)])")
            #expect(throws: Never.self) {
                try MerkleTree.verifyConsistency(size1: UInt64(m), size2: UInt64(n), root1: MerkleReference.mth(entries[0..<m]),
                                                 root2: root, proof: proof)
            }
        }
    }
}
