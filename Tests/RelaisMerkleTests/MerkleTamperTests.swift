import RelaisCore
import Testing

/// Altered proofs, roots, leaves, indices and sizes are refused, exhaustively for small trees.
@Suite("Merkle tampering")
struct MerkleTamperTests {
    static let maxSize = 24
    static let tree = MerkleTestSupport.tree(maxSize)
    static func root(_ n: Int) -> [UInt8] { try! tree.root(size: UInt64(n)) }

    @Test("flipping any byte of an inclusion proof, the leaf hash or the root is refused")
    func inclusionBitFlips() throws {
        var tally = MerkleRefusalTally()
        let tree = Self.tree
        for n in 1...Self.maxSize {
            let root = Self.root(n)
            for i in 0..<n {
                let index = UInt64(i), size = UInt64(n)
                let proof = try tree.inclusionProof(index: index, size: size)
                let leaf = try tree.leafHash(at: index)
                for b in 0..<32 {
                    let bit = b % 8
                    for p in proof.indices {
                        var bad = proof
                        bad[p] = MerkleTestSupport.flipped(bad[p], at: b, bit: bit)
                        tally.refuse("proof[\(p)] byte \(b), leaf \(i) of \(n)") { () throws(AuditLogError) in
                            try MerkleTree.verifyInclusion(leafHash: leaf, index: index, size: size, proof: bad, root: root)
                        }
                    }
                    tally.refuse("leaf hash byte \(b), leaf \(i) of \(n)") { () throws(AuditLogError) in
                        try MerkleTree.verifyInclusion(leafHash: MerkleTestSupport.flipped(leaf, at: b, bit: bit), index: index,
                                                       size: size, proof: proof, root: root)
                    }
                    tally.refuse("root byte \(b), leaf \(i) of \(n)") { () throws(AuditLogError) in
                        try MerkleTree.verifyInclusion(leafHash: leaf, index: index, size: size, proof: proof,
                                                       root: MerkleTestSupport.flipped(root, at: b, bit: bit))
                    }
                }
            }
        }
        tally.finish(atLeast: 50000)
    }

    @Test("a proof checked at another index, or at another size against that size's root, is refused")
    func wrongIndexOrSize() throws {
        var tally = MerkleRefusalTally()
        let tree = Self.tree
        for n in 1...Self.maxSize {
            for i in 0..<n {
                let proof = try tree.inclusionProof(index: UInt64(i), size: UInt64(n))
                let leaf = try tree.leafHash(at: UInt64(i))
                for j in 0..<(n + 2) where j != i {
                    tally.refuse("leaf \(i) of \(n) claimed at index \(j)") { () throws(AuditLogError) in
                        try MerkleTree.verifyInclusion(leafHash: leaf, index: UInt64(j), size: UInt64(n), proof: proof, root: Self.root(n))
                    }
                }
                for m in 1...Self.maxSize where m != n {
                    tally.refuse("leaf \(i) of \(n) claimed in the tree of \(m)") { () throws(AuditLogError) in
                        try MerkleTree.verifyInclusion(leafHash: leaf, index: UInt64(i), size: UInt64(m), proof: proof, root: Self.root(m))
                    }
                }
            }
        }
        tally.finish(atLeast: 10000)
    }

    @Test("hashes added, removed, duplicated or swapped in an inclusion proof are refused")
    func inclusionShape() throws {
        var tally = MerkleRefusalTally()
        let tree = Self.tree
        for n in 1...Self.maxSize {
            for i in 0..<n {
                let index = UInt64(i), size = UInt64(n), root = Self.root(n)
                let proof = try tree.inclusionProof(index: index, size: size)
                let leaf = try tree.leafHash(at: index)
                var variants: [[[UInt8]]] = [proof + [root], [leaf] + proof, proof + [proof.last ?? leaf]]
                if !proof.isEmpty { variants += [Array(proof.dropLast()), Array(proof.dropFirst())] }
                if proof.count >= 2 { variants.append([proof[1], proof[0]] + proof.dropFirst(2)) }
                for (k, bad) in variants.enumerated() {
                    tally.refuse("variant \(k), leaf \(i) of \(n)") { () throws(AuditLogError) in
                        try MerkleTree.verifyInclusion(leafHash: leaf, index: index, size: size, proof: bad, root: root)
                    }
                }
            }
        }
        tally.finish(atLeast: 1500)
    }

    @Test("flipping any byte of a consistency proof or of either root, or swapping the roots, is refused")
    func consistencyBitFlips() throws {
        var tally = MerkleRefusalTally()
        let tree = Self.tree
        for n in 2...Self.maxSize {
            for m in 1..<n {
                let (size1, size2) = (UInt64(m), UInt64(n))
                let (root1, root2) = (Self.root(m), Self.root(n))
                let proof = try tree.consistencyProof(from: size1, to: size2)
                for b in 0..<32 {
                    let bit = b % 8
                    for p in proof.indices {
                        var bad = proof
                        bad[p] = MerkleTestSupport.flipped(bad[p], at: b, bit: bit)
                        tally.refuse("proof[\(p)] byte \(b), \(m) → \(n)") { () throws(AuditLogError) in
                            try MerkleTree.verifyConsistency(size1: size1, size2: size2, root1: root1, root2: root2, proof: bad)
                        }
                    }
                    tally.refuse("root1 byte \(b), \(m) → \(n)") { () throws(AuditLogError) in
                        try MerkleTree.verifyConsistency(size1: size1, size2: size2, root1: MerkleTestSupport.flipped(root1, at: b, bit: bit),
                                                         root2: root2, proof: proof)
                    }
                    tally.refuse("root2 byte \(b), \(m) → \(n)") { () throws(AuditLogError) in
                        try MerkleTree.verifyConsistency(size1: size1, size2: size2, root1: root1,
                                                         root2: MerkleTestSupport.flipped(root2, at: b, bit: bit), proof: proof)
                    }
                }
                tally.refuse("swapped roots, \(m) → \(n)") { () throws(AuditLogError) in
                    try MerkleTree.verifyConsistency(size1: size1, size2: size2, root1: root2, root2: root1, proof: proof)
                }
                tally.refuse("truncated proof, \(m) → \(n)") { () throws(AuditLogError) in
                    try MerkleTree.verifyConsistency(size1: size1, size2: size2, root1: root1, root2: root2, proof: Array(proof.dropLast()))
                }
                tally.refuse("padded proof, \(m) → \(n)") { () throws(AuditLogError) in
                    try MerkleTree.verifyConsistency(size1: size1, size2: size2, root1: root1, root2: root2, proof: proof + [root2])
                }
            }
        }
        tally.finish(atLeast: 50000)
    }

    @Test("a consistency proof checked for other sizes, against those sizes' roots, is refused")
    func consistencyWrongSizes() throws {
        var tally = MerkleRefusalTally()
        let tree = Self.tree
        let max = 16
        for n in 2...max {
            for m in 1..<n {
                let proof = try tree.consistencyProof(from: UInt64(m), to: UInt64(n))
                for m2 in 1...max {
                    for n2 in m2...max where (m2, n2) != (m, n) {
                        tally.refuse("proof \(m) → \(n) claimed as \(m2) → \(n2)") { () throws(AuditLogError) in
                            try MerkleTree.verifyConsistency(size1: UInt64(m2), size2: UInt64(n2), root1: Self.root(m2),
                                                             root2: Self.root(n2), proof: proof)
                        }
                    }
                }
            }
        }
        tally.finish(atLeast: 15000)
    }

    /// Documents why SPEC requires size and root from one checkpoint: a proof's shape depends on
    /// the index and the size only through the hashing order, and some sizes share it.
    @Test("the size is authenticated only by the checkpoint: leaf 0's proof at size 3 also fits size 4")
    func sizeOnlyBoundByCheckpoint() throws {
        let tree = Self.tree
        let proof = try tree.inclusionProof(index: 0, size: 3)
        let leaf = try tree.leafHash(at: 0)
        // Same shape: two hashes, both combined as node(r, p).
        #expect(throws: Never.self) {
            try MerkleTree.verifyInclusion(leafHash: leaf, index: 0, size: 4, proof: proof, root: Self.root(3))
        }
        // With the size-4 root, as a checkpoint of size 4 would carry, it is refused.
        #expect(throws: AuditLogError.rootMismatch(size: 4, expected: Self.root(4), calculated: Self.root(3))) {
            try MerkleTree.verifyInclusion(leafHash: leaf, index: 0, size: 4, proof: proof, root: Self.root(4))
        }
    }
}
