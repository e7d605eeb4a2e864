import RelaisCore
import RelaisCrypto
import Testing

/// Published values: the RFC 6962 test tree of Certificate Transparency (the leaves and roots in
/// transparency-dev/merkle `testonly/constants.go`, also the tree behind the external vectors),
/// and the hashing constants of RFC 9162 §2.1.1.
@Suite("Merkle known answers")
struct MerkleKnownAnswerTests {
    static let leaves: [[UInt8]] = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                    "606162636465666768696a6b6c6d6e6f"].map(MerkleTestSupport.hex)
    /// Roots of sizes 0…8.
    static let roots: [String] = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    static var tree: MerkleTree {
        var tree = MerkleTree()
        for leaf in leaves { tree.append(entry: leaf) }
        return tree
    }

    @Test("prefixes, empty root and the two hash functions")
    func constants() {
        #expect(MerkleHashing.leafPrefix == 0x00)
        #expect(MerkleHashing.nodePrefix == 0x01)
        #expect(MerkleHashing.hashByteCount == 32)
        #expect(Hex.encode(MerkleHashing.emptyRoot) == Self.roots[0])
        #expect(Hex.encode(MerkleTree().root) == Self.roots[0])
        #expect(MerkleHashing.leafHash([1, 2]) == SHA256.hash([0x00, 1, 2]))
        let a = [UInt8](repeating: 0xaa, count: 32), b = [UInt8](repeating: 0xbb, count: 32)
        #expect(MerkleHashing.nodeHash(a, b) == SHA256.hash([0x01] + a + b))
        #expect(MerkleHashing.nodeHash(a, b) != MerkleHashing.nodeHash(b, a))
    }

    @Test("roots of the RFC 6962 test tree, sizes 0…8")
    func roots() throws {
        let tree = Self.tree
        for n in 0...8 {
            #expect(Hex.encode(try tree.root(size: UInt64(n))) == Self.roots[n], "size \(n)")
            #expect(Hex.encode(try MerkleTree.root(leafHashes: Self.leaves[0..<n].map(MerkleHashing.leafHash))) == Self.roots[n])
        }
    }

    /// The proofs of the external vectors' happy paths (merkle/inclusion/{1,2,3,4},
    /// merkle/consistency/{1,2,3,4}), pinned here so that generation is checked against published
    /// data even where ../shared/vectors is absent.
    @Test("generated proofs equal the published ones")
    func publishedProofs() throws {
        let tree = Self.tree
        let inclusion: [(index: UInt64, size: UInt64, proof: [String])] = [
            (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
            (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
            (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
            (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
        ]
        for v in inclusion {
            #expect(try tree.inclusionProof(index: v.index, size: v.size).map(Hex.encode) == v.proof, "leaf \(v.index) of \(v.size)")
        }
        let consistency: [(size1: UInt64, size2: UInt64, proof: [String])] = [
            (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
            (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
            (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
            (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        ]
        for v in consistency {
            #expect(try tree.consistencyProof(from: v.size1, to: v.size2).map(Hex.encode) == v.proof, "\(v.size1) → \(v.size2)")
        }
    }
}
