import RelaisCore
import Testing

/// Issue 16: every enumerated value has a French and an English label, accepted as input beside
/// its identifier whatever the case and accents, and no two values of a type share an input form.
@Suite("Labels of enumerated values, and the interface language")
struct LabelTests {
    /// Every input form of every value names that value and no other.
    func roundTrips<T: Labelled & Equatable>(_ type: T.Type, sourceLocation: SourceLocation = #_sourceLocation) {
        for value in T.allCases {
            #expect(!value.labelFr.isEmpty && !value.labelEn.isEmpty, "\(value)", sourceLocation: sourceLocation)
            for form in value.inputForms {
                #expect(T.parse(form) == value, "\(T.self): «\(form)» names \(String(describing: T.parse(form))), not \(value)",
                        sourceLocation: sourceLocation)
                let others = T.allCases.filter { $0 != value && $0.inputForms.contains(form) }
                #expect(others.isEmpty, "\(T.self): «\(form)» names \(value) and \(others)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func everyLabelledTypeRoundTripsWithoutCollision() {
        roundTrips(Referral.Kind.self)
        roundTrips(Referral.Need.self)
        roundTrips(Referral.AgeBand.self)
        roundTrips(Referral.MinorStatus.self)
        roundTrips(Referral.AdministrativeStatus.self)
        roundTrips(Referral.ExploitationType.self)
        roundTrips(Referral.Interview.self)
        roundTrips(Referral.ExitProgramme.Request.self)
        roundTrips(Referral.Outcome.Status.self)
        roundTrips(Referral.Outcome.Opinion.self)
        roundTrips(Referral.Outcome.Decision.self)
        roundTrips(PartnerCategory.self)
        roundTrips(DeviceRole.self)
        roundTrips(ConsentMethod.self)
        roundTrips(LegalBasis.self)
        roundTrips(DataCategory.self)
        roundTrips(ChildProtectionDeclaration.Article.self)
    }

    @Test(arguments: [
        ("hebergement-urgence", Referral.Need.emergencyShelter),
        ("emergencyShelter", .emergencyShelter),
        ("Hébergement d'URGENCE", .emergencyShelter),
        ("emergency shelter", .emergencyShelter),
        ("  santé  mentale ", .mentalHealth),
        ("SANTE-MENTALE", .mentalHealth),
        ("aps", .provisionalResidenceAuthorisation),
        ("autorisation provisoire de séjour (APS)", .provisionalResidenceAuthorisation),
        ("couverture-maladie-ame-puma", .healthCover),
        ("AME", .healthCover),
        ("afis", .afisAllowance),
    ])
    func needsAreReadInEitherLanguage(input: String, need: Referral.Need) {
        #expect(Referral.Need.parse(input) == need, "«\(input)»")
    }

    @Test func unknownWordsNameNothing() {
        for input in ["", "   ", "-", "hebergement", "shelter", "emergencyshelterx", "ürgence"] {
            #expect(Referral.Need.parse(input) == nil, "«\(input)»")
        }
        #expect(Referral.MinorStatus.parse("mineure") == .minor)
        #expect(Referral.MinorStatus.parse("se disant mineur") == nil, "inclusive writing folds to «mineure», not «mineur»")
        #expect(Referral.MinorStatus.parse("se disant mineure") == .allegedMinor)
        #expect(PartnerCategory.parse("Ac.Sé") == nil, "a part of a label is not a label")
        #expect(Referral.Kind.parse("acse") == .safeAccommodationRequest, "an abbreviation is")
        #expect(PartnerCategory.parse("dispositif national Ac.Sé") == .safeAccommodationScheme)
    }

    @Test func labelsAreShownInTheChosenLanguage() {
        #expect(Referral.Need.emergencyShelter.label(.fr) == "hébergement d'urgence")
        #expect(Referral.Need.emergencyShelter.label(.en) == "emergency shelter")
        #expect(Referral.Need.choices(.fr).contains("hebergement-urgence (emergencyShelter)"))
    }

    @Test(arguments: [
        (nil, nil, ["LANG": "fr_FR.UTF-8"], Language.fr),
        (nil, nil, ["LANG": "en_GB.UTF-8"], .en),
        (nil, nil, [:], .en),
        (nil, nil, ["LANG": "C.UTF-8"], .en),
        (nil, nil, ["LC_ALL": "fr_CA.UTF-8", "LANG": "en_US.UTF-8"], .fr),
        (nil, nil, ["LC_ALL": "", "LC_MESSAGES": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"], .en),
        (nil, "fr", ["LANG": "en_US.UTF-8"], .fr),
        ("en", "fr", ["LANG": "fr_FR.UTF-8"], .en),
        ("fr", nil, [:], .fr),
        ("xx", "en", ["LANG": "fr_FR"], .en),
    ] as [(String?, String?, [String: String], Language)])
    func theLanguageComesFromTheFlagThenTheProfileThenTheLocale(flag: String?, setting: String?, environment: [String: String], expected: Language) {
        #expect(Language.resolve(flag: flag, setting: setting, environment: environment) == expected)
    }
}
