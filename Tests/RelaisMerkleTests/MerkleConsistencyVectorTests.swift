import Foundation
import RelaisCore
import Testing

/// Every file of `../shared/vectors/merkle/consistency/**` (transparency-dev/merkle testdata):
/// valid proofs and mutated ones, run through `MerkleTree.verifyConsistency`.
@Suite("Merkle consistency vectors", .enabled(if: MerkleVectors.shouldRun, MerkleVectors.skipMessage))
struct MerkleConsistencyVectorTests {
    struct Vector: Decodable {
        let size1: UInt64
        let size2: UInt64
        let root1: String
        let root2: String
        let proof: [String]?
        let desc: String
        let wantErr: Bool
    }

    @Test("wantErr true is refused, false verifies, in every file")
    func everyFile() throws {
        let files = try MerkleVectors.jsonFiles(under: "merkle/consistency")
        #expect(!files.isEmpty, "no JSON files under \(MerkleVectors.expectedRoot.path)/merkle/consistency")
        var valid = 0
        var invalid = 0
        var passed = 0
        for file in files {
            let name = MerkleVectors.relative(file)
            let v = try JSONDecoder().decode(Vector.self, from: Data(contentsOf: file))
            let root1 = try #require(Base64.decode(v.root1), "\(name): root1 is not canonical base64")
            let root2 = try #require(Base64.decode(v.root2), "\(name): root2 is not canonical base64")
            let proof = try (v.proof ?? []).map { p in try #require(Base64.decode(p), "\(name): proof hash is not canonical base64") }
            let error = MerkleTestSupport.outcome { () throws(AuditLogError) in
                try MerkleTree.verifyConsistency(size1: v.size1, size2: v.size2, root1: root1, root2: root2, proof: proof)
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
        #expect(passed == files.count, "\(files.count - passed) of \(files.count) consistency files failed")
        if passed == files.count && !files.isEmpty {
            print("Merkle vectors: \(files.count) consistency files (\(valid) valid, \(invalid) invalid) passed")
        }
    }
}
