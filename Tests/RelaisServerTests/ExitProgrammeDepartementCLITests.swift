import Foundation
import Testing

/// The exit programme's accreditation per département through the real binary (issue 15): the
/// consent names the person's département (`relais consent grant --departement`, validated before
/// anything is read to the person), and a request goes only where the association is accredited
/// for it; the client refuses, in French, a request for another département than the consent's.
extension CLITests {
    static func exitArgs(to org: String, consent: String, departement: String) -> [String] {
        ["send", "--to", org, "--kind", "exitProgrammeRequest", "--need", "exitProgramme", "--exit-request", "first", "--departement", departement,
         "--case", "CASE-0090", "--minor-status", "adult", "--language", "fr", "--danger", "1", "--safe-to-call",
         "--consent", consent, "--sender-name", "Camille", "--sender-role", "assistante sociale", "--yes", "--json"]
    }

    static func exitConsentArgs(to org: String, departement: [String], adult: Bool = true) -> [String] {
        ["consent", "grant", "--case", "CASE-0090", "--to-org", org, "--purpose", "exitProgramme", "--yes", "--json"]
            + ["identity", "situation", "administrative", "safety"].flatMap { ["--data", $0] } + departement + (adult ? ["--adult"] : [])
    }

    @Test func anExitProgrammeConsentNamesAValidDepartement() async throws {
        try await withWorld { w in
            let before = try await w.cli.ok("pro", ["consent", "list", "--json"]).out
            for (args, why) in [(Self.exitConsentArgs(to: w.association, departement: []), "--departement est requis"),
                                (Self.exitConsentArgs(to: w.association, departement: ["--departement", "20"]), "pas « 20 »"),
                                (Self.exitConsentArgs(to: w.association, departement: ["--departement", "977"]), "971 à 976"),
                                (Self.exitConsentArgs(to: w.association, departement: ["--departement", "7"]), "de 01 à 95"),
                                // Adults only: the professional attests the person's majority.
                                (Self.exitConsentArgs(to: w.association, departement: ["--departement", "75"], adult: false), "--adult est requis"),
                                (["consent", "grant", "--case", "CASE-0091", "--to-org", w.association, "--purpose", "housing", "--data", "situation",
                                  "--departement", "75", "--yes"], "seulement au parcours de sortie")] {
                let r = try await w.cli.run("pro", args + ["--lang", "fr"])
                #expect(r.status == 64, "\(args): \(r.err)")
                #expect(r.err.contains(why), "\(r.err)")
                #expect(!r.err.contains("À lire à la personne"), "the summary was read before the input was checked")
            }
            #expect(try await w.cli.ok("pro", ["consent", "list", "--json"]).out == before, "nothing recorded")
            var recorded: [String: String] = [:]
            for code in ["2A", "974", "01"] {
                recorded[code] = try await w.cli.ok("pro", Self.exitConsentArgs(to: w.association, departement: ["--departement", code])).string("consentId")
            }
            // `consent show` and `consent list` say the département, the attested majority and the case's label; the recipient by name.
            let shown = try await w.cli.ok("pro", ["consent", "show", try #require(recorded["2A"]), "--lang", "fr"]).out
            #expect(shown.contains("département      2A") && shown.contains("majorité         attestée"), "\(shown)")
            #expect(shown.contains("situation        « CASE-0090 »") && shown.contains("Association Exemple") && !shown.contains(w.association), "\(shown)")
            let overseas = try #require(recorded["974"])
            let json = try await w.cli.ok("pro", ["consent", "show", overseas, "--json"]).json()
            #expect(json["departement"] as? String == "974" && json["adult"] as? Bool == true && json["withdrawn"] as? Bool == false)
            let listed = try await w.cli.ok("pro", ["consent", "list", "--lang", "fr"]).out
            #expect(listed.contains("(département 01)") && listed.contains("situation « CASE-0090 »"), "\(listed)")
        }
    }

    @Test func anExitProgrammeRequestGoesToAnAssociationAccreditedInThePersonsDepartement() async throws {
        try await withWorld { w in
            let cli = w.cli
            // The operator accredits the association in 75 only, from yesterday for a year.
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withFullDate]
            let from = f.string(from: Date().addingTimeInterval(-86_400)), until = f.string(from: Date().addingTimeInterval(365 * 86_400))
            _ = try await cli.ok("op", ["admin", "create-org", "--org", w.association, "--name", "Association Exemple", "--category", "specialisedAssociation",
                                        "--departement", "75", "--departement", "93", "--accreditation", "75:\(from):\(until)"])
            let for75 = try await cli.ok("pro", Self.exitConsentArgs(to: w.association, departement: ["--departement", "75"])).string("consentId")
            let for93 = try await cli.ok("pro", Self.exitConsentArgs(to: w.association, departement: ["--departement", "93"])).string("consentId")

            // For 75, under the consent for 75: sent.
            let sent = try await cli.ok("pro", Self.exitArgs(to: w.association, consent: for75, departement: "75")).string("envelopeId")
            #expect(try await cli.inbox("assoc1") == [sent])

            // For 93 under the consent for 75: the client refuses, names the rule, and nothing is sent.
            let other = try await cli.run("pro", Self.exitArgs(to: w.association, consent: for75, departement: "93") + ["--lang", "fr"])
            #expect(other.status == 65, "\(other.err)")
            #expect(other.err.contains("pour le département 93") && other.err.contains("consenti pour le département 75"), "\(other.err)")

            // For 93 under the consent for 93: the association is not accredited there.
            let refused = try await cli.run("pro", Self.exitArgs(to: w.association, consent: for93, departement: "93") + ["--lang", "fr"])
            #expect(refused.status == 65, "\(refused.err)")
            #expect(refused.err.contains("agréée pour le département 93"), "\(refused.err)")
            #expect(try await cli.inbox("assoc1") == [sent], "nothing more reached the association")
        }
    }
}
