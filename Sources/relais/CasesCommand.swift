import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

/// `relais cases`: each person this device knows, by pseudonym and local label, with what was
/// sent, delivered, acknowledged, the last outcome and whether the consent is valid.
struct Cases: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "cases", abstract: Message.casesAbstract.text) }
    @OptionGroup var options: ProfileOptions
    @Flag(help: ArgumentHelp(Message.casesOfflineHelp.text)) var offline = false

    func run() async throws {
        try await guarded {
            let device = try options.open()
            if !offline { _ = try await device.refresh() }
            let cases = try await device.cases(refresh: !offline)
            let now = UInt64(Date().timeIntervalSince1970)
            if options.json {
                try emit(true, cases.map { CaseOut($0, now: now) }) { "" }
                return
            }
            print(cases.isEmpty ? Message.noCases.text : cases.map { render($0, now: now) }.joined(separator: "\n\n"))
        }
    }

    func render(_ c: LocalDevice.CaseSummary, now: UInt64) -> String {
        var lines = [Message.caseHeading(label: c.label, pseudonym: String(c.subject.prefix(16))).text]
        if let valid = c.validConsent(at: now) {
            lines.append(Message.caseConsentValid(until: "\(date(valid.validUntil)), \(LocalTime.expiry(valid.validUntil, now: now))",
                                                  id: valid.consentId.short).text)
        } else if let last = c.consents.first {
            lines.append(Message.caseConsentNone(withdrawnOn: last.withdrawnAt.map(date), expiredOn: date(last.record.validUntil)).text)
        } else if !c.sent.isEmpty {
            lines.append(Message.caseConsentNotHere.text)
        }
        for d in c.declarations {
            lines.append(Message.caseDeclared(on: date(d.declaredAt), until: date(d.limits.validUntil), id: d.declarationId.short).text)
        }
        for r in c.outsideReports {
            lines.append(Message.caseOutsideReport(to: OutsideReport.describe(r.reportedTo), on: date(r.reportedAt)).text)
        }
        for s in c.sent {
            let kind = Referral.Kind(rawValue: s.record.kind)?.label(Messages.language) ?? s.record.kind
            lines.append(Message.caseSent(id: String(s.record.envelopeId.hex.prefix(8)), kind: kind, on: date(s.record.sentAt),
                                          state: Self.state(s, now: now)).text)
        }
        for r in c.received {
            lines.append(Message.caseReceived(reply: r.referral.kind == .reply, id: String(r.envelopeId.hex.prefix(8)), on: date(r.openedAt)).text)
        }
        if let reply = c.lastReply {
            lines.append(Message.caseLastReply(Self.outcome(reply.referral)).text)
        }
        return lines.joined(separator: "\n")
    }

    /// What became of a sent envelope, from the relay's last answer.
    static func state(_ s: LocalDevice.CaseSummary.Sent, now: UInt64) -> String {
        guard let st = s.state else { return Message.sentStateUnknown(expired: s.record.expiresAt <= now).text }
        if st.deletedAt != nil { return Message.sentStateDeleted.text }
        if st.expiresAt <= now { return Message.sentStateExpired.text }
        return Message.sentStateDelivered(delivered: st.delivered, acknowledged: st.acknowledged, addressed: st.addressed).text
    }

    /// The outcome a reply carries, in words (a version 1 reply has none: its text only says).
    static func outcome(_ r: Referral) -> String {
        r.outcome.map(describeOutcome) ?? Message.replyWithoutOutcome.text
    }
}

/// `relais cases --json`: one object per case.
struct CaseOut: Encodable {
    struct SentOut: Encodable {
        let envelopeId, kind: String
        let sentAt, expiresAt: UInt64
        let addressed, delivered, acknowledged: Int?
        let deletedAt: UInt64?
    }
    let subject: String
    let label: String?
    let validConsent: String?
    let consentValidUntil: UInt64?
    let sent: [SentOut]
    let received: [String]
    /// The ids of the child-protection declarations made here for the case.
    let declarations: [String]
    /// The ids of the reports made outside Relais recorded here for the case.
    let outsideReports: [String]
    let lastReply: String?
    let lastOutcome: String?

    init(_ c: LocalDevice.CaseSummary, now: UInt64) {
        subject = c.subject
        label = c.label
        let valid = c.validConsent(at: now)
        validConsent = valid?.consentId.hex
        consentValidUntil = valid?.validUntil
        sent = c.sent.map { s in
            SentOut(envelopeId: s.record.envelopeId.hex, kind: s.record.kind, sentAt: s.record.sentAt, expiresAt: s.record.expiresAt,
                    addressed: s.state?.addressed, delivered: s.state?.delivered, acknowledged: s.state?.acknowledged, deletedAt: s.state?.deletedAt)
        }
        received = c.received.map(\.envelopeId.hex)
        declarations = c.declarations.map(\.declarationId.hex)
        outsideReports = c.outsideReports.map(\.reportId.hex)
        lastReply = c.lastReply?.envelopeId.hex
        lastOutcome = c.lastReply?.referral.outcome?.status.rawValue
    }
}
