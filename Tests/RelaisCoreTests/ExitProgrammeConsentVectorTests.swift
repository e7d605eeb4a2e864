import Foundation
import RelaisCore
import RelaisCrypto
import RelaisVectors
import Testing

/// `exit-programme-consent.json`: the version 2 consent names the département and re-signs byte
/// for byte, its public part carries it; version 1 still verifies; every refused object is refused.
@Suite("Exit-programme consent vectors")
struct ExitProgrammeConsentVectorTests {
    @Test func theConsentNamesItsDepartementAndReSignsByteForByte() throws {
        let v = try JSONDecoder().decode(ExitProgrammeConsentVector.self,
                                         from: Data(contentsOf: protocolVectors.appendingPathComponent("exit-programme-consent.json")))
        let ids = try JSONDecoder().decode(IdentityVector.self, from: Data(contentsOf: protocolVectors.appendingPathComponent("identity.json")))
        let signer = DeviceIdentity(privateKey: try Ed25519PrivateKey(seed: Hex.decode(ids.devices[0].ed25519Seed)!))
        #expect(signer.deviceID.hex == v.signerDeviceId)
        func object(_ s: ConsentVector.Signed) -> SignedObject { SignedObject(bytes: Array(s.bytes.utf8), signature: Hex.decode(s.signature)!) }

        let record = try ConsentRecord.verify(object(v.record), signer: signer.publicIdentity)
        #expect(record.version == 2 && record.departement == "93" && record.purposes.contains(.exitProgramme))
        #expect(try record.signed(by: signer) == object(v.record))
        let publicPart = try ConsentPublic.verify(object(v.publicPart), signer: signer.publicIdentity)
        #expect(publicPart == record.publicPart)
        #expect(publicPart.version == 2 && publicPart.departement == "93" && publicPart.exitProgramme)
        #expect(record.publicPart.signed(by: signer) == object(v.publicPart))
        #expect(v.publicPart.bytes.contains(#""departement":"93""#))

        let old = try ConsentRecord.verify(object(v.recordV1), signer: signer.publicIdentity)
        #expect(old.version == 1 && old.departement == nil && old.purposes.contains(.exitProgramme))
        #expect(try old.signed(by: signer) == object(v.recordV1))
        let oldPublic = try ConsentPublic.verify(object(v.publicPartV1), signer: signer.publicIdentity)
        #expect(oldPublic == old.publicPart && oldPublic.departement == nil && !v.publicPartV1.bytes.contains("departement"))

        // Nine changes, each to the record and to the public part.
        #expect(v.refused.count == 18)
        #expect(v.publicPart.bytes.contains(#""adult":true"#) && record.adult == true && !v.publicPartV1.bytes.contains("adult"))
        for r in v.refused {
            switch r.object {
            case "record": #expect(throws: ConsentError.self, "\(r.label)") { try ConsentRecord.verify(object(r.signed), signer: signer.publicIdentity) }
            case "publicPart": #expect(throws: ConsentError.self, "\(r.label)") { try ConsentPublic.verify(object(r.signed), signer: signer.publicIdentity) }
            default: Issue.record("unknown object \(r.object)")
            }
        }
    }

    @Test func departementCodes() {
        for code in ["01", "19", "21", "75", "93", "95", "2A", "2B", "971", "974", "976"] {
            #expect(DirectoryRules.isDepartementCode(code), "\(code)")
        }
        for code in ["", "0", "00", "1", "20", "96", "99", "2C", "2a", "970", "977", "984", "075", "7 5", "٧٥"] {
            #expect(!DirectoryRules.isDepartementCode(code), "\(code)")
        }
    }
}
