import Foundation
import RelaisClient
import RelaisCore
import Testing

/// Issue 16, "Names, not identifiers", with the real binary on a live relay: organisations by
/// name or a unique part of it, ids still accepted.
@Suite("Names instead of ids, CLI (issue 16)", .serialized)
struct NamesCLITests {
    @Test func organisationsByName() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            let nord = try await cli.ok("op", ["admin", "create-org", "--name", "Association Exemple Nord", "--category", "specialisedAssociation",
                                               "--departement", "59", "--json"]).string("organisationId")
            // The operator invites by a unique part of the name.
            let invite = try await cli.ok("op", ["admin", "invite", "--role", "admin", "--org", "NORD", "--json"]).string("invite")
            #expect(invite.hasPrefix("ri2_"))

            // Ambiguous: both candidates with their short ids; exit 64 and nothing sent.
            let base = CLI.sendArgs(to: "exemple", consent: w.consent)
            let ambiguous = try await cli.run("pro", base)
            #expect(ambiguous.status == 64, "\(ambiguous.err)")
            for (name, id) in [("Association Exemple", w.association), ("Association Exemple Nord", nord), ("Service social Exemple", w.service)] {
                #expect(ambiguous.err.contains("\(name) (\(id.prefix(8)))"), "\(ambiguous.err)")
            }
            // Unknown: the candidates sharing a word with it.
            let unknown = try await cli.run("pro", CLI.sendArgs(to: "association inconnue", consent: w.consent))
            #expect(unknown.status == 64 && unknown.err.contains("Association Exemple (\(w.association.prefix(8)))"), "\(unknown.err)")
            #expect(!unknown.err.contains("Service social"))
            #expect(try await cli.inbox("assoc1").isEmpty, "nothing was sent")

            // The exact name wins over the longer one that contains it; case and accents do not matter.
            let sent = try await cli.ok("pro", CLI.sendArgs(to: "ASSOCIATION exemple", consent: w.consent))
            #expect(try await cli.inbox("assoc1") == [try sent.string("envelopeId")])
            // The consent names its recipient the same way; the full id keeps working.
            let consent = try await cli.ok("pro", ["consent", "grant", "--case", "CASE-0043", "--to-org", "Assoçiation Éxemple", "--purpose", "emergencyShelter",
                                                   "--purpose", "legalHelp", "--data", "situation", "--data", "safety", "--yes", "--json"]).string("consentId")
            let shown = try await cli.ok("pro", ["consent", "show", consent]).out
            #expect(shown.contains("Association Exemple") && !shown.contains(w.association), "recipients by name: \(shown)")
            try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: consent).map { $0 == "CASE-0042" ? "CASE-0043" : $0 })
            // Fingerprints and trust by name.
            let prints = try await cli.ok("pro", ["fingerprint", "association exemple"])
            #expect(prints.out.contains(try await cli.deviceID("assoc1")))
            try await cli.ok("pro", ["trust", "Association Exemple", "--yes"])
            let noOne = try await cli.run("pro", ["trust", "Nobody", "--yes"])
            #expect(noOne.status == 64)
        }
    }

    /// Envelope and consent ids by a unique prefix of 6 digits or more; human output shows 8, JSON the full id.
    @Test func shortIDs() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            let envelope = try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("envelopeId")
            let listed = try await cli.ok("assoc1", ["inbox"]).out
            #expect(listed.contains(String(envelope.prefix(8))) && !listed.contains(String(envelope.prefix(9))), "\(listed)")
            #expect(try await cli.inbox("assoc1") == [envelope], "JSON keeps the full id")

            let tooShort = try await cli.run("assoc1", ["open", String(envelope.prefix(5))])
            #expect(tooShort.status == 64 && tooShort.err.contains("6"), "\(tooShort.err)")
            let notHex = try await cli.run("assoc1", ["open", "zzzzzzzz"])
            #expect(notHex.status == 64)
            let unknown = try await cli.run("assoc1", ["open", envelope.hasPrefix("ffffff") ? "eeeeee" : "ffffff"])
            #expect(unknown.status == 64, "\(unknown.err)")

            let opened = try await cli.ok("assoc1", ["open", String(envelope.prefix(6))])
            #expect(opened.out.contains("Rencontrée en maraude"))
            #expect(opened.out.contains("relais ack \(envelope.prefix(8))`"), "\(opened.out)")
            try await cli.ok("assoc1", ["ack", String(envelope.prefix(7)).uppercased()])
            let reply = try await cli.ok("assoc1", ["reply", String(envelope.prefix(10)), "--outcome", "accepted", "--sender-name", "Sam",
                                                    "--sender-role", "éducatrice", "--yes", "--json"]).string("envelopeId")
            #expect(reply.count == 32)

            // The professional's consent, shortened.
            let shown = try await cli.ok("pro", ["consent", "show", String(w.consent.prefix(6)), "--json"])
            #expect(try shown.string("consentId") == w.consent)
            let short = try await cli.run("pro", ["consent", "show", String(w.consent.prefix(4))])
            #expect(short.status == 64)
            // --consent takes a prefix too.
            let again = CLI.sendArgs(to: w.association, consent: String(w.consent.prefix(8)))
            #expect(try await cli.ok("pro", again).string("envelopeId").count == 32)
            let withdrawn = try await cli.ok("pro", ["consent", "withdraw", String(w.consent.prefix(9)), "--json"])
            #expect(try withdrawn.string("consentId") == w.consent)
        }
    }
}
