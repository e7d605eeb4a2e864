import Foundation
import RelaisCore
import RelaisCrypto
import RelaisVectors
import Testing

/// Organisation records, version 2 (issue 15) beside version 1 (SPEC.md, "Directory records").
@Suite("Organisation records v2")
struct OrganisationRecordTests {
    let rng = DeterministicRandom(seed: Array("organisation records".utf8))
    let day: UInt64 = 86_400
    let t0: UInt64 = 1_800_000_000

    func operatorIdentity() -> DeviceIdentity { DeviceIdentity.generate(using: rng) }

    func association(_ edit: (inout OrganisationRecord) -> Void = { _ in }) -> OrganisationRecord {
        var r = OrganisationRecord(
            id: .random(using: rng), name: "Association Exemple", category: .accreditedAssociation, departements: ["75", "93"],
            publicServed: .init(women: true, men: false, transPeople: true, minAge: 18, minorsAccepted: false),
            languages: ["fr", "en", "ro"], services: [.exitProgramme, .housing, .legalHelp], phone: "01 42 82 17 00",
            openingHours: "lundi au vendredi, 9h à 17h",
            exitProgrammeAccreditations: [.init(departement: "93", from: t0, until: t0 + 365 * day)], sequence: 1, issuedAt: t0)
        edit(&r)
        return r
    }

    /// Signs `record`'s fields as given, bypassing `signed(by:)`'s validation, as a faulty or hostile signer would.
    func signRaw(_ json: [String: Any], by op: DeviceIdentity) throws -> SignedObject {
        let bytes = Array(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
        return .sign(bytes, context: .organisationRecord, by: op)
    }

    func json(_ r: OrganisationRecord) throws -> [String: Any] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return try JSONSerialization.jsonObject(with: e.encode(r)) as! [String: Any]
    }

    @Test func aVersion2RecordRoundTrips() throws {
        let op = operatorIdentity()
        let r = association()
        #expect(r.version == 2)
        let signed = try r.signed(by: op)
        let back = try OrganisationRecord.verify(signed, operatorKey: op.publicIdentity.signingKey)
        #expect(back == r)
        #expect(try OrganisationRecord.parseVerified(signed) == r)
        let text = String(decoding: signed.bytes, as: UTF8.self)
        #expect(!text.contains("exitProgrammeAccreditedUntil"), "version 2 has per-département accreditations only")
        #expect(text.contains("\"nationalScope\":false"))
    }

    @Test func aVersion1RecordStillVerifies() throws {
        let op = operatorIdentity()
        let v1 = OrganisationRecord(id: .random(using: rng), name: "Ancienne", category: .specialisedAssociation, departements: ["13"],
                                    exitProgrammeAccreditedUntil: t0 + day, issuedAt: t0)
        #expect(v1.version == 1)
        let back = try OrganisationRecord.verify(try v1.signed(by: op), operatorKey: op.publicIdentity.signingKey)
        #expect(back == v1)
        #expect(back.isAccreditedForExitProgramme(departement: "13", at: t0))
        #expect(!back.isAccreditedForExitProgramme(departement: "75", at: t0), "a département it does not serve")
        #expect(!back.isAccreditedForExitProgramme(departement: "13", at: t0 + day), "its end is excluded")
        #expect(back.latestAccreditationEnd == t0 + day)
        #expect(back.accreditedDepartements(at: t0) == ["13"])
    }

    @Test func accreditationIsPerDepartementWithItsDates() {
        let r = association {
            $0.exitProgrammeAccreditations = [.init(departement: "93", from: t0, until: t0 + 10 * day),
                                              .init(departement: "93", from: t0 + 10 * day, until: t0 + 20 * day),
                                              .init(departement: "75", from: t0 + 5 * day, until: t0 + 6 * day)]
        }
        #expect((try? r.validate()) != nil)
        #expect(!r.isAccreditedForExitProgramme(departement: "93", at: t0 - 1), "before its start")
        #expect(r.isAccreditedForExitProgramme(departement: "93", at: t0))
        #expect(r.isAccreditedForExitProgramme(departement: "93", at: t0 + 15 * day), "the renewal")
        #expect(!r.isAccreditedForExitProgramme(departement: "93", at: t0 + 20 * day))
        #expect(!r.isAccreditedForExitProgramme(departement: "75", at: t0))
        #expect(r.isAccreditedForExitProgramme(departement: "75", at: t0 + 5 * day))
        #expect(r.accreditedDepartements(at: t0 + 5 * day) == ["75", "93"])
        #expect(r.isAccreditedForExitProgramme(at: t0 + 5 * day))
        #expect(!r.isAccreditedForExitProgramme(at: t0 + 30 * day))
        #expect(r.latestAccreditationEnd == t0 + 20 * day)
    }

    @Test func filtersReadTheRecord() {
        let national = association {
            $0.departements = []
            $0.nationalScope = true
            $0.exitProgrammeAccreditations = []
        }
        #expect(national.serves(departement: "971"))
        #expect(association().serves(departement: "93"))
        #expect(!association().serves(departement: "13"))
        let p = association().publicServed!
        #expect(p.serves(.women) && p.serves(.trans) && !p.serves(.men) && !p.serves(.minors))
    }

    /// Each validation rule, by the refusal it gives.
    @Test func eachRuleRefuses() throws {
        let rules: [(String, (inout OrganisationRecord) -> Void)] = [
        ("no public", { (r: inout OrganisationRecord) in r.publicServed = .init(women: false, men: false, transPeople: false, minorsAccepted: false) }),
        ("age above 120", { (r: inout OrganisationRecord) in r.publicServed!.maxAge = 121 }),
        ("negative age", { (r: inout OrganisationRecord) in r.publicServed!.minAge = -1 }),
        ("min above max", { (r: inout OrganisationRecord) in r.publicServed!.maxAge = 17 }),
        ("minors accepted from 18", { (r: inout OrganisationRecord) in r.publicServed!.minorsAccepted = true }),
        ("under 18 without minors", { (r: inout OrganisationRecord) in r.publicServed!.minAge = 15 }),
        ("no language", { (r: inout OrganisationRecord) in r.languages = [] }),
        ("uppercase language", { (r: inout OrganisationRecord) in r.languages = ["FR"] }),
        ("long language", { (r: inout OrganisationRecord) in r.languages = ["fren"] }),
        ("repeated language", { (r: inout OrganisationRecord) in r.languages = ["fr", "fr"] }),
        ("too many languages", { (r: inout OrganisationRecord) in r.languages = (0..<21).map { "a" + String(UnicodeScalar(UInt8(97 + $0))) } }),
        ("repeated service", { (r: inout OrganisationRecord) in r.services = [.housing, .housing] }),
        ("letters in phone", { (r: inout OrganisationRecord) in r.phone = "01 42 AB 17 00" }),
        ("short phone", { (r: inout OrganisationRecord) in r.phone = "11" }),
        ("long phone", { (r: inout OrganisationRecord) in r.phone = "0123456789012345" }),
        ("empty hours", { (r: inout OrganisationRecord) in r.openingHours = " " }),
        ("hours on two lines", { (r: inout OrganisationRecord) in r.openingHours = "lundi\nmardi" }),
        ("long hours", { (r: inout OrganisationRecord) in r.openingHours = String(repeating: "h", count: 201) }),
        ("national with départements", { (r: inout OrganisationRecord) in r.nationalScope = true }),
        ("local without départements", { (r: inout OrganisationRecord) in r.departements = []; r.exitProgrammeAccreditations = [] }),
        ("bad département", { (r: inout OrganisationRecord) in r.departements = ["2C"]; r.exitProgrammeAccreditations = [] }),
        ("accreditation elsewhere", { (r: inout OrganisationRecord) in r.exitProgrammeAccreditations![0].departement = "13" }),
        ("accreditation ends first", { (r: inout OrganisationRecord) in r.exitProgrammeAccreditations![0].until = r.exitProgrammeAccreditations![0].from }),
        ("overlapping accreditations", { (r: inout OrganisationRecord) in
            r.exitProgrammeAccreditations!.append(.init(departement: "93", from: r.exitProgrammeAccreditations![0].until - 1, until: r.exitProgrammeAccreditations![0].until + 9))
        }),
        ("accredited health service", { (r: inout OrganisationRecord) in r.category = .health }),
        ("v2 with v1 end", { (r: inout OrganisationRecord) in r.exitProgrammeAccreditedUntil = 5 }),
        ("v2 without public", { (r: inout OrganisationRecord) in r.publicServed = nil }),
        ("v1 with v2 fields", { (r: inout OrganisationRecord) in r.version = 1; r.exitProgrammeAccreditations = nil }),
        ("version 3", { (r: inout OrganisationRecord) in r.version = 3 }),
        ]
        let op = operatorIdentity()
        for (rule, edit) in rules {
            let r = association(edit)
            #expect(throws: DirectoryError.self, "\(rule)") { try r.validate() }
            #expect(throws: DirectoryError.self, "\(rule): signing refuses too") { try r.signed(by: op) }
            // A signer that skipped validation: the verifier still refuses.
            let signed = try signRaw(try json(r), by: op)
            #expect(throws: DirectoryError.self, "\(rule): verifying refuses") { try OrganisationRecord.verify(signed, operatorKey: op.publicIdentity.signingKey) }
        }
        #expect((try? association().validate()) != nil, "the unedited record is valid: each refusal is its rule's")
    }

    @Test(arguments: [("top", ""), ("publicServed", "publicServed"), ("accreditation", "exitProgrammeAccreditations")])
    func anUnknownMemberIsRefused(label: String, place: String) throws {
        let op = operatorIdentity()
        var object = try json(association())
        switch place {
        case "": object["website"] = "https://example.org"
        case "publicServed":
            var p = object["publicServed"] as! [String: Any]
            p["pets"] = true
            object["publicServed"] = p
        default:
            var list = object["exitProgrammeAccreditations"] as! [[String: Any]]
            list[0]["note"] = "x"
            object["exitProgrammeAccreditations"] = list
        }
        let signed = try signRaw(object, by: op)
        #expect(throws: DirectoryError.self, "\(label)") { try OrganisationRecord.verify(signed, operatorKey: op.publicIdentity.signingKey) }
        // The same record without the extra member verifies: the refusal is the member's.
        let clean = try signRaw(try json(association()), by: op)
        #expect((try? OrganisationRecord.verify(clean, operatorKey: op.publicIdentity.signingKey)) != nil)
    }

    @Test func anUnknownServiceIsRefused() throws {
        let op = operatorIdentity()
        var object = try json(association())
        object["services"] = ["housing", "teleportation"]
        #expect(throws: DirectoryError.self) { try OrganisationRecord.verify(try signRaw(object, by: op), operatorKey: op.publicIdentity.signingKey) }
    }

    /// Protocol/vectors/organisation.json: each record verifies against the vector's operator key,
    /// re-encodes to the same bytes and re-signs to the same signature (Ed25519 is deterministic).
    @Test func theVectorIsPinnedByteForByte() throws {
        let v = try JSONDecoder().decode(OrganisationVector.self, from: Data(contentsOf: protocolVectors.appendingPathComponent("organisation.json")))
        let op = DeviceIdentity(privateKey: try Ed25519PrivateKey(seed: try #require(Hex.decode(v.operatorEd25519Seed))))
        #expect(Hex.encode(op.publicIdentity.signingKey.bytes) == v.operatorPublicKey)
        #expect(v.records.count == 3)
        var versions: [Int] = []
        for r in v.records {
            let signed = SignedObject(bytes: Array(r.bytes.utf8), signature: try #require(Hex.decode(r.signature)))
            let record = try OrganisationRecord.verify(signed, operatorKey: op.publicIdentity.signingKey)
            let again = try record.signed(by: op)
            #expect(again.bytes == signed.bytes, "\(r.label): canonical bytes")
            #expect(again.signature == signed.signature, "\(r.label): signature")
            versions.append(record.version)
        }
        #expect(versions == [1, 2, 2])
        let national = try OrganisationRecord.parseVerified(SignedObject(bytes: Array(v.records[2].bytes.utf8), signature: []))
        #expect(national.nationalScope == true && national.serves(departement: "976"))
        // One byte changed: the signature no longer verifies.
        var forged = Array(v.records[1].bytes.utf8)
        forged[forged.count - 2] = UInt8(ascii: "3")
        #expect(throws: DirectoryError.badSignature("organisation record")) {
            try OrganisationRecord.verify(SignedObject(bytes: forged, signature: Hex.decode(v.records[1].signature)!), operatorKey: op.publicIdentity.signingKey)
        }
    }
}
