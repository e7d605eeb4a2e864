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

    // MARK: the refusals of RelaisCore's rules and of the client (issue 16: every string in both languages)

    /// Every `RuleReason`, built once: `ruleReasonIndex` is an exhaustive switch, so a new reason
    /// does not compile until it is listed here too.
    static let recipient = OrganisationID(hex: "3f2a9c01" + String(repeating: "0", count: 24))!
    static let reasons: [RuleReason] = [
        .consentUnknown, .consentOtherOrganisation, .consentWithdrawn, .consentExpired,
        .consentScope(recipient: recipient, category: .socialServices), .exitProgrammeNotConsented, .exitProgrammeConsentNotAdult,
        .notAccredited(departement: nil), .notAccredited(departement: "93"), .declarationUnknown, .declarationOtherOrganisation,
        .declarationExpired, .declarationExhausted(maxReports: 3), .childProtectionRecipients(recipient: recipient, category: .health),
        .safeAccommodationRecipients(recipient: recipient, category: .accommodation), .exitProgrammeAdultsOnly,
        .exitProgrammeNotAccreditedInDepartement,
    ]

    static func ruleReasonIndex(_ r: RuleReason) -> Int {
        switch r {
        case .consentUnknown: 0
        case .consentOtherOrganisation: 1
        case .consentWithdrawn: 2
        case .consentExpired: 3
        case .consentScope: 4
        case .exitProgrammeNotConsented: 5
        case .exitProgrammeConsentNotAdult: 6
        case .notAccredited: 7
        case .declarationUnknown: 8
        case .declarationOtherOrganisation: 9
        case .declarationExpired: 10
        case .declarationExhausted: 11
        case .childProtectionRecipients: 12
        case .safeAccommodationRecipients: 13
        case .exitProgrammeAdultsOnly: 14
        case .exitProgrammeNotAccreditedInDepartement: 15
        }
    }

    /// Each rule's refusal reads in French and in English, differently; a recipient by its name and
    /// category label (never its id or an identifier), its details (a département, a count) kept.
    @Test func everyRuleReasonReadsInBothLanguages() {
        #expect(Set(Self.reasons.map(Self.ruleReasonIndex)).count == 16, "every reason is listed")
        for reason in Self.reasons {
            let fr = Message.ruleRefusal(reason, recipientName: "Centre Exemple").text(.fr)
            let en = Message.ruleRefusal(reason, recipientName: "Centre Exemple").text(.en)
            #expect(!fr.isEmpty && !en.isEmpty && fr != en, "\(reason)")
            if reason.recipient != nil {
                for text in [fr, en] {
                    #expect(text.contains("Centre Exemple") && !text.contains(Self.recipient.hex), "\(text)")
                    #expect(!text.contains("socialServices"), "the category by its label, not its identifier: \(text)")
                }
                // Without a name (not in the verified directory), the short id.
                #expect(Message.ruleRefusal(reason, recipientName: nil).text(.en).contains("3f2a9c01"))
            }
        }
        #expect(Message.ruleRefusal(.notAccredited(departement: "93"), recipientName: nil).text(.fr).contains("département 93"))
        #expect(Message.ruleRefusal(.notAccredited(departement: "93"), recipientName: nil).text(.en).contains("département 93"))
        #expect(Message.ruleRefusal(.declarationExhausted(maxReports: 3), recipientName: nil).text(.en).contains("3 reports"))
    }

    /// RelaisCore's rules give the typed reason beside the relay's code and French words.
    @Test func theRulesGiveTheirReason() {
        let refusal = ReferralRules.checkRecipients(kind: .safeAccommodationRequest, minorStatus: .adult,
                                                    recipients: [.init(id: Self.recipient, category: .accommodation)])
        #expect(refusal?.code == .safeAccommodationRecipients)
        #expect(refusal?.reason == .safeAccommodationRecipients(recipient: Self.recipient, category: .accommodation))
        #expect(ReferralRules.checkRecipients(kind: .exitProgrammeRequest, minorStatus: .minor, recipients: [])?.reason == .exitProgrammeAdultsOnly)
    }

    /// A sample of every shape of the client's refusals and checks: both languages, different, each
    /// carrying its arguments; no English left in the French (the words each English text opens with).
    static let refusals: [(Message, [String])] = [
        (.consentNotRecordedHere(id: "c0ffee"), ["c0ffee"]), (.declarationNotHere(id: "d0d0"), ["d0d0"]),
        (.needsOutsideConsent([.housing]), []), (.dataOutsideConsent(categories: [.health], id: "c1"), ["c1"]),
        (.exitDepartementMismatch(requested: "93", consented: "75"), ["93", "75"]), (.minorStopAndReport, ["119", "relais declare --case"]),
        (.relayURLFormat("ftp://x"), ["ftp://x"]), (.plainHTTPRefused(host: "example.org"), ["example.org"]), (.retentionRange(max: 3650), ["3650"]),
        (.organisationUnknown(id: "o1"), ["o1"]), (.noReceivingDevice(organisation: "Asso"), ["Asso"]), (.envelopeNotInInbox(id: "e1"), ["e1"]),
        (.openBeforeReply(id: "e2"), ["e2"]), (.replyV1NeedsText(id: "e3"), ["e3", "--text"]), (.inviteExpired(invite: "i1", at: "D"), ["i1", "D"]),
        (.inviteRoleDiffers(reported: "R1", invite: "i2", issued: "R2"), ["R1", "i2", "R2"]), (.damaged(.identityKey), []), (.damaged(.referralsKey), []),
        (.inviteAnchorMismatch(anchor: "A1", reported: "A2"), ["A1", "A2"]), (.organisationRolledBack(id: "o2", served: 3, seen: 5), ["o2", "3", "5"]),
        (.deviceNotOfOrganisation(device: "dv", organisation: "og", role: "R", actual: "other", isOther: true), ["dv", "og", "R", "other"]),
        (.relayMalformed(.logEntry), []), (.relayMalformed(.keyPackage), []), (.demoCheck(.envelopeMissing), []),
        (.auditRootMismatch(size: 42), ["42"]), (.auditFork(previous: 7, detail: "why"), ["7", "why"]),
        (.passphraseTooShort(length: 5, minimum: 15), ["5", "15"]), (.passphraseGuessable(bits: 20, minimum: 50), ["20", "50"]),
        (.nameNoMatch(text: "nulle", what: "structure", candidates: "\n  A (1)"), ["nulle", "A (1)"]),
        (.notAnID(text: "abc", what: "enveloppe", minimumPrefix: 6), ["abc", "6"]),
    ]

    @Test func theClientsRefusalsReadInBothLanguages() {
        for (message, arguments) in Self.refusals {
            let fr = message.text(.fr), en = message.text(.en)
            #expect(!fr.isEmpty && !en.isEmpty && fr != en, "\(message)")
            for a in arguments {
                #expect(fr.contains(a), "\(message) in French lacks «\(a)»: \(fr)")
                #expect(en.contains(a), "\(message) in English lacks «\(a)»: \(en)")
            }
            for english in [" the ", " is not ", " does not ", "malformed", "damaged", " must "] {
                #expect(!fr.contains(english), "\(message): English in the French text: \(fr)")
            }
        }
        #expect(Message.nameUnknown(text: "x", what: "enveloppe").text(.en).contains("envelope"))
    }

    /// The admin and demo commands' texts: every case in both languages, different (the technical
    /// ones aside, which are the same identifiers in both).
    @Test func adminAndDemoTextsInBothLanguages() {
        let all: [AdminText] = [
            .createOrgDiscussion, .createOrgOrgHelp, .createOrgNameHelp, .createOrgDepartementHelp, .createOrgNationalHelp, .createOrgPublicHelp,
            .createOrgMinorsHelp, .createOrgMinAgeHelp, .createOrgMaxAgeHelp, .createOrgTraffickingOnlyHelp, .createOrgLanguageHelp,
            .createOrgPhoneHelp, .createOrgHoursHelp, .createOrgAccreditationHelp, .createOrgExitProgrammeUntilHelp, .publicValues,
            .accreditationFormat, .deviceIDFormat, .datesFormat(option: "--accreditation"), .organisationInvalid(detail: "why"), .inviteRoleHelp,
            .inviteOrgHelp, .inviteRoleValues, .pendingLine(device: "d", what: "w", fingerprint: "f"), .approveDeviceHelp, .approveFingerprintHelp,
            .approveYesHelp, .devicesOrgHelp, .devicesOrgRequired, .revokeDeviceHelp, .revokeYesHelp, .demoAbstract,
            .relayDemoAbstract, .relayDemoRelayHelp, .relayDemoInviteHelp, .relayDemoRelayURL, .relayDemoNoInvite(path: "/p"),
            .demoSender(device: "d", fingerprint: "f"), .demoSealed(envelope: "e", bytes: 1, sizeClass: 2, devices: 3),
            .demoOpened(device: "d", kind: "k", schema: 2, needs: ["n"]), .demoTampered(error: "x"), .demoBroken,
            .relayDemoStep(.operatorKeyPinned), .relayDemoStep(.directoryVerified(devices: 2)),
            .relayDemoStep(.openedAndAcknowledged(device: "d", kind: "k", schema: 2, deleted: true)),
        ]
        for text in all {
            #expect(!text.text(.fr).isEmpty && !text.text(.en).isEmpty, "\(text)")
            #expect(text.text(.fr) != text.text(.en), "\(text): the same in both languages")
        }
        #expect(AdminText.devicesLine(device: "d", role: "r", status: "s").text(.fr).contains("r"))
    }
}
