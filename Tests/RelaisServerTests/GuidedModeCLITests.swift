import Foundation
import RelaisClient
import RelaisCore
import Testing

/// Python's pexpect, which drives the binary through a real pseudo-terminal (Tests/pty/guided.py):
/// absent, the terminal tests are skipped, unless `RELAIS_REQUIRE_PTY=1` (CI) makes its absence a failure.
enum Pty {
    static let required = ProcessInfo.processInfo.environment["RELAIS_REQUIRE_PTY"] == "1"
    static let available: Bool = (try? run(["python3", "-c", "import pexpect"]).status) == 0
    static var shouldRun: Bool { available || required }

    struct Outcome: Decodable, Sendable {
        let ok: Bool
        let failed: String?
        let status: Int32?
        let transcript: String
    }

    /// One step of a scenario: wait for a text on the terminal, type a line, or type Ctrl-D.
    enum Step {
        case expect(String), send(String), eof
        var pair: [String] {
            switch self {
            case let .expect(text): ["expect", text]
            case let .send(text): ["send", text]
            case .eof: ["eof", ""]
            }
        }
    }

    /// Runs `relais args` at a pseudo-terminal (standard input, output and error), in French,
    /// with the passphrase in RELAIS_PASSPHRASE, through `steps`.
    static func relais(_ args: [String], _ steps: [Step]) async throws -> Outcome {
        try #require(available, "RELAIS_REQUIRE_PTY=1 but python3 with pexpect is missing (python3 -m pip install pexpect)")
        var env = ProcessInfo.processInfo.environment
        env["RELAIS_PASSPHRASE"] = CLI.passphrase
        env.merge(CLI.testEnvironment) { _, new in new }
        env["LANG"] = "C"
        env["TERM"] = "dumb"
        for name in ["LC_ALL", "LC_MESSAGES", "RELAIS_HOME"] { env.removeValue(forKey: name) }
        let scenario: [String: Any] = ["argv": [relaisBinary] + args + ["--lang", "fr"], "env": env, "steps": steps.map(\.pair), "timeout": 90]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("relais-guided-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: scenario).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = packageRoot.appendingPathComponent("Tests/pty/guided.py").path
        let result = try await offCooperativePool { try run(["python3", script, file.path]) }
        return try JSONDecoder().decode(Outcome.self, from: Data(result.out.utf8))
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Issue 16, guided mode: at a terminal, `send`, `consent grant`, `reply` and `declare` ask for
/// each missing field (numbered choices in French labels), show the summary and ask for
/// confirmation; without one they never ask, and a missing field is a usage error naming it.
@Suite("Guided mode at a terminal (issue 16)", .serialized,
       .enabled(if: Pty.shouldRun, "python3 with pexpect is missing (python3 -m pip install pexpect); set RELAIS_REQUIRE_PTY=1 to fail instead"))
struct GuidedModeCLITests {
    @Test func aGuidedConsentThenAGuidedReferralThatTheRecipientOpens() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            let pro = ["--profile", cli.root + "/pro"]
            let consentsBefore = try await Self.consentCount(cli)

            // consent grant: the recipient by its name, a wrong number asked again, labels typed without accents.
            let grant = try await Pty.relais(["consent", "grant"] + pro, [
                .expect("Libellé du dossier de la personne : "), .send("CASE-G1"),
                .expect("Destinataires (structures ou catégories de partenaires)"), .expect("> "), .send("99"),
                .expect("« 99 » n'est pas dans la liste"), .expect("> "), .send("association exemple"),
                .expect("Finalités"), .expect("> "), .send("hebergement d'urgence, AIDE JURIDIQUE"),
                .expect("Données partagées"), .expect("> "), .send("situation personnelle, 7"),
                .expect("— À lire à la personne —"), .expect("[oui/non]"), .send("oui"),
                .expect("Consentement enregistré"),
            ])
            #expect(grant.ok && grant.status == 0, "\(grant.failed ?? "") \(grant.transcript)")
            #expect(grant.transcript.contains("1) Association Exemple"), "the directory's organisations are numbered: \(grant.transcript)")
            #expect(try await Self.consentCount(cli) == consentsBefore + 1)

            // send, answered by number and label; refused at the summary first: nothing leaves.
            let steps: [Pty.Step] = [
                .expect("Libellé du dossier de la personne : "), .send("CASE-G1"),
                .expect("Consentement de la personne : consentement "),
                .expect("Structures destinataires"), .expect("> "), .send("1"),
                .expect("Besoins"), .expect("> "), .send("1,2"),
                .expect("Majeur·e ou mineur·e"), .expect("> "), .send("peut-être"),
                .expect("« peut-être » n'est pas dans la liste"), .expect("> "), .send("MAJEURE"),
                .expect("Votre nom, tel que le partenaire le lira : "), .send("Camille"),
                .expect("Votre fonction : "), .send(""), .expect("une réponse est nécessaire"), .send("assistante sociale"),
                .expect("Texte libre pour le partenaire (facultatif : Entrée pour passer) : "), .send(""),
                .expect("Envoyer ? [oui/non]"),
            ]
            let refused = try await Pty.relais(["send"] + pro, steps + [.send("non"), .expect("rien n'a été envoyé")])
            #expect(refused.ok && refused.status == 64, "\(refused.failed ?? "") \(refused.transcript)")
            #expect(try await cli.inbox("assoc1").isEmpty, "«non» at the summary sends nothing")

            let sent = try await Pty.relais(["send"] + pro, steps + [.send("o"), .expect("Envoyé : enveloppe")])
            #expect(sent.ok && sent.status == 0, "\(sent.failed ?? "") \(sent.transcript)")
            #expect(sent.transcript.contains("Association Exemple") && sent.transcript.contains("hébergement d'urgence, aide juridique"),
                    "the summary shows what was chosen: \(sent.transcript)")
            #expect(!sent.transcript.contains(CLI.passphrase))
            let inbox = try await cli.inbox("assoc1")
            try #require(inbox.count == 1, "\(inbox)")
            let opened = try await cli.ok("assoc1", ["open", inbox[0], "--lang", "fr"]).out
            #expect(opened.contains("Camille, assistante sociale") && opened.contains("majeur·e"), "\(opened)")

            // reply: the referral opened here is the only choice; an outcome needing a date asks it, and a bad date again.
            let reply = try await Pty.relais(["reply", "--profile", cli.root + "/assoc1"], [
                .expect("Orientation à laquelle vous répondez : "),
                .expect("Votre nom, tel que le partenaire le lira : "), .send("Dominique"),
                .expect("Votre fonction : "), .send("accueillante"),
                .expect("Suite donnée (facultatif : Entrée pour passer)"), .expect("> "), .send("rendez-vous propose"),
                .expect("Date et heure du rendez-vous"), .send("demain"), .expect("« demain » n'est pas une date et une heure"),
                .expect("Date et heure du rendez-vous"), .send("2030-01-15 14:30"),
                .expect("Texte libre pour le partenaire (facultatif : Entrée pour passer) : "), .send(""),
                .expect("Envoyer cette réponse ? [oui/non]"), .send("yes"),
                .expect("Réponse envoyée"),
            ])
            #expect(reply.ok && reply.status == 0, "\(reply.failed ?? "") \(reply.transcript)")
            #expect(try await cli.inbox("pro").count == 1, "the reply reached the professional")
        }
    }

    @Test func ctrlDGivesUpAndADeclarationIsGuided() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            let pro = ["--profile", cli.root + "/pro"]
            let before = try await Self.consentCount(cli)
            let aborted = try await Pty.relais(["consent", "grant"] + pro, [
                .expect("Libellé du dossier de la personne : "), .send("CASE-G2"),
                .expect("Destinataires"), .expect("> "), .eof, .expect("abandonné ; rien n'a été envoyé ni enregistré"),
            ])
            #expect(aborted.ok && aborted.status == 64, "\(aborted.failed ?? "") \(aborted.transcript)")
            #expect(try await Self.consentCount(cli) == before, "nothing recorded")

            let declared = try await Pty.relais(["declare"] + pro, [
                .expect("Libellé du dossier de la personne : "), .send("MINEUR-G1"),
                .expect("Majeur·e ou mineur·e"), .expect("> "), .send("2"),
            ])
            #expect(declared.ok && declared.status == 0, "\(declared.failed ?? "") \(declared.transcript)")
            #expect(declared.transcript.contains("1) mineur·e") && declared.transcript.contains("2) se disant mineur·e"), "\(declared.transcript)")
            let cases = try await cli.ok("pro", ["cases", "--offline", "--json"]).out
            #expect(cases.contains("MINEUR-G1") && declared.transcript.contains("MINEUR-G1"), "\(cases) \(declared.transcript)")
        }
    }

    /// An exit-programme consent at a terminal asks the person's département (a wrong code asked
    /// again) and the attestation of majority; «non» is the refusal `--adult` gives, nothing recorded.
    @Test func aGuidedExitProgrammeConsentAsksTheDepartementAndMajority() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            let args = ["consent", "grant", "--profile", cli.root + "/pro", "--case", "CASE-G3", "--to-org", w.association,
                        "--purpose", "exitProgramme", "--data", "situation"]
            let before = try await Self.consentCount(cli)
            let refused = try await Pty.relais(args, [
                .expect("Département de la personne"), .send("20"), .expect("pas « 20 »"),
                .expect("Département de la personne"), .send("2a"),
                .expect("Attestez-vous que la personne est majeure"), .send("peut-être"), .expect("répondez oui ou non"),
                .expect("[oui/non]"), .send("non"), .expect("--adult est requis"),
            ])
            #expect(refused.ok && refused.status == 64, "\(refused.failed ?? "") \(refused.transcript)")
            #expect(!refused.transcript.contains("À lire à la personne"), "\(refused.transcript)")
            #expect(try await Self.consentCount(cli) == before, "nothing recorded")

            let granted = try await Pty.relais(args, [
                .expect("Département de la personne"), .send("2a"),
                .expect("Attestez-vous que la personne est majeure"), .send("oui"),
                .expect("— À lire à la personne —"), .expect("[oui/non]"), .send("oui"), .expect("Consentement enregistré"),
            ])
            #expect(granted.ok && granted.status == 0, "\(granted.failed ?? "") \(granted.transcript)")
            let list = try await cli.ok("pro", ["consent", "list", "--json"]).out
            let records = try #require(try JSONSerialization.jsonObject(with: Data(list.utf8)) as? [[String: Any]])
            #expect(records.count == before + 1 && records.contains { $0["departement"] as? String == "2A" }, "\(list)")
            let id = try #require(records.first { $0["departement"] as? String == "2A" }?["consentId"] as? String)
            let shown = try await cli.ok("pro", ["consent", "show", id, "--json"]).json()
            #expect(shown["adult"] as? Bool == true, "\(shown)")
        }
    }

    /// A send resting on an exit-programme consent asks what the request implies: its kind, first
    /// request or renewal, the département (a code outside the list, then another département than
    /// the consent's, asked again; Enter takes the consent's) and the months completed (past the
    /// maximum, asked again); the person is an adult without asking. The accredited association
    /// opens a request with those fields.
    @Test func aGuidedExitProgrammeRequestAsksItsFieldsAndTheAssociationOpensThem() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            let accredited = try await cli.ok("op", ["admin", "create-org", "--name", "Association agréée", "--category", "specialisedAssociation",
                                                     "--departement", "93", "--exit-programme-until", "2030-01-01", "--json"]).string("organisationId")
            try await cli.enrol("agree1", by: "op", role: "admin", org: accredited)
            try await cli.ok("pro", ["consent", "grant", "--case", "CASE-G5", "--to-org", accredited, "--purpose", "exitProgramme",
                                     "--departement", "93", "--adult", "--data", "situation", "--data", "safety", "--data", "administrative", "--yes", "--json"])
            let sent = try await Pty.relais(["send", "--profile", cli.root + "/pro"], [
                .expect("Libellé du dossier de la personne : "), .send("CASE-G5"),
                .expect("Consentement de la personne : consentement "),
                .expect("Type d'envoi"), .expect("> "), .send("parcours de sortie"),
                .expect("Demande de parcours de sortie"), .expect("> "), .send("2"),
                .expect("Département de la personne"), .expect("(Entrée : 93) : "), .send("20"), .expect("pas « 20 »"),
                .expect("(Entrée : 93) : "), .send("75"), .expect("a consenti pour le département 93"),
                .expect("(Entrée : 93) : "), .send(""),
                .expect("Nombre de mois de parcours déjà accomplis : "), .send("19"), .expect("24"),
                .expect("Nombre de mois de parcours déjà accomplis : "), .send("12"),
                .expect("Structures destinataires"), .expect("> "), .send("1"),
                .expect("Besoins"), .expect("> "), .send("1"),
                .expect("Majeur·e ou mineur·e (en cas de doute sur l'âge : se disant mineur·e) : majeur·e"),
                .expect("Votre nom, tel que le partenaire le lira : "), .send("Camille"),
                .expect("Votre fonction : "), .send("assistante sociale"),
                .expect("Texte libre pour le partenaire (facultatif : Entrée pour passer) : "), .send(""),
                .expect("Envoyer ? [oui/non]"), .send("oui"), .expect("Envoyé : enveloppe"),
            ])
            #expect(sent.ok && sent.status == 0, "\(sent.failed ?? "") \(sent.transcript)")
            #expect(sent.transcript.contains("1) demande de parcours de sortie de la prostitution")
                    && sent.transcript.contains("1) première demande") && sent.transcript.contains("2) renouvellement"), "\(sent.transcript)")
            let inbox = try await cli.inbox("agree1")
            try #require(inbox.count == 1, "\(inbox)")
            let shown = try await cli.ok("agree1", ["open", inbox[0], "--lang", "fr"]).out
            #expect(shown.contains("demande de parcours de sortie de la prostitution")
                    && shown.contains("Parcours de sortie : renouvellement, 12 mois déjà accomplis, département 93"), "\(shown)")
            let json = try await cli.ok("agree1", ["open", inbox[0], "--json"]).out
            let read = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(read["kind"] as? String == "exitProgrammeRequest" && (read["needs"] as? [String]) == ["exitProgramme"], "\(json)")
            let exit = try #require(read["exitProgramme"] as? [String: Any], "\(json)")
            #expect(exit["request"] as? String == "renewal" && exit["monthsAlreadyUsed"] as? Int == 12 && exit["departement"] as? String == "93", "\(exit)")
            #expect((read["person"] as? [String: Any])?["minorStatus"] as? String == "adult", "\(json)")
        }
    }

    /// A send resting on a child-protection declaration is a report about a minor: the kind is
    /// said, the minor's details asked, and only child protection, the prosecutor and the police
    /// are offered. With none of them in the directory, the empty list ends the command (usage,
    /// 64) with its reason, nothing sent; once the CRIP is there, the report reaches it.
    @Test func aGuidedReportUnderADeclarationAndAnEmptyListOfChoices() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            let pro = ["send", "--profile", cli.root + "/pro"]
            try await cli.ok("pro", ["declare", "--case", "MINEUR-G4", "--minor-status", "minor", "--json"])
            let start: [Pty.Step] = [
                .expect("Libellé du dossier de la personne : "), .send("MINEUR-G4"),
                .expect("Ce sur quoi repose l'envoi (consentement de la personne, ou déclaration de protection de l'enfance) : déclaration de protection de l'enfance"),
                .expect("Type d'envoi : signalement de protection de l'enfance"),
                .expect("mineur·e isolé·e étranger·ère ? [oui/non]"), .send("oui"),
                .expect("plainte pour traite ou proxénétisme ? [oui/non]"), .send("non"),
            ]
            let empty = try await Pty.relais(pro, start + [.expect("rien à choisir pour « Structures destinataires »")])
            #expect(empty.ok && empty.status == 64, "\(empty.failed ?? "") \(empty.transcript)")
            #expect(!empty.transcript.contains("Envoyer ?") && !empty.transcript.contains("Association Exemple"),
                    "neither the association nor the social service is offered for a report: \(empty.transcript)")

            let crip = try await cli.ok("op", ["admin", "create-org", "--name", "CRIP 93", "--category", "childProtection", "--departement", "93",
                                               "--json"]).string("organisationId")
            try await cli.enrol("crip1", by: "op", role: "admin", org: crip)
            let sent = try await Pty.relais(pro, start + [
                .expect("Structures destinataires"), .expect("1) CRIP 93"), .expect("> "), .send("1"),
                .expect("Besoins"), .expect("> "), .send("protection de l'enfance"),
                .expect("Majeur·e ou mineur·e"), .expect("> "), .send("majeure"), .expect("« majeure » n'est pas dans la liste"),
                .expect("> "), .send("1"),
                .expect("Votre nom, tel que le partenaire le lira : "), .send("Camille"),
                .expect("Votre fonction : "), .send("assistante sociale"),
                .expect("Texte libre pour le partenaire (facultatif : Entrée pour passer) : "), .send(""),
                .expect("Envoyer ? [oui/non]"), .send("oui"), .expect("Envoyé : enveloppe"),
            ])
            #expect(sent.ok && sent.status == 0, "\(sent.failed ?? "") \(sent.transcript)")
            #expect(sent.transcript.contains("2) se disant mineur·e") && !sent.transcript.contains(") majeur·e"), "a report is about a minor: \(sent.transcript)")
            let inbox = try await cli.inbox("crip1")
            try #require(inbox.count == 1, "\(inbox)")
            let shown = try await cli.ok("crip1", ["open", inbox[0], "--lang", "fr"]).out
            #expect(shown.contains("signalement de protection de l'enfance") && shown.contains("isolé·e étranger·ère : oui")
                    && shown.contains("16 ans ou plus, plainte déposée : non"), "\(shown)")
        }
    }

    /// Without a terminal nothing is asked: the missing field is named, exit 64, before any passphrase.
    @Test(arguments: [
        (["send", "--case", "C1", "--consent", "c0ffee", "--need", "housing", "--minor-status", "adult", "--sender-name", "A",
          "--sender-role", "B"], "--to"),
        (["send", "--to", "Asso", "--need", "housing", "--minor-status", "adult", "--consent", "c0ffee", "--sender-name", "A", "--sender-role", "B"], "--case"),
        (["send", "--to", "Asso", "--case", "C1", "--need", "housing", "--consent", "c0ffee", "--sender-name", "A", "--sender-role", "B"], "--minor-status"),
        (["consent", "grant", "--to-org", "Asso", "--purpose", "housing", "--data", "situation"], "--case"),
        (["consent", "grant", "--case", "C1", "--purpose", "housing", "--data", "situation"], "--to-org"),
        (["consent", "grant", "--case", "C1", "--to-org", "Asso", "--data", "situation"], "--purpose"),
        (["reply", "--sender-name", "A", "--sender-role", "B"], "<id>"),
        (["reply", "c0ffee", "--sender-name", "A"], "--sender-role"),
        (["declare", "--minor-status", "minor"], "--case"),
        (["declare", "--case", "C1"], "--minor-status"),
    ])
    func withoutATerminalAMissingFieldIsAUsageErrorNamingIt(args: [String], option: String) async throws {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("relais-guided-none-\(UUID().uuidString)").path
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C"
        for name in ["LC_ALL", "LC_MESSAGES", "RELAIS_HOME", "RELAIS_PASSPHRASE"] { env.removeValue(forKey: name) }
        let environment = env
        let result = try await offCooperativePool { try CLI.process(args + ["--profile", profile], environment: environment) }
        #expect(result.status == 64, "\(result.err)")
        #expect(result.err.contains(option), "names \(option): \(result.err)")
        #expect(!result.err.contains("--passphrase-file") && result.out.isEmpty, "asked before the passphrase: \(result.err)")
    }

    @Test func everyQuestionExistsInBothLanguages() {
        for q in GuidedQuestion.allCases {
            #expect(Message.guidedQuestion(q).text(.fr) != Message.guidedQuestion(q).text(.en), "\(q)")
        }
        #expect(Message.guidedMissing(option: "--to").text(.fr).contains("--to") && Message.guidedMissing(option: "--to").text(.en).contains("--to"))
    }

    static func consentCount(_ cli: CLI) async throws -> Int {
        let out = try await cli.ok("pro", ["consent", "list", "--json"]).out
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [Any]).count
    }
}
