import Foundation
import RelaisCore
import RelaisCrypto
import RelaisVectors
import Testing

/// Issue 15, defect 5: a consent's data categories are enforced. Each referral field belongs to a
/// category (SPEC.md, "Data categories"); a referral carrying one the consent does not list is
/// outside it, and the French words name each category. A v2 referral under a consent carries the
/// signed record (`consentRecord`), checked by the recipient (`Referral.consentFlags`).
@Suite("Consent data categories and the carried consent record")
struct ConsentCarriageTests {
    static let recorder = DeviceIdentity(privateKey: try! Ed25519PrivateKey(seed: [UInt8](repeating: 0x5A, count: 32)))
    static let organisation = OrganisationID(bytes: [UInt8](repeating: 0x0A, count: 16))!

    /// (what the referral carries, the consent's categories, the categories outside it, in French).
    static let table: [(String, @Sendable (inout Referral) -> Void, [DataCategory], [DataCategory], String)] = [
        ("health data only, consent lists identity", { $0.needs = [.mentalHealth] }, [.identity], [.situation, .health], "situation personnelle, santé"),
        ("health data only, consent lists situation", { $0.needs = [.mentalHealth] }, [.situation], [.health], "santé"),
        ("health data only, consent lists situation and health", { $0.needs = [.mentalHealth] }, [.situation, .health], [], ""),
        ("a pregnancy, consent lists situation", { $0.situation = .init(pregnancy: true) }, [.situation], [.health], "santé"),
        ("a first name, consent lists situation", { $0.person.firstName = "Ana" }, [.situation], [.identity], "identité"),
        ("a first name, consent lists identity and situation", { $0.person.firstName = "Ana" }, [.identity, .situation], [], ""),
        ("an administrative status and a complaint", { $0.person.administrativeStatus = .asylumSeeker; $0.situation = .init(complaintFiled: true) },
         [.situation], [.legal, .administrative], "démarches judiciaires, situation administrative"),
        ("a code word and danger", { $0.safety.codeWord = "tilleul"; $0.safety.dangerLevel = 2 }, [.situation, .contact], [.safety], "sécurité"),
        ("a lead professional", { $0.leadProfessional = .init(name: "Camille") }, [.situation, .safety], [.contact], "coordonnées"),
        ("documents held by others", { $0.situation = .init(identityDocumentsHeldByOthers: true) }, [.situation], [.administrative],
         "situation administrative"),
    ]

    @Test(arguments: table.indices)
    func eachFieldIsOutsideAConsentThatDoesNotListItsCategory(_ i: Int) throws {
        let (name, set, allowed, outside, french) = Self.table[i]
        var r = ReferralV2Tests.base()
        set(&r)
        try r.validate()
        #expect(r.categoriesOutside(allowed) == outside, "\(name)")
        #expect(DataCategory.frenchList(r.categoriesOutside(allowed)) == french, "\(name)")
    }

    @Test func everyCategoryHasItsOwnFrenchLabel() {
        let labels = DataCategory.allCases.map(\.frenchLabel)
        #expect(Set(labels).count == DataCategory.allCases.count)
        #expect(DataCategory.health.frenchLabel == "santé" && DataCategory.administrative.frenchLabel == "situation administrative")
    }

    // MARK: the record a referral carries

    static func record(categories: [DataCategory] = [.situation], purposes: [Referral.Need] = [.housing, .legalHelp],
                       subject: String = ReferralV2Tests.subject, id: ConsentID = ReferralV2Tests.consent.id,
                       grantedAt: UInt64 = 1_800_000_000 - 86_400) -> ConsentRecord {
        ConsentRecord(consentId: id, subjectPseudonym: subject, recordedBy: recorder.deviceID, organisationId: organisation, method: .oral,
                      language: "fr", interpreter: false, purposes: purposes, recipientOrganisations: [ReferralV2Tests.otherOrganisation],
                      recipientCategories: [], dataCategories: categories, grantedAt: grantedAt,
                      validUntil: grantedAt + ConsentRecord.defaultValidity)
    }

    @Test func aV2ReferralCarriesItsSignedRecordAndRoundTrips() throws {
        var r = ReferralV2Tests.base()
        r.consentRecord = try Self.record().signed(by: Self.recorder)
        let bytes = try r.encoded()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""consentRecord":{"bytes":""#))
        let back = try Referral.decode(bytes)
        #expect(back == r)
        #expect(try ConsentRecord.verify(try #require(back.consentRecord), signer: Self.recorder.publicIdentity) == Self.record())
        #expect(try ConsentRecord.unverifiedRecorder(of: try #require(back.consentRecord)) == Self.recorder.deviceID)
        // Without it, nothing changes: the referrals written before stay byte for byte.
        #expect(!String(decoding: try ReferralV2Tests.base().encoded(), as: UTF8.self).contains("consentRecord"))
    }

    @Test func onlyAV2ReferralUnderAConsentCarriesARecord() throws {
        let signed = try Self.record().signed(by: Self.recorder)
        var reply = ReferralV2Tests.base(kind: .reply)
        reply.consentRecord = signed
        #expect(ReferralV2Tests.message(reply)?.contains("a reply carries no consent record") == true)
        var report = ReferralV2Tests.base(kind: .childProtectionReport)
        report.consentRecord = signed
        #expect(ReferralV2Tests.message(report)?.contains("child-protection declaration carries no consent record") == true)
        var empty = ReferralV2Tests.base()
        empty.consentRecord = SignedObject(bytes: [], signature: signed.signature)
        #expect(ReferralV2Tests.message(empty)?.contains("consentRecord.bytes") == true)
        var exit = ReferralV2Tests.base(kind: .exitProgrammeRequest)
        exit.consentRecord = signed
        #expect(ReferralV2Tests.message(exit) == nil)
        #expect(!reply.expectsConsentRecord && !report.expectsConsentRecord && exit.expectsConsentRecord && ReferralV2Tests.base().expectsConsentRecord)
        // Schema v1 has no such member.
        let v1 = Referral(kind: .orientation, needs: [.housing],
                          person: .init(casePseudonym: "C-1", ageBand: .from25to34, minorStatus: .adult, languages: ["fr"],
                                        interpreterNeeded: false, administrativeStatus: .unknown),
                          safety: .init(dangerLevel: 0, safeToCall: true), consent: ReferralV2Tests.consent,
                          sender: .init(name: "P", role: "r"), createdAt: 1, consentRecord: signed)
        #expect(ReferralV2Tests.message(v1) == "consentRecord is a schema v2 field")
        #expect(!v1.expectsConsentRecord)
        let v1JSON = String(decoding: try { var b = v1; b.consentRecord = nil; return try b.encoded() }(), as: UTF8.self)
        let smuggled = v1JSON.replacingOccurrences(of: #""consent":{"#, with: #""consentRecord":{"bytes":"e30=","signature":"\#(Data(signed.signature).base64EncodedString())"},"consent":{"#)
        #expect(smuggled != v1JSON)
        #expect(throws: ReferralError.invalid("referral: unknown field \"consentRecord\"")) { try Referral.decode(Array(smuggled.utf8)) }
        // Unknown members inside it are refused as anywhere else.
        var r = ReferralV2Tests.base()
        r.consentRecord = signed
        let good = String(decoding: try r.encoded(), as: UTF8.self)
        let extra = good.replacingOccurrences(of: #""consentRecord":{"#, with: #""consentRecord":{"extra":1,"#)
        #expect(extra != good)
        #expect(throws: ReferralError.invalid("consentRecord: unknown field \"extra\"")) { try Referral.decode(Array(extra.utf8)) }
    }

    // MARK: what the recipient flags

    @Test func aRecordThatCoversTheReferralRaisesNoFlag() {
        #expect(ReferralV2Tests.base().consentFlags(record: Self.record(), senderOrganisation: Self.organisation).isEmpty)
    }

    @Test func theRecipientFlagsEachMismatch() {
        let base = ReferralV2Tests.base()
        func codes(_ r: Referral, _ record: ConsentRecord, organisation: OrganisationID? = ConsentCarriageTests.organisation) -> [ConsentFlag.Code] {
            r.consentFlags(record: record, senderOrganisation: organisation).map(\.code)
        }
        var health = base
        health.needs.append(.health)
        health.situation = .init(pregnancy: true)
        let flags = health.consentFlags(record: Self.record(purposes: [.housing, .legalHelp, .health]), senderOrganisation: Self.organisation)
        #expect(flags.map(\.code) == [.dataCategories])
        #expect(flags.first?.message.contains("santé") == true)
        #expect(codes(health, Self.record()) == [.dataCategories, .purposes])
        #expect(codes(base, Self.record(subject: ConsentRecord.pseudonym(caseID: "CASE-OTHER", key: [UInt8](repeating: 7, count: 32)))) == [.subject])
        #expect(codes(base, Self.record(grantedAt: base.createdAt + 1)) == [.period])
        #expect(codes(base, Self.record(grantedAt: base.createdAt)).isEmpty)
        #expect(codes(base, Self.record(grantedAt: base.createdAt - ConsentRecord.defaultValidity)) == [.period])
        #expect(codes(base, Self.record(id: ConsentID(bytes: [UInt8](repeating: 0xC9, count: 16))!)) == [.otherConsent])
        #expect(codes(base, Self.record(), organisation: ReferralV2Tests.otherOrganisation) == [.otherConsent])
        #expect(ConsentFlag.missing.message.hasPrefix("accord non joint"))
    }

    /// An exit-programme request: the recipient flags a département other than the consent's, a
    /// person not said to be of age, and a consent that does not attest it (version 1).
    @Test func theRecipientFlagsAnExitProgrammeRequestOutsideItsConsent() {
        let request = ReferralV2Tests.base(kind: .exitProgrammeRequest)  // for 75, about an adult
        func record(_ departement: String?) -> ConsentRecord {
            ConsentRecord(consentId: request.consent.id, subjectPseudonym: ReferralV2Tests.subject, recordedBy: Self.recorder.deviceID,
                                  organisationId: Self.organisation, method: .oral, language: "fr", interpreter: false,
                                  purposes: [.exitProgramme, .provisionalResidenceAuthorisation], recipientOrganisations: [ReferralV2Tests.otherOrganisation],
                                  recipientCategories: [], dataCategories: DataCategory.allCases, grantedAt: request.createdAt - 86_400,
                                  validUntil: request.createdAt + 86_400, departement: departement)
        }
        func flags(_ r: Referral, _ c: ConsentRecord) -> [ConsentFlag] { r.consentFlags(record: c, senderOrganisation: Self.organisation) }
        #expect(flags(request, record("75")).isEmpty)
        let other = flags(request, record("93"))
        #expect(other.map(\.code) == [.departement])
        #expect(other.first?.message.contains("département 75") == true && other.first?.message.contains("département 93") == true)
        #expect(flags(request, record(nil)).map(\.code) == [.departement, .adultsOnly])
        var minor = request
        minor.person.minorStatus = .allegedMinor
        minor.person.ageBand = .from15to17
        let aboutAMinor = flags(minor, record("75"))
        #expect(aboutAMinor.map(\.code) == [.adultsOnly])
        #expect(aboutAMinor.first?.message.contains("toute personne majeure") == true)
        // An orientation is not checked against these.
        #expect(flags(ReferralV2Tests.base(), record("93")).map(\.code).allSatisfy { $0 != .departement && $0 != .adultsOnly })
    }

    /// The vectors whose referral carries its record: opened from the committed file, the record
    /// verifies against the sender and gives exactly the flags the vector names.
    @Test func theConsentRecordVectorsGiveTheirFlags() throws {
        let vectors = try VectorTests.envelopeVectors().filter { $0.consentFlags != nil }
        #expect(Set(vectors.map(\.name)) == ["success-v2-consent-record", "success-v2-consent-record-outside"])
        var flagged = 0
        for v in vectors {
            let opened = try VectorTests.open(v)
            let referral = try opened.referral()
            let carried = try #require(referral.consentRecord, "\(v.name)")
            let record = try ConsentRecord.verify(carried, signer: opened.sender)
            let organisation = try #require(OrganisationID(hex: v.senderOrganisationId ?? ""))
            let flags = referral.consentFlags(record: record, senderOrganisation: organisation)
            #expect(flags.map(\.code.rawValue) == v.consentFlags, "\(v.name)")
            flagged += flags.count
            // The same record verified against another device does not verify.
            #expect(throws: ConsentError.self) { try ConsentRecord.verify(carried, signer: Self.recorder.publicIdentity) }
        }
        #expect(flagged == 1)
    }
}
