import Foundation
import GRDB
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import Testing

/// `relais send`, `open` and `reply` write and read referral schema v2 (issue 15, "CLI to v2"),
/// through the real binary and a live relay: the case label stays on the sender's device, the
/// person is the consent's, a minor's orientation waits for the report, replies carry an outcome.
extension CLITests {
    /// A v2 orientation with the situation, a lead professional and the interview, for the world's consent.
    static func v2SendArgs(to org: String, consent: String, case label: String = "CASE-0042") -> [String] {
        ["send", "--to", org, "--need", "legalHelp", "--need", "emergencyShelter", "--case", label, "--minor-status", "adult",
         "--age-band", "from25to34", "--language", "ro", "--danger", "1", "--safe-to-call",
         "--exploitation", "traffickingForSexualExploitation", "--exploitation", "procuring", "--in-danger-locally", "--needs-to-move-away",
         "--current-departement", "93", "--avoid-departement", "75", "--children", "2", "--children-with-the-person", "--no-debt",
         "--interview", "withProfessionalInterpreter", "--lead-professional", "Dominique R.", "--lead-organisation", "CHRS Exemple",
         "--text", "Rencontrée en maraude.", "--consent", consent, "--sender-name", "Camille", "--sender-role", "assistante sociale",
         "--yes", "--json"]
    }

    /// A consent for CASE-0042 covering every category `v2SendArgs` carries (the lead professional is contact data).
    func v2Consent(_ w: World) async throws -> String {
        try await w.cli.ok("pro", ["consent", "grant", "--case", "CASE-0042", "--to-org", w.association, "--purpose", "emergencyShelter",
                                   "--purpose", "legalHelp", "--data", "situation", "--data", "safety", "--data", "contact", "--yes", "--json"])
            .string("consentId")
    }

    func proDevice(_ w: World) throws -> LocalDevice {
        try LocalDevice.open(directory: w.cli.root + "/pro", passphrase: SecretBytes(Array(CLI.passphrase.utf8)))
    }

    @Test func aV2ReferralCarriesTheConsentsPseudonymAndNeverTheCaseLabel() async throws {
        try await withWorld { w in
            let cli = w.cli
            let consent = try await v2Consent(w)
            let envelope = try await cli.ok("pro", Self.v2SendArgs(to: w.association, consent: consent)).string("envelopeId")
            let subject = try proDevice(w).consent(ConsentID(hex: consent)!).record.subjectPseudonym
            // What travels: the envelope bytes the relay serves, and the referral the recipient keeps.
            let assoc = try LocalDevice.open(directory: cli.root + "/assoc1", passphrase: SecretBytes(Array(CLI.passphrase.utf8)))
            let bytes = try await assoc.client.fetch(EnvelopeID(hex: envelope)!)
            #expect(Data(bytes).range(of: Data("CASE-0042".utf8)) == nil)
            let stored = try await cli.ok("assoc1", ["open", envelope, "--json"]).out
            #expect(!stored.contains("CASE-0042"), "the case label never leaves the sender's device")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: Any])
            #expect(json["schemaVersion"] as? Int == 2)
            let person = try #require(json["person"] as? [String: Any])
            #expect(person["subjectPseudonym"] as? String == subject, "the consent's pseudonym")
            #expect(person["casePseudonym"] == nil)
            let situation = try #require(json["situation"] as? [String: Any])
            #expect(situation["exploitationTypes"] as? [String] == ["traffickingForSexualExploitation", "procuring"])
            #expect(situation["debt"] as? Bool == false && situation["inDangerLocally"] as? Bool == true)
            #expect(json["needs"] as? [String] == ["legalHelp", "emergencyShelter"], "the order of priority is kept")
            // The recipient reads it in French.
            let shown = try await cli.ok("assoc1", ["open", envelope, "--lang", "fr"]).out
            #expect(shown.contains("pseudonyme \(subject.prefix(16))") && !shown.contains(String(subject.prefix(17))))
            for line in ["exploitation : traite à des fins d'exploitation sexuelle, proxénétisme", "en danger localement : oui", "doit s'éloigner : oui",
                         "département actuel : 93", "départements à éviter : 75", "enfants : 2 (avec la personne : oui)", "dette : non",
                         "entretien : avec un·e interprète professionnel·le", "Référent·e :   Dominique R., CHRS Exemple"] {
                #expect(shown.contains(line), "\(line) in \(shown)")
            }
            // The sender keeps the label by pseudonym, for `relais cases`.
            let cases = try await cli.ok("pro", ["cases", "--offline", "--json"]).out
            let list = try #require(try JSONSerialization.jsonObject(with: Data(cases.utf8)) as? [[String: Any]])
            let mine = try #require(list.first { $0["subject"] as? String == subject })
            #expect(mine["label"] as? String == "CASE-0042")
        }
    }

    @Test func aCaseOfAnotherPersonThanTheConsentsIsRefused() async throws {
        try await withWorld { w in
            let consent = try await v2Consent(w)
            let r = try await w.cli.run("pro", Self.v2SendArgs(to: w.association, consent: consent, case: "CASE-0043") + ["--lang", "fr"])
            #expect(r.status == 65, "\(r.err)")
            #expect(r.err.contains("ne désigne pas la personne du consentement \(consent)"), "\(r.err)")
            #expect(try await w.cli.inbox("assoc1").isEmpty, "nothing was sent")
            #expect(try await w.cli.ok("pro", ["cases", "--offline", "--json"]).out.contains("CASE-0043") == false, "nothing remembered")
        }
    }

    @Test func theMinorStatusIsAlwaysStated() async throws {
        try await withWorld { w in
            var args = Self.v2SendArgs(to: w.association, consent: try await v2Consent(w))
            let i = try #require(args.firstIndex(of: "--minor-status"))
            args.removeSubrange(i...(i + 1))
            let r = try await w.cli.run("pro", args + ["--lang", "fr"])
            #expect(r.status == 64, "\(r.err)")
            #expect(r.err.contains("--minor-status est obligatoire"), "\(r.err)")
            let unknown = try await w.cli.run("pro", args + ["--minor-status", "unknown"])
            #expect(unknown.status == 64 && unknown.err.contains("alleged minor"), "\(unknown.err)")
            #expect(try await w.cli.inbox("assoc1").isEmpty, "nothing was sent")
        }
    }

    @Test func aMinorsOrientationWaitsForTheReport() async throws {
        try await withWorld { w in
            var args = Self.v2SendArgs(to: w.association, consent: try await v2Consent(w))
            args[args.firstIndex(of: "adult")!] = "minor"
            args[args.firstIndex(of: "from25to34")!] = "from15to17"
            for status in ["minor", "allegedMinor"] {
                args[args.firstIndex(of: "--minor-status")! + 1] = status
                // Without --json, a plan that went through would show its summary before sending.
                let r = try await w.cli.run("pro", args.filter { $0 != "--json" } + ["--lang", "fr"])
                #expect(r.status == 65, "\(r.err)")
                #expect(r.err.contains("119") && r.err.contains("protection de l'enfance"), "\(r.err)")
                #expect(!r.err.contains("prête à être scellée") && !r.err.contains("About to seal"), "stopped before the recipients were resolved")
            }
            #expect(try await w.cli.inbox("assoc1").isEmpty, "nothing was sent")
            // Once the professional has declared the report for this case, it goes.
            _ = try await proDevice(w).declareChildProtection(article: .casfL226_2_1, minorStatus: .minor, caseID: "CASE-0042")
            #expect(try await w.cli.ok("pro", args).string("envelopeId").count == 32)
        }
    }

    @Test func repliesCarryAnOutcomeTheSenderReads() async throws {
        try await withWorld { w in
            let cli = w.cli
            let consent = try await v2Consent(w)
            let envelope = try await cli.ok("pro", Self.v2SendArgs(to: w.association, consent: consent)).string("envelopeId")
            try await cli.ok("assoc1", ["open", envelope])
            let reply = ["reply", envelope, "--sender-name", "Sam", "--sender-role", "éducatrice", "--yes", "--json"]
            // An appointment in local time.
            let appointment = try await cli.ok("assoc1", reply + ["--outcome", "appointmentOffered", "--appointment-at", "2026-12-10 14:30"])
                .string("envelopeId")
            let local = DateFormatter()
            local.locale = Locale(identifier: "en_US_POSIX")
            local.dateFormat = "yyyy-MM-dd HH:mm"
            let at = try #require(local.date(from: "2026-12-10 14:30"))
            let first = try await cli.run("pro", ["open", appointment, "--lang", "fr"], environment: ["TZ": ""]).out
            let inParis = LocalTime.date(UInt64(at.timeIntervalSince1970), .fr, zone: LocalTime.zone(environment: [:]))
            #expect(first.contains("Issue :") && first.contains("rendez-vous proposé le \(inParis)"), "\(first)")
            let json = try await cli.ok("pro", ["open", appointment, "--json"]).out
            let outcome = try #require((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["outcome"] as? [String: Any])
            #expect(outcome["appointmentAt"] as? Int == Int(at.timeIntervalSince1970))
            // A place from a date in ISO 8601, with its offset.
            let place = try await cli.ok("assoc1", reply + ["--outcome", "placeOffered", "--appointment-at", "2026-12-11T09:00:00+01:00"])
                .string("envelopeId")
            let shownPlace = try await cli.run("pro", ["open", place, "--lang", "fr"], environment: ["TZ": ""]).out
            #expect(shownPlace.contains("place proposée le 11 déc. 2026 09:00 (Europe/Paris)"), "\(shownPlace)")
            // A refusal with its reason.
            let refusal = try await cli.ok("assoc1", reply + ["--outcome", "refused", "--reason", "Plus de place avant janvier", "--note", "Rappeler le 115"])
                .string("envelopeId")
            let second = try await cli.ok("pro", ["open", refusal, "--lang", "fr"]).out
            #expect(second.contains("refus (motif : Plus de place avant janvier)") && second.contains("Rappeler le 115"), "\(second)")
            #expect(second.contains("réponse à \(envelope.prefix(8)))"))
            // The reply names the same person.
            let subject = try proDevice(w).consent(ConsentID(hex: consent)!).record.subjectPseudonym
            #expect(second.contains("pseudonyme \(subject.prefix(16))"))
            let cases = try await cli.ok("pro", ["cases", "--offline", "--lang", "fr"]).out
            #expect(cases.contains("Dernière réponse : refus (motif : Plus de place avant janvier)"), "\(cases)")
        }
    }

    @Test func anIncompleteOutcomeIsRefused() async throws {
        try await withWorld { w in
            let cli = w.cli
            let envelope = try await cli.ok("pro", Self.v2SendArgs(to: w.association, consent: try await v2Consent(w))).string("envelopeId")
            try await cli.ok("assoc1", ["open", envelope])
            let reply = ["reply", envelope, "--sender-name", "Sam", "--sender-role", "éducatrice", "--yes", "--json"]
            for (args, why) in [(["--outcome", "refused"], "--reason"), (["--outcome", "refused", "--reason", "  "], "--reason"),
                                (["--outcome", "appointmentOffered"], "--appointment-at"),
                                (["--outcome", "appointmentOffered", "--appointment-at", "jeudi"], "n'est pas une date"),
                                (["--outcome", "reoriented"], "--reoriented-to"), (["--outcome", "closed"], "n'est pas une valeur connue"),
                                (["--text", "Place disponible."], "indiquez l'issue"), (["--reason", "Complet"], "indiquez-la avec --outcome"),
                                (["--outcome", "accepted", "--appointment-at", "2026-12-10 14:30"], "appointmentAt")] {
                let r = try await cli.run("assoc1", reply + args + ["--lang", "fr"])
                #expect(r.status == 64, "\(args): \(r.err)")
                #expect(r.err.contains(why), "\(args): \(r.err)")
            }
            #expect(try await cli.inbox("pro").isEmpty, "no reply was sent")
        }
    }

    @Test func aReplyToAVersion1ReferralStaysVersion1() async throws {
        try await withWorld { w in
            let cli = w.cli
            // A v1 referral (as sent before schema v2), through the library.
            let pro = try proDevice(w)
            let v1 = try ReferralOptionsForTests.referral(now: UInt64(Date().timeIntervalSince1970), consent: w.consentReference)
            let sealed = try await pro.send(try await pro.plan(referral: v1, to: [OrganisationID(hex: w.association)!], lifetime: 86_400))
            let envelope = sealed.header.envelopeID.hex
            #expect(try await cli.ok("assoc1", ["open", envelope]).out.contains("case CASE-T"))
            let reply = ["reply", envelope, "--sender-name", "Sam", "--sender-role", "éducatrice", "--yes", "--json"]
            let withOutcome = try await cli.run("assoc1", reply + ["--outcome", "accepted", "--text", "Oui."])
            #expect(withOutcome.status == 64 && withOutcome.err.contains("format 1"), "\(withOutcome.err)")
            let noText = try await cli.run("assoc1", reply)
            #expect(noText.status == 64 && noText.err.contains("--text"), "\(noText.err)")
            let answer = try await cli.ok("assoc1", reply + ["--text", "Place disponible jeudi."]).string("envelopeId")
            let json = try await cli.ok("pro", ["open", answer, "--json"]).out
            let read = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(read["schemaVersion"] as? Int == 1 && read["outcome"] == nil)
        }
    }

    @Test func anExitProgrammeRequestSaysFirstOrRenewalAndItsDepartement() async throws {
        try await withWorld { w in
            let cli = w.cli
            let accredited = try await cli.ok("op", ["admin", "create-org", "--name", "Association agréée", "--category", "specialisedAssociation",
                                                     "--departement", "93", "--exit-programme-until", "2030-01-01", "--json"]).string("organisationId")
            try await cli.enrol("agree1", by: "op", role: "admin", org: accredited)
            let consent = try await cli.ok("pro", ["consent", "grant", "--case", "CASE-0050", "--to-org", accredited, "--purpose", "exitProgramme",
                                                   "--departement", "93", "--adult", "--data", "situation", "--data", "administrative", "--yes", "--json"])
                .string("consentId")
            let base = ["send", "--to", accredited, "--kind", "exitProgrammeRequest", "--need", "exitProgramme", "--case", "CASE-0050",
                        "--minor-status", "adult", "--safe-to-call", "--consent", consent, "--sender-name", "Camille", "--sender-role", "assistante sociale",
                        "--yes", "--json"]
            for (args, why) in [([String](), "--exit-request (premiere-demande"), (["--exit-request", "again", "--departement", "93"], "n'est pas une valeur connue"),
                                (["--exit-request", "renewal", "--months-used", "19", "--departement", "93"], "24-month maximum"),
                                (["--exit-request", "first", "--months-used", "6", "--departement", "93"], "0 for a first request")] {
                let r = try await cli.run("pro", base + args + ["--lang", "fr"])
                #expect(r.status == 64 && r.err.contains(why), "\(args): \(r.err)")
            }
            let orientation = try await cli.run("pro", Self.v2SendArgs(to: w.association, consent: w.consent) + ["--exit-request", "first"])
            #expect(orientation.status == 64 && orientation.err.contains("--kind exit-programme-request"), "\(orientation.err)")
            #expect(try await cli.inbox("agree1").isEmpty, "nothing was sent")
            let envelope = try await cli.ok("pro", base + ["--exit-request", "renewal", "--months-used", "12", "--departement", "93"]).string("envelopeId")
            let shown = try await cli.ok("agree1", ["open", envelope, "--lang", "fr"]).out
            #expect(shown.contains("Parcours de sortie : renouvellement, 12 mois déjà accomplis, département 93"), "\(shown)")
            // The commission's opinion comes back to the professional.
            let reply = try await cli.ok("agree1", ["reply", envelope, "--outcome", "commissionOpinion", "--opinion", "favourable", "--sender-name", "Sam",
                                                    "--sender-role", "éducatrice", "--yes", "--json"]).string("envelopeId")
            #expect(try await cli.ok("pro", ["open", reply, "--lang", "fr"]).out.contains("avis de la commission départementale : favorable"))
        }
    }

    @Test func aChildProtectionReportNamesTheCasesPseudonym() async throws {
        try await withWorld { w in
            let cli = w.cli
            let crip = try await cli.ok("op", ["admin", "create-org", "--name", "CRIP 93", "--category", "childProtection", "--departement", "93",
                                               "--json"]).string("organisationId")
            try await cli.enrol("crip1", by: "op", role: "admin", org: crip)
            let declaration = try await cli.ok("pro", ["declare", "--case", "MINEUR-9", "--minor-status", "minor", "--json"]).string("declarationId")
            let envelope = try await cli.ok("pro", ["send", "--to", crip, "--kind", "childProtectionReport", "--need", "childProtection",
                                                    "--case", "MINEUR-9", "--minor-status", "minor", "--age-band", "from15to17",
                                                    "--unaccompanied-foreign-minor", "--danger", "2", "--child-protection-declaration", declaration,
                                                    "--sender-name", "Camille", "--sender-role", "assistante sociale", "--yes", "--json"])
                .string("envelopeId")
            let stored = try await cli.ok("crip1", ["open", envelope, "--json"]).out
            #expect(!stored.contains("MINEUR-9"), "the case label never leaves the sender's device")
            let person = try #require((try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: Any])?["person"] as? [String: Any])
            #expect(person["subjectPseudonym"] as? String == (try proDevice(w).subjectPseudonym(caseID: "MINEUR-9")))
            let shown = try await cli.ok("crip1", ["open", envelope, "--lang", "fr"]).out
            #expect(shown.contains("Mineur·e :") && shown.contains("isolé·e étranger·ère : oui"), "\(shown)")
        }
    }

    @Test func aV2ReferralFileIsSentAsWritten() async throws {
        try await withWorld { w in
            let cli = w.cli
            let consent = try await v2Consent(w)
            let subject = try proDevice(w).consent(ConsentID(hex: consent)!).record.subjectPseudonym
            func file(_ pseudonym: String) throws -> String {
                let referral = Referral(kind: .orientation, needs: [.legalHelp],
                                        person: .init(subjectPseudonym: pseudonym, ageBand: .from25to34, minorStatus: .adult, languages: ["fr"],
                                                      interpreterNeeded: false, administrativeStatus: .unknown),
                                        safety: .init(dangerLevel: 0, safeToCall: true), freeText: "Depuis un fichier.",
                                        consent: .init(kind: .consent, id: ConsentID(hex: consent)!), sender: .init(name: "Camille", role: "AS"),
                                        createdAt: UInt64(Date().timeIntervalSince1970), situation: .init(interview: .alone))
                let path = cli.root + "/referral-\(pseudonym.prefix(8)).json"
                try Data(try referral.encoded()).write(to: URL(fileURLWithPath: path))
                return path
            }
            // Another person's pseudonym in the file is refused as from the flags.
            let other = try await cli.run("pro", ["send", "--to", w.association, "--file", try file(String(repeating: "ab", count: 32)), "--yes", "--json", "--lang", "fr"])
            #expect(other.status == 65 && other.err.contains("ne désigne pas la personne du consentement"), "\(other.err)")
            #expect(try await cli.inbox("assoc1").isEmpty)
            // `--case` beside `--file` must name the file's person (so that `relais cases` files the send under that label).
            let mislabelled = try await cli.run("pro", ["send", "--to", w.association, "--file", try file(subject), "--case", "CASE-0099", "--yes", "--lang", "fr"])
            #expect(mislabelled.status == 64 && mislabelled.err.contains("--case ne désigne pas la personne de l'orientation du fichier"), "\(mislabelled.err)")
            #expect(!mislabelled.err.contains("CASE-0099"), "the label is not repeated")
            #expect(try await cli.inbox("assoc1").isEmpty)
            let envelope = try await cli.ok("pro", ["send", "--to", w.association, "--file", try file(subject), "--case", "CASE-0042", "--yes", "--json"])
                .string("envelopeId")
            let shown = try await cli.ok("assoc1", ["open", envelope, "--lang", "fr"]).out
            #expect(shown.contains("pseudonyme \(subject.prefix(16))") && shown.contains("entretien : reçue seule") && shown.contains("Depuis un fichier."))
        }
    }

    @Test func whoamiShowsWhatTheOrganisationKeySyncFoundWrong() async throws {
        try await withWorld { w in
            let quiet = try await w.cli.ok("assoc1", ["whoami", "--json"])
            #expect(try quiet.json()["warnings"] as? [String] == [])
            #expect(!(try await w.cli.ok("assoc1", ["whoami"])).out.contains("attention"))
            // The relay (its database) now reports that the association's other device holds another key.
            let other = try await w.cli.deviceID("assoc2")
            let queue = try DatabaseQueue(path: w.live.relay.configuration.databasePath)
            try await queue.write { db in
                try db.execute(sql: "UPDATE organisation_key_packages SET key_id = ? WHERE target_device = ?",
                               arguments: [Data(repeating: 7, count: 16), Data(DeviceID(hex: other)!.bytes)])
            }
            let shown = try await w.cli.ok("assoc1", ["whoami", "--lang", "fr"]).out
            #expect(shown.contains("attention     clé d'organisation : ") && shown.contains(other), "\(shown)")
            let json = try await w.cli.ok("assoc1", ["whoami", "--json"])
            #expect((try json.json()["warnings"] as? [String])?.first?.contains(other) == true)
        }
    }
}
