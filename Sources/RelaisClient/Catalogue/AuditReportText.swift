public import RelaisCore

/// The words of the auditor's report (`relais audit report`, Markdown and HTML; issue 16), as
/// keys. Each language renders every key in its file (`AuditReportText+fr.swift`,
/// `AuditReportText+en.swift`) with an exhaustive `switch`: a key missing in one does not build.
public enum AuditReportText: Sendable, Equatable {
    case title
    /// The one-line result: intact and compliant, or intact with `findings` findings.
    case verdict(findings: Int)
    /// Between a label and its value in a list («Journal : », «Log: »).
    case labelSeparator

    // The verification.
    case verification, log, verifiedAt, entries, root, checkpoint, checkpointVerified
    case consistent, consistentWith(size: UInt64), firstVerification, findings

    // Exchanges per week.
    case weeksTitle, weeksChartTitle, week, total, exchangesAxis, weekAxis(zone: String), noExchange
    case kind(AuditReport.ExchangeKind)

    // Rules.
    case rulesTitle, rulesChartTitle, rulesLegend, rule, checked, findingsAxis, whatItChecks, noRule
    /// What a rule of SPEC.md, "Audit log", checks; empty for a rule this version does not know.
    case ruleDescription(String)

    // Organisations.
    case organisationsTitle, organisation, identifier, sent, received
    case noOrganisation, notNamed(id: String)

    // Invites.
    case invitesTitle, invite, role, issuedBy, issued, expires, theRelay, invitesLine(outstanding: Int, expired: Int)

    // Events and findings.
    case eventsTitle, eventKind, count
    case findingsTitle, entry, finding, none
    case privacyNote

    // The command (`relais audit report`): its help, and what it says once the report is written.
    case commandAbstract, commandDiscussion, outputHelp, formatHelp
    case written(path: String, entries: UInt64, findings: Int)

    public func text(_ language: Language) -> String {
        switch language {
        case .fr: fr
        case .en: en
        }
    }
}
