// The refusals of the guide's rules (`RuleReason`, from `CoverPolicy` and `ReferralRules`), in
// English: each names the rule, and the organisation by its name and category, never by its id.

import RelaisCore

extension Message {
    static func ruleEn(_ reason: RuleReason, _ name: String?) -> String {
        func recipient(_ id: OrganisationID, _ category: PartnerCategory) -> String {
            "«\(name ?? String(id.hex.prefix(8)))» (\(category.labelEn))"
        }
        switch reason {
        case .consentUnknown: return "the relay knows no such consent: record it with the person before sending (relais consent grant)"
        case .consentOtherOrganisation:
            return "this consent was recorded by another organisation: it covers only that organisation's referrals, and the replies sent to it"
        case .consentWithdrawn: return "the person has withdrawn their consent: nothing more can be sent under it"
        case .consentExpired: return "the consent is not valid at this date (expired, or not yet begun): record a new consent"
        case let .consentScope(id, category):
            return "the person's consent does not cover the organisation \(recipient(id, category)): share only with those the person agreed to"
        case .exitProgrammeNotConsented: return "the consent does not cover an exit programme request"
        case .exitProgrammeConsentNotAdult:
            return "the exit programme is for «any adult person»: this consent (version 1) neither attests that the person is an adult "
                + "nor names their département; record a new consent"
        case .notAccredited(nil):
            return "an exit programme request comes from an accredited association, or goes to associations accredited at this date"
        case let .notAccredited(departement?):
            return "an exit programme request comes from an association accredited for the person's département \(departement), "
                + "or goes to associations accredited for that département, at this date («one of the associations of their département accredited for this purpose»)"
        case .declarationUnknown:
            return "a child protection report rests on a signed declaration of your organisation (relais declare)"
        case .declarationOtherOrganisation:
            return "this declaration was made by another organisation: a report rests on a declaration of your own organisation (relais declare)"
        case .declarationExpired: return "the child protection declaration has expired: make a new declaration for this report (relais declare)"
        case let .declarationExhausted(max):
            return "the declaration has already served the \(max) reports it allows: make a new declaration (relais declare)"
        case let .childProtectionRecipients(id, category):
            return "a child protection report goes only to child protection, the prosecutor or the police, not to \(recipient(id, category))"
        case let .safeAccommodationRecipients(id, category):
            return "a safe accommodation request (Ac.Sé) goes only to the national Ac.Sé scheme, not to \(recipient(id, category))"
        case .exitProgrammeAdultsOnly:
            return "the exit programme is offered to adults: for a minor, it is child protection"
        case .exitProgrammeNotAccreditedInDepartement:
            return "an exit programme request goes to (or comes from) an association accredited for the person's département at this date"
        }
    }
}

extension Message {
    /// What `NameResolution` looks for, named in French by its callers (`structure`, `enveloppe`…), in English.
    static func thingEn(_ what: String) -> String {
        ["structure": "organisation", "enveloppe": "envelope", "consentement": "consent", "déclaration": "declaration"][what] ?? what
    }
}
