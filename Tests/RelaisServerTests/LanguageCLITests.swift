import Foundation
import RelaisCore
import Testing

/// Issue 16, language: the built binary chooses its language by `--lang`, then the profile's
/// setting, then the locale; reads a label or an identifier for an enumerated value; refuses an
/// unknown one listing the choices (64); shows dates in local time with their zone; reads the
/// consent text with labels; and takes «oui» at a real terminal (a pseudo-terminal from `script`).
extension CLITests {
    @Test func languageLabelsDatesAndConfirmation() async throws {
        try await withWorld { w in
            let cli = w.cli
            let fr = ["LANG": "fr_FR.UTF-8"]
            // --lang, then the locale: French for fr*, English otherwise.
            #expect(try await cli.run("pro", ["consent", "list"]).out.contains("  valid  until "))
            #expect(try await cli.run("pro", ["consent", "list", "--lang", "fr"]).out.contains("  valable  jusqu'au "))
            #expect(try await cli.run("pro", ["consent", "list"], environment: fr).out.contains("  valable  jusqu'au "))
            #expect(try await cli.run("pro", ["--lang=en", "consent", "list"], environment: fr).out.contains("  valid  until "))
            #expect(try await cli.run("pro", ["consent", "list"], environment: ["LANG": "fr_FR.UTF-8", "LC_ALL": "en_GB.UTF-8"])
                .out.contains("  valid  until "), "LC_ALL before LANG")
            // Help texts too, and an unknown --lang is a usage error.
            #expect(try await cli.run("pro", ["consent", "grant", "--help", "--lang", "fr"]).out.contains("Enregistrer le consentement"))
            let badLang = try await cli.run("pro", ["consent", "list", "--lang", "de"])
            #expect(badLang.status == 64 && badLang.err.contains("de"), "\(badLang.err)")

            // Dates in local time with the zone (TZ, Europe/Paris when unset); JSON keeps seconds.
            #expect(try await cli.run("pro", ["consent", "list"], environment: ["TZ": ""]).out.contains("(Europe/Paris)"))
            #expect(try await cli.run("pro", ["consent", "list"], environment: ["TZ": "America/New_York"]).out.contains("(America/New_York)"))
            #expect(!(try await cli.run("pro", ["consent", "list"]).out.contains("UTC")))

            // The profile's setting comes after --lang and before the locale.
            let set = try await cli.ok("pro", ["config", "--lang", "fr"])
            #expect(set.out.contains("langue") && set.out.contains("fr"), "\(set.out)")
            #expect(try await cli.run("pro", ["consent", "list"]).out.contains("  valable  jusqu'au "), "the setting beats LANG=C")
            #expect(try await cli.run("pro", ["consent", "list", "--lang", "en"]).out.contains("  valid  until "), "--lang beats the setting")
            try await cli.ok("pro", ["config", "--lang", "en"])

            // A label, whatever its case and accents, sends the same as the identifier.
            func sent(_ need: String) async throws -> [String] {
                var args = CLI.sendArgs(to: w.association, consent: w.consent)
                args[args.firstIndex(of: "emergencyShelter")!] = need
                let id = try await cli.ok("pro", args).string("envelopeId")
                let opened = try await cli.ok("assoc1", ["open", id, "--json"])
                return try #require(try opened.json()["needs"] as? [String])
            }
            let byIdentifier = try await sent("emergencyShelter")
            #expect(byIdentifier == ["emergencyShelter", "legalHelp"])
            #expect(try await sent("hebergement-urgence") == byIdentifier)
            #expect(try await sent("Hébergement d'URGENCE") == byIdentifier)

            // An unknown value: 64, naming the value and listing the choices, in the chosen language.
            var bad = CLI.sendArgs(to: w.association, consent: w.consent)
            bad[bad.firstIndex(of: "emergencyShelter")!] = "nowhere"
            let refusedEn = try await cli.run("pro", bad)
            #expect(refusedEn.status == 64)
            #expect(refusedEn.err.contains("«nowhere»") && refusedEn.err.contains("Choices:") && refusedEn.err.contains("emergency-shelter"),
                    "\(refusedEn.err)")
            let refusedFr = try await cli.run("pro", bad + ["--lang", "fr"])
            #expect(refusedFr.status == 64 && refusedFr.err.contains("hebergement-urgence") && refusedFr.err.contains("Valeurs possibles"),
                    "\(refusedFr.err)")

            // The text read to the person: labels, no identifier, no command; French when the person speaks French.
            let grant = ["consent", "grant", "--case", "CASE-0099", "--to-org", w.association, "--purpose", "hebergement-urgence",
                         "--data", "situation", "--profile", cli.root + "/pro"]
            let read = try await Self.atTerminal(grant + ["--lang", "en"], answer: "oui")
            #expect(read.status == 0, "«oui» confirms: \(read.output)")
            #expect(read.output.contains("— À lire à la personne —") && read.output.contains("hébergement d'urgence"), "\(read.output)")
            #expect(!read.output.contains("emergencyShelter") && !read.output.contains("relais consent"), "\(read.output)")
            #expect(read.output.contains("Consent recorded"), "\(read.output)")
            let cancelled = try await Self.atTerminal(grant + ["--case", "CASE-0100"], answer: "N")
            #expect(cancelled.status == 64 && cancelled.output.contains("nothing was sent"), "\(cancelled.output)")

            // A language without a reviewed text: the interpreter reads it, and the record says so.
            let ro = try await cli.ok("pro", ["consent", "grant", "--case", "CASE-0101", "--to-org", w.association, "--purpose", "housing",
                                              "--data", "situation", "--language", "ro", "--yes"])
            #expect(ro.err.contains("No reviewed text in «ro»"), "\(ro.err)")
            let id = try #require(ro.out.components(separatedBy: "Consent recorded: ").last?.split(separator: ",").first.map(String.init), "\(ro.out)")
            #expect(try await cli.ok("pro", ["consent", "show", id]).out.contains("with an interpreter"))
        }
    }

    /// The refusals that RelaisCore's rules and the client make, through the real binary: each in the
    /// language asked, and the French help's enumerated values all read «valeurs :».
    @Test func refusalsReadInTheLanguageAsked() async throws {
        try await withWorld { w in
            let cli = w.cli
            func both(_ profile: String, _ args: [String]) async throws -> (fr: CLI.Result, en: CLI.Result) {
                (try await cli.run(profile, args + ["--lang", "fr"]), try await cli.run(profile, args + ["--lang", "en"]))
            }
            // A rule of the guide (CoverPolicy, consent scope): the recipient by its name and category label, not its id.
            let scope = try await both("pro", CLI.sendArgs(to: w.service, consent: w.consent))
            #expect(scope.fr.status == 65 && scope.fr.err.contains("ne couvre pas la structure « Service social Exemple » (service social)")
                    && scope.fr.err.contains("Rien n'a été envoyé."), "\(scope.fr.err)")
            #expect(scope.en.status == 65 && scope.en.err.contains("does not cover the organisation «Service social Exemple» (social services)")
                    && scope.en.err.contains("Nothing was sent."), "\(scope.en.err)")
            for r in [scope.fr, scope.en] { #expect(!r.err.contains(w.service) && !r.err.contains("socialServices"), "\(r.err)") }
            // The client's own refusal (LocalDevice): a reply to an envelope not opened here.
            let unopened = String(repeating: "ab", count: 16)
            let reply = try await both("assoc1", ["reply", unopened, "--outcome", "accepted", "--sender-name", "Sam", "--sender-role", "éducatrice", "--yes"])
            #expect(reply.fr.status == 64 && reply.fr.err.contains("ouvrez l'enveloppe") && !reply.fr.err.contains("open envelope"), "\(reply.fr.err)")
            #expect(reply.en.status == 64 && reply.en.err.contains("open envelope") && !reply.en.err.contains("ouvrez"), "\(reply.en.err)")
            // A name that designates nothing: one language at a time, no more «fr / en» on one line.
            let nowhere = try await both("pro", ["send", "--to", "Nulle Part Ailleurs"] + CLI.sendArgs(to: w.association, consent: w.consent).dropFirst(3))
            #expect(nowhere.fr.status == 64 && nowhere.fr.err.contains("ne désigne aucun") && !nowhere.fr.err.contains("names no"), "\(nowhere.fr.err)")
            #expect(nowhere.en.status == 64 && nowhere.en.err.contains("names no") && !nowhere.en.err.contains("désigne"), "\(nowhere.en.err)")
            // The admin commands: a malformed device id, and their help.
            let approve = try await both("op", ["admin", "approve", "not-an-id"])
            #expect(approve.fr.status == 64 && approve.fr.err.contains("un identifiant de poste s'écrit en 32 chiffres hexadécimaux"), "\(approve.fr.err)")
            #expect(approve.en.status == 64 && approve.en.err.contains("a device id is 32 hex digits"), "\(approve.en.err)")
            let help = try await cli.run("op", ["admin", "create-org", "--help", "--lang", "fr"])
            #expect(help.out.contains("Le nom de la structure.") && help.out.contains("Publie une fiche de version 2"), "\(help.out)")
            // The French help: «valeurs :» and «par défaut :», never ArgumentParser's English words.
            for command in [["send"], ["consent", "grant"], ["directory"], ["reply"], ["admin", "create-org"], ["admin", "invite"], ["audit", "report"]] {
                let text = try await cli.run("pro", command + ["--help", "--lang", "fr"]).out
                #expect(text.contains("(valeurs :"), "\(command)")
                #expect(!text.contains("(values:") && !text.contains("default:"), "\(command): \(text)")
            }
        }
    }

    /// Runs the binary at a pseudo-terminal (util-linux `script`), answering `answer` to its question.
    static func atTerminal(_ args: [String], answer: String) async throws -> (status: Int32, output: String) {
        try await offCooperativePool {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            let quoted = ([relaisBinary] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            p.arguments = ["-qec", quoted, "/dev/null"]
            var env = ProcessInfo.processInfo.environment
            env["RELAIS_PASSPHRASE"] = CLI.passphrase
            env.merge(CLI.testEnvironment) { _, new in new }
            env["LANG"] = "C"
            for name in ["LC_ALL", "LC_MESSAGES", "RELAIS_HOME"] { env.removeValue(forKey: name) }
            p.environment = env
            let input = Pipe(), output = Pipe()
            p.standardInput = input
            p.standardOutput = output
            p.standardError = output
            try p.run()
            input.fileHandleForWriting.write(Data((answer + "\n").utf8))
            let o = output.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            try? input.fileHandleForWriting.close()
            return (p.terminationStatus, String(decoding: o, as: UTF8.self))
        }
    }
}
