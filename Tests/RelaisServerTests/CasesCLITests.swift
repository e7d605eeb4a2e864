import Foundation
import RelaisClient
import RelaisCore
import Testing

/// `relais cases` (issue 15, «Replies that say what happened»): each case the device knows, by
/// pseudonym and local label: sent, delivered, acknowledged, last outcome, consent validity;
/// through the real binary and a live relay.
extension CLITests {
    /// `relais cases --json`, parsed.
    func cases(_ cli: CLI, _ profile: String, offline: Bool = false) async throws -> [[String: Any]] {
        let r = try await cli.ok(profile, ["cases", "--json"] + (offline ? ["--offline"] : []))
        return try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]], "\(r.out)")
    }

    @Test func casesFollowWhatWasSentUntilItsOutcome() async throws {
        try await withWorld { w in
            let cli = w.cli
            // The world's consent for this person is withdrawn; the one recorded now covers what is sent.
            try await cli.ok("pro", ["consent", "withdraw", w.consent])
            let consent = try await v2Consent(w)
            // Before anything is sent: the case is known by its consent, under its label.
            var list = try await cases(cli, "pro")
            let known = try #require(list.first { $0["label"] as? String == "CASE-0042" }, "\(list)")
            #expect(known["validConsent"] as? String == consent)
            #expect((known["sent"] as? [Any])?.isEmpty == true)

            let envelope = try await cli.ok("pro", Self.v2SendArgs(to: w.association, consent: consent)).string("envelopeId")
            func sent() async throws -> [String: Any] {
                list = try await cases(cli, "pro")
                let c = try #require(list.first { $0["label"] as? String == "CASE-0042" }, "\(list)")
                let s = try #require((c["sent"] as? [[String: Any]])?.first { $0["envelopeId"] as? String == envelope }, "\(c)")
                return s
            }
            var s = try await sent()
            #expect(s["addressed"] as? Int == 2 && s["delivered"] as? Int == 0 && s["acknowledged"] as? Int == 0, "\(s)")

            try await cli.ok("assoc1", ["open", envelope])
            s = try await sent()
            #expect(s["delivered"] as? Int == 1 && s["acknowledged"] as? Int == 0, "\(s)")
            try await cli.ok("assoc1", ["ack", envelope])
            s = try await sent()
            #expect(s["delivered"] as? Int == 1 && s["acknowledged"] as? Int == 1, "\(s)")

            // The association answers with an outcome; the professional opens it: the case shows it.
            let reply = try await cli.ok("assoc1", ["reply", envelope, "--outcome", "refused", "--reason", "plus de place ce mois-ci",
                                                    "--sender-name", "Sam", "--sender-role", "éducatrice", "--yes", "--json"]).string("envelopeId")
            try await cli.ok("pro", ["open", reply])
            list = try await cases(cli, "pro")
            #expect(list.count == 1, "the reply belongs to the case of the referral it answers: \(list)")
            let c = try #require(list.first)
            #expect(c["lastReply"] as? String == reply && c["lastOutcome"] as? String == "refused", "\(c)")
            let text = try await cli.ok("pro", ["cases", "--lang", "fr"]).out
            #expect(text.contains("« CASE-0042 »") && text.contains("refus (motif : plus de place ce mois-ci)"), "\(text)")
            #expect(text.contains("accusé par 1/2"), "\(text)")

            // The association's device knows the case only by pseudonym: no label crossed.
            let theirs = try await cases(cli, "assoc1")
            #expect(theirs.count == 1 && theirs[0]["label"] == nil, "\(theirs)")
            #expect(theirs[0]["subject"] as? String == c["subject"] as? String, "one person, one pseudonym on both sides")

            // Offline, the last answers are kept; once the consent is withdrawn, no valid consent.
            try await cli.ok("pro", ["consent", "withdraw", consent])
            let offline = try await cases(cli, "pro", offline: true)
            #expect(offline.first?["validConsent"] == nil, "\(offline)")
            #expect(try await cli.ok("pro", ["cases", "--offline", "--lang", "fr"]).out.contains("aucun accord valable (retiré le"))
        }
    }
}

extension MinorPathCLITests {
    /// A minor's case shows in `relais cases` from its first step, the report (a declaration, or
    /// one made outside Relais), under its label, before any consent or referral exists.
    @Test func aMinorsCaseIsFollowedFromItsReport() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            let declared = try await cli.ok("pro", ["declare", "--case", "MINEURE-21", "--minor-status", "minor", "--json"]).string("declarationId")
            try await cli.ok("pro", ["outside-report", "--case", "MINEURE-22", "--to", "crip", "--date", Self.today(), "--yes"])
            let list = try await CLITests().cases(cli, "pro", offline: true)
            let first = try #require(list.first { $0["label"] as? String == "MINEURE-21" }, "\(list)")
            #expect(first["declarations"] as? [String] == [declared] && (first["outsideReports"] as? [String])?.isEmpty == true, "\(first)")
            let second = try #require(list.first { $0["label"] as? String == "MINEURE-22" }, "\(list)")
            #expect((second["outsideReports"] as? [String])?.count == 1 && (second["declarations"] as? [String])?.isEmpty == true, "\(second)")
            // In words, in French: the declaration and the report, never the case's pseudonym in full.
            let text = try await cli.ok("pro", ["cases", "--offline", "--lang", "fr"]).out
            #expect(text.contains("« MINEURE-21 »") && text.contains("Déclaration de protection de l'enfance \(declared.prefix(8))"), "\(text)")
            #expect(text.contains("« MINEURE-22 »") && text.contains("Signalement fait hors de Relais"), "\(text)")
        }
    }
}
