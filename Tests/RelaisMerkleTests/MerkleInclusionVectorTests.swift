import Foundation
import RelaisCore
import Testing

/// Every file of `../shared/vectors/merkle/inclusion/**` (transparency-dev/merkle testdata): valid
/// proofs and mutated ones, run through `MerkleTree.verifyInclusion`.
@Suite("Merkle inclusion vectors", .enabled(if: MerkleVectors.shouldRun, MerkleVectors.skipMessage))
struct MerkleInclusionVectorTests {
    struct Vector: Decodable {
        let leafIdx: UInt64
        let treeSize: UInt64
        let root: String
        let leafHash: String
        let proof: [String]?
        let desc: String
        let wantErr: Bool
    }

    @Test("wantErr true is refused, false verifies, in every file")
    func everyFile() throws {
        let files = try MerkleVectors.jsonFiles(under: "merkle/inclusion")
        #expect(!files.isEmpty, "no JSON files under \(MerkleVectors.expectedRoot.path)/merkle/inclusion")
        var valid = 0
        var invalid = 0
        var passed = 0
        for file in files {
            let name = MerkleVectors.relative(file)
            let v = try JSONDecoder().decode(Vector.self, from: Data(contentsOf: file))
            let root = try #require(Base64.decode(v.root), "\(name): root is not canonical base64")
            let leafHash = try #require(Base64.decode(v.leafHash), "\(name): leafHash is not canonical base64")
            let proof = try (v.proof ?? []).map { p in try #require(Base64.decode(p), "\(name): proof hash is not canonical base64") }
            let error = MerkleTestSupport.outcome { () throws(AuditLogError) in
                try MerkleTree.verifyInclusion(leafHash: leafHash, index: v.leafIdx, size: v.treeSize, proof: proof, root: root)
            }
            if v.wantErr {
                invalid += 1
                #expect(error != nil, "\(name) (\(v.desc)): verified, but must be refused")
            } else {
                valid += 1
                #expect(error == nil, "\(name) (\(v.desc)): refused with \(String(describing: error)), but must verify")
            }
            if (error != nil) == v.wantErr { passed += 1 }
        }
        #expect(passed == files.count, "\(files.count - passed) of \(files.count) inclusion files failed")
        if passed == files.count && !files.isEmpty {
            print("Merkle vectors: \(files.count) inclusion files (\(valid) valid, \(invalid) invalid) passed")
        }
    }
}
