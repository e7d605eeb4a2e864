/// Why a rule of the guide refused (`CoverPolicy`, `ReferralRules`), with the values the refusal
/// names. RelaisCore words no sentence for the user: the client's catalogue reads the reason in
/// the user's language (`Message.ruleRefusal`); the relay sends the stable `code` and its own
/// French `message`, which do not depend on the catalogue.
public enum RuleReason: Sendable, Equatable {
    case consentUnknown
    case consentOtherOrganisation
    case consentWithdrawn
    case consentExpired
    /// A recipient the consent does not name, by organisation or by category.
    case consentScope(recipient: OrganisationID, category: PartnerCategory)
    /// An exit-programme request under a consent without the exit programme among its purposes.
    case exitProgrammeNotConsented
    /// An exit-programme request under a version 1 consent: no attested majority, no département.
    case exitProgrammeConsentNotAdult
    /// Neither the sender nor every recipient is accredited for the exit programme (in `departement`, when the consent names it).
    case notAccredited(departement: String?)
    case declarationUnknown
    case declarationOtherOrganisation
    case declarationExpired
    case declarationExhausted(maxReports: Int)
    /// A child-protection report to a recipient that is not child protection, the prosecutor or the police.
    case childProtectionRecipients(recipient: OrganisationID, category: PartnerCategory)
    /// A safe-accommodation request (AcSé) to another recipient than the national scheme.
    case safeAccommodationRecipients(recipient: OrganisationID, category: PartnerCategory)
    /// An exit-programme request about a minor.
    case exitProgrammeAdultsOnly
    /// An exit-programme request where neither side is accredited in the person's département.
    case exitProgrammeNotAccreditedInDepartement

    /// The recipient the refusal names, if any (the client shows its name from the verified directory).
    public var recipient: OrganisationID? {
        switch self {
        case let .consentScope(id, _), let .childProtectionRecipients(id, _), let .safeAccommodationRecipients(id, _): id
        default: nil
        }
    }
}
