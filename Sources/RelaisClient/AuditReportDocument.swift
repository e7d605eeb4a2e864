public import Foundation
public import RelaisCore

/// What an audit report states, computed once from a verified `AuditReport`: the Markdown and the
/// HTML documents are both written from it, so they state the same figures (issue 16, "The
/// auditor's report as a document"). Counters only: nothing here reads a referral.
public struct AuditReportDocument: Sendable {
    /// A table of the report, as both documents show it (cells already formatted, not escaped).
    public struct Table: Sendable, Equatable {
        /// A stable name (`rules`, `weeks`…), for the HTML anchors and the tests.
        public var id: String
        public var title: String
        public var headers: [String]
        public var rows: [[String]]
        /// The columns (by index) that hold identifiers, shown as code.
        public var codeColumns: Set<Int> = []
    }

    public struct Rule: Sendable, Equatable {
        public var rule: String
        public var checked: Int
        public var findings: Int
    }

    public struct Organisation: Sendable, Equatable {
        /// Hex id; nil for the findings that name no organisation (the relay's own, a late purge).
        public var id: String?
        /// The name the operator signed, if the log holds its verified record.
        public var name: String?
        public var sent: Int
        public var received: Int
        public var findings: Int
    }

    public let language: Language
    public let report: AuditReport
    public let zone: TimeZone
    /// Every ISO week from the first exchange's to the last's (the weeks without exchange
    /// included, so the chart's axis is time), or the weeks with exchanges when they span more
    /// than five years.
    public let weeks: [String]
    public let kinds: [AuditReport.ExchangeKind] = AuditReport.ExchangeKind.allCases
    /// `exchanges[w][k]`: envelopes of kind `kinds[k]` submitted in week `weeks[w]`.
    public let exchanges: [[Int]]
    public let rules: [Rule]
    public let organisations: [Organisation]

    public init(_ report: AuditReport, language: Language) {
        self.language = language
        self.report = report
        zone = TimeZone(identifier: report.timeZone) ?? LocalTime.zone()
        weeks = Self.continuous(report.exchangesByWeek.keys.sorted(), calendar: AuditReport.weekCalendar(zone))
        exchanges = weeks.map { week in AuditReport.ExchangeKind.allCases.map { report.exchangesByWeek[week]?[$0.rawValue] ?? 0 } }
        var findingsByRule: [String: Int] = [:], findingsByOrganisation: [String?: Int] = [:]
        for f in report.findings {
            findingsByRule[f.rule, default: 0] += 1
            findingsByOrganisation[f.organisation, default: 0] += 1
        }
        rules = Set(report.checksByRule.keys).union(findingsByRule.keys).sorted().map {
            Rule(rule: $0, checked: report.checksByRule[$0] ?? 0, findings: findingsByRule[$0] ?? 0)
        }
        let ids = Set(report.submissionsByOrganisation.keys).union(report.receivedByOrganisation.keys).union(findingsByOrganisation.keys.compactMap { $0 })
        var organisations = ids.map {
            Organisation(id: $0, name: report.organisationNames[$0], sent: report.submissionsByOrganisation[$0] ?? 0,
                         received: report.receivedByOrganisation[$0] ?? 0, findings: findingsByOrganisation[$0] ?? 0)
        }.sorted { ($0.name ?? "\u{10FFFF}", $0.id ?? "") < ($1.name ?? "\u{10FFFF}", $1.id ?? "") }
        if let relay = findingsByOrganisation[nil] { organisations.append(Organisation(id: nil, name: nil, sent: 0, received: 0, findings: relay)) }
        self.organisations = organisations
    }

    /// The weeks from `present.first` to `present.last`, each once.
    static func continuous(_ present: [String], calendar: Calendar) -> [String] {
        guard let first = present.first, let last = present.last, let start = monday(first, calendar: calendar) else { return present }
        var weeks: [String] = []
        var day = start
        while weeks.count <= 262 {
            let week = AuditReport.isoWeek(UInt64(max(0, day.timeIntervalSince1970)), calendar: calendar)
            weeks.append(week)
            if week == last { return weeks }
            guard let next = calendar.date(byAdding: .day, value: 7, to: day) else { break }
            day = next
        }
        return present
    }

    /// Noon on the Monday of `week` ("2026-W49") in `calendar`'s zone.
    static func monday(_ week: String, calendar: Calendar) -> Date? {
        let parts = week.split(separator: "-W")
        guard parts.count == 2, let year = Int(parts[0]), let number = Int(parts[1]) else { return nil }
        return calendar.date(from: DateComponents(hour: 12, weekday: 2, weekOfYear: number, yearForWeekOfYear: year))
    }

    // MARK: Words

    /// A word of the report in its language (the catalogue's `AuditReportText`).
    func t(_ key: AuditReportText) -> String { key.text(language) }

    public var title: String { t(.title) }

    public func label(_ kind: AuditReport.ExchangeKind) -> String { t(.kind(kind)) }

    /// `seconds` in the report's zone, with the zone's name (`LocalTime`).
    public func date(_ seconds: UInt64) -> String { LocalTime.date(seconds, language, zone: zone) }

    public func name(_ o: Organisation) -> String {
        guard let id = o.id else { return t(.noOrganisation) }
        return o.name ?? t(.notNamed(id: String(id.prefix(8))))
    }

    public var compliant: Bool { report.findings.isEmpty }

    /// One line: verified, and compliant or not.
    public var verdict: String { t(.verdict(findings: report.findings.count)) }

    /// The verification's facts, label and value.
    public var summary: [(label: String, value: String)] {
        [
            (t(.log), report.origin),
            (t(.verifiedAt), date(report.verifiedAt)),
            (t(.entries), "\(report.size)"),
            (t(.root), report.root),
            (t(.checkpoint), t(.checkpointVerified)),
            (t(.consistent), report.previousSize.map { t(.consistentWith(size: $0)) } ?? t(.firstVerification)),
            (t(.findings), "\(report.findings.count)"),
        ]
    }

    // MARK: Tables

    public var weekTable: Table {
        Table(id: "weeks", title: t(.weeksTitle), headers: [t(.week)] + kinds.map(label) + [t(.total)],
              rows: zip(weeks, exchanges).map { week, counts in [week] + counts.map(String.init) + [String(counts.reduce(0, +))] })
    }

    public var ruleTable: Table {
        Table(id: "rules", title: t(.rulesTitle), headers: [t(.rule), t(.checked), t(.findingsAxis), t(.whatItChecks)],
              rows: rules.map { [$0.rule, String($0.checked), String($0.findings), t(.ruleDescription($0.rule))] })
    }

    public var organisationTable: Table {
        Table(id: "organisations", title: t(.organisationsTitle),
              headers: [t(.organisation), t(.identifier), t(.sent), t(.received), t(.findingsAxis)],
              rows: organisations.map { [name($0), $0.id ?? "–", String($0.sent), String($0.received), String($0.findings)] }, codeColumns: [1])
    }

    public var inviteTable: Table {
        Table(id: "invites", title: t(.invitesTitle),
              headers: [t(.invite), t(.role), t(.organisation), t(.issuedBy), t(.issued), t(.expires)],
              rows: report.outstandingInvites.map {
                  [$0.invite, $0.role, $0.organisation ?? "–", $0.issuedBy ?? t(.theRelay), date($0.issuedAt), date($0.expiresAt)]
              }, codeColumns: [0, 2, 3])
    }

    public var eventTable: Table {
        Table(id: "events", title: t(.eventsTitle), headers: [t(.eventKind), t(.count)],
              rows: report.eventsByKind.keys.sorted().map { [$0, String(report.eventsByKind[$0]!)] }, codeColumns: [0])
    }

    public var findingTable: Table {
        let names = Dictionary(organisations.compactMap { o in o.id.map { ($0, name(o)) } }, uniquingKeysWith: { a, _ in a })
        return Table(id: "findings", title: t(.findingsTitle), headers: [t(.entry), t(.rule), t(.organisation), t(.finding)],
                     rows: report.findings.map { [String($0.index), $0.rule, $0.organisation.map { names[$0] ?? $0 } ?? "–", $0.message] }, codeColumns: [1])
    }

    public var invitesLine: String { t(.invitesLine(outstanding: report.outstandingInvites.count, expired: report.expiredInvites)) }

    public var privacyNote: String { t(.privacyNote) }

    // MARK: Markdown

    /// The Markdown document a data-protection officer can file.
    public var markdown: String {
        var lines = ["# \(title)", ""]
        lines += summary.map { "- \($0.label)\(t(.labelSeparator))" + ($0.label == t(.findings) ? "**\($0.value)**" : Self.markdownText($0.value)) }
        lines += ["", "**\(verdict)**"]
        for table in [weekTable, ruleTable, organisationTable] { lines += markdown(table) }
        lines += ["", "## \(inviteTable.title)", "", invitesLine]
        if !report.outstandingInvites.isEmpty { lines += markdown(inviteTable).dropFirst(3) }
        lines += markdown(eventTable)
        lines += ["", "## \(findingTable.title)", ""]
        if report.findings.isEmpty { lines.append(t(.none)) } else { lines += markdown(findingTable).dropFirst(3) }
        lines += ["", privacyNote]
        return lines.joined(separator: "\n") + "\n"
    }

    func markdown(_ table: Table) -> [String] {
        var lines = ["", "## \(table.title)", "", "| " + table.headers.map(Self.markdownText).joined(separator: " | ") + " |",
                     "|" + table.headers.indices.map { i in table.rows.allSatisfy { Int($0[i]) != nil } && !table.rows.isEmpty ? "---:" : "---" }.joined(separator: "|") + "|"]
        for row in table.rows {
            lines.append("| " + row.enumerated().map { i, cell in
                table.codeColumns.contains(i) && cell != "–" && !cell.contains(" ") ? "`\(cell)`" : Self.markdownText(cell)
            }.joined(separator: " | ") + " |")
        }
        return lines
    }

    /// `text` as Markdown shows it literally: punctuation that Markdown or inline HTML would read
    /// is escaped with a backslash (a name like `<script>` stays text), line breaks become spaces.
    static func markdownText(_ text: String) -> String {
        var out = ""
        for c in text {
            if c.isNewline { out.append(" "); continue }
            if "\\`*_[]<>|&!#".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}

extension AuditReport {
    /// The Markdown document, in English (`AuditReportDocument` for another language).
    public var markdown: String { AuditReportDocument(self, language: .en).markdown }
}
