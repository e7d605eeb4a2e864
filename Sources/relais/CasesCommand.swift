import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

/// `relais cases`: each person this device knows, by pseudonym and local label, with what was
/// sent, delivered, acknowledged, the last outcome and whether the consent is valid.
struct Cases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Suivi des situations : envois, remises, accusés de réception, dernière réponse, validité de l'accord.")
    @OptionGroup var options: ProfileOptions
    @Flag(help: "Ne pas interroger le relais (ce que ce poste sait déjà).") var offline = false

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
            print(cases.isEmpty ? "Aucune situation suivie sur ce poste." : cases.map { render($0, now: now) }.joined(separator: "\n\n"))
        }
    }

    func render(_ c: LocalDevice.CaseSummary, now: UInt64) -> String {
        var lines = ["Situation \(c.label.map { "« \($0) »" } ?? "reçue") — pseudonyme \(c.subject.prefix(16))"]
        if let valid = c.validConsent(at: now) {
            lines.append("  Accord :        valable jusqu'au \(date(valid.validUntil)) (\(valid.consentId.short))")
        } else if let last = c.consents.first {
            let why = last.withdrawnAt != nil ? "retiré le \(date(last.withdrawnAt!))" : "expiré le \(date(last.record.validUntil))"
            lines.append("  Accord :        aucun accord valable (\(why)) : recueillez un nouvel accord avant tout envoi")
        } else if !c.sent.isEmpty {
            lines.append("  Accord :        non enregistré sur ce poste")
        }
        for s in c.sent {
            lines.append("  Envoi \(s.record.envelopeId.hex.prefix(8)) :  \(s.record.kind), le \(date(s.record.sentAt)), \(Self.state(s, now: now))")
        }
        for r in c.received {
            let what = r.referral.kind == .reply ? "Réponse reçue" : "Orientation reçue"
            lines.append("  \(what) \(r.envelopeId.hex.prefix(8)) le \(date(r.openedAt))")
        }
        if let reply = c.lastReply {
            lines.append("  Dernière réponse : \(Self.outcome(reply.referral))")
        }
        return lines.joined(separator: "\n")
    }

    /// What became of a sent envelope, from the relay's last answer.
    static func state(_ s: LocalDevice.CaseSummary.Sent, now: UInt64) -> String {
        guard let st = s.state else {
            return s.record.expiresAt <= now ? "expiré" : "envoyé (état inconnu du relais)"
        }
        if st.deletedAt != nil { return "supprimé du relais (reçu et accusé par tous les postes, ou accord retiré)" }
        if st.expiresAt <= now { return "expiré" }
        return "remis à \(st.delivered)/\(st.addressed) poste(s), accusé par \(st.acknowledged)/\(st.addressed)"
    }

    /// The outcome a reply carries, in words (a version 1 reply has none: its text only says).
    static func outcome(_ r: Referral) -> String {
        r.outcome.map(describeOutcome) ?? "réponse sans issue indiquée (orientation au format 1)"
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
        lastReply = c.lastReply?.envelopeId.hex
        lastOutcome = c.lastReply?.referral.outcome?.status.rawValue
    }
}
