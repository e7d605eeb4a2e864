import RelaisCore
import RelaisCrypto
import Testing

/// `DirectoryRules.isAccreditedForExitProgramme(_:departement:at:)`, the one accreditation rule of
/// the relay, the client and the auditor, and `CoverPolicy`'s refusal naming the département.
@Suite("Exit-programme accreditation per département")
struct ExitProgrammeAccreditationTests {
    static let t0: UInt64 = 1_800_000_000, day: UInt64 = 86_400
    static let v2 = OrganisationRecord(id: .random(using: SystemRandom()), name: "Association agréée", category: .accreditedAssociation,
                                       departements: ["75", "93"], publicServed: .init(women: true, men: true, transPeople: true, minorsAccepted: false),
                                       languages: ["fr"], services: [.exitProgramme],
                                       exitProgrammeAccreditations: [.init(departement: "75", from: t0, until: t0 + 10 * day)], issuedAt: t0)
    static let v1 = OrganisationRecord(id: .random(using: SystemRandom()), name: "Association", category: .specialisedAssociation,
                                       departements: ["93"], exitProgrammeAccreditedUntil: t0 + 10 * day, issuedAt: t0)

    @Test func accreditedInTheDepartementBetweenItsDates() {
        func rule(_ r: OrganisationRecord?, _ d: String?, _ t: UInt64) -> Bool { DirectoryRules.isAccreditedForExitProgramme(r, departement: d, at: t) }
        #expect(rule(Self.v2, "75", Self.t0))
        #expect(!rule(Self.v2, "75", Self.t0 - 1), "before its start")
        #expect(!rule(Self.v2, "75", Self.t0 + 10 * Self.day), "its end is excluded")
        #expect(!rule(Self.v2, "93", Self.t0 + Self.day), "a département it serves without accreditation")
        #expect(rule(Self.v2, nil, Self.t0 + Self.day), "a version 1 consent: some département")
        #expect(!rule(Self.v2, nil, Self.t0 + 10 * Self.day))
        #expect(rule(Self.v1, "93", Self.t0) && !rule(Self.v1, "75", Self.t0), "version 1: the départements it serves")
        #expect(!rule(nil, "75", Self.t0), "an organisation the checker does not know")
    }

    @Test func theRefusalNamesTheDepartement() {
        let sender = OrganisationID.random(using: SystemRandom())
        func decision(_ departement: String?) -> CoverPolicy.Decision {
            let facts = CoverPolicy.ConsentFacts(organisation: sender, recipientOrganisations: [Self.v2.id], recipientCategories: [], exitProgramme: true,
                                                 grantedAt: Self.t0, validUntil: Self.t0 + 100 * Self.day, departement: departement)
            let recipient = CoverPolicy.Recipient(id: Self.v2.id, category: Self.v2.category,
                                                  accreditedForExitProgramme: DirectoryRules.isAccreditedForExitProgramme(Self.v2, departement: departement,
                                                                                                                          at: Self.t0 + Self.day))
            return CoverPolicy.check(.init(cover: .exitProgrammeConsent(facts), sender: sender, recipients: [recipient], sentUnderCover: [],
                                           time: Self.t0 + Self.day))
        }
        #expect(decision("75") == .allowed(answer: false))
        // A version 1 consent (no département) attests no majority: the programme is for adults only.
        #expect(decision(nil).refusal?.code == .consentPurpose)
        #expect(decision(nil).refusal?.message.contains("toute personne majeure") == true)
        let refusal = decision("93").refusal
        #expect(refusal?.code == .notAccredited)
        #expect(refusal?.message.contains("agréée pour le département 93") == true, "\(String(describing: refusal))")
    }
}
