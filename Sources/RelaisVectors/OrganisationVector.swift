import Foundation
import RelaisCore
import RelaisCrypto

extension VectorGenerator {
    /// Its own operator key and random stream, so that the other files do not change.
    static func organisationFile() -> VectorFile {
        let seed = SHA256.hash(Array("relais/v1 test operator key".utf8))
        let op = DeviceIdentity(privateKey: try! Ed25519PrivateKey(seed: seed))
        let rng = DeterministicRandom(seed: SHA256.hash(Array("relais/v1 organisation vector".utf8)))
        let v1 = OrganisationRecord(id: .random(using: rng), name: "Association Exemple", category: .specialisedAssociation,
                                    departements: ["75", "93"], exitProgrammeAccreditedUntil: sealTime + 365 * day, sequence: 1,
                                    issuedAt: sealTime - day)
        let v2 = OrganisationRecord(
            id: .random(using: rng), name: "Association agréée Exemple", category: .accreditedAssociation, departements: ["93", "95"],
            publicServed: .init(women: true, men: false, transPeople: true, minAge: 18, minorsAccepted: false),
            languages: ["fr", "en", "ro", "bin"], services: [.exitProgramme, .housing, .residenceRights, .frenchLessons],
            phone: "01 42 82 17 00", openingHours: "du lundi au vendredi, de 9h à 17h",
            exitProgrammeAccreditations: [.init(departement: "93", from: sealTime - 365 * day, until: sealTime + 2 * 365 * day),
                                          .init(departement: "95", from: sealTime + 30 * day, until: sealTime + 3 * 365 * day)],
            sequence: 2, issuedAt: sealTime)
        let national = OrganisationRecord(
            id: .random(using: rng), name: "Dispositif national Exemple", category: .specialisedAssociation, departements: [],
            nationalScope: true,
            publicServed: .init(women: true, men: true, transPeople: true, minAge: 18, maxAge: 120, minorsAccepted: false,
                                traffickingVictimsOnly: true),
            languages: ["fr", "en"], services: [.distantShelter, .legalHelp], phone: "04 92 15 10 51", sequence: 1, issuedAt: sealTime)
        func record(_ label: String, _ r: OrganisationRecord) -> OrganisationVector.Record {
            let s = try! r.signed(by: op)
            return .init(label: label, bytes: String(decoding: s.bytes, as: UTF8.self), signature: Hex.encode(s.signature))
        }
        let v = OrganisationVector(
            description: "Organisation records signed by the operator key whose Ed25519 seed is SHA-256(\"relais/v1 test operator key\"): version 1, version 2 with accreditations per département, version 2 of national scope.",
            operatorEd25519Seed: Hex.encode(seed), operatorPublicKey: Hex.encode(op.publicIdentity.signingKey.bytes),
            records: [record("version 1", v1), record("version 2, accredited in 93 and (later) 95", v2), record("version 2, national", national)])
        return VectorFile(name: "organisation.json", contents: json(v))
    }
}
