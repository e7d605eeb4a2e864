import Foundation
public import RelaisCore

/// The cases this device knows (`relais cases`): each person by subject pseudonym and local label,
/// with the consents recorded here, the referrals sent and what became of them, and the replies.
extension LocalDevice {
    /// One case, as this device knows it.
    public struct CaseSummary: Sendable {
        public struct Sent: Sendable {
            public var record: VaultContents.SentReferral
            /// The relay's last word on it (nil: never asked, or the relay no longer knows it).
            public var state: EnvelopeStatus?
        }
        public struct Received: Sendable {
            public var envelopeId: EnvelopeID
            public var openedAt: UInt64
            public var senderOrganisationId: OrganisationID?
            public var referral: Referral
        }
        /// The subject pseudonym (or, for a v1 referral received, the sender's case pseudonym).
        public var subject: String
        /// The case id typed here at `consent grant`; nil for a case known only from what was received.
        public var label: String?
        public var consents: [(record: ConsentRecord, withdrawnAt: UInt64?)]
        public var sent: [Sent]
        /// Referrals received about this person, and replies to what this device sent, oldest first.
        public var received: [Received]
        /// The child-protection declarations made here for this case (version 2), oldest first.
        public var declarations: [ChildProtectionDeclaration] = []
        /// The reports made outside Relais and recorded here for this case, oldest first.
        public var outsideReports: [OutsideReportRecord] = []

        /// The newest reply to a referral sent from here.
        public var lastReply: Received? { received.last { $0.referral.kind == .reply } }

        /// The consent that is valid at `now`, the latest-ending one first.
        public func validConsent(at now: UInt64) -> ConsentRecord? {
            consents.filter { $0.withdrawnAt == nil && $0.record.grantedAt <= now && now < $0.record.validUntil }
                .max { $0.record.validUntil < $1.record.validUntil }?.record
        }
    }

    /// The local label of the case whose subject pseudonym is `subject`, when this device knows it.
    public func caseLabel(subject: String) -> String? { vault.caseLabels?[subject] }

    /// Keeps the local label of a case (the case id typed at `consent grant`) by its pseudonym.
    public func rememberCase(label: String, subject: String) throws {
        var labels = vault.caseLabels ?? [:]
        guard labels[subject] != label else { return }
        labels[subject] = label
        vault.caseLabels = labels
        try save()
    }

    /// Called by `send` once the relay accepted the envelope.
    func recordSent(_ plan: SendPlan, envelope: EnvelopeID) throws {
        let r = plan.referral
        var sent = vault.sent ?? []
        sent.append(.init(envelopeId: envelope, kind: r.kind.rawValue, subject: r.person.subject, consentId: r.consent.id,
                          recipients: plan.organisations.map(\.id), inReplyTo: r.inReplyTo, sentAt: clock.now(), expiresAt: plan.expiresAt,
                          lastState: nil, checkedAt: nil))
        vault.sent = sent
        try save()
    }

    /// The cases this device knows, the most recently active first. With `refresh`, asks the relay
    /// what became of each referral still held there (one request each), and keeps the answers.
    /// Sent records older than their expiry plus the retention period are dropped first.
    public func cases(refresh: Bool) async throws -> [CaseSummary] {
        let now = clock.now()
        let keep = UInt64(settings.retentionDays) * 86_400
        var sent = (vault.sent ?? []).filter { $0.expiresAt + keep > now }
        if refresh {
            try await requireActive()
            for i in sent.indices where sent[i].lastState?.deletedAt == nil && sent[i].expiresAt > now {
                if let state = try await client.envelopeStatus(sent[i].envelopeId) {
                    sent[i].lastState = state
                } else if sent[i].lastState != nil {
                    // The relay held it and no longer knows it: purged.
                    sent[i].lastState?.deletedAt = now
                }
                sent[i].checkedAt = now
            }
        }
        vault.sent = sent
        try save()

        let labels = vault.caseLabels ?? [:]
        var cases: [String: CaseSummary] = [:]
        func entry(_ subject: String) -> CaseSummary {
            cases[subject] ?? CaseSummary(subject: subject, label: labels[subject], consents: [], sent: [], received: [])
        }
        for c in try consents() {
            var e = entry(c.record.subjectPseudonym)
            e.consents.append(c)
            cases[c.record.subjectPseudonym] = e
        }
        // A minor's case may have nothing else yet: the report comes first.
        for d in (vault.declarationRecords ?? [:]).values {
            guard let subject = d.subjectPseudonym else { continue }
            var e = entry(subject)
            e.declarations.append(d)
            cases[subject] = e
        }
        for r in vault.outsideReports ?? [] {
            var e = entry(r.subjectPseudonym)
            e.outsideReports.append(r)
            cases[r.subjectPseudonym] = e
        }
        let sentIDs = Dictionary(sent.map { ($0.envelopeId, $0.subject) }, uniquingKeysWith: { a, _ in a })
        for s in sent {
            var e = entry(s.subject)
            e.sent.append(.init(record: s, state: s.lastState))
            cases[s.subject] = e
        }
        for o in vault.opened {
            guard let r = try? Referral.decode(Array(o.referral.utf8)) else { continue }
            // A reply belongs to the case of the referral it answers; anything else to the subject it names.
            let subject = r.inReplyTo.flatMap { sentIDs[$0] } ?? r.person.subject
            var e = entry(subject)
            e.received.append(.init(envelopeId: o.envelopeId, openedAt: o.openedAt, senderOrganisationId: o.senderOrganisationId, referral: r))
            cases[subject] = e
        }
        func lastActivity(_ c: CaseSummary) -> UInt64 {
            max(c.consents.map(\.record.grantedAt).max() ?? 0, c.sent.map(\.record.sentAt).max() ?? 0, c.received.map(\.openedAt).max() ?? 0,
                c.declarations.map(\.declaredAt).max() ?? 0, c.outsideReports.map(\.recordedAt).max() ?? 0)
        }
        return cases.values.map { c in
            var c = c
            c.sent.sort { $0.record.sentAt < $1.record.sentAt }
            c.received.sort { $0.openedAt < $1.openedAt }
            c.declarations.sort { $0.declaredAt < $1.declaredAt }
            c.outsideReports.sort { $0.recordedAt < $1.recordedAt }
            return c
        }.sorted { (lastActivity($0), $0.subject) > (lastActivity($1), $1.subject) }
    }
}
