import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import RelaisStore
import Testing

/// Issue 15, "Minors", with the real CLI binary against a live relay: a referral about a minor
/// stops until the professional reports (a declaration for the same case, or a report made outside
/// Relais and recorded), and the outside report is logged pseudonymously and passes the audit.
@Suite("relais CLI: the minor path", .serialized)
struct MinorPathCLITests {
    /// `CLI.sendArgs` for the case `label`, about a person of `minorStatus`.
    static func send(_ w: CLITests.World, consent: String, case label: String, minorStatus: String) -> [String] {
        var args = CLI.sendArgs(to: w.association, consent: consent)
        args[args.firstIndex(of: "CASE-0042")!] = label
        args[args.firstIndex(of: "--minor-status")! + 1] = minorStatus
        return args
    }

    /// The consent of the person of case `label`, covering the association.
    static func consent(_ w: CLITests.World, case label: String) async throws -> String {
        try await w.cli.ok("pro", ["consent", "grant", "--case", label, "--to-org", w.association, "--purpose", "emergencyShelter",
                                   "--purpose", "legalHelp", "--data", "situation", "--data", "safety", "--yes", "--json"]).string("consentId")
    }

    static func today(offsetDays: Int = 0) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        let day = calendar.date(byAdding: .day, value: offsetDays, to: Date())!
        let c = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// Expects the send to stop with the guide's notice, and nothing to reach the association.
    static func stopped(_ w: CLITests.World, _ args: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let before = try await w.live.statistics().envelopes
        let r = try await w.cli.run("pro", args)
        #expect(r.status != 0, "a minor's orientation left without a report: \(r.out)", sourceLocation: sourceLocation)
        for words in ["119", "internet-signalement.gouv.fr", "ministère de l'Intérieur", "relais declare --case", "relais outside-report --case"] {
            #expect(r.err.contains(words), "the refusal does not name \(words): \(r.err)", sourceLocation: sourceLocation)
        }
        #expect(try await w.live.statistics().envelopes == before, sourceLocation: sourceLocation)
    }

    @Test func aMinorsOrientationWaitsForTheDeclarationOfItsOwnCase() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            let consent = try await Self.consent(w, case: "MINEURE-7")
            try await Self.stopped(w, Self.send(w, consent: consent, case: "MINEURE-7", minorStatus: "minor"))
            try await Self.stopped(w, Self.send(w, consent: consent, case: "MINEURE-7", minorStatus: "allegedMinor"))
            // A declaration for another case does not open this one.
            let other = try await cli.ok("pro", ["declare", "--case", "AUTRE-3", "--minor-status", "minor", "--json"])
            #expect(try other.string("maxReports") == "3" && other.string("validDays") == "30")
            try await Self.stopped(w, Self.send(w, consent: consent, case: "MINEURE-7", minorStatus: "minor"))
            // Bad input is refused before anything is signed or sent.
            let logSize = try await w.live.relay.store.auditLogSize()
            for bad in [["--valid-days", "31"], ["--valid-days", "0"], ["--max-reports", "6"], ["--max-reports", "0"], ["--minor-status", "adult"]] {
                var args = ["declare", "--case", "MINEURE-7", "--minor-status", "minor"]
                if bad[0] == "--minor-status" { args[4] = bad[1] } else { args += bad }
                let r = try await cli.run("pro", args)
                #expect(r.status != 0 && !r.err.isEmpty, "\(bad)")
            }
            #expect(try await cli.run("pro", ["declare", "--minor-status", "minor"]).status != 0, "--case is required")
            #expect(try await w.live.relay.store.auditLogSize() == logSize)
            // The declaration for this case: in French, what it allows; then the orientation goes.
            let declared = try await cli.ok("pro", ["declare", "--case", "MINEURE-7", "--minor-status", "minor", "--valid-days", "10", "--max-reports", "2",
                                                    "--lang", "fr"])
            #expect(declared.out.contains("Déclaration de protection de l'enfance enregistrée") && declared.out.contains("10 jour(s)")
                        && declared.out.contains("au plus 2 envoi(s)") && declared.out.contains("« MINEURE-7 »"))
            let sent = try await cli.ok("pro", Self.send(w, consent: consent, case: "MINEURE-7", minorStatus: "minor"))
            #expect(try await cli.inbox("assoc1") == [try sent.string("envelopeId")])
            // An adult's orientation never needed one.
            let adult = try await Self.consent(w, case: "MAJEURE-1")
            try await cli.ok("pro", Self.send(w, consent: adult, case: "MAJEURE-1", minorStatus: "adult"))
        }
    }

    /// A declaration counts until its end, an outside report for 30 days after it was made: the
    /// same device, its clock moved past each, stops the orientation again (before any request).
    @Test func aDeclarationAndAnOutsideReportStopCoveringWhenTheyEnd() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            try await cli.ok("pro", ["outside-report", "--case", "MINEURE-9", "--to", "crip", "--date", Self.today(), "--yes"])
            try await cli.ok("pro", ["declare", "--case", "MINEURE-10", "--minor-status", "minor", "--valid-days", "2"])
            let now = UInt64(Date().timeIntervalSince1970)
            func refusal(_ label: String, at time: UInt64) async throws -> String? {
                let device = try LocalDevice.open(directory: cli.root + "/pro", passphrase: SecretBytes(Array(CLI.passphrase.utf8)), clock: FixedClock(time))
                let referral = Referral(kind: .orientation, needs: [.emergencyShelter],
                                        person: .init(subjectPseudonym: try device.subjectPseudonym(caseID: label), ageBand: .from15to17, minorStatus: .minor,
                                                      languages: ["fr"], interpreterNeeded: false, administrativeStatus: .unknown),
                                        safety: .init(dangerLevel: 1, safeToCall: true), consent: w.consentReference,
                                        sender: .init(name: "Camille Exemple", role: "assistante sociale"), createdAt: time)
                do {
                    _ = try await device.plan(referral: referral, to: [OrganisationID(hex: w.association)!], lifetime: 86_400)
                    return nil
                } catch let e as LocalError {
                    return "\(e)"
                } catch {
                    return nil  // refused for another reason (the relay's clock, the consent): not the minor path
                }
            }
            let day: UInt64 = 86_400
            // Within their time, the minor path lets them through (whatever else refuses at that clock).
            for (label, time) in [("MINEURE-9", now + 29 * day), ("MINEURE-10", now + day)] {
                let r = try await refusal(label, at: time)
                #expect(r.map { !$0.contains("relais outside-report --case") } ?? true, "\(label): \(r ?? "")")
            }
            // Past them, it stops again and names both ways on.
            for (label, time) in [("MINEURE-9", now + 31 * day), ("MINEURE-10", now + 2 * day + 60), ("AUTRE-5", now)] {
                let r = try await refusal(label, at: time)
                #expect(r?.contains("relais outside-report --case") == true && r?.contains("relais declare --case") == true, "\(label): \(r ?? "no refusal")")
            }
        }
    }

    @Test func aReportMadeOutsideRelaisIsRecordedLoggedAndAudited() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            let consent = try await Self.consent(w, case: "MINEURE-8")
            try await Self.stopped(w, Self.send(w, consent: consent, case: "MINEURE-8", minorStatus: "allegedMinor"))
            // Refused before anything is signed: a date in the future, too old, malformed; an unknown recipient; no confirmation.
            let logSize = try await w.live.relay.store.auditLogSize()
            for (args, words) in [(["--to", "crip", "--date", Self.today(offsetDays: 1)], "futur"),
                                  (["--to", "crip", "--date", Self.today(offsetDays: -40)], "plus de 30 jours"),
                                  (["--to", "crip", "--date", "14/03/2026"], "AAAA-MM-JJ"),
                                  (["--to", "crip", "--date", "2026-02-30"], "AAAA-MM-JJ"),
                                  (["--to", "voisin", "--date", Self.today()], "crip, police, justice ou 119")] {
                let r = try await cli.run("pro", ["outside-report", "--case", "MINEURE-8", "--yes", "--lang", "fr"] + args)
                #expect(r.status != 0 && r.err.contains(words), "\(args): \(r.err)")
            }
            let unconfirmed = try await cli.run("pro", ["outside-report", "--case", "MINEURE-8", "--to", "crip", "--date", Self.today(), "--lang", "fr"])
            #expect(unconfirmed.status != 0 && unconfirmed.err.contains("non confirmé"), "\(unconfirmed.err)")
            #expect(try await w.live.relay.store.auditLogSize() == logSize, "a refused outside report reached the relay")
            try await Self.stopped(w, Self.send(w, consent: consent, case: "MINEURE-8", minorStatus: "allegedMinor"))
            // Recorded for another case: this one still waits.
            try await cli.ok("pro", ["outside-report", "--case", "AUTRE-4", "--to", "police", "--date", Self.today(offsetDays: -1), "--yes"])
            try await Self.stopped(w, Self.send(w, consent: consent, case: "MINEURE-8", minorStatus: "allegedMinor"))
            // Recorded for this case: the orientation goes.
            let recorded = try await cli.ok("pro", ["outside-report", "--case", "MINEURE-8", "--to", "119", "--date", Self.today(offsetDays: -2), "--yes",
                                                    "--lang", "fr"])
            #expect(recorded.out.contains("Signalement enregistré") && recorded.out.contains("au 119") && recorded.out.contains("« MINEURE-8 »"))
            let sent = try await cli.ok("pro", Self.send(w, consent: consent, case: "MINEURE-8", minorStatus: "allegedMinor"))
            #expect(try await cli.inbox("assoc1") == [try sent.string("envelopeId")])
            // In the log: two entries, pseudonymous (the case pseudonym, never its label).
            let entries = try await w.live.relay.store.auditEntries(from: 0, count: Int(try await w.live.relay.store.auditLogSize()))
                .map { try AuditEvent.decode($0) }.filter { $0.kind == .outsideReportRecorded }
            #expect(entries.count == 2)
            for e in entries {
                let text = String(decoding: e.encoded, as: UTF8.self) + String(decoding: e.signedRecord?.bytes ?? [], as: UTF8.self)
                #expect(!text.contains("MINEURE") && !text.contains("AUTRE"), "a case label reached the log")
            }
            let records = try entries.map { try JSONDecoder().decode(OutsideReportRecord.self, from: Data(#require($0.signedRecord).bytes)) }
            #expect(records.map(\.reportedTo) == [.police, .hotline119])
            #expect(Set(records.map(\.subjectPseudonym)).count == 2 && records.allSatisfy { $0.organisationId.hex == w.service })
            // The auditor verifies the log, the outside reports included.
            try await cli.enrol("aud", by: "op", role: "auditor")
            let audit = try await cli.ok("aud", ["audit", "verify", "--json"])
            let report = try audit.json()
            #expect((report["findings"] as? [Any])?.isEmpty == true, "\(audit.out)")
            #expect((report["eventsByKind"] as? [String: Int])?["outsideReportRecorded"] == 2, "\(audit.out)")
            #expect((report["checksByRule"] as? [String: Int])?["outside-reports"] == 2, "\(audit.out)")
        }
    }
}
