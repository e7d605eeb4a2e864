import RelaisCore

/// The help of each option of `relais send`, `open`, `ack`, `reply` (issue 16): one case per
/// option, rendered in `OptionHelp+fr.swift` and `OptionHelp+en.swift` (exhaustive switches).
public enum OptionHelp: Sendable, CaseIterable {
    // send: recipients and expiry
    case to, expiresInDays
    // the referral
    case file, kind, need, caseLabel, firstName, ageBand, minorStatus, language, interpreter, administrativeStatus, danger, safeToCall,
         safeContact, codeWord, text, consent, childProtectionDeclaration, senderName, senderRole, senderPhone, senderEmail
    // the situation (schema v2)
    case exploitation, inDangerLocally, needsToMoveAway, currentDepartement, avoidDepartement, children, childrenWithThePerson,
         childrenAtRisk, threatsToRelatives, debt, documentsHeldByOthers, complaintFiled, pregnancy, interview
    // the path (schema v2)
    case leadProfessional, leadOrganisation, leadPhone, leadEmail, unaccompaniedForeignMinor, aged16WithComplaint, exitRequest,
         monthsUsed, exitDepartement
    // open, ack, reply
    case envelopeId, replyEnvelopeId, outcome, appointmentAt, reason, reorientedTo, opinion, decision, note, replyText, yourName, yourRole,
         yourPhone
}

extension OptionHelp {
    /// This help in the process's language.
    public var text: String { Messages.language == .fr ? fr : en }
}
