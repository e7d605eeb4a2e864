import Foundation
import RelaisCore
import RelaisCrypto
import Testing

/// Schema v2 (SPEC.md, "Referral schema v2"): each rule accepts what it allows and refuses, naming
/// the field, what it forbids; v1 referrals still decode; the data categories of each field.
@Suite("Referral schema v2")
struct ReferralV2Tests {
    static let subject = ConsentRecord.pseudonym(caseID: "CASE-T-1", key: [UInt8](repeating: 7, count: 32))
    static let consent = ConsentReference(kind: .consent, id: ConsentID(bytes: [UInt8](repeating: 0xC1, count: 16))!)
    static let exitConsent = ConsentReference(kind: .exitProgrammeConsent, id: ConsentID(bytes: [UInt8](repeating: 0xC2, count: 16))!)
    static let declaration = ConsentReference(kind: .childProtectionDeclaration, id: ConsentID(bytes: [UInt8](repeating: 0xC3, count: 16))!)
    static let answered = EnvelopeID(bytes: [UInt8](repeating: 0xE1, count: 16))!
    static let otherOrganisation = OrganisationID(bytes: [UInt8](repeating: 0x0B, count: 16))!

    /// The smallest valid v2 orientation about an adult.
    static func base(kind: Referral.Kind = .orientation) -> Referral {
        var r = Referral(kind: .orientation, needs: [.housing, .legalHelp],
                         person: .init(subjectPseudonym: subject, ageBand: .from25to34, minorStatus: .adult, languages: ["fr"],
                                       interpreterNeeded: false, administrativeStatus: .unknown),
                         safety: .init(dangerLevel: 0, safeToCall: true), consent: consent,
                         sender: .init(name: "Pro Exemple", role: "éducateur"), createdAt: 1_800_000_000)
        switch kind {
        case .orientation: break
        case .exitProgrammeRequest:
            r.kind = kind
            r.needs = [.exitProgramme, .provisionalResidenceAuthorisation]
            r.consent = exitConsent
            r.exitProgramme = .init(request: .first, departement: "75")
        case .childProtectionReport:
            r.kind = kind
            r.needs = [.childProtection]
            r.consent = declaration
            r.person.minorStatus = .allegedMinor
            r.person.ageBand = .from15to17
        case .safeAccommodationRequest:
            r.kind = kind
            r.needs = [.distantShelter]
        case .reply:
            r.kind = kind
            r.inReplyTo = answered
            r.outcome = .init(status: .accepted)
        }
        return r
    }

    static func message(_ r: Referral) -> String? {
        do {
            try r.validate()
            return nil
        } catch {
            return error.description
        }
    }

    @Test func newReferralsAreWrittenAsV2AndRoundTrip() throws {
        for kind in Referral.Kind.allCases {
            let r = Self.base(kind: kind)
            #expect(r.schemaVersion == 2 && Referral.schemaVersion == 2)
            let bytes = try r.encoded()
            #expect(try Referral.decode(bytes) == r, "\(kind)")
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.contains(#""subjectPseudonym":"\#(Self.subject)""#) && !text.contains("casePseudonym"))
        }
        // A v1 person makes a v1 referral, as before.
        let v1 = Referral(kind: .orientation, needs: [.housing],
                          person: .init(casePseudonym: "C-1", ageBand: .unknown, minorStatus: .unknown, languages: ["fr"],
                                        interpreterNeeded: false, administrativeStatus: .unknown),
                          safety: .init(dangerLevel: 0, safeToCall: true), consent: Self.consent,
                          sender: .init(name: "P", role: "R"), createdAt: 1)
        #expect(v1.schemaVersion == 1)
        #expect(try Referral.decode(v1.encoded()) == v1)
    }

    @Test func theSubjectReadsTheSameInBothVersions() throws {
        let v2 = Self.base()
        #expect(v2.person.subject == Self.subject && v2.person.casePseudonym == Self.subject)
        let v1 = try Self.vectorReferral("success-one-recipient")
        #expect(v1.schemaVersion == 1 && v1.person.subject == "CASE-2027-0042" && v1.person.subjectPseudonym == nil)
        #expect(Referral.isSubjectPseudonym(Self.subject))
        #expect(!Referral.isSubjectPseudonym(Self.subject.uppercased()) && !Referral.isSubjectPseudonym("CASE-2027-0042"))
    }

    /// (case, mutation, a word the refusal must contain: the field it names).
    static let refused: [(String, @Sendable (inout Referral) -> Void, String)] = [
        ("subject not hex", { $0.person.subjectPseudonym = "CASE-2027-0042" }, "person.subjectPseudonym"),
        ("subject upper-case", { $0.person.subjectPseudonym = subject.uppercased() }, "person.subjectPseudonym"),
        ("case pseudonym in v2", { $0.person.v1CasePseudonym = "C-1" }, "person.casePseudonym"),
        ("minor status unknown", { $0.person.minorStatus = .unknown }, "allegedMinor"),
        ("adult aged under 15", { $0.person.ageBand = .under15 }, "person.ageBand under15"),
        ("adult aged 15 to 17", { $0.person.ageBand = .from15to17 }, "person.ageBand from15to17"),
        ("minor aged 18 to 24", { $0.person.minorStatus = .minor; $0.person.ageBand = .from18to24 }, "person.ageBand from18to24"),
        ("minor aged 50", { $0.person.minorStatus = .minor; $0.person.ageBand = .from50 }, "minorStatus minor"),
        ("exploitation listed twice", { $0.situation = .init(exploitationTypes: [.procuring, .procuring]) }, "situation.exploitationTypes"),
        ("current département of one digit", { $0.situation = .init(currentDepartement: "7") }, "situation.currentDepartement"),
        ("current département lower-case", { $0.situation = .init(currentDepartement: "2a") }, "situation.currentDepartement"),
        ("area to avoid invalid", { $0.situation = .init(areasToAvoid: ["75", "1000"]) }, "situation.areasToAvoid"),
        ("area to avoid twice", { $0.situation = .init(areasToAvoid: ["75", "75"]) }, "situation.areasToAvoid"),
        ("no children counted", { $0.situation = .init(children: .init(count: 0)) }, "situation.children.count"),
        ("lead professional without a name", { $0.leadProfessional = .init(name: " ") }, "leadProfessional.name"),
        ("lead professional phone too long", { $0.leadProfessional = .init(name: "A", phone: String(repeating: "1", count: 201)) },
         "leadProfessional.phone"),
        ("minor object for an adult", { $0.minor = .init(unaccompaniedForeign: true, aged16OrMoreWithComplaint: false) }, "minor"),
        ("16 or more but under 15", {
            $0.person.minorStatus = .minor; $0.person.ageBand = .under15
            $0.minor = .init(unaccompaniedForeign: false, aged16OrMoreWithComplaint: true)
        }, "minor.aged16OrMoreWithComplaint"),
        ("complaint for the residence card but none filed", {
            $0.person.minorStatus = .allegedMinor
            $0.minor = .init(unaccompaniedForeign: false, aged16OrMoreWithComplaint: true)
            $0.situation = .init(complaintFiled: false)
        }, "situation.complaintFiled"),
        ("exitProgramme on an orientation", { $0.exitProgramme = .init(request: .first, departement: "75") }, "exitProgramme"),
        ("outcome on an orientation", { $0.outcome = .init(status: .accepted) }, "outcome"),
        ("schema version 3", { $0.schemaVersion = 3 }, "schemaVersion"),
        // From a v1 referral.
        ("v1: a v2 need", { $0.needs = [.addictions] }, "needs"),
        ("v1: the APS status", { $0.person.administrativeStatus = .provisionalResidenceAuthorisation }, "person.administrativeStatus"),
        ("v1: a situation", { $0.situation = .init(debt: true) }, "situation"),
        ("v1: a subject pseudonym too", { $0.person.subjectPseudonym = subject }, "person.subjectPseudonym"),
        ("v1: an empty case pseudonym", { $0.person.casePseudonym = " " }, "person.casePseudonym"),
    ]

    static let v1Person = Referral.Person(casePseudonym: "C-1", ageBand: .from25to34, minorStatus: .adult, languages: ["fr"],
                                          interpreterNeeded: false, administrativeStatus: .unknown)

    @Test(arguments: refused.indices)
    func eachRuleRefusesNamingTheField(_ i: Int) {
        let (name, mutate, field) = Self.refused[i]
        var r = Self.base()
        if name.hasPrefix("v1: ") {
            r = Referral(kind: .orientation, needs: r.needs, person: Self.v1Person, safety: r.safety, consent: r.consent, sender: r.sender,
                         createdAt: r.createdAt)
            #expect(r.schemaVersion == 1)
        }
        #expect(Self.message(r) == nil)
        mutate(&r)
        let got = Self.message(r)
        #expect(got?.contains(field) == true, "\(name): \(got ?? "accepted")")
        #expect(throws: ReferralError.self, "\(name)") { try r.encoded() }
    }

    @Test func situationLeadProfessionalAndAgeAreAccepted() throws {
        var r = Self.base()
        r.situation = .init(exploitationTypes: Referral.ExploitationType.allCases, inDangerLocally: true, needsToMoveAway: true,
                            currentDepartement: "2A", areasToAvoid: ["971", "75"], children: .init(count: 2, withThePerson: true, atRisk: false),
                            threatsToRelatives: true, debt: true, identityDocumentsHeldByOthers: true, complaintFiled: true, pregnancy: false,
                            interview: .accompanied)
        r.leadProfessional = .init(name: "Camille", organisation: "CCAS", phone: "01 00 00 00 00", email: "c@example.org")
        r.needs = [.addictions, .harmReduction, .healthCover, .domiciliation, .basicNecessities, .accompaniment, .parenting]
        try r.validate()
        #expect(try Referral.decode(r.encoded()) == r)
        // The array order is the priority, and survives the round trip.
        #expect(try Referral.decode(r.encoded()).needs.first == .addictions)
        // An alleged minor goes with any age band; an unknown band goes with any status.
        for band in Referral.AgeBand.allCases {
            var a = Self.base()
            a.person.minorStatus = .allegedMinor
            a.person.ageBand = band
            #expect(Self.message(a) == nil, "allegedMinor \(band)")
        }
        for status in [Referral.MinorStatus.adult, .minor, .allegedMinor] {
            var u = Self.base()
            u.person.minorStatus = status
            u.person.ageBand = .unknown
            #expect(Self.message(u) == nil, "\(status) unknown band")
        }
    }

    @Test func theMinorObjectGoesWithAMinorOrAnAllegedMinor() throws {
        for status in [Referral.MinorStatus.minor, .allegedMinor] {
            var r = Self.base(kind: .childProtectionReport)
            r.person.minorStatus = status
            r.minor = .init(unaccompaniedForeign: true, aged16OrMoreWithComplaint: true)
            r.situation = .init(complaintFiled: true)
            try r.validate()
        }
    }

    @Test func exitProgrammeRules() throws {
        var first = Self.base(kind: .exitProgrammeRequest)
        try first.validate()
        first.exitProgramme?.monthsAlreadyUsed = 6
        #expect(Self.message(first)?.contains("exitProgramme.monthsAlreadyUsed") == true)
        for used in [1, 6, 12, 18] {
            var renewal = Self.base(kind: .exitProgrammeRequest)
            renewal.exitProgramme = .init(request: .renewal, monthsAlreadyUsed: used, departement: "93")
            #expect(Self.message(renewal) == nil, "renewal after \(used)")
        }
        for used in [0, 19, 24, -1] {
            var renewal = Self.base(kind: .exitProgrammeRequest)
            renewal.exitProgramme = .init(request: .renewal, monthsAlreadyUsed: used, departement: "93")
            #expect(Self.message(renewal)?.contains("exitProgramme.monthsAlreadyUsed") == true, "renewal after \(used)")
        }
        var missing = Self.base(kind: .exitProgrammeRequest)
        missing.exitProgramme = nil
        #expect(Self.message(missing)?.contains("carries exitProgramme") == true)
        var badDepartement = Self.base(kind: .exitProgrammeRequest)
        badDepartement.exitProgramme?.departement = "Paris"
        #expect(Self.message(badDepartement)?.contains("exitProgramme.departement") == true)
        for status in [Referral.MinorStatus.minor, .allegedMinor] {
            var minor = Self.base(kind: .exitProgrammeRequest)
            minor.person.minorStatus = status
            minor.person.ageBand = .unknown
            #expect(Self.message(minor)?.contains("for an adult") == true, "\(status)")
        }
    }

    @Test func safeAccommodationNeedsDistantShelter() throws {
        var r = Self.base(kind: .safeAccommodationRequest)
        r.situation = .init(inDangerLocally: true, needsToMoveAway: true)
        try r.validate()
        r.needs = [.emergencyShelter]
        #expect(Self.message(r)?.contains("distantShelter") == true)
        var notInDanger = Self.base(kind: .safeAccommodationRequest)
        notInDanger.situation = .init(needsToMoveAway: false)
        #expect(Self.message(notInDanger)?.contains("needs to move away") == true)
    }

    @Test func repliesCarryAnOutcomeWithWhatItsStatusRequires() throws {
        let at: UInt64 = 1_800_100_000
        let valid: [Referral.Outcome] = [
            .init(status: .accepted), .init(status: .appointmentOffered, appointmentAt: at), .init(status: .placeOffered),
            .init(status: .placeOffered, appointmentAt: at), .init(status: .refused, reason: "Plus de place."),
            .init(status: .reoriented, reason: "Hors secteur.", reorientedTo: Self.otherOrganisation),
            .init(status: .commissionOpinion, opinion: .favourable), .init(status: .prefectDecision, decision: .granted, note: "APS délivrée."),
        ]
        for o in valid {
            var r = Self.base(kind: .reply)
            r.outcome = o
            #expect(Self.message(r) == nil, "\(o.status)")
            #expect(try Referral.decode(r.encoded()).outcome == o)
        }
        let invalid: [(Referral.Outcome?, String)] = [
            (nil, "carries an outcome"),
            (.init(status: .appointmentOffered), "outcome.appointmentAt"),
            (.init(status: .refused), "outcome.reason"),
            (.init(status: .refused, reason: "  "), "outcome.reason"),
            (.init(status: .reoriented), "outcome.reorientedTo"),
            (.init(status: .commissionOpinion), "outcome.opinion"),
            (.init(status: .prefectDecision), "outcome.decision"),
            (.init(status: .accepted, appointmentAt: at), "outcome.appointmentAt"),
            (.init(status: .accepted, reorientedTo: Self.otherOrganisation), "outcome.reorientedTo"),
            (.init(status: .prefectDecision, opinion: .favourable, decision: .refused), "outcome.opinion"),
            (.init(status: .commissionOpinion, opinion: .unfavourable, decision: .granted), "outcome.decision"),
            (.init(status: .accepted, note: String(repeating: "n", count: 2_001)), "outcome.note"),
        ]
        for (o, field) in invalid {
            var r = Self.base(kind: .reply)
            r.outcome = o
            #expect(Self.message(r)?.contains(field) == true, "\(o?.status.rawValue ?? "none"): \(Self.message(r) ?? "accepted")")
        }
    }

    @Test func unknownFieldsAreRefusedPerVersion() throws {
        var r = Self.base()
        r.situation = .init(children: .init(count: 1))
        r.leadProfessional = .init(name: "A")
        let good = try JSONSerialization.jsonObject(with: Data(r.encoded())) as! [String: Any]
        #expect(decodeMessage(good) == "ok")
        func with(_ section: String, _ key: String, in object: [String: Any] = good) -> [String: Any] {
            var copy = object
            var sub = copy[section] as! [String: Any]
            sub[key] = true
            copy[section] = sub
            return copy
        }
        #expect(decodeMessage(with("situation", "address")) == "situation: unknown field \"address\"")
        #expect(decodeMessage(with("leadProfessional", "home")) == "leadProfessional: unknown field \"home\"")
        var children = good
        var situation = good["situation"] as! [String: Any]
        situation["children"] = ["count": 1, "names": "x"]
        children["situation"] = situation
        #expect(decodeMessage(children) == "situation.children: unknown field \"names\"")
        // A v2 person has no casePseudonym; a v1 referral no v2 field.
        #expect(decodeMessage(with("person", "casePseudonym")) == "person: unknown field \"casePseudonym\"")
        let v1 = try JSONSerialization.jsonObject(with: Data(Self.vectorReferral("success-one-recipient").encoded())) as! [String: Any]
        #expect(decodeMessage(v1) == "ok")
        var v1Situation = v1
        v1Situation["situation"] = ["debt": true]
        #expect(decodeMessage(v1Situation) == "referral: unknown field \"situation\"")
        #expect(decodeMessage(with("person", "subjectPseudonym", in: v1)) == "person: unknown field \"subjectPseudonym\"")
        // Each version's pseudonym is required.
        func without(_ key: String, in object: [String: Any]) -> [String: Any] {
            var copy = object
            var person = copy["person"] as! [String: Any]
            person.removeValue(forKey: key)
            copy["person"] = person
            return copy
        }
        #expect(decodeMessage(without("casePseudonym", in: v1)) == "person.casePseudonym is missing or empty")
        #expect(decodeMessage(without("subjectPseudonym", in: good)).hasPrefix("person.subjectPseudonym must be 64 lowercase hex digits"))
    }

    @Test func repeatedMembersAreRefusedInV2Objects() throws {
        var r = Self.base(kind: .reply)
        r.outcome = .init(status: .refused, reason: "Complet.")
        let good = String(decoding: try r.encoded(), as: UTF8.self)
        let twice = good.replacingOccurrences(of: #""status":"refused""#, with: #""status":"refused","status":"accepted""#)
        #expect(twice != good)
        #expect(throws: ReferralError.invalid("member \"status\" appears twice")) { try Referral.decode(Array(twice.utf8)) }
    }

    static func vectorReferral(_ name: String) throws -> Referral {
        let url = protocolVectors.appendingPathComponent("envelope/\(name).json")
        let text = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])["referral"] as? String
        return try Referral.decode(Array(try #require(text).utf8))
    }
}

@Suite("Referral data categories")
struct ReferralDataCategoryTests {
    @Test func theSmallestReferralIsItsSituation() {
        let r = ReferralV2Tests.base()
        #expect(r.dataCategories == [.situation])
        #expect(r.categoriesOutside([.situation]).isEmpty)
        #expect(r.categoriesOutside([]) == [.situation])
    }

    /// (field set, the category it adds to the smallest referral's `situation`).
    static let fields: [(String, @Sendable (inout Referral) -> Void, DataCategory)] = [
        ("firstName", { $0.person.firstName = "Ana" }, .identity),
        ("administrativeStatus", { $0.person.administrativeStatus = .undocumented }, .administrative),
        ("health need", { $0.needs.append(.sexualHealth) }, .health),
        ("addictions need", { $0.needs = [.addictions] }, .health),
        ("harm reduction need", { $0.needs = [.harmReduction] }, .health),
        ("danger level", { $0.safety.dangerLevel = 1 }, .safety),
        ("not safe to call", { $0.safety.safeToCall = false }, .safety),
        ("safe contact instructions", { $0.safety.safeContactInstructions = "Le mardi." }, .contact),
        ("code word", { $0.safety.codeWord = "tilleul" }, .contact),
        ("lead professional", { $0.leadProfessional = .init(name: "A") }, .contact),
        ("in danger locally", { $0.situation = .init(inDangerLocally: true) }, .safety),
        ("needs to move away", { $0.situation = .init(needsToMoveAway: false) }, .safety),
        ("areas to avoid", { $0.situation = .init(areasToAvoid: ["75"]) }, .safety),
        ("threats to relatives", { $0.situation = .init(threatsToRelatives: true) }, .safety),
        ("documents held by others", { $0.situation = .init(identityDocumentsHeldByOthers: true) }, .administrative),
        ("complaint filed", { $0.situation = .init(complaintFiled: false) }, .legal),
        ("pregnancy", { $0.situation = .init(pregnancy: true) }, .health),
        ("exit programme", { r in r = ReferralV2Tests.base(kind: .exitProgrammeRequest); r.needs = [.exitProgramme] }, .administrative),
    ]

    @Test(arguments: fields.indices)
    func eachFieldAddsItsCategory(_ i: Int) throws {
        let (name, set, category) = Self.fields[i]
        var r = ReferralV2Tests.base()
        #expect(!r.dataCategories.contains(category) || category == .situation)
        set(&r)
        try r.validate()
        #expect(r.dataCategories.subtracting([.situation]) == [category], "\(name): \(r.dataCategories)")
        #expect(r.categoriesOutside([.situation]) == [category], "\(name)")
        #expect(r.categoriesOutside([.situation, category]).isEmpty, "\(name)")
    }

    @Test func situationFieldsAndAMinorsDetails() throws {
        var r = ReferralV2Tests.base()
        r.situation = .init(exploitationTypes: [.forcedBegging], currentDepartement: "75", children: .init(count: 1), debt: true,
                            interview: .alone)
        #expect(r.dataCategories == [.situation])
        r.safety.dangerLevel = 0
        r.freeText = "Récit."
        #expect(r.dataCategories == [.situation])
        var minor = ReferralV2Tests.base(kind: .childProtectionReport)
        minor.minor = .init(unaccompaniedForeign: true, aged16OrMoreWithComplaint: false)
        #expect(minor.dataCategories == [.situation, .administrative, .legal])
        var reply = ReferralV2Tests.base(kind: .reply)
        reply.outcome = .init(status: .refused, reason: "Complet.")
        #expect(reply.dataCategories == [.situation])
    }

    @Test func categoriesOutsideAreInDeclarationOrder() throws {
        var r = ReferralV2Tests.base()
        r.person.firstName = "Ana"
        r.safety.codeWord = "tilleul"
        r.situation = .init(complaintFiled: true, pregnancy: true)
        r.person.administrativeStatus = .asylumSeeker
        r.safety.dangerLevel = 2
        #expect(r.dataCategories == Set(DataCategory.allCases))
        #expect(r.categoriesOutside([.situation]) == [.identity, .contact, .health, .legal, .administrative, .safety])
        #expect(r.categoriesOutside(DataCategory.allCases).isEmpty)
        // The vectors' v1 orientation (first name, danger 2, code word, health need, EU citizen).
        let v1 = try ReferralV2Tests.vectorReferral("success-one-recipient")
        #expect(v1.dataCategories == [.identity, .situation, .health, .administrative, .safety, .contact])
    }
}
