import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import Testing

/// Issue 15, "a directory that helps choose": the real `relais` binary publishes version 2
/// organisation records on a real relay, and `relais directory` filters them; `relais contacts`
/// lists the guide's hotlines with their hours.
@Suite("Directory CLI (issue 15)", .serialized)
struct DirectoryCLITests {
    static func day(_ offset: Double) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        return f.string(from: Date().addingTimeInterval(offset * 86_400))
    }

    func names(_ r: CLI.Result) throws -> [String] {
        let list = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]], "not a list: \(r.out)")
        return list.compactMap { $0["name"] as? String }.sorted()
    }

    @Test func theOperatorPublishesAndTheDirectoryFilters() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            let national = try await cli.ok("op", [
                "admin", "create-org", "--name", "Dispositif national", "--category", "specialisedAssociation", "--national",
                "--public", "women", "--public", "men", "--public", "trans", "--trafficking-only", "--language", "fr", "--language", "en",
                "--service", "distantShelter", "--phone", "04 92 15 10 51", "--json",
            ]).string("organisationId")
            let accredited = try await cli.ok("op", [
                "admin", "create-org", "--name", "Association agréée", "--category", "accreditedAssociation", "--departement", "93",
                "--public", "women", "--public", "trans", "--min-age", "18", "--language", "fr", "--language", "ro",
                "--service", "exitProgramme", "--service", "housing", "--hours", "lundi au vendredi, 9h à 17h",
                "--accreditation", "93:\(Self.day(-1)):\(Self.day(365))", "--json",
            ]).string("organisationId")
            _ = try await cli.ok("op", [
                "admin", "create-org", "--name", "Aide sociale à l'enfance", "--category", "childProtection", "--departement", "75",
                "--public", "women", "--public", "men", "--minors", "--max-age", "17", "--service", "childProtection", "--json",
            ])
            func dir(_ args: [String]) async throws -> [String] { try names(try await cli.ok("pro", ["directory", "--json"] + args)) }
            let all = ["Aide sociale à l'enfance", "Association Exemple", "Association agréée", "Dispositif national", "Service social Exemple"]
            #expect(try await dir([]) == all)
            #expect(try await dir(["--need", "exitProgramme"]) == ["Association agréée"])
            #expect(try await dir(["--language", "ro"]) == ["Association agréée"])
            #expect(try await dir(["--language", "en"]) == ["Dispositif national"])
            #expect(try await dir(["--public", "minors"]) == ["Aide sociale à l'enfance"])
            #expect(try await dir(["--public", "men"]) == all.filter { $0 != "Association agréée" })
            #expect(try await dir(["--departement", "971"]) == ["Dispositif national"], "national scope matches every département")
            #expect(try await dir(["--departement", "93", "--category", "specialisedAssociation"]) == ["Association Exemple", "Dispositif national"])
            #expect(try await dir(["--accredited", "--departement", "93"]) == ["Association agréée"])
            #expect(try await dir(["--accredited", "--departement", "75"]).isEmpty, "accredited in 93 only")
            #expect(try await dir(["--need", "housing", "--language", "en"]).isEmpty, "filters combine")

            // What it shows: JSON fields and the human lines.
            let json = try #require(try JSONSerialization.jsonObject(with: Data(try await cli.ok("pro", ["directory", "--json", "--need", "exitProgramme"]).out.utf8)) as? [[String: Any]])
            let a = try #require(json.first)
            #expect(a["id"] as? String == accredited && a["version"] as? Int == 2)
            #expect(a["openingHours"] as? String == "lundi au vendredi, 9h à 17h")
            #expect(a["accreditedToday"] as? [String] == ["93"])
            #expect(a["languages"] as? [String] == ["fr", "ro"])
            let human = try await cli.ok("pro", ["directory", "--departement", "971"]).out
            #expect(human.contains("Dispositif national") && human.contains("national") && human.contains("phone: 04 92 15 10 51"))
            #expect(human.contains("trafficking victims only"))
            let accreditedText = try await cli.ok("pro", ["directory", "--need", "exitProgramme"]).out
            #expect(accreditedText.contains("exit programme in 93: accredited"))

            // A new version under the same id.
            let updated = try await cli.ok("op", [
                "admin", "create-org", "--org", national, "--name", "Dispositif national", "--category", "specialisedAssociation", "--national",
                "--public", "women", "--trafficking-only", "--language", "fr", "--service", "distantShelter", "--phone", "04 92 15 10 51",
                "--hours", "du lundi au vendredi", "--json",
            ]).json()
            #expect(updated["organisationId"] as? String == national && updated["sequence"] as? String == "2")
            #expect(try await dir(["--public", "men"]) == ["Aide sociale à l'enfance", "Association Exemple", "Service social Exemple"])
        }
    }

    @Test func badFieldsAreRefusedAndPublishNothing() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            let before = try names(try await cli.ok("op", ["directory", "--json"]))
            let base = ["admin", "create-org", "--name", "X", "--category", "accreditedAssociation"]
            let refused: [(String, [String])] = [
                ("letters in the phone", ["--departement", "93", "--phone", "01 AB"]),
                ("national with a département", ["--national", "--departement", "93"]),
                ("neither", []),
                ("accreditation elsewhere", ["--departement", "93", "--accreditation", "13:\(Self.day(0)):\(Self.day(30))"]),
                ("accreditation ends first", ["--departement", "93", "--accreditation", "93:\(Self.day(30)):\(Self.day(0))"]),
                ("malformed accreditation", ["--departement", "93", "--accreditation", "93:2026-01-01"]),
                ("minors from 18", ["--departement", "93", "--minors", "--min-age", "18"]),
                ("uppercase language", ["--departement", "93", "--language", "FR"]),
                ("unknown service", ["--departement", "93", "--service", "teleportation"]),
                ("unknown public", ["--departement", "93", "--public", "children"]),
                ("hours on two lines", ["--departement", "93", "--hours", "lundi\nmardi"]),
            ]
            for (why, extra) in refused {
                let r = try await cli.run("op", base + extra)
                #expect(r.status == 64, "\(why): exit \(r.status) \(r.err)")
            }
            let r = try await cli.run("pro", ["directory", "--departement", "9Z"])
            #expect(r.status == 64, "a malformed département filter")
            #expect(try names(try await cli.ok("op", ["directory", "--json"])) == before, "nothing was published")
        }
    }

    /// The relay's audit log records every version 2 organisation, and an auditor's replay finds nothing.
    @Test func anAuditorReplaysVersion2Organisations() async throws {
        try await CLITests().withWorld { w in
            try await w.cli.ok("op", [
                "admin", "create-org", "--name", "Association agréée", "--category", "accreditedAssociation", "--departement", "93",
                "--accreditation", "93:\(Self.day(-1)):\(Self.day(365))",
            ])
            try await w.cli.enrol("aud", by: "op", role: "auditor")
            let out = w.cli.root + "/report.md"
            let r = try await w.cli.run("aud", ["audit", "report", "--out", out])
            #expect(r.status == 0, "exit \(r.status): \(r.err)")
            #expect(try String(contentsOfFile: out, encoding: .utf8).contains("Findings: **0**"))
        }
    }

    /// A version 1 record (published before issue 15) is still served and listed; it matches the
    /// département and accreditation filters, and no need, language or public filter. The relay
    /// refuses a version 2 record with a member it does not define, even validly signed.
    @Test func version1RecordsStayAndTheRelayParsesStrictly() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            let op = try LocalDevice.open(directory: cli.root + "/op", passphrase: SecretBytes(Array(CLI.passphrase.utf8)))
            _ = try await op.putOrganisation(name: "Ancienne association", category: .specialisedAssociation, departements: ["13"],
                                             exitProgrammeAccreditedUntil: UInt64(Date().timeIntervalSince1970) + 86_400)
            func dir(_ args: [String]) async throws -> [String] { try names(try await cli.ok("pro", ["directory", "--json"] + args)) }
            #expect(try await dir(["--departement", "13"]) == ["Ancienne association"])
            #expect(try await dir(["--accredited", "--departement", "13"]) == ["Ancienne association"])
            #expect(try await dir(["--need", "emergencyShelter", "--departement", "13"]).isEmpty)
            #expect(try await dir(["--language", "fr", "--departement", "13"]).isEmpty)

            // The shorthand: accredited from today in every listed département.
            try await cli.ok("op", ["admin", "create-org", "--name", "Raccourci", "--category", "accreditedAssociation",
                                    "--departement", "77", "--exit-programme-until", Self.day(30)])
            #expect(try await dir(["--accredited", "--departement", "77"]) == ["Raccourci"])

            let record = OrganisationRecord(
                id: .random(using: SystemRandom()), name: "Membre inconnu", category: .health, departements: ["75"],
                publicServed: .init(women: true, men: true, transPeople: true, minorsAccepted: false), languages: ["fr"], services: [],
                issuedAt: UInt64(Date().timeIntervalSince1970))
            var object = try #require(try JSONSerialization.jsonObject(with: Data(try record.signed(by: op.identity).bytes)) as? [String: Any])
            object["website"] = "https://example.org"
            let bytes = Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
            do {
                try await op.client.putOrganisation(SignedObject.sign(bytes, context: .organisationRecord, by: op.identity))
                Issue.record("the relay accepted an unknown member")
            } catch {
                #expect("\(error)".contains("unknown member \"website\""), "\(error)")
            }
            // A malformed département filter is the relay's 400, not an empty list.
            do {
                _ = try await op.client.organisations(category: nil, departement: "9Z")
                Issue.record("the relay answered a malformed département filter")
            } catch {
                #expect("\(error)".contains("département code"), "\(error)")
            }
            // The same record without it is accepted: the refusal is the member's.
            try await op.client.putOrganisation(try record.signed(by: op.identity))
            #expect(try await dir(["--departement", "75"]).contains("Membre inconnu"))
        }
    }

    static func contacts(_ args: [String]) throws -> (status: Int32, out: String) {
        let r = try runProcess(relaisBinary, ["contacts"] + args)
        return (r.status, r.out)
    }

    @Test func contactsListsTheGuidesHotlinesWithTheirHours() throws {
        let r = try Self.contacts([])
        #expect(r.status == 0)
        let blocks = r.out.components(separatedBy: "\n\n")
        func block(_ number: String) -> String { blocks.first { $0.contains(number + " — ") } ?? "" }
        #expect(block("119").contains("Allô enfance en danger") && block("119").contains("24h/24, 7j/7"))
        #expect(block("3919").contains("du lundi au vendredi de 9h à 22h ; samedi, dimanche et jours fériés de 9h à 18h"))
        #expect(block("0 800 05 95 95").contains("du lundi au vendredi de 10h à 19h"))
        #expect(block("115").contains("Horaires : non indiqués dans le guide"), "the guide gives no hours for the 115")
        #expect(block("04 92 15 10 51").contains("AcSé") && block("04 92 15 10 51").contains("ac.se@association-alc.org"))
        #expect(r.out.contains("www.internet-signalement.gouv.fr"))

        let j = try Self.contacts(["--json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(j.out.utf8)) as? [[String: Any]])
        #expect(list.compactMap { $0["key"] as? String } == ["119", "3919", "0800059595", "115", "acse", "pharos"])
        #expect(list.first { $0["key"] as? String == "3919" }?["hours"] as? String == Hotlines.violencesFemmesInfo.hours)
    }

    @Test func theNoticesNameTheNumbers() {
        for n in ["115", "04 92 15 10 51", "3919", "0 800 05 95 95"] { #expect(Hotlines.dangerNotice.contains(n), "\(n)") }
        for n in ["119", "24h/24, 7j/7", "www.internet-signalement.gouv.fr"] { #expect(Hotlines.minorNotice.contains(n), "\(n)") }
    }
}
