// The audit report's words in English (issue 16).

extension AuditReportText {
    var en: String {
        switch self {
        case .title: "Relais audit report"
        case let .verdict(findings):
            findings == 0 ? "Log intact and compliant: no finding." : "Log intact; \(findings) compliance finding\(findings > 1 ? "s" : "")."
        case .labelSeparator: ": "
        case .verification: "Verification"
        case .log: "Log"
        case .verifiedAt: "Verified at"
        case .entries: "Entries"
        case .root: "Root"
        case .checkpoint: "Checkpoint"
        case .checkpointVerified: "signature verified with the pinned log key; root recomputed from every entry"
        case .consistent: "Consistent with the previously verified checkpoint"
        case let .consistentWith(size): "yes (size \(size))"
        case .firstVerification: "first verification"
        case .findings: "Findings"
        case .weeksTitle: "Exchanges per ISO week and kind"
        case .weeksChartTitle: "Exchanges per ISO week, by kind"
        case .week: "week"
        case .total: "total"
        case .exchangesAxis: "exchanges"
        case let .weekAxis(zone): "ISO week (\(zone))"
        case .noExchange: "No exchange in the log."
        case let .kind(kind):
            switch kind {
            case .referral: "Referral"
            case .answer: "Answer"
            case .exitProgrammeRequest: "Exit-programme request"
            case .childProtectionReport: "Child-protection report"
            }
        case .rulesTitle: "Checks by rule"
        case .rulesChartTitle: "Findings by rule"
        case .rulesLegend: "findings (checks in brackets)"
        case .rule: "rule"
        case .checked: "checked"
        case .findingsAxis: "findings"
        case .whatItChecks: "what it checks"
        case .noRule: "No rule checked."
        case let .ruleDescription(rule):
            switch rule {
            case "consent-coverage": "every envelope is covered by a valid consent or declaration"
            case "exit-programme-accreditation": "an exit-programme request comes from or goes to accredited associations"
            case "exit-programme-departement": "an exit-programme request's consent names the person's département"
            case "no-delivery-after-expiry": "no delivery after expiry or deletion"
            case "delivered-to-recipients": "delivered only to the recipient organisations"
            case "purged-on-time": "purged on time after expiry"
            case "directory-signatures": "the directory is signed by the right authority"
            case "revocation-authority": "a revocation comes from a device that may revoke"
            case "enrolment-invites": "each enrolment redeems a valid invite from a device that may enrol"
            case "outside-reports": "a report made outside Relais is signed by an active device of its organisation"
            default: ""
            }
        case .organisationsTitle: "By organisation"
        case .organisation: "organisation"
        case .identifier: "id"
        case .sent: "sent"
        case .received: "received"
        case .noOrganisation: "(no organisation: the relay)"
        case let .notNamed(id): "(not named in the log) \(id)"
        case .invitesTitle: "Outstanding invites"
        case .invite: "invite"
        case .role: "role"
        case .issuedBy: "issued by"
        case .issued: "issued"
        case .expires: "expires"
        case .theRelay: "the relay"
        case let .invitesLine(outstanding, expired): "Issued, not redeemed, not expired: \(outstanding); expired unredeemed: \(expired)."
        case .eventsTitle: "Events"
        case .eventKind: "kind"
        case .count: "count"
        case .findingsTitle: "Findings"
        case .entry: "entry"
        case .finding: "finding"
        case .none: "None."
        case .privacyNote:
            "The log holds no names, situations or ciphertext: identifiers, times, categories, public keys and signed public records only."
        case .commandAbstract: "Verify, then write the audit report a DPO can file (Markdown, or HTML with charts)."
        case .commandDiscussion:
            "Both formats state the same figures, in the interface language (--lang); dates are in TZ's time (Europe/Paris when unset). Nothing is written when the log's integrity fails (exit 65)."
        case .outputHelp: "Where to write the report."
        case .formatHelp: "markdown, or html (one file, with no external resource)."
        case let .written(path, entries, findings): "Report written to \(path): \(entries) entries, \(findings) finding\(findings == 1 ? "" : "s")."
        }
    }
}
