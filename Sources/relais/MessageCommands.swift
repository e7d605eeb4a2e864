import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore


/// The person's situation (schema v2), each part only with the person's agreement.
struct SituationOptions: ParsableArguments {
    @Option(name: .customLong("exploitation"), help: ArgumentHelp(OptionHelp.exploitation.text))
    var exploitation: [Referral.ExploitationType] = []
    @Flag(inversion: .prefixedNo, help: ArgumentHelp(OptionHelp.inDangerLocally.text)) var inDangerLocally: Bool?
    @Flag(inversion: .prefixedNo, help: ArgumentHelp(OptionHelp.needsToMoveAway.text)) var needsToMoveAway: Bool?
    @Option(help: ArgumentHelp(OptionHelp.currentDepartement.text)) var currentDepartement: String?
    @Option(name: .customLong("avoid-departement"), help: ArgumentHelp(OptionHelp.avoidDepartement.text)) var avoid: [String] = []
    @Option(help: ArgumentHelp(OptionHelp.children.text + " (1–\(Referral.Limits.children))")) var children: Int?
    @Flag(inversion: .prefixedNo, help: ArgumentHelp(OptionHelp.childrenWithThePerson.text)) var childrenWithThePerson: Bool?
    @Flag(inversion: .prefixedNo, help: ArgumentHelp(OptionHelp.childrenAtRisk.text)) var childrenAtRisk: Bool?
    @Flag(inversion: .prefixedNo, help: ArgumentHelp(OptionHelp.threatsToRelatives.text)) var threatsToRelatives: Bool?
    @Flag(inversion: .prefixedNo, help: ArgumentHelp(OptionHelp.debt.text)) var debt: Bool?
    @Flag(inversion: .prefixedNo, help: ArgumentHelp(OptionHelp.documentsHeldByOthers.text)) var documentsHeldByOthers: Bool?
    @Flag(inversion: .prefixedNo, help: ArgumentHelp(OptionHelp.complaintFiled.text)) var complaintFiled: Bool?
    @Flag(inversion: .prefixedNo, help: ArgumentHelp(OptionHelp.pregnancy.text)) var pregnancy: Bool?
    @Option(help: ArgumentHelp(OptionHelp.interview.text)) var interview: Referral.Interview?

    /// Nil when no situation option was given.
    func build() throws -> Referral.Situation? {
        guard children != nil || (childrenWithThePerson == nil && childrenAtRisk == nil) else {
            throw ValidationError(Message.childrenFlagsNeedCount.text)
        }
        let situation = Referral.Situation(
            exploitationTypes: exploitation.isEmpty ? nil : exploitation,
            inDangerLocally: inDangerLocally, needsToMoveAway: needsToMoveAway, currentDepartement: currentDepartement,
            areasToAvoid: avoid.isEmpty ? nil : avoid,
            children: children.map { Referral.Children(count: $0, withThePerson: childrenWithThePerson, atRisk: childrenAtRisk) },
            threatsToRelatives: threatsToRelatives, debt: debt, identityDocumentsHeldByOthers: documentsHeldByOthers,
            complaintFiled: complaintFiled, pregnancy: pregnancy, interview: interview)
        return situation == Referral.Situation() ? nil : situation
    }
}

/// The lead professional, a minor's details and an exit-programme request (schema v2).
struct PathOptions: ParsableArguments {
    @Option(help: ArgumentHelp(OptionHelp.leadProfessional.text)) var leadProfessional: String?
    @Option(help: ArgumentHelp(OptionHelp.leadOrganisation.text)) var leadOrganisation: String?
    @Option(help: ArgumentHelp(OptionHelp.leadPhone.text)) var leadPhone: String?
    @Option(help: ArgumentHelp(OptionHelp.leadEmail.text)) var leadEmail: String?
    @Flag(help: ArgumentHelp(OptionHelp.unaccompaniedForeignMinor.text)) var unaccompaniedForeignMinor = false
    @Flag(name: .customLong("aged-16-with-complaint"),
          help: ArgumentHelp(OptionHelp.aged16WithComplaint.text))
    var aged16WithComplaint = false
    @Option(help: ArgumentHelp(OptionHelp.exitRequest.text)) var exitRequest: Referral.ExitProgramme.Request?
    @Option(help: ArgumentHelp(OptionHelp.monthsUsed.text)) var monthsUsed: Int?
    @Option(help: ArgumentHelp(OptionHelp.exitDepartement.text)) var departement: String?

    func leadProfessionalValue() throws -> Referral.LeadProfessional? {
        guard let leadProfessional else {
            guard leadOrganisation == nil, leadPhone == nil, leadEmail == nil else {
                throw ValidationError(Message.leadFlagsNeedName.text)
            }
            return nil
        }
        return .init(name: leadProfessional, organisation: leadOrganisation, phone: leadPhone, email: leadEmail)
    }

    func minorDetails() -> Referral.MinorDetails? {
        unaccompaniedForeignMinor || aged16WithComplaint
            ? .init(unaccompaniedForeign: unaccompaniedForeignMinor, aged16OrMoreWithComplaint: aged16WithComplaint) : nil
    }

    func exitProgramme(for kind: Referral.Kind) throws -> Referral.ExitProgramme? {
        guard kind == .exitProgrammeRequest else {
            guard exitRequest == nil, monthsUsed == nil, departement == nil else {
                throw ValidationError(Message.exitFlagsOnlyExit.text)
            }
            return nil
        }
        guard let exitRequest, let departement else {
            throw ValidationError(Message.exitRequestNeeds.text)
        }
        return .init(request: exitRequest, monthsAlreadyUsed: monthsUsed ?? 0, departement: departement)
    }
}

/// What a referral says, from flags (or a JSON file).
struct ReferralOptions: ParsableArguments {
    @Option(help: ArgumentHelp(OptionHelp.file.text)) var file: String?
    /// Nil: an orientation, unless guided mode learns otherwise from the consent or declaration chosen.
    @Option(help: ArgumentHelp(OptionHelp.kind.text)) var kind: Referral.Kind?
    @Option(name: .customLong("need"), help: ArgumentHelp(OptionHelp.need.text))
    var needs: [Referral.Need] = []
    @Option(name: .customLong("case"),
            help: ArgumentHelp(OptionHelp.caseLabel.text))
    var caseLabel: String?
    @Option(help: ArgumentHelp(OptionHelp.firstName.text)) var firstName: String?
    @Option(help: ArgumentHelp(OptionHelp.ageBand.text)) var ageBand: Referral.AgeBand = .unknown
    @Option(help: ArgumentHelp(OptionHelp.minorStatus.text)) var minorStatus: Referral.MinorStatus?
    @Option(name: .customLong("language"), help: ArgumentHelp(OptionHelp.language.text)) var languages: [String] = []
    @Flag(help: ArgumentHelp(OptionHelp.interpreter.text)) var interpreter = false
    @Option(help: ArgumentHelp(OptionHelp.administrativeStatus.text)) var administrativeStatus: Referral.AdministrativeStatus = .unknown
    @Option(help: ArgumentHelp(OptionHelp.danger.text)) var danger: Int = 0
    @Flag(inversion: .prefixedNo, help: ArgumentHelp(OptionHelp.safeToCall.text)) var safeToCall = false
    @Option(help: ArgumentHelp(OptionHelp.safeContact.text)) var safeContact: String?
    @Option(help: ArgumentHelp(OptionHelp.codeWord.text)) var codeWord: String?
    @Option(help: ArgumentHelp(OptionHelp.text.text)) var text: String?
    @Option(help: ArgumentHelp(OptionHelp.consent.text)) var consent: String?
    @Option(help: ArgumentHelp(OptionHelp.childProtectionDeclaration.text)) var childProtectionDeclaration: String?
    @Option(help: ArgumentHelp(OptionHelp.senderName.text)) var senderName: String?
    @Option(help: ArgumentHelp(OptionHelp.senderRole.text)) var senderRole: String?
    @Option(help: ArgumentHelp(OptionHelp.senderPhone.text)) var senderPhone: String?
    @Option(help: ArgumentHelp(OptionHelp.senderEmail.text)) var senderEmail: String?
    @OptionGroup var situation: SituationOptions
    @OptionGroup var path: PathOptions
    @OptionGroup var attachments: AttachmentOptions

    /// The minor status is always stated (the guide: minors hide their age; a doubt is `allegedMinor`);
    /// at a terminal it is asked (`Guided`) before the referral is built.
    func validate() throws {
        guard file != nil || minorStatus != nil || Guided.isInteractive else {
            throw ValidationError(Message.minorStatusRequired.text)
        }
    }

    /// The referral, and the local case label it was written for. The person is named by the
    /// consent's subject pseudonym: `--case` must be the consent's person (`requireSameSubject`);
    /// under a child-protection declaration, the case's pseudonym. With `--file`, `--case` is
    /// optional: given, it must name the file's person (then `relais cases` shows the send under it).
    func build(now: UInt64, device: LocalDevice) throws -> (referral: Referral, caseLabel: String?) {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw LocalError.notFound(Message.cannotRead(file).text) }
            let referral = try attachments.adding(to: Referral.decode(Array(data)))
            guard let caseLabel else { return (referral, nil) }
            guard let subject = referral.person.subjectPseudonym,
                  try device.subjectPseudonym(caseID: caseLabel) == subject else {
                throw ValidationError(Message.caseNotFileSubject.text)
            }
            return (referral, caseLabel)
        }
        let k = kind ?? .orientation
        guard k != .reply else { throw ValidationError(Message.kindNotReply.text) }
        let parsedNeeds = needs
        guard let caseLabel else { throw ValidationError(Message.caseRequired.text) }
        let age = ageBand
        guard let minor = minorStatus, minor != .unknown else { throw ValidationError(Message.minorStatusRequired.text) }
        let admin = administrativeStatus
        let reference: ConsentReference
        switch (consent, childProtectionDeclaration) {
        case let (c?, nil):
            let id = try device.resolveConsentID(c)
            reference = ConsentReference(kind: k == .exitProgrammeRequest ? .exitProgrammeConsent : .consent, id: id)
        case let (nil, d?):
            let id = try device.resolveDeclarationID(d)
            reference = ConsentReference(kind: .childProtectionDeclaration, id: id)
        default:
            throw ValidationError(Message.coverRequired.text)
        }
        guard let senderName, let senderRole else { throw ValidationError(Message.senderRequired.text) }
        let situation = try situation.build()
        let lead = try path.leadProfessionalValue()
        let exitProgramme = try path.exitProgramme(for: k)
        let subject = try Self.subject(of: caseLabel, under: reference, on: device)
        let referral = Referral(kind: k, needs: parsedNeeds,
                                person: .init(subjectPseudonym: subject, firstName: firstName, ageBand: age, minorStatus: minor,
                                              languages: languages.isEmpty ? ["fr"] : languages, interpreterNeeded: interpreter,
                                              administrativeStatus: admin),
                                safety: .init(dangerLevel: danger, safeContactInstructions: safeContact, safeToCall: safeToCall, codeWord: codeWord),
                                freeText: text, attachments: try attachments.build(), consent: reference,
                                sender: .init(name: senderName, role: senderRole, phone: senderPhone, email: senderEmail), createdAt: now,
                                situation: situation, leadProfessional: lead, minor: path.minorDetails(), exitProgramme: exitProgramme)
        return (referral, caseLabel)
    }

    /// The subject pseudonym of the case `label`: the consent's own when `label` names its person
    /// (refused in French otherwise). A consent not recorded here is left to `plan`, which refuses
    /// it with the cover rule's words; a child-protection report names the case's pseudonym.
    static func subject(of label: String, under reference: ConsentReference, on device: LocalDevice) throws -> String {
        guard reference.kind != .childProtectionDeclaration, let (record, _) = try? device.consent(reference.id) else {
            return try device.subjectPseudonym(caseID: label)
        }
        return try device.requireSameSubject(caseID: label, consent: record)
    }
}

/// Pads a label to `width` columns (at least one space after it).
func labelled(_ label: String, _ value: String, width: Int) -> String {
    label + String(repeating: " ", count: max(1, width - label.count)) + value
}

/// Who the referral is about: v2's subject pseudonym (its first 16 hex digits), v1's case pseudonym.
func personName(_ p: Referral.Person) -> String {
    p.subjectPseudonym.map { Message.pseudonym(String($0.prefix(16))).text } ?? Message.caseSubject(p.subject).text
}

/// What schema v2 adds to a referral, as labelled lines in the interface language: situation,
/// lead professional, a minor's details, the exit-programme request, the outcome. `full` shows the
/// outcome's note (`open`); the pre-send summary gives its length only, as for the free text.
func v2Details(_ r: Referral, full: Bool) -> [(label: String, value: String)] {
    let l = Messages.language
    func yes(_ b: Bool) -> String { Message.yesNo(b).text }
    func part(_ p: ReferralSituationPart, _ value: String) -> String { Message.situationParts(p, value).text }
    var out: [(String, String)] = []
    if let s = r.situation {
        var parts: [String] = []
        if let t = s.exploitationTypes { parts.append(part(.exploitation, t.map { $0.label(l) }.joined(separator: ", "))) }
        if let b = s.inDangerLocally { parts.append(part(.inDanger, yes(b))) }
        if let b = s.needsToMoveAway { parts.append(part(.moveAway, yes(b))) }
        if let d = s.currentDepartement { parts.append(part(.currentDepartement, d)) }
        if let a = s.areasToAvoid { parts.append(part(.avoid, a.joined(separator: ", "))) }
        if let c = s.children {
            let more = [c.withThePerson.map { part(.childrenWith, yes($0)) }, c.atRisk.map { part(.childrenAtRisk, yes($0)) }].compactMap { $0 }
            parts.append(part(.children, "\(c.count)\(more.isEmpty ? "" : " (\(more.joined(separator: ", ")))")"))
        }
        if let b = s.threatsToRelatives { parts.append(part(.threats, yes(b))) }
        if let b = s.debt { parts.append(part(.debt, yes(b))) }
        if let b = s.identityDocumentsHeldByOthers { parts.append(part(.documents, yes(b))) }
        if let b = s.complaintFiled { parts.append(part(.complaint, yes(b))) }
        if let b = s.pregnancy { parts.append(part(.pregnancy, yes(b))) }
        if let i = s.interview { parts.append(part(.interview, i.label(l))) }
        for (i, p) in parts.enumerated() { out.append((i == 0 ? Message.field(.situation).text : "", p)) }
    }
    if let lead = r.leadProfessional {
        out.append((Message.field(.lead).text, ([lead.name] + [lead.organisation, lead.phone, lead.email].compactMap { $0 }).joined(separator: ", ")))
    }
    if let m = r.minor {
        out.append((Message.field(.minor).text, Message.minorLine(unaccompanied: m.unaccompaniedForeign, aged16WithComplaint: m.aged16OrMoreWithComplaint).text))
    }
    if let e = r.exitProgramme {
        out.append((Message.field(.exitProgramme).text,
                    Message.exitLine(first: e.request == .first, months: e.monthsAlreadyUsed, departement: e.departement).text))
    }
    if let o = r.outcome {
        out.append((Message.field(.outcome).text, describeOutcome(o)))
        if let note = o.note { out.append((Message.field(.note).text, full ? note : Message.characters(note.count).text)) }
    }
    return out
}

/// The summary shown before sealing: what will be shared, with whom, on which devices, in the
/// interface language with labels.
func describe(_ plan: LocalDevice.SendPlan) -> String {
    let r = plan.referral
    let l = Messages.language
    func line(_ field: ReferralField, _ value: String) -> String { "  " + labelled(Message.field(field).text, value, width: 15) }
    var lines = [Message.aboutToSend(kind: r.kind.label(l)).text]
    lines.append(line(.needs, r.needs.map { $0.label(l) }.joined(separator: ", ")))
    lines.append(line(.person, Message.personLine(name: personName(r.person), firstName: r.person.firstName, age: r.person.ageBand.label(l),
                                                  minor: r.person.minorStatus.label(l), languages: nil, interpreter: false, status: nil).text))
    lines.append(line(.safety, Message.safetyLine(level: r.safety.dangerLevel, safeToCall: r.safety.safeToCall).text))
    lines += v2Details(r, full: false).map { "  " + labelled($0.label, $0.value, width: 15) }
    lines.append(line(.freeText, Message.freeTextSummary(characters: r.freeText?.count, attachments: r.attachments.count).text))
    lines += SaveOptions.listing(r).map { "    " + $0 }
    lines.append(line(.coveredBy, Message.coveredBy(declaration: r.consent.kind == .childProtectionDeclaration, id: r.consent.id.hex).text))
    for o in plan.organisations {
        lines.append(line(.to, Message.recipientLine(name: o.name, category: o.category.label(l), departements: o.departements).text))
    }
    for d in plan.devices {
        lines.append("    " + Message.deviceLine(id: d.identity.deviceID.hex, fingerprint: "\(d.identity.fingerprint)").text)
    }
    for d in plan.skipped {
        lines.append("    " + Message.deviceSkipped(id: d.device.hex, reason: d.reason).text)
    }
    let now = UInt64(Date().timeIntervalSince1970)
    lines.append(line(.expires, "\(date(plan.expiresAt)), \(LocalTime.relative(plan.expiresAt, now: now))"))
    if r.needsEmergencyNotice { lines.append(Message.emergencyNotice.text) }
    return lines.joined(separator: "\n")
}

/// With `--json` the summary is not shown, but a device left out is still named on stderr.
func warnSkipped(_ plan: LocalDevice.SendPlan, json: Bool) {
    guard json else { return }
    for d in plan.skipped {
        FileHandle.standardError.write(Data((Message.deviceSkippedWarning(id: d.device.hex, reason: d.reason).text + "\n").utf8))
    }
}

struct Send: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.sendAbstract.text, discussion: Message.guidedDiscussion.text) }
    @OptionGroup var options: ProfileOptions
    @Option(name: .customLong("to"), help: ArgumentHelp(OptionHelp.to.text)) var to: [String] = []
    @OptionGroup var referral: ReferralOptions
    @Option(help: ArgumentHelp(OptionHelp.expiresInDays.text)) var expiresInDays: Int = 14
    @Flag(help: ArgumentHelp(Message.yesHelp.text)) var yes = false

    mutating func run() async throws {
        try await guarded {
            guard (1...30).contains(expiresInDays) else { throw ValidationError(Message.expiresRange.text) }
            try Guided.refuseMissing(missing.map(\.rawValue))
            let device = try options.open()
            _ = try await device.refresh()
            try await askMissing(device)
            let orgs = try await device.resolveOrganisations(to)
            let (built, caseLabel) = try referral.build(now: UInt64(Date().timeIntervalSince1970), device: device)
            let plan = try await device.plan(referral: built, to: orgs, lifetime: UInt64(expiresInDays) * 86_400)
            if !options.json { FileHandle.standardError.write(Data((describe(plan) + "\n").utf8)) }
            warnSkipped(plan, json: options.json)
            try confirm(Message.sendQuestion.text, yes: yes)
            let sealed = try await device.send(plan)
            if let caseLabel, let subject = built.person.subjectPseudonym { try device.rememberCase(label: caseLabel, subject: subject) }
            try emit(options.json, ["envelopeId": sealed.header.envelopeID.hex, "devices": String(plan.devices.count)]) {
                Message.sent(id: sealed.header.envelopeID.short, devices: plan.devices.count).text
            }
        }
    }
}

struct Inbox: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.inboxAbstract.text) }
    @OptionGroup var options: ProfileOptions

    func run() async throws {
        try await guarded {
            let device = try options.open()
            _ = try await device.refresh()
            let items = try await device.inbox()
            if device.lastErasedByWithdrawal > 0, !options.json {
                FileHandle.standardError.write(Data((Message.erasedByWithdrawal(device.lastErasedByWithdrawal).text + "\n").utf8))
            }
            // Names from the verified directory, so that nobody has to read an organisation's id.
            let names = items.isEmpty ? [:] : try await device.organisationNames()
            struct Out: Encodable {
                let envelopeId, senderDeviceId, senderOrganisationId: String
                let senderOrganisation, kind: String?
                let size: Int
                let submittedAt, expiresAt: UInt64
            }
            try emit(options.json, items.map { Out(envelopeId: $0.envelopeID.hex, senderDeviceId: $0.senderDeviceID.hex,
                                                   senderOrganisationId: $0.senderOrganisationID.hex, senderOrganisation: names[$0.senderOrganisationID],
                                                   kind: $0.coverKind?.identifier, size: $0.size,
                                                   submittedAt: $0.submittedAt, expiresAt: $0.expiresAt) }) {
                items.isEmpty ? Message.noEnvelope.text : items.map {
                    Message.inboxLine(id: $0.envelopeID.short, from: names[$0.senderOrganisationID] ?? $0.senderOrganisationID.short,
                                      kind: $0.coverKind?.label(Messages.language), received: date($0.submittedAt),
                                      expires: LocalTime.expiry($0.expiresAt, now: UInt64(Date().timeIntervalSince1970)) + " (\(date($0.expiresAt)))").text
                }.joined(separator: "\n")
            }
        }
    }
}

struct Open: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.openAbstract.text) }
    @OptionGroup var options: ProfileOptions
    @Argument(help: ArgumentHelp(OptionHelp.envelopeId.text)) var id: String
    @OptionGroup var saving: SaveOptions

    func run() async throws {
        try await guarded {
            let device = try options.open()
            let eid = try await device.resolveEnvelopeID(id, inbox: true)
            let (r, sender, stored) = try await device.open(eid)
            let saved = try saving.write(r)
            // What the consent it travels under does not cover (SPEC.md, "Consent records"): kept and shown, not refused.
            let attention = (stored.consentFlags ?? []).map { Message.attention($0.message).text } + SaveOptions.flags(r)
            if options.json {
                print(try saving.json(stored.referral, r, saved: saved))
                if !attention.isEmpty { FileHandle.standardError.write(Data((attention.joined(separator: "\n") + "\n").utf8)) }
                return
            }
            var lines: [String] = []
            let l = Messages.language
            func line(_ field: ReferralField, _ value: String) -> String { labelled(Message.field(field).text, value, width: 15) }
            if r.needsEmergencyNotice { lines.append(Message.emergencyNotice.text) }
            lines += attention
            lines.append(Message.referralHeading(id: eid.short, kind: r.kind.label(l), replyTo: r.inReplyTo?.short).text)
            lines.append(line(.from, "\(r.sender.name), \(r.sender.role)\(r.sender.phone.map { ", \($0)" } ?? "")\(r.sender.email.map { ", \($0)" } ?? "")"))
            lines.append(labelled("", Message.verifiedSender(device: sender.identity.deviceID.hex, fingerprint: "\(sender.identity.fingerprint)").text, width: 15))
            lines.append(line(.needs, r.needs.map { $0.label(l) }.joined(separator: ", ")))
            lines.append(line(.person, Message.personLine(name: personName(r.person), firstName: r.person.firstName, age: r.person.ageBand.label(l),
                                                          minor: r.person.minorStatus.label(l), languages: r.person.languages,
                                                          interpreter: r.person.interpreterNeeded, status: r.person.administrativeStatus.label(l)).text))
            lines.append(line(.safety, Message.safetyLine(level: r.safety.dangerLevel, safeToCall: r.safety.safeToCall).text))
            if let s = r.safety.safeContactInstructions { lines.append(line(.contact, s)) }
            if let c = r.safety.codeWord { lines.append(line(.codeWord, c)) }
            lines += v2Details(r, full: true).map { labelled($0.label, $0.value, width: 15) }
            if let t = r.freeText { lines.append(line(.text, t)) }
            lines += saving.lines(r, saved: saved)
            lines.append(line(.coveredBy, Message.coveredBy(declaration: r.consent.kind == .childProtectionDeclaration, id: r.consent.id.hex).text))
            lines.append(line(.expires, Message.openExpires(date: date(stored.expiresAt),
                                                            relative: LocalTime.expiry(stored.expiresAt, now: UInt64(Date().timeIntervalSince1970)),
                                                            retentionDays: device.settings.retentionDays, ack: eid.short).text))
            print(lines.joined(separator: "\n"))
        }
    }
}

struct Ack: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.ackAbstract.text) }
    @OptionGroup var options: ProfileOptions
    @Argument(help: ArgumentHelp(OptionHelp.envelopeId.text)) var id: String

    func run() async throws {
        try await guarded {
            let device = try options.open()
            let eid = try await device.resolveEnvelopeID(id, inbox: false)
            let deleted = try await device.acknowledge(eid)
            try emit(options.json, ["envelopeId": eid.hex, "deletedFromRelay": String(deleted)]) {
                Message.acknowledged(deleted: deleted).text
            }
        }
    }
}

/// What a reply says happened (schema v2's outcome), from flags.
struct OutcomeOptions: ParsableArguments {
    @Option(help: ArgumentHelp(OptionHelp.outcome.text))
    var outcome: Referral.Outcome.Status?
    @Option(help: ArgumentHelp(OptionHelp.appointmentAt.text))
    var appointmentAt: String?
    @Option(help: ArgumentHelp(OptionHelp.reason.text)) var reason: String?
    @Option(help: ArgumentHelp(OptionHelp.reorientedTo.text))
    var reorientedTo: String?
    @Option(help: ArgumentHelp(OptionHelp.opinion.text)) var opinion: Referral.Outcome.Opinion?
    @Option(help: ArgumentHelp(OptionHelp.decision.text)) var decision: Referral.Outcome.Decision?
    @Option(help: ArgumentHelp(OptionHelp.note.text)) var note: String?

    /// The flag of each outcome field (`Referral.Outcome.requiredField` is the rule).
    static func flag(_ field: Referral.Outcome.Field) -> String {
        "--" + field.rawValue.reduce(into: "") { $0 += $1.isUppercase ? "-" + $1.lowercased() : String($1) }
    }

    /// Nil without `--outcome` (then no other outcome flag may be given).
    func build(on device: LocalDevice) async throws -> Referral.Outcome? {
        guard let outcome else {
            guard appointmentAt == nil, reason == nil, reorientedTo == nil, opinion == nil, decision == nil, note == nil else {
                throw ValidationError(Message.outcomeFlagsNeedOutcome.text)
            }
            return nil
        }
        let status = outcome
        // What the flags give, before the organisation is resolved: the rule names the missing flag first.
        let given = Referral.Outcome(status: status, appointmentAt: appointmentAt == nil ? nil : 0, reason: reason,
                                     reorientedTo: reorientedTo == nil ? nil : OrganisationID(bytes: [UInt8](repeating: 0, count: 16))!,
                                     opinion: opinion, decision: decision)
        if let field = Referral.Outcome.requiredField(for: status), !given.has(field) {
            throw ValidationError(Message.outcomeNeeds(status: status.label(Messages.language), flag: Self.flag(field)).text)
        }
        var reoriented: OrganisationID?
        if let reorientedTo { reoriented = try await device.resolveOrganisation(reorientedTo) }
        return Referral.Outcome(status: status, appointmentAt: try appointmentAt.map(Self.time), reason: reason, reorientedTo: reoriented,
                                opinion: opinion, decision: decision,
                                note: note)
    }

    /// Unix seconds from ISO 8601 (with its offset) or from « AAAA-MM-JJ HH:MM » in local time.
    static func time(_ text: String) throws -> UInt64 {
        if let d = ISO8601DateFormatter().date(from: text) { return UInt64(max(0, d.timeIntervalSince1970)) }
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = .current
        for format in ["yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"] {
            local.dateFormat = format
            if let d = local.date(from: text) { return UInt64(max(0, d.timeIntervalSince1970)) }
        }
        throw ValidationError(Message.notADateTime(text).text)
    }
}

struct Reply: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.replyAbstract.text, discussion: Message.guidedDiscussion.text) }
    @OptionGroup var options: ProfileOptions
    @Argument(help: ArgumentHelp(OptionHelp.replyEnvelopeId.text)) var id: String?
    @OptionGroup var outcome: OutcomeOptions
    @Option(help: ArgumentHelp(OptionHelp.replyText.text)) var text: String?
    @Option(help: ArgumentHelp(OptionHelp.yourName.text)) var senderName: String?
    @Option(help: ArgumentHelp(OptionHelp.yourRole.text)) var senderRole: String?
    @Option(help: ArgumentHelp(OptionHelp.yourPhone.text)) var senderPhone: String?
    @Flag(help: ArgumentHelp(Message.yesHelp.text)) var yes = false


    mutating func run() async throws {
        try await guarded {
            try Guided.refuseMissing(missing.map(\.rawValue))
            let device = try options.open()
            _ = try await device.refresh()
            try await askMissing(device)
            let eid = try await device.resolveEnvelopeID(try Guided.given(id, Field.envelope.rawValue), inbox: false)
            let said = try await outcome.build(on: device)
            let contact = Referral.SenderContact(name: try Guided.given(senderName, Field.senderName.rawValue),
                                          role: try Guided.given(senderRole, Field.senderRole.rawValue), phone: senderPhone)
            let plan = try await device.replyPlan(to: eid, text: text, outcome: said, contact: contact, lifetime: 14 * 86_400)
            if !options.json { FileHandle.standardError.write(Data((describe(plan) + "\n").utf8)) }
            warnSkipped(plan, json: options.json)
            try confirm(Message.replyQuestion.text, yes: yes)
            let sealed = try await device.send(plan)
            try emit(options.json, ["envelopeId": sealed.header.envelopeID.hex]) { Message.replySent(id: sealed.header.envelopeID.short).text }
        }
    }
}

extension Send {
    /// The fields a referral cannot go without, by the option that gives each, in the order guided mode asks them.
    enum Field: String { case caseLabel = "--case", cover = "--consent", to = "--to", needs = "--need", minorStatus = "--minor-status",
                              senderName = "--sender-name", senderRole = "--sender-role" }

    /// The required fields not given (a `--file` referral says everything but its recipients).
    var missing: [Field] {
        let r = referral
        if r.file != nil { return to.isEmpty ? [.to] : [] }
        let absent: [(Bool, Field)] = [(r.caseLabel == nil, .caseLabel), (r.consent == nil && r.childProtectionDeclaration == nil, .cover),
                                       (to.isEmpty, .to), (r.needs.isEmpty, .needs), (r.minorStatus == nil, .minorStatus),
                                       (r.senderName == nil, .senderName), (r.senderRole == nil, .senderRole)]
        return absent.filter(\.0).map(\.1)
    }

    /// What a send rests on, as guided mode offers it: a consent or a declaration made here.
    enum Cover {
        case consent(ConsentRecord)
        case declaration(ChildProtectionDeclaration)

        var consent: ConsentRecord? { if case let .consent(c) = self { c } else { nil } }
    }

    /// At a terminal, asks each missing field (`Guided`), then the free text, and fills the options
    /// with the answers: the consent or declaration among the case's valid ones here, what it
    /// implies (`askImplied`), the recipients and needs among those it covers. `build` and `plan`
    /// check the result as they check typed options.
    mutating func askMissing(_ device: LocalDevice) async throws {
        let missing = self.missing
        let exitAsked = referral.kind == .exitProgrammeRequest && (referral.path.exitRequest == nil || referral.path.departement == nil)
        guard Guided.isInteractive, !missing.isEmpty || (referral.file == nil && exitAsked) else { return }
        let l = Messages.language
        var cover = try await givenCover(device)
        if referral.file == nil, !missing.contains(.cover) { try askImplied(by: cover) }
        for field in missing {
            switch field {
            case .caseLabel: referral.caseLabel = try Guided.text(.caseLabel)
            case .cover:
                let chosen = try await chooseCover(device)
                switch chosen {
                case let .consent(c): referral.consent = c.consentId.hex
                case let .declaration(d): referral.childProtectionDeclaration = d.declarationId.hex
                }
                cover = chosen
                try askImplied(by: chosen)
            case .to:
                let own = device.settings.organisationId
                let directory = try await device.organisations().filter { $0.id != own }
                let offered: [OrganisationRecord]
                switch cover {
                case .declaration?: offered = directory.filter { ChildProtectionDeclaration.allowedRecipients.contains($0.category) }
                case let .consent(c)?:
                    let covered = directory.filter { c.recipientOrganisations.contains($0.id) || c.recipientCategories.contains($0.category) }
                    offered = covered.isEmpty ? directory : covered
                case nil: offered = directory
                }
                to = try Guided.choose(.recipients, offered.map {
                    Guided.Choice(Message.recipientLine(name: $0.name, category: $0.category.label(l), departements: $0.departements).text,
                                  forms: [LabelFolding.fold($0.name), $0.id.hex], value: $0.id.hex)
                }, several: true)
            case .needs:
                referral.needs = try Guided.choose(.needs, Guided.choices(cover?.consent?.purposes ?? Referral.Need.allCases), several: true)
                // The request is named by its need: added when the answer left it out.
                if referral.kind == .exitProgrammeRequest, !referral.needs.contains(.exitProgramme) { referral.needs.insert(.exitProgramme, at: 0) }
            case .minorStatus:
                let kind = referral.kind ?? .orientation
                referral.minorStatus = try Guided.choose(.minorStatus, Guided.choices(Referral.MinorStatus.allCases.filter { Self.allows(kind, $0) }))[0]
            case .senderName: referral.senderName = try Guided.text(.senderName)
            case .senderRole: referral.senderRole = try Guided.text(.senderRole)
            }
        }
        if referral.file == nil, referral.text == nil { referral.text = try Guided.text(.text, optional: true) }
    }
}

extension Reply {
    /// The fields a reply cannot go without, by the argument or option that gives each.
    enum Field: String { case envelope = "<id>", senderName = "--sender-name", senderRole = "--sender-role" }

    var missing: [Field] {
        [(id == nil, Field.envelope), (senderName == nil, .senderName), (senderRole == nil, .senderRole)].filter(\.0).map(\.1)
    }

    /// At a terminal, asks each missing field (the referral among those opened here), then the
    /// outcome with the detail its status requires, and the text; `OutcomeOptions.build` and
    /// `replyPlan` check the answers as they check typed options.
    mutating func askMissing(_ device: LocalDevice) async throws {
        let missing = self.missing
        guard Guided.isInteractive, !missing.isEmpty else { return }
        let l = Messages.language
        for field in missing {
            switch field {
            case .envelope:
                let names = Dictionary(try await device.organisations().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
                let opened = device.openedReferrals.compactMap { o in (try? Referral.decode(Array(o.referral.utf8))).map { (o, $0) } }
                    .filter { $0.1.kind != .reply }.sorted { $0.0.openedAt > $1.0.openedAt }
                guard !opened.isEmpty else { throw LocalError.usage(Message.guidedNothingToAnswer.text) }
                id = try Guided.choose(.envelope, opened.map { o, r in
                    Guided.Choice(Message.guidedReferralChoice(id: o.envelopeId.short, kind: r.kind.label(l),
                                                               from: o.senderOrganisationId.flatMap { names[$0] } ?? r.sender.name,
                                                               opened: date(o.openedAt)).text,
                                  forms: [o.envelopeId.short, o.envelopeId.hex], value: o.envelopeId.hex)
                })[0]
            case .senderName: senderName = try Guided.text(.senderName)
            case .senderRole: senderRole = try Guided.text(.senderRole)
            }
        }
        if outcome.outcome == nil, let status = try Guided.choose(.outcome, Guided.choices(Referral.Outcome.Status.allCases), optional: true).first {
            outcome.outcome = status
            switch Referral.Outcome.requiredField(for: status) {
            case .appointmentAt?: outcome.appointmentAt = try Guided.text(.appointmentAt) { _ = try OutcomeOptions.time($0); return $0 }
            case .reason?: outcome.reason = try Guided.text(.reason)
            case .reorientedTo?:
                let directory = try await device.organisations()
                outcome.reorientedTo = try Guided.text(.reorientedTo) { _ = try NameResolution.organisation($0, in: directory); return $0 }
            case .opinion?: outcome.opinion = try Guided.choose(.opinion, Guided.choices(Referral.Outcome.Opinion.allCases))[0]
            case .decision?: outcome.decision = try Guided.choose(.decision, Guided.choices(Referral.Outcome.Decision.allCases))[0]
            case nil: break
            }
        }
        if text == nil { text = try Guided.text(.text, optional: true) }
    }
}
