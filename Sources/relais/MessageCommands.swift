import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

/// What a referral says, from flags (or a JSON file).
struct ReferralOptions: ParsableArguments {
    @Option(help: "A referral JSON file (Protocol/referral.schema.json) instead of the flags below.") var file: String?
    @Option(help: "orientation, exitProgrammeRequest, childProtectionReport, safeAccommodationRequest.") var kind: String = "orientation"
    @Option(name: .customLong("need"), help: "A need (repeat): \(Referral.Need.allCases.map(\.rawValue).joined(separator: ", ")).")
    var needs: [String] = []
    @Option(name: .customLong("case"), help: "Your organisation's case pseudonym for the person (never a legal name).") var casePseudonym: String?
    @Option(help: "First name, only with the person's agreement.") var firstName: String?
    @Option(help: "Age band: \(Referral.AgeBand.allCases.map(\.rawValue).joined(separator: ", ")).") var ageBand: String = "unknown"
    @Option(help: "adult, minor, allegedMinor, unknown.") var minorStatus: String = "unknown"
    @Option(name: .customLong("language"), help: "A language code the person speaks (repeat), e.g. fr, en, ro.") var languages: [String] = []
    @Flag(help: "An interpreter is needed.") var interpreter = false
    @Option(help: "\(Referral.AdministrativeStatus.allCases.map(\.rawValue).joined(separator: ", ")).") var administrativeStatus: String = "unknown"
    @Option(help: "Danger level 0 to 3.") var danger: Int = 0
    @Flag(inversion: .prefixedNo, help: "Whether it is safe to call the person.") var safeToCall = false
    @Option(help: "How to contact the person safely.") var safeContact: String?
    @Option(help: "A code word agreed with the person.") var codeWord: String?
    @Option(help: "Free text: the situation, in the person's agreed words.") var text: String?
    @Option(help: "The consent record id covering this referral.") var consent: String?
    @Option(help: "For a child-protection report: the legal-basis declaration id (CASF L.226-2-1).") var childProtectionDeclaration: String?
    @Option(help: "Your name, for the recipient to contact you.") var senderName: String?
    @Option(help: "Your role.") var senderRole: String?
    @Option(help: "Your professional phone.") var senderPhone: String?
    @Option(help: "Your professional email.") var senderEmail: String?

    func build(now: UInt64) throws -> Referral {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw LocalError.notFound("cannot read \(file)") }
            return try Referral.decode(Array(data))
        }
        guard let k = Referral.Kind(rawValue: kind) else { throw ValidationError("unknown --kind \(kind)") }
        let parsedNeeds = try needs.map { n in
            guard let v = Referral.Need(rawValue: n) else { throw ValidationError("unknown --need \(n)") }
            return v
        }
        guard let casePseudonym else { throw ValidationError("--case is required (your case pseudonym for the person)") }
        guard let age = Referral.AgeBand(rawValue: ageBand) else { throw ValidationError("unknown --age-band \(ageBand)") }
        guard let minor = Referral.MinorStatus(rawValue: minorStatus) else { throw ValidationError("unknown --minor-status \(minorStatus)") }
        guard let admin = Referral.AdministrativeStatus(rawValue: administrativeStatus) else {
            throw ValidationError("unknown --administrative-status \(administrativeStatus)")
        }
        let reference: ConsentReference
        switch (consent, childProtectionDeclaration) {
        case let (c?, nil):
            guard let id = ConsentID(hex: c) else { throw ValidationError("--consent takes a consent id (32 hex digits)") }
            reference = ConsentReference(kind: k == .exitProgrammeRequest ? .exitProgrammeConsent : .consent, id: id)
        case let (nil, d?):
            guard let id = ConsentID(hex: d) else { throw ValidationError("--child-protection-declaration takes an id (32 hex digits)") }
            reference = ConsentReference(kind: .childProtectionDeclaration, id: id)
        default:
            throw ValidationError("give --consent ID (the person's recorded consent) or, for a child-protection report, --child-protection-declaration ID")
        }
        guard let senderName, let senderRole else { throw ValidationError("--sender-name and --sender-role are required") }
        return Referral(kind: k, needs: parsedNeeds,
                        person: .init(casePseudonym: casePseudonym, firstName: firstName, ageBand: age, minorStatus: minor,
                                      languages: languages.isEmpty ? ["fr"] : languages, interpreterNeeded: interpreter, administrativeStatus: admin),
                        safety: .init(dangerLevel: danger, safeContactInstructions: safeContact, safeToCall: safeToCall, codeWord: codeWord),
                        freeText: text, consent: reference,
                        sender: .init(name: senderName, role: senderRole, phone: senderPhone, email: senderEmail), createdAt: now)
    }
}

/// The summary shown before sealing: what will be shared, with whom, on which devices.
func describe(_ plan: LocalDevice.SendPlan) -> String {
    let r = plan.referral
    var lines = ["About to seal and send this referral (\(r.kind.rawValue)):"]
    lines.append("  needs:        \(r.needs.map(\.rawValue).joined(separator: ", "))")
    lines.append("  person:       case \(r.person.casePseudonym)\(r.person.firstName.map { ", first name \($0)" } ?? ""), \(r.person.ageBand.rawValue), \(r.person.minorStatus.rawValue)")
    lines.append("  safety:       danger level \(r.safety.dangerLevel), \(r.safety.safeToCall ? "safe to call" : "NOT safe to call")")
    lines.append("  free text:    \(r.freeText.map { "\($0.count) characters" } ?? "none"), \(r.attachments.count) attachment(s)")
    lines.append("  covered by:   \(r.consent.kind == .childProtectionDeclaration ? "child-protection declaration" : "consent") \(r.consent.id)")
    for o in plan.organisations {
        lines.append("  to:           \(o.name) (\(o.category.rawValue), \(o.departements.joined(separator: ", ")))")
    }
    for d in plan.devices {
        lines.append("    device      \(d.identity.deviceID)  fingerprint \(d.identity.fingerprint)")
    }
    for d in plan.skipped {
        lines.append("    (device     \(d.device) skipped: \(d.reason))")
    }
    lines.append("  expires:      \(date(plan.expiresAt))")
    if r.needsEmergencyNotice { lines.append("WARNING: \(Referral.emergencyNotice)") }
    return lines.joined(separator: "\n")
}

/// With `--json` the summary is not shown, but a device left out is still named on stderr.
func warnSkipped(_ plan: LocalDevice.SendPlan, json: Bool) {
    guard json else { return }
    for d in plan.skipped {
        FileHandle.standardError.write(Data("relais: warning: device \(d.device) skipped: \(d.reason)\n".utf8))
    }
}

struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Seal a referral for every current device of the recipient organisations and send it.")
    @OptionGroup var options: ProfileOptions
    @Option(name: .customLong("to"), help: "Recipient organisation id (repeat for several).") var to: [String] = []
    @OptionGroup var referral: ReferralOptions
    @Option(help: "Days before the envelope expires (at most 30).") var expiresInDays: Int = 14
    @Flag(help: "Do not ask for confirmation.") var yes = false

    func run() async throws {
        try await guarded {
            guard (1...30).contains(expiresInDays) else { throw ValidationError("--expires-in-days must be 1 to 30") }
            let orgs = try to.map { t in
                guard let o = OrganisationID(hex: t) else { throw ValidationError("--to takes an organisation id (see `relais directory`)") }
                return o
            }
            let device = try options.open()
            _ = try await device.refresh()
            let plan = try await device.plan(referral: try referral.build(now: UInt64(Date().timeIntervalSince1970)), to: orgs,
                                             lifetime: UInt64(expiresInDays) * 86_400)
            if !options.json { FileHandle.standardError.write(Data((describe(plan) + "\n").utf8)) }
            warnSkipped(plan, json: options.json)
            try confirm("Send it?", yes: yes)
            let sealed = try await device.send(plan)
            try emit(options.json, ["envelopeId": sealed.header.envelopeID.hex, "devices": String(plan.devices.count)]) {
                "Sent: envelope \(sealed.header.envelopeID), sealed for \(plan.devices.count) device(s)."
            }
        }
    }
}

struct Inbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the envelopes waiting for this device.")
    @OptionGroup var options: ProfileOptions

    func run() async throws {
        try await guarded {
            let device = try options.open()
            _ = try await device.refresh()
            let items = try await device.inbox()
            if device.lastErasedByWithdrawal > 0, !options.json {
                FileHandle.standardError.write(Data("Erased \(device.lastErasedByWithdrawal) referral(s) kept under a consent the person withdrew.\n".utf8))
            }
            struct Out: Encodable { let envelopeId, senderDeviceId, senderOrganisationId: String; let size: Int; let submittedAt, expiresAt: UInt64 }
            try emit(options.json, items.map { Out(envelopeId: $0.envelopeID.hex, senderDeviceId: $0.senderDeviceID.hex,
                                                   senderOrganisationId: $0.senderOrganisationID.hex, size: $0.size,
                                                   submittedAt: $0.submittedAt, expiresAt: $0.expiresAt) }) {
                items.isEmpty ? "No envelope waiting." : items.map {
                    "\($0.envelopeID)  from organisation \($0.senderOrganisationID)  received \(date($0.submittedAt))  expires \(date($0.expiresAt))"
                }.joined(separator: "\n")
            }
        }
    }
}

struct Open: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch, verify and open an envelope; show the referral and keep it in the encrypted local store.")
    @OptionGroup var options: ProfileOptions
    @Argument(help: "The envelope id.") var id: String

    func run() async throws {
        try await guarded {
            guard let eid = EnvelopeID(hex: id) else { throw ValidationError("an envelope id is 32 hex digits") }
            let device = try options.open()
            let (r, sender, stored) = try await device.open(eid)
            if options.json {
                print(stored.referral)
                return
            }
            var lines: [String] = []
            if r.needsEmergencyNotice { lines.append("WARNING: \(Referral.emergencyNotice)") }
            lines.append("Referral \(eid) — \(r.kind.rawValue)\(r.inReplyTo.map { " (reply to \($0))" } ?? "")")
            lines.append("From:        \(r.sender.name), \(r.sender.role)\(r.sender.phone.map { ", \($0)" } ?? "")\(r.sender.email.map { ", \($0)" } ?? "")")
            lines.append("             device \(sender.identity.deviceID), signature verified, fingerprint \(sender.identity.fingerprint)")
            lines.append("Needs:       \(r.needs.map(\.rawValue).joined(separator: ", "))")
            lines.append("Person:      case \(r.person.casePseudonym)\(r.person.firstName.map { ", \($0)" } ?? ""); \(r.person.ageBand.rawValue); \(r.person.minorStatus.rawValue); languages \(r.person.languages.joined(separator: ", "))\(r.person.interpreterNeeded ? "; interpreter needed" : ""); status \(r.person.administrativeStatus.rawValue)")
            lines.append("Safety:      danger level \(r.safety.dangerLevel); \(r.safety.safeToCall ? "safe to call" : "NOT safe to call")")
            if let s = r.safety.safeContactInstructions { lines.append("Contact:     \(s)") }
            if let c = r.safety.codeWord { lines.append("Code word:   \(c)") }
            if let t = r.freeText { lines.append("Text:        \(t)") }
            lines.append("Covered by:  \(r.consent.kind == .childProtectionDeclaration ? "child-protection declaration" : "consent") \(r.consent.id)")
            lines.append("Expires:     \(date(stored.expiresAt)); kept locally \(device.settings.retentionDays) days. Acknowledge with `relais ack \(eid)`.")
            print(lines.joined(separator: "\n"))
        }
    }
}

struct Ack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Acknowledge an opened envelope; the relay deletes it once every addressed device has.")
    @OptionGroup var options: ProfileOptions
    @Argument(help: "The envelope id.") var id: String

    func run() async throws {
        try await guarded {
            guard let eid = EnvelopeID(hex: id) else { throw ValidationError("an envelope id is 32 hex digits") }
            let deleted = try await options.open().acknowledge(eid)
            try emit(options.json, ["envelopeId": eid.hex, "deletedFromRelay": String(deleted)]) {
                deleted ? "Acknowledged; every addressed device has it, so the relay deleted it." : "Acknowledged."
            }
        }
    }
}

struct Reply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reply to an opened referral, to the sender's organisation.")
    @OptionGroup var options: ProfileOptions
    @Argument(help: "The envelope id of the referral you answer.") var id: String
    @Option(help: "Your reply.") var text: String
    @Option(help: "Your name.") var senderName: String
    @Option(help: "Your role.") var senderRole: String
    @Option(help: "Your professional phone.") var senderPhone: String?
    @Flag(help: "Do not ask for confirmation.") var yes = false

    func run() async throws {
        try await guarded {
            guard let eid = EnvelopeID(hex: id) else { throw ValidationError("an envelope id is 32 hex digits") }
            let device = try options.open()
            _ = try await device.refresh()
            let plan = try await device.replyPlan(to: eid, text: text, contact: .init(name: senderName, role: senderRole, phone: senderPhone),
                                                  lifetime: 14 * 86_400)
            if !options.json { FileHandle.standardError.write(Data((describe(plan) + "\n").utf8)) }
            warnSkipped(plan, json: options.json)
            try confirm("Send this reply?", yes: yes)
            let sealed = try await device.send(plan)
            try emit(options.json, ["envelopeId": sealed.header.envelopeID.hex]) { "Reply sent: envelope \(sealed.header.envelopeID)." }
        }
    }
}
