import Foundation
import RelaisCore
import RelaisCrypto

/// `exit-programme-consent.json` (SPEC.md, "Consent records"): an exit-programme consent of
/// version 2, which names the person's département, and its public part; a version 1 one (no
/// département), which still verifies; objects a reader must refuse although their signature
/// verifies. Each as exact signed bytes with the signature of device 0 of identity.json.
public struct ExitProgrammeConsentVector: Codable, Equatable, Sendable {
    public struct Refused: Codable, Equatable, Sendable {
        public var label: String
        /// "record" (`relais/v1/consent-record`) or "publicPart" (`relais/v1/consent-public`).
        public var object: String
        public var signed: ConsentVector.Signed
    }
    public var description: String
    public var signerDeviceId: String
    public var record: ConsentVector.Signed
    public var publicPart: ConsentVector.Signed
    public var recordV1: ConsentVector.Signed
    public var publicPartV1: ConsentVector.Signed
    public var refused: [Refused]
}

extension VectorGenerator {
    /// Fixed ids (no random stream), so that adding the file changed no other.
    static func exitProgrammeConsentFile(signer: Actor, recipient: OrganisationID) -> VectorFile {
        let record = ConsentRecord(consentId: ConsentID(bytes: Array(repeating: 0xE7, count: 16))!,
                                   subjectPseudonym: ConsentRecord.pseudonym(caseID: "CASE-2027-0044", key: Array(repeating: 0x42, count: 32)),
                                   recordedBy: signer.identity.deviceID, organisationId: signer.organisation, method: .oral, language: "es",
                                   interpreter: false, purposes: [.exitProgramme, .provisionalResidenceAuthorisation, .afisAllowance],
                                   recipientOrganisations: [recipient], recipientCategories: [.accreditedAssociation],
                                   dataCategories: [.identity, .situation, .administrative],
                                   grantedAt: sealTime - day, validUntil: ConsentRecord.validUntil(grantedAt: sealTime - day, months: 6),
                                   departement: "93")
        var v1 = record
        v1.version = ConsentRecord.version
        v1.departement = nil
        v1.adult = nil
        v1.consentId = ConsentID(bytes: Array(repeating: 0xE1, count: 16))!
        func entry(_ o: SignedObject) -> ConsentVector.Signed { .init(bytes: String(decoding: o.bytes, as: UTF8.self), signature: Hex.encode(o.signature)) }
        let good = try! record.signed(by: signer.identity), goodPublic = record.publicPart.signed(by: signer.identity)
        // Each refused object is the good one with one member changed, signed again.
        var refused: [ExitProgrammeConsentVector.Refused] = []
        func refuse(_ label: String, _ changes: [(String, String)], publicChanges: [(String, String)]? = nil) {
            for (object, signed, context, edits) in [("record", good, DomainSeparation.consentRecord, changes),
                                                     ("publicPart", goodPublic, .consentPublic, publicChanges ?? changes)] {
                var text = String(decoding: signed.bytes, as: UTF8.self)
                for (from, to) in edits {
                    precondition(text.contains(from), "\(label): \(from)")
                    text = text.replacingOccurrences(of: from, with: to)
                }
                refused.append(.init(label: label, object: object, signed: entry(.sign(Array(text.utf8), context: context, by: signer.identity))))
            }
        }
        refuse("version 2 without departement", [(#""departement":"93","#, "")])
        refuse("departement 20 (Corsica is 2A and 2B)", [(#""departement":"93""#, #""departement":"20""#)])
        refuse("departement 977", [(#""departement":"93""#, #""departement":"977""#)])
        refuse("departement 7 (two digits)", [(#""departement":"93""#, #""departement":"7""#)])
        refuse("version 2 without the exit programme", [(#""purposes":["exitProgramme","#, #""purposes":["#)],
               publicChanges: [(#""exitProgramme":true"#, #""exitProgramme":false"#)])
        refuse("version 1 with a departement", [(#""version":2"#, #""version":1"#)])
        // Adults only («toute personne majeure»): version 2 attests majority, version 1 attests nothing.
        refuse("version 2 without adult", [(#""adult":true,"#, "")])
        refuse("version 2 with adult false", [(#""adult":true"#, #""adult":false"#)])
        refuse("version 1 with adult", [(#""version":2"#, #""version":1"#), (#""departement":"93","#, "")])
        let v = ExitProgrammeConsentVector(
            description: "Exit-programme consents of SPEC.md, signed by device 0 of identity.json; pseudonym key 0x42 × 32, case id CASE-2027-0044. "
                + "Version 2 names the person's département (93) and attests that the person is of age (adult: true); version 1 (neither) still "
                + "verifies; each refused object is refused by a reader.",
            signerDeviceId: signer.identity.deviceID.hex,
            record: entry(try! record.signed(by: signer.identity)), publicPart: entry(record.publicPart.signed(by: signer.identity)),
            recordV1: entry(try! v1.signed(by: signer.identity)), publicPartV1: entry(v1.publicPart.signed(by: signer.identity)),
            refused: refused)
        return VectorFile(name: "exit-programme-consent.json", contents: json(v))
    }
}
