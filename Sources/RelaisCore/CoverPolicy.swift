/// What may be sent under what (SPEC.md, "Consent records", "At the relay"): the rules the relay
/// enforces on every submit, the client checks before sealing, and the auditor checks in the log.
/// One place, so the three cannot disagree; pure (no I/O): every input is a plain value the caller
/// read from its store, its keystore or the log.
public enum CoverPolicy {
    /// How far a consent's grant may lie after the time of checking, when the checker's clock and
    /// the recorder's disagree: the relay's default `--clock-skew` (the relay passes its own); the
    /// client and the auditor use this.
    public static let defaultSkew: UInt64 = 120

    /// A consent's facts, from its public part (the relay, the auditor) or its full record (the client).
    public struct ConsentFacts: Sendable, Equatable {
        public var organisation: OrganisationID
        public var recipientOrganisations: [OrganisationID]
        public var recipientCategories: [PartnerCategory]
        /// The purposes include the exit programme.
        public var exitProgramme: Bool
        public var grantedAt: UInt64
        public var validUntil: UInt64
        public var withdrawnAt: UInt64?
        /// The person's département (a version 2 exit-programme consent); nil for a version 1 one.
        /// The accreditations of `Recipient` and `senderAccreditedForExitProgramme` are for it.
        public var departement: String?
        /// The consent attests that the person is of age (version 2: always; version 1: never).
        public var attestsAdult: Bool

        /// `attestsAdult` defaults to what the consent's version says: a version 2 consent (one
        /// with a `departement`) attests it.
        public init(organisation: OrganisationID, recipientOrganisations: [OrganisationID], recipientCategories: [PartnerCategory],
                    exitProgramme: Bool, grantedAt: UInt64, validUntil: UInt64, withdrawnAt: UInt64? = nil, departement: String? = nil,
                    attestsAdult: Bool? = nil) {
            self.attestsAdult = attestsAdult ?? (departement != nil)
            self.organisation = organisation
            self.recipientOrganisations = recipientOrganisations
            self.recipientCategories = recipientCategories
            self.exitProgramme = exitProgramme
            self.grantedAt = grantedAt
            self.validUntil = validUntil
            self.withdrawnAt = withdrawnAt
            self.departement = departement
        }

        public init(_ p: ConsentPublic, withdrawnAt: UInt64?) {
            self.init(organisation: p.organisationId, recipientOrganisations: p.recipientOrganisations, recipientCategories: p.recipientCategories,
                      exitProgramme: p.exitProgramme, grantedAt: p.grantedAt, validUntil: p.validUntil, withdrawnAt: withdrawnAt,
                      departement: p.departement, attestsAdult: p.adult == true)
        }

        func covers(_ r: Recipient) -> Bool { recipientOrganisations.contains(r.id) || recipientCategories.contains(r.category) }
    }

    /// A child-protection declaration's facts, and how many reports its organisation sent under it.
    public struct DeclarationFacts: Sendable, Equatable {
        public var organisation: OrganisationID
        /// Nil for a version 1 declaration (tied to no case).
        public var subjectPseudonym: String?
        public var declaredAt: UInt64
        public var validUntil: UInt64
        public var maxReports: Int
        /// Envelopes the declaring organisation already sent under it (answers not counted).
        public var reportsSent: Int

        public init(organisation: OrganisationID, subjectPseudonym: String?, declaredAt: UInt64, validUntil: UInt64, maxReports: Int,
                    reportsSent: Int) {
            self.organisation = organisation
            self.subjectPseudonym = subjectPseudonym
            self.declaredAt = declaredAt
            self.validUntil = validUntil
            self.maxReports = maxReports
            self.reportsSent = reportsSent
        }

        /// Version 1 declarations get the limits of `ChildProtectionDeclaration.limits`.
        public init(_ d: ChildProtectionDeclaration, reportsSent: Int) {
            self.init(organisation: d.organisationId, subjectPseudonym: d.subjectPseudonym, declaredAt: d.declaredAt,
                      validUntil: d.limits.validUntil, maxReports: d.limits.maxReports, reportsSent: reportsSent)
        }
    }

    /// What the envelope names as its cover, as the one checking knows it (nil: unknown to it).
    public enum Cover: Sendable, Equatable {
        case consent(ConsentFacts?)
        case exitProgrammeConsent(ConsentFacts?)
        case childProtectionDeclaration(DeclarationFacts?)
    }

    /// A recipient organisation: its category, and whether it is an association accredited for
    /// the exit programme in the consent's département at the time: what
    /// `DirectoryRules.isAccreditedForExitProgramme(_:departement:at:)` says of its signed record,
    /// with `ConsentFacts.departement` (the relay, the client and the auditor all call it).
    public struct Recipient: Sendable, Equatable {
        public var id: OrganisationID
        public var category: PartnerCategory
        public var accreditedForExitProgramme: Bool

        public init(id: OrganisationID, category: PartnerCategory, accreditedForExitProgramme: Bool = false) {
            self.id = id
            self.category = category
            self.accreditedForExitProgramme = accreditedForExitProgramme
        }
    }

    /// One envelope to check.
    public struct Submission: Sendable, Equatable {
        public var cover: Cover
        public var sender: OrganisationID
        public var senderAccreditedForExitProgramme: Bool
        public var recipients: [Recipient]
        /// The organisations that were sent envelopes under this cover before (they may answer).
        public var sentUnderCover: Set<OrganisationID>
        public var time: UInt64
        /// How far a grant may lie in the future (clocks disagree): the relay's `clockSkewSeconds`.
        public var skew: UInt64

        public init(cover: Cover, sender: OrganisationID, senderAccreditedForExitProgramme: Bool = false, recipients: [Recipient],
                    sentUnderCover: Set<OrganisationID>, time: UInt64, skew: UInt64 = CoverPolicy.defaultSkew) {
            self.cover = cover
            self.sender = sender
            self.senderAccreditedForExitProgramme = senderAccreditedForExitProgramme
            self.recipients = recipients
            self.sentUnderCover = sentUnderCover
            self.time = time
            self.skew = skew
        }
    }

    /// A refusal's stable code: the relay's JSON `code` (403), the auditor's finding, the client's error.
    public enum Code: String, Sendable, CaseIterable {
        case consentUnknown = "consent_unknown"
        case consentOtherOrganisation = "consent_other_organisation"
        case consentWithdrawn = "consent_withdrawn"
        case consentExpired = "consent_expired"
        case consentScope = "consent_scope"
        case consentPurpose = "consent_purpose"
        case notAccredited = "not_accredited"
        case declarationUnknown = "declaration_unknown"
        case declarationExpired = "declaration_expired"
        case declarationExhausted = "declaration_exhausted"
        case childProtectionRecipients = "child_protection_recipients"
    }

    public typealias Refusal = RuleRefusal<Code>

    public enum Decision: Sendable, Equatable {
        /// Allowed; `answer` when it is an answer to the cover's organisation (SPEC.md, "At the relay").
        case allowed(answer: Bool)
        case refused(Refusal)

        public var refusal: Refusal? {
            if case let .refused(r) = self { r } else { nil }
        }
    }

    /// Whether the envelope is an answer: from an organisation that was sent envelopes under the
    /// cover, to the cover's (recording or declaring) organisation alone, whatever the kind of cover.
    public static func isAnswer(coverOrganisation: OrganisationID, sender: OrganisationID, recipients: [OrganisationID],
                                sentUnderCover: Set<OrganisationID>) -> Bool {
        sender != coverOrganisation && recipients == [coverOrganisation] && sentUnderCover.contains(sender)
    }

    /// The rules of SPEC.md, "At the relay", in their order there; the first that fails is the refusal.
    public static func check(_ s: Submission) -> Decision {
        switch s.cover {
        case let .consent(facts):
            return check(consent: facts, exitProgramme: false, s)
        case let .exitProgrammeConsent(facts):
            return check(consent: facts, exitProgramme: true, s)
        case let .childProtectionDeclaration(facts):
            return check(declaration: facts, s)
        }
    }

    static func check(consent c: ConsentFacts?, exitProgramme: Bool, _ s: Submission) -> Decision {
        guard let c else {
            return refuse(.consentUnknown, .consentUnknown, "le consentement nommé est inconnu : enregistrez-le avec la personne avant d'envoyer (relais consent grant)")
        }
        let answer = isAnswer(coverOrganisation: c.organisation, sender: s.sender, recipients: s.recipients.map(\.id), sentUnderCover: s.sentUnderCover)
        guard c.organisation == s.sender || answer else {
            return refuse(.consentOtherOrganisation, .consentOtherOrganisation,
                          "ce consentement a été recueilli par une autre structure : il ne couvre que ses orientations, et les réponses qui lui sont adressées")
        }
        if let withdrawn = c.withdrawnAt, withdrawn <= s.time {
            return refuse(.consentWithdrawn, .consentWithdrawn, "la personne a retiré son consentement : plus rien ne peut être envoyé sous ce consentement")
        }
        guard c.grantedAt <= s.time + s.skew, s.time < c.validUntil else {
            return refuse(.consentExpired, .consentExpired, "le consentement n'est pas valide à cette date (expiré, ou pas encore commencé) : recueillez un nouveau consentement")
        }
        if answer { return .allowed(answer: true) }
        if let outside = s.recipients.first(where: { !c.covers($0) }) {
            return refuse(.consentScope, .consentScope(recipient: outside.id, category: outside.category), "le consentement de la personne ne couvre pas la structure \(outside.id) (\(outside.category.rawValue)) : partagez seulement avec qui elle a accepté")
        }
        if exitProgramme {
            guard c.exitProgramme else {
                return refuse(.consentPurpose, .exitProgrammeNotConsented, "le consentement ne couvre pas une demande de parcours de sortie de la prostitution")
            }
            guard c.attestsAdult else {
                return refuse(.consentPurpose, .exitProgrammeConsentNotAdult, "le parcours de sortie de la prostitution est pour « toute personne majeure » : ce consentement "
                              + "(version 1) n'atteste pas que la personne est majeure ni ne nomme son département ; recueillez un nouveau consentement")
            }
            guard DirectoryRules.mayExchangeExitProgramme(senderAccredited: s.senderAccreditedForExitProgramme,
                                                          recipientsAccredited: s.recipients.map(\.accreditedForExitProgramme)) else {
                guard let d = c.departement else {
                    return refuse(.notAccredited, .notAccredited(departement: nil), "une demande de parcours de sortie va d'une association agréée, ou à des associations agréées à cette date")
                }
                return refuse(.notAccredited, .notAccredited(departement: d), "une demande de parcours de sortie va d'une association agréée pour le département \(d) de la personne, "
                              + "ou à des associations agréées pour ce département, à cette date (« l'une des associations de son département qui aura été agréée à cet effet »)")
            }
        }
        return .allowed(answer: false)
    }

    static func check(declaration d: DeclarationFacts?, _ s: Submission) -> Decision {
        guard let d else {
            return refuse(.declarationUnknown, .declarationUnknown, "un signalement de protection de l'enfance repose sur une déclaration signée de votre structure (relais declare)")
        }
        if isAnswer(coverOrganisation: d.organisation, sender: s.sender, recipients: s.recipients.map(\.id), sentUnderCover: s.sentUnderCover) {
            // The service that received the report informs the reporter of what followed (CASF
            // L.226-5): neither the declaration's end nor its bound limits the answers.
            return .allowed(answer: true)
        }
        guard d.organisation == s.sender else {
            return refuse(.declarationUnknown, .declarationOtherOrganisation, "cette déclaration a été faite par une autre structure : un signalement repose sur une déclaration de votre structure (relais declare)")
        }
        guard s.time < d.validUntil else {
            return refuse(.declarationExpired, .declarationExpired, "la déclaration de protection de l'enfance a expiré : faites une nouvelle déclaration pour ce signalement (relais declare)")
        }
        guard d.reportsSent < d.maxReports else {
            return refuse(.declarationExhausted, .declarationExhausted(maxReports: d.maxReports), "la déclaration a déjà servi aux \(d.maxReports) signalements prévus : faites une nouvelle déclaration (relais declare)")
        }
        if let outside = s.recipients.first(where: { !ChildProtectionDeclaration.allowedRecipients.contains($0.category) }) {
            return refuse(.childProtectionRecipients, .childProtectionRecipients(recipient: outside.id, category: outside.category), "un signalement va seulement à la protection de l'enfance, au procureur ou à la police, pas à \(outside.id) (\(outside.category.rawValue))")
        }
        return .allowed(answer: false)
    }

    static func refuse(_ code: Code, _ reason: RuleReason, _ message: String) -> Decision {
        .refused(Refusal(code: code, reason: reason, message: message))
    }
}

/// A refusal of a domain rule: its stable code, its typed reason (which the client reads in the
/// user's language), and the French message the relay sends with the code.
public struct RuleRefusal<Code: RawRepresentable & Hashable & Sendable>: Error, Sendable, Equatable, CustomStringConvertible
where Code.RawValue == String {
    public var code: Code
    public var reason: RuleReason
    public var message: String
    public var description: String { message }

    public init(code: Code, reason: RuleReason, message: String) {
        self.code = code
        self.reason = reason
        self.message = message
    }
}
