import RelaisCore
import Testing

/// Each failure is reported as the right `AuditLogError` case, with the values involved, and a
/// message that names them.
@Suite("Merkle errors")
struct MerkleErrorTests {
    static let tree = MerkleTestSupport.tree(8)
    static let root8 = try! tree.root(size: 8)

    @Test("verifyInclusion: index, hash lengths, proof size, root")
    func inclusionErrors() throws {
        let tree = Self.tree
        let proof = try tree.inclusionProof(index: 5, size: 8)
        let leaf = try tree.leafHash(at: 5)
        #expect(throws: AuditLogError.indexOutOfRange(index: 8, size: 8)) {
            try MerkleTree.verifyInclusion(leafHash: leaf, index: 8, size: 8, proof: proof, root: Self.root8)
        }
        #expect(throws: AuditLogError.indexOutOfRange(index: 0, size: 0)) {
            try MerkleTree.verifyInclusion(leafHash: leaf, index: 0, size: 0, proof: [], root: MerkleHashing.emptyRoot)
        }
        #expect(throws: AuditLogError.invalidHashLength(what: "leaf hash", expected: 32, got: 31)) {
            try MerkleTree.verifyInclusion(leafHash: Array(leaf.dropLast()), index: 5, size: 8, proof: proof, root: Self.root8)
        }
        #expect(throws: AuditLogError.invalidHashLength(what: "proof[1]", expected: 32, got: 33)) {
            try MerkleTree.verifyInclusion(leafHash: leaf, index: 5, size: 8, proof: [proof[0], proof[1] + [0], proof[2]], root: Self.root8)
        }
        #expect(throws: AuditLogError.wrongProofSize(expected: 3, got: 2)) {
            try MerkleTree.verifyInclusion(leafHash: leaf, index: 5, size: 8, proof: Array(proof.prefix(2)), root: Self.root8)
        }
        let wrongLeaf = try tree.leafHash(at: 4)
        let calculated = try MerkleTree(leafHashes: (0..<8).map { i in
            i == 5 ? wrongLeaf : try tree.leafHash(at: UInt64(i))
        }).root
        #expect(throws: AuditLogError.rootMismatch(size: 8, expected: Self.root8, calculated: calculated)) {
            try MerkleTree.verifyInclusion(leafHash: wrongLeaf, index: 5, size: 8, proof: proof, root: Self.root8)
        }
    }

    @Test("verifyConsistency: order, empty tree, equal sizes, proof size, which root mismatches")
    func consistencyErrors() throws {
        let tree = Self.tree
        let root3 = try tree.root(size: 3)
        let proof = try tree.consistencyProof(from: 3, to: 8)
        #expect(throws: AuditLogError.sizesOutOfOrder(size1: 8, size2: 3)) {
            try MerkleTree.verifyConsistency(size1: 8, size2: 3, root1: Self.root8, root2: root3, proof: proof)
        }
        #expect(throws: AuditLogError.consistencyFromEmptyTree(size2: 8)) {
            try MerkleTree.verifyConsistency(size1: 0, size2: 8, root1: MerkleHashing.emptyRoot, root2: Self.root8, proof: [])
        }
        #expect(throws: AuditLogError.consistencyFromEmptyTree(size2: 0)) {
            try MerkleTree.verifyConsistency(size1: 0, size2: 0, root1: MerkleHashing.emptyRoot, root2: MerkleHashing.emptyRoot, proof: [])
        }
        #expect(throws: Never.self) {
            try MerkleTree.verifyConsistency(size1: 8, size2: 8, root1: Self.root8, root2: Self.root8, proof: [])
        }
        #expect(throws: AuditLogError.wrongProofSize(expected: 0, got: 1)) {
            try MerkleTree.verifyConsistency(size1: 8, size2: 8, root1: Self.root8, root2: Self.root8, proof: [root3])
        }
        #expect(throws: AuditLogError.rootMismatch(size: 8, expected: Self.root8, calculated: root3)) {
            try MerkleTree.verifyConsistency(size1: 8, size2: 8, root1: root3, root2: Self.root8, proof: [])
        }
        #expect(throws: AuditLogError.wrongProofSize(expected: proof.count, got: 0)) {
            try MerkleTree.verifyConsistency(size1: 3, size2: 8, root1: root3, root2: Self.root8, proof: [])
        }
        let root4 = try tree.root(size: 4)
        #expect(throws: AuditLogError.rootMismatch(size: 3, expected: root4, calculated: root3)) {
            try MerkleTree.verifyConsistency(size1: 3, size2: 8, root1: root4, root2: Self.root8, proof: proof)
        }
        #expect(throws: AuditLogError.rootMismatch(size: 8, expected: root4, calculated: Self.root8)) {
            try MerkleTree.verifyConsistency(size1: 3, size2: 8, root1: root3, root2: root4, proof: proof)
        }
    }

    @Test("generation refuses sizes beyond the tree, indices beyond the size, and consistency from 0 or backwards")
    func generationErrors() throws {
        let tree = Self.tree
        #expect(throws: AuditLogError.sizeBeyondTree(requested: 9, treeSize: 8)) { try tree.root(size: 9) }
        #expect(throws: AuditLogError.sizeBeyondTree(requested: 9, treeSize: 8)) { try tree.inclusionProof(index: 0, size: 9) }
        #expect(throws: AuditLogError.indexOutOfRange(index: 5, size: 5)) { try tree.inclusionProof(index: 5, size: 5) }
        #expect(throws: AuditLogError.indexOutOfRange(index: 8, size: 8)) { try tree.leafHash(at: 8) }
        #expect(throws: AuditLogError.sizeBeyondTree(requested: 9, treeSize: 8)) { try tree.consistencyProof(from: 1, to: 9) }
        #expect(throws: AuditLogError.sizesOutOfOrder(size1: 5, size2: 4)) { try tree.consistencyProof(from: 5, to: 4) }
        #expect(throws: AuditLogError.consistencyFromEmptyTree(size2: 4)) { try tree.consistencyProof(from: 0, to: 4) }
        #expect(try tree.consistencyProof(from: 8, to: 8).isEmpty)
        #expect(try tree.inclusionProof(index: 0, size: 1).isEmpty)
        #expect(try MerkleTree().root(size: 0) == MerkleHashing.emptyRoot)
    }

    @Test("leaf hashes of the wrong length are refused, and the tree is left unchanged")
    func badLeafHashes() throws {
        var tree = Self.tree
        #expect(throws: AuditLogError.invalidHashLength(what: "leaf hash 8", expected: 32, got: 0)) { try tree.append(leafHash: []) }
        #expect(tree.size == 8 && tree.root == Self.root8)
        #expect(throws: AuditLogError.invalidHashLength(what: "leaf hash 2", expected: 32, got: 64)) {
            try MerkleTree.root(leafHashes: [Self.root8, Self.root8, Self.root8 + Self.root8])
        }
        #expect(throws: AuditLogError.invalidHashLength(what: "leaf hash 1", expected: 32, got: 1)) {
            try MerkleTree(leafHashes: [Self.root8, [0]])
        }
    }

    @Test("messages name the values and the remedy")
    func messages() {
        let mismatch = AuditLogError.rootMismatch(size: 8, expected: [UInt8](repeating: 0, count: 32), calculated: [UInt8](repeating: 0xff, count: 32))
        #expect(mismatch.description.contains("size 8"))
        #expect(mismatch.description.contains(Base64.encode([UInt8](repeating: 0, count: 32))))
        #expect(mismatch.description.contains(Base64.encode([UInt8](repeating: 0xff, count: 32))))
        #expect(AuditLogError.indexOutOfRange(index: 9, size: 4).description.contains("9"))
        #expect(AuditLogError.indexOutOfRange(index: 9, size: 4).description.contains("size 4"))
        #expect(AuditLogError.wrongProofSize(expected: 3, got: 5).description.contains("5 hashes"))
        #expect(AuditLogError.sizesOutOfOrder(size1: 7, size2: 2).description.contains("7"))
        #expect(AuditLogError.noSignatureFromKey(name: "log.example", keyID: 0x0102_0304).description.contains("log.example+01020304"))
        #expect(AuditLogError.badSignature(name: "log.example", keyID: 0xc74f_20a3).description.contains("log.example+c74f20a3"))
    }
}
