import RelaisCore

extension RefusalText {
    /// The English reading of a refusal code, or nil to show the relay's message (English, except
    /// for the refusals of the guide's rules, `CoverPolicy.Code`, which are read here).
    static func explanationEn(status: Int, code: String) -> String? {
        guard let rule = CoverPolicy.Code(rawValue: code) else { return nil }
        switch rule {
        case .consentUnknown: return "the relay knows no such consent"
        case .consentOtherOrganisation: return "this consent was recorded by another organisation"
        case .consentWithdrawn: return "this consent has been withdrawn"
        case .consentExpired: return "this consent has expired"
        case .consentScope: return "this consent does not cover these recipients"
        case .consentPurpose: return "this consent does not cover this purpose"
        case .notAccredited: return "the recipient is not accredited for the exit programme in the person's département"
        case .declarationUnknown: return "the relay knows no such child-protection declaration"
        case .declarationExpired: return "this child-protection declaration has expired"
        case .declarationExhausted: return "this child-protection declaration allows no more reports"
        case .childProtectionRecipients: return "a child-protection report goes only to child protection (CRIP), the prosecutor or the police"
        }
    }
}
