/// Every context string of Protocol v1 (SPEC.md, "Domain separation"). Each hash or signature
/// input is `context ‖ 0x00 ‖ message`; no two uses share a string.
public enum DomainSeparation: String, CaseIterable, Sendable {
    case deviceID = "relais/v1/device-id"
    case prekeyID = "relais/v1/prekey-id"
    case fingerprint = "relais/v1/fingerprint"
    case signedPrekey = "relais/v1/signed-prekey"
    case envelopeHeader = "relais/v1/envelope-header"
    case bodyKey = "relais/v1/body-key"
    case signedReferral = "relais/v1/signed-referral"
    case organisationRecord = "relais/v1/organisation-record"
    case deviceRecord = "relais/v1/device-record"
    case deviceRevocation = "relais/v1/device-revocation"
    case inviteSecret = "relais/v1/invite-secret"
    case enrolment = "relais/v1/enrolment"
    case request = "relais/v1/request"
    case consentRecord = "relais/v1/consent-record"
    case consentPublic = "relais/v1/consent-public"
    case consentWithdrawal = "relais/v1/consent-withdrawal"
    case childProtectionDeclaration = "relais/v1/child-protection-declaration"
    case subjectPseudonym = "relais/v1/subject"
    case sessionKey = "relais/v1/session-key"
    case requestMAC = "relais/v1/request-mac"
}
