import Foundation
import RelaisClient
import RelaisCore
import Testing

/// The message catalogue (issue 16): every key renders in French and in English, the two differ,
/// and each carries its arguments; dates, durations and yes/no read in either language.
@Suite("Message catalogue, dates and answers")
struct CatalogueTests {
    /// A representative set of keys, one of each shape, with arguments to find in both texts.
    static let samples: [(Message, [String])] = [
        (.unknownChoice(option: "--need", value: "nope", choices: ["hebergement-urgence (emergencyShelter)"]),
         ["--need", "nope", "hebergement-urgence (emergencyShelter)"]),
        (.langUnknown("de"), ["de"]),
        (.noProfile(path: "/tmp/p"), ["/tmp/p"]),
        (.notActive(status: "pending"), ["pending"]),
        (.keyChanged(device: "d1d1", pinned: "11 22", now: "33 44"), ["d1d1", "11 22", "33 44"]),
        (.newDevices(organisation: "Asso", id: "ab12", devices: ["dev1  fp1"]), ["ASSO", "ab12", "dev1  fp1"]),
        (.consentRefusal("le consentement ne couvre pas santé"), ["le consentement ne couvre pas santé"]),
        (.relayRefused(status: 413, code: "too_large", message: "body too large"), ["413", "too_large"]),
        (.relayRefused(status: 403, code: "consent_withdrawn", message: "consentement retiré"), ["403", "consent_withdrawn"]),
        (.relayUnexpected(status: 500), ["500"]),
        (.personText(to: ["Asso"], purposes: ["P1"], data: ["D1"], months: 6), ["Asso", "P1", "D1", "6"]),
        (.interpreterReads(language: "ro"), ["ro"]),
        (.consentRecorded(id: "c0ffee", until: "3 déc."), ["c0ffee", "3 déc."]),
        (.sent(id: "e1e1e1e1", devices: 2), ["e1e1e1e1", "2"]),
        (.inboxLine(id: "e1", from: "o1", kind: "k1", received: "r1", expires: "x1"), ["e1", "o1", "k1", "r1", "x1"]),
        (.outcome(status: "S", opinion: "O", decision: nil, at: "A", reason: "R", reorientedTo: "T"), ["S", "O", "A", "R", "T"]),
        (.declared(id: "d0", label: "CASE-1", article: "CASF L.226-2-1", days: 30, until: "U", reports: 3), ["d0", "CASE-1", "30", "U", "3"]),
        (.outsideReportRecipient(.crip), ["CRIP"]),
        (.configShow(relay: "https://r", retentionDays: 90, language: "fr"), ["https://r", "90", "fr"]),
        (.caseSent(id: "e1", kind: "K", on: "D", state: "S"), ["e1", "K", "D", "S"]),
        (.exitProgrammeIn(departement: "93", state: 0, from: "F", until: "U"), ["93", "F", "U"]),
        (.field(.needs), []),
        (.emergencyNotice, ["17", "112", "119"]),
    ]

    @Test func representativeKeysDifferAndCarryTheirArguments() {
        for (message, arguments) in Self.samples {
            let fr = message.text(.fr), en = message.text(.en)
            #expect(!fr.isEmpty && !en.isEmpty, "\(message)")
            #expect(fr != en, "\(message): the same text in both languages: «\(fr)»")
            for a in arguments {
                #expect(fr.contains(a), "\(message) in French lacks «\(a)»: \(fr)")
                #expect(en.contains(a), "\(message) in English lacks «\(a)»: \(en)")
            }
        }
    }

    @Test func everyOptionHelpAndFieldExistsInBothLanguages() {
        for help in OptionHelp.allCases {
            Messages.language = .fr
            let fr = help.text
            Messages.language = .en
            let en = help.text
            #expect(!fr.isEmpty && fr != en, "\(help)")
        }
        for field in ReferralField.allCases { #expect(Message.field(field).text(.fr) != Message.field(field).text(.en), "\(field)") }
        for part in ReferralSituationPart.allCases {
            #expect(Message.situationParts(part, "x").text(.fr) != Message.situationParts(part, "x").text(.en), "\(part)")
        }
    }

    /// Each refusal of the guide's rules reads in English; in French the relay's own (French) words stay.
    @Test func ruleRefusalsAreTranslated() {
        for code in CoverPolicy.Code.allCases {
            let en = Message.relayRefused(status: 403, code: code.rawValue, message: "motif en français").text(.en)
            #expect(en.hasPrefix("the relay refused (403 \(code.rawValue)): ") && !en.hasPrefix("the relay refused (403 \(code.rawValue)): motif"),
                    "\(code): \(en)")

            #expect(Message.relayRefused(status: 403, code: code.rawValue, message: "motif en français").text(.fr).contains("motif en français"))
        }
        // A code this client does not know shows the relay's message.
        #expect(Message.relayRefused(status: 400, code: "newer_code", message: "why").text(.fr).contains("why"))
    }

    @Test(arguments: [("oui", true), ("OUI", true), ("o", true), ("yes", true), ("Y", true), (" Oui ", true),
                      ("non", false), ("N", false), ("no", false), ("nön", false)])
    func answersInEitherLanguage(input: String, yes: Bool) {
        #expect(Answer.yes(input) == yes, "«\(input)»")
    }

    @Test func otherAnswersAreNeither() {
        for input in ["", "peut-être", "yess", "ouii", "1"] { #expect(Answer.yes(input) == nil, "«\(input)»") }
    }

    @Test func datesAreLocalWithTheirZone() throws {
        // 2026-12-03 13:05 UTC is 14:05 in Paris (winter), 08:05 in New York.
        let t: UInt64 = 1_796_303_100
        #expect(LocalTime.date(t, .fr, zone: LocalTime.zone(environment: [:])) == "3 déc. 2026 14:05 (Europe/Paris)")
        #expect(LocalTime.date(t, .en, zone: LocalTime.zone(environment: ["TZ": "America/New_York"])) == "3 Dec 2026 08:05 (America/New_York)")
        #expect(LocalTime.zone(environment: ["TZ": ":Asia/Tokyo"]).identifier == "Asia/Tokyo")
        #expect(LocalTime.zone(environment: ["TZ": "Nowhere/Nothing"]).identifier == "Europe/Paris")
    }

    @Test func durationsInWords() {
        let now: UInt64 = 1_000_000
        #expect(LocalTime.expiry(now + 13 * 86_400 + 5, now: now, .fr) == "expire dans 13 jours")
        #expect(LocalTime.expiry(now - 2 * 86_400, now: now, .en) == "expired 2 days ago")
        #expect(LocalTime.relative(now + 3_600, now: now, .en) == "in 1 hour")
        #expect(LocalTime.relative(now - 30, now: now, .fr) == "il y a moins d'une minute")
    }

    @Test func theLangFlagIsFoundAnywhereBeforeTheEndOfOptions() {
        #expect(Language.flag(in: ["consent", "list", "--lang", "fr"]) == "fr")
        #expect(Language.flag(in: ["--lang=en", "whoami"]) == "en")
        #expect(Language.flag(in: ["send", "--", "--lang", "fr"]) == nil)
        #expect(Language.flag(in: ["whoami"]) == nil)
    }
}
