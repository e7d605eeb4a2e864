/// The rules that combine a referral's content with its recipients. The content is sealed, so the
/// relay and the auditor never see it: only the sender's client applies them, before sealing. Pure
/// functions of plain values, so that the CLI and the tests call exactly the same rule.
public enum ReferralRules {
    /// A refusal's stable code (the client's; the relay has no such code: it cannot see the content).
    public enum Code: String, Sendable, CaseIterable {
        case safeAccommodationRecipients = "safe_accommodation_recipients"
        case exitProgrammeAdultsOnly = "exit_programme_adults_only"
        case exitProgrammeNotAccredited = "exit_programme_not_accredited"
    }

    public typealias Refusal = RuleRefusal<Code>

    /// A recipient organisation as the sender's client knows it from the verified directory; here
    /// `accreditedForExitProgramme` is the accreditation **in the person's département** at the
    /// time of sending (`OrganisationRecord.isAccreditedForExitProgramme(departement:at:)`).
    public typealias Recipient = CoverPolicy.Recipient

    /// The recipient rules of a referral of `kind` about a person of `minorStatus`:
    ///
    /// - a safe-accommodation request (AcSé, «dispositif national Accueil Sécurisant») goes only
    ///   to organisations of category `safeAccommodationScheme`;
    /// - an exit-programme request is for an adult («toute personne majeure») and goes to, or
    ///   comes from, an association accredited in the person's département at the time («l'une
    ///   des associations de son département qui aura été agréée à cet effet»):
    ///   `senderAccreditedInDepartement`, or every recipient accredited there.
    ///
    /// Nil when allowed. The consent and declaration rules are `CoverPolicy`'s.
    public static func checkRecipients(kind: Referral.Kind, minorStatus: Referral.MinorStatus, senderAccreditedInDepartement: Bool = false,
                                       recipients: [Recipient]) -> Refusal? {
        if kind == .safeAccommodationRequest, let other = recipients.first(where: { $0.category != .safeAccommodationScheme }) {
            return Refusal(code: .safeAccommodationRecipients, reason: .safeAccommodationRecipients(recipient: other.id, category: other.category),
                           message: "une demande d'accueil sécurisant (AcSé) va seulement au dispositif national Accueil Sécurisant, pas à \(other.id) (\(other.category.rawValue))")
        }
        if kind == .exitProgrammeRequest {
            guard minorStatus == .adult else {
                return Refusal(code: .exitProgrammeAdultsOnly, reason: .exitProgrammeAdultsOnly,
                               message: "le parcours de sortie de la prostitution est proposé à une personne majeure : pour un·e mineur·e, c'est la protection de l'enfance")
            }
            guard DirectoryRules.mayExchangeExitProgramme(senderAccredited: senderAccreditedInDepartement,
                                                          recipientsAccredited: recipients.map(\.accreditedForExitProgramme)) else {
                return Refusal(code: .exitProgrammeNotAccredited, reason: .exitProgrammeNotAccreditedInDepartement,
                               message: "une demande de parcours de sortie va à une association agréée pour le département de la personne à cette date (ou vient d'elle)")
            }
        }
        return nil
    }

    /// What the sender must do before sending a referral about someone who may be a minor.
    public enum MinorPath: Sendable, Equatable {
        /// Not about a minor, or it is the report itself, or a reply: go on.
        case proceed
        /// About a minor or alleged minor, and the duty to report is met: this organisation made
        /// a child-protection declaration for the same case, or recorded a report made outside Relais.
        case proceedReported(ReportedBy)
        /// About a minor or alleged minor, and nothing shows a report: stop, report to child
        /// protection first (a `childProtectionReport` under a declaration, or the 119).
        case stopAndReport(Referral.MinorStatus)

        public enum ReportedBy: Sendable, Equatable {
            case declaration
            case outsideReport
        }
    }

    /// «Comme tout·e mineur·e en danger, les victimes mineures de la prostitution relèvent de la
    /// protection de l'enfance, même si le·la mineur·e exige le silence […]. Tout·e
    /// professionnel·le qui a connaissance d'une situation de prostitution de mineur·e·s a le
    /// devoir d'agir.» Any referral other than a child-protection report (or a reply) about a
    /// `minor` or `allegedMinor` stops, unless `declaredSubjects` (the case pseudonyms of this
    /// organisation's child-protection declarations) holds `subjectPseudonym`, or
    /// `outsideReportRecorded`. An `unknown` status does not stop: the CLI asks the question.
    public static func minorPath(kind: Referral.Kind, minorStatus: Referral.MinorStatus, subjectPseudonym: String?,
                                 declaredSubjects: Set<String>, outsideReportRecorded: Bool) -> MinorPath {
        guard minorStatus == .minor || minorStatus == .allegedMinor, kind != .childProtectionReport, kind != .reply else { return .proceed }
        if let subjectPseudonym, declaredSubjects.contains(subjectPseudonym) { return .proceedReported(.declaration) }
        if outsideReportRecorded { return .proceedReported(.outsideReport) }
        return .stopAndReport(minorStatus)
    }
}
