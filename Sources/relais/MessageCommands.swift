import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

/// Parses an enumerated option's identifier (the French labels come with issue 16).
func choice<E: RawRepresentable & CaseIterable>(_ value: String, _ flag: String) throws -> E where E.RawValue == String {
    guard let v = E(rawValue: value) else {
        throw ValidationError("\(flag) : « \(value) » n'est pas une valeur connue (valeurs : \(E.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    return v
}

/// The person's situation (schema v2), each part only with the person's agreement.
struct SituationOptions: ParsableArguments {
    @Option(name: .customLong("exploitation"),
            help: "Type d'exploitation (répéter) : \(Referral.ExploitationType.allCases.map(\.rawValue).joined(separator: ", ")).")
    var exploitation: [String] = []
    @Flag(inversion: .prefixedNo, help: "La personne est en danger là où elle se trouve.") var inDangerLocally: Bool?
    @Flag(inversion: .prefixedNo, help: "La personne doit s'éloigner géographiquement.") var needsToMoveAway: Bool?
    @Option(help: "Le département où se trouve la personne (75, 2A, 971).") var currentDepartement: String?
    @Option(name: .customLong("avoid-departement"), help: "Un département où la personne ne doit pas aller (répéter).") var avoid: [String] = []
    @Option(help: "Nombre d'enfants (1 à \(Referral.Limits.children)).") var children: Int?
    @Flag(inversion: .prefixedNo, help: "Les enfants sont avec la personne (avec --children).") var childrenWithThePerson: Bool?
    @Flag(inversion: .prefixedNo, help: "Les enfants sont en danger (avec --children).") var childrenAtRisk: Bool?
    @Flag(inversion: .prefixedNo, help: "Des proches sont menacés.") var threatsToRelatives: Bool?
    @Flag(inversion: .prefixedNo, help: "La personne doit rembourser une dette.") var debt: Bool?
    @Flag(inversion: .prefixedNo, help: "Quelqu'un d'autre détient ses papiers d'identité.") var documentsHeldByOthers: Bool?
    @Flag(inversion: .prefixedNo, help: "La personne a déposé plainte.") var complaintFiled: Bool?
    @Flag(inversion: .prefixedNo, help: "La personne est enceinte.") var pregnancy: Bool?
    @Option(help: "Entretien : \(Referral.Interview.allCases.map(\.rawValue).joined(separator: ", ")).") var interview: String?

    /// Nil when no situation option was given.
    func build() throws -> Referral.Situation? {
        guard children != nil || (childrenWithThePerson == nil && childrenAtRisk == nil) else {
            throw ValidationError("--children-with-the-person et --children-at-risk vont avec --children N (le nombre d'enfants)")
        }
        let situation = Referral.Situation(
            exploitationTypes: exploitation.isEmpty ? nil : try exploitation.map { try choice($0, "--exploitation") },
            inDangerLocally: inDangerLocally, needsToMoveAway: needsToMoveAway, currentDepartement: currentDepartement,
            areasToAvoid: avoid.isEmpty ? nil : avoid,
            children: children.map { Referral.Children(count: $0, withThePerson: childrenWithThePerson, atRisk: childrenAtRisk) },
            threatsToRelatives: threatsToRelatives, debt: debt, identityDocumentsHeldByOthers: documentsHeldByOthers,
            complaintFiled: complaintFiled, pregnancy: pregnancy, interview: try interview.map { try choice($0, "--interview") })
        return situation == Referral.Situation() ? nil : situation
    }
}

/// The lead professional, a minor's details and an exit-programme request (schema v2).
struct PathOptions: ParsableArguments {
    @Option(help: "Le·la professionnel·le référent·e de parcours (nom).") var leadProfessional: String?
    @Option(help: "Sa structure.") var leadOrganisation: String?
    @Option(help: "Son téléphone professionnel.") var leadPhone: String?
    @Option(help: "Son courriel professionnel.") var leadEmail: String?
    @Flag(help: "Mineur·e isolé·e étranger·ère.") var unaccompaniedForeignMinor = false
    @Flag(name: .customLong("aged-16-with-complaint"),
          help: "Mineur·e de 16 ans ou plus qui a porté plainte pour traite ou proxénétisme (carte de séjour temporaire).")
    var aged16WithComplaint = false
    @Option(help: "Parcours de sortie (--kind exitProgrammeRequest) : first (première demande) ou renewal (renouvellement).") var exitRequest: String?
    @Option(help: "Parcours de sortie : mois déjà accomplis (0 pour une première demande).") var monthsUsed: Int?
    @Option(help: "Parcours de sortie : le département de la personne, dont la commission examine la demande.") var departement: String?

    func leadProfessionalValue() throws -> Referral.LeadProfessional? {
        guard let leadProfessional else {
            guard leadOrganisation == nil, leadPhone == nil, leadEmail == nil else {
                throw ValidationError("--lead-organisation, --lead-phone et --lead-email vont avec --lead-professional NOM")
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
                throw ValidationError("--exit-request, --months-used et --departement sont pour une demande de parcours de sortie (--kind exitProgrammeRequest)")
            }
            return nil
        }
        guard let exitRequest, let departement else {
            throw ValidationError("une demande de parcours de sortie indique --exit-request first|renewal et --departement (celui de la personne)")
        }
        return .init(request: try choice(exitRequest, "--exit-request"), monthsAlreadyUsed: monthsUsed ?? 0, departement: departement)
    }
}

/// What a referral says, from flags (or a JSON file).
struct ReferralOptions: ParsableArguments {
    @Option(help: "A referral JSON file (Protocol/referral.schema.json) instead of the flags below.") var file: String?
    @Option(help: "orientation, exitProgrammeRequest, childProtectionReport, safeAccommodationRequest.") var kind: String = "orientation"
    @Option(name: .customLong("need"), help: "A need (repeat, the most urgent first): \(Referral.Need.allCases.map(\.rawValue).joined(separator: ", ")).")
    var needs: [String] = []
    @Option(name: .customLong("case"),
            help: "Votre numéro de dossier pour la personne, celui de `relais consent grant --case` : il reste sur ce poste, seul son pseudonyme part.")
    var caseLabel: String?
    @Option(help: "First name, only with the person's agreement.") var firstName: String?
    @Option(help: "Age band: \(Referral.AgeBand.allCases.map(\.rawValue).joined(separator: ", ")).") var ageBand: String = "unknown"
    @Option(help: "Obligatoire : adult, minor ou allegedMinor (en cas de doute sur l'âge : allegedMinor).") var minorStatus: String?
    @Option(name: .customLong("language"), help: "A language code the person speaks (repeat), e.g. fr, en, ro.") var languages: [String] = []
    @Flag(help: "An interpreter is needed.") var interpreter = false
    @Option(help: "\(Referral.AdministrativeStatus.allCases.map(\.rawValue).joined(separator: ", ")).") var administrativeStatus: String = "unknown"
    @Option(help: "Danger level 0 to 3.") var danger: Int = 0
    @Flag(inversion: .prefixedNo, help: "Whether it is safe to call the person.") var safeToCall = false
    @Option(help: "How to contact the person safely.") var safeContact: String?
    @Option(help: "A code word agreed with the person.") var codeWord: String?
    @Option(help: "Free text: the situation, in the person's agreed words.") var text: String?
    @Option(help: "The consent record id covering this referral (or its first 6 digits or more).") var consent: String?
    @Option(help: "For a child-protection report: the legal-basis declaration id (CASF L.226-2-1; or its first 6 digits or more).") var childProtectionDeclaration: String?
    @Option(help: "Your name, for the recipient to contact you.") var senderName: String?
    @Option(help: "Your role.") var senderRole: String?
    @Option(help: "Your professional phone.") var senderPhone: String?
    @Option(help: "Your professional email.") var senderEmail: String?
    @OptionGroup var situation: SituationOptions
    @OptionGroup var path: PathOptions
    @OptionGroup var attachments: AttachmentOptions

    /// The minor status is always stated (the guide: minors hide their age; a doubt is `allegedMinor`).
    func validate() throws {
        guard file != nil || minorStatus != nil else {
            throw ValidationError("--minor-status est obligatoire : adult, minor ou allegedMinor (en cas de doute sur l'âge : allegedMinor)")
        }
    }

    /// The referral, and the local case label it was written for (nil from `--file`). The person is
    /// named by the consent's subject pseudonym: `--case` must be the consent's person
    /// (`requireSameSubject`); under a child-protection declaration, the case's pseudonym.
    func build(now: UInt64, device: LocalDevice) throws -> (referral: Referral, caseLabel: String?) {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw LocalError.notFound("cannot read \(file)") }
            return (try attachments.adding(to: Referral.decode(Array(data))), nil)
        }
        guard let k = Referral.Kind(rawValue: kind), k != .reply else { throw ValidationError("unknown --kind \(kind)") }
        let parsedNeeds = try needs.map { n in
            guard let v = Referral.Need(rawValue: n) else { throw ValidationError("unknown --need \(n)") }
            return v
        }
        guard let caseLabel else {
            throw ValidationError("--case est obligatoire : votre numéro de dossier pour la personne, celui donné à `relais consent grant --case`")
        }
        guard let age = Referral.AgeBand(rawValue: ageBand) else { throw ValidationError("unknown --age-band \(ageBand)") }
        let minor: Referral.MinorStatus = try choice(minorStatus ?? "", "--minor-status")
        guard minor != .unknown else {
            throw ValidationError("--minor-status : adult, minor ou allegedMinor (en cas de doute sur l'âge : allegedMinor)")
        }
        guard let admin = Referral.AdministrativeStatus(rawValue: administrativeStatus) else {
            throw ValidationError("unknown --administrative-status \(administrativeStatus)")
        }
        let reference: ConsentReference
        switch (consent, childProtectionDeclaration) {
        case let (c?, nil):
            let id = try device.resolveConsentID(c)
            reference = ConsentReference(kind: k == .exitProgrammeRequest ? .exitProgrammeConsent : .consent, id: id)
        case let (nil, d?):
            let id = try device.resolveDeclarationID(d)
            reference = ConsentReference(kind: .childProtectionDeclaration, id: id)
        default:
            throw ValidationError("give --consent ID (the person's recorded consent) or, for a child-protection report, --child-protection-declaration ID")
        }
        guard let senderName, let senderRole else { throw ValidationError("--sender-name and --sender-role are required") }
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
    p.subjectPseudonym.map { "pseudonyme \($0.prefix(16))" } ?? "case \(p.subject)"
}

/// What schema v2 adds to a referral, as labelled lines in French: situation, lead professional,
/// a minor's details, the exit-programme request, the outcome. `full` shows the outcome's note
/// (`open`); the pre-send summary gives its length only, as for the free text.
func v2Details(_ r: Referral, full: Bool) -> [(label: String, value: String)] {
    func yes(_ b: Bool) -> String { b ? "oui" : "non" }
    var out: [(String, String)] = []
    if let s = r.situation {
        var parts: [String] = []
        if let t = s.exploitationTypes { parts.append("exploitation : \(t.map(\.rawValue).joined(separator: ", "))") }
        if let b = s.inDangerLocally { parts.append("en danger localement : \(yes(b))") }
        if let b = s.needsToMoveAway { parts.append("doit s'éloigner : \(yes(b))") }
        if let d = s.currentDepartement { parts.append("département actuel : \(d)") }
        if let a = s.areasToAvoid { parts.append("départements à éviter : \(a.joined(separator: ", "))") }
        if let c = s.children {
            let more = [c.withThePerson.map { "avec la personne : \(yes($0))" }, c.atRisk.map { "en danger : \(yes($0))" }].compactMap { $0 }
            parts.append("enfants : \(c.count)\(more.isEmpty ? "" : " (\(more.joined(separator: ", ")))")")
        }
        if let b = s.threatsToRelatives { parts.append("menaces sur les proches : \(yes(b))") }
        if let b = s.debt { parts.append("dette : \(yes(b))") }
        if let b = s.identityDocumentsHeldByOthers { parts.append("papiers d'identité détenus par un tiers : \(yes(b))") }
        if let b = s.complaintFiled { parts.append("plainte déposée : \(yes(b))") }
        if let b = s.pregnancy { parts.append("grossesse : \(yes(b))") }
        if let i = s.interview { parts.append("entretien : \(i.rawValue)") }
        for (i, part) in parts.enumerated() { out.append((i == 0 ? "Situation :" : "", part)) }
    }
    if let l = r.leadProfessional {
        out.append(("Référent·e :", ([l.name] + [l.organisation, l.phone, l.email].compactMap { $0 }).joined(separator: ", ")))
    }
    if let m = r.minor {
        out.append(("Mineur·e :", "isolé·e étranger·ère : \(yes(m.unaccompaniedForeign)) ; 16 ans ou plus, plainte déposée : \(yes(m.aged16OrMoreWithComplaint))"))
    }
    if let e = r.exitProgramme {
        let request = e.request == .first ? "première demande" : "renouvellement"
        out.append(("Parcours de sortie :", "\(request), \(e.monthsAlreadyUsed) mois déjà accomplis, département \(e.departement)"))
    }
    if let o = r.outcome {
        out.append(("Issue :", describeOutcome(o)))
        if let note = o.note { out.append(("Note :", full ? note : "\(note.count) caractères")) }
    }
    return out
}

/// The summary shown before sealing: what will be shared, with whom, on which devices.
func describe(_ plan: LocalDevice.SendPlan) -> String {
    let r = plan.referral
    var lines = ["About to seal and send this referral (\(r.kind.rawValue)):"]
    lines.append("  needs:        \(r.needs.map(\.rawValue).joined(separator: ", "))")
    lines.append("  person:       \(personName(r.person))\(r.person.firstName.map { ", first name \($0)" } ?? ""), \(r.person.ageBand.rawValue), \(r.person.minorStatus.rawValue)")
    lines.append("  safety:       danger level \(r.safety.dangerLevel), \(r.safety.safeToCall ? "safe to call" : "NOT safe to call")")
    lines += v2Details(r, full: false).map { "  " + labelled($0.label, $0.value, width: 14) }
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
    @Option(name: .customLong("to"), help: "Recipient organisation: its name, part of it, or its id (repeat for several).") var to: [String] = []
    @OptionGroup var referral: ReferralOptions
    @Option(help: "Days before the envelope expires (at most 30).") var expiresInDays: Int = 14
    @Flag(help: "Do not ask for confirmation.") var yes = false

    func run() async throws {
        try await guarded {
            guard (1...30).contains(expiresInDays) else { throw ValidationError("--expires-in-days must be 1 to 30") }
            let device = try options.open()
            _ = try await device.refresh()
            let orgs = try await device.resolveOrganisations(to)
            let (built, caseLabel) = try referral.build(now: UInt64(Date().timeIntervalSince1970), device: device)
            let plan = try await device.plan(referral: built, to: orgs, lifetime: UInt64(expiresInDays) * 86_400)
            if !options.json { FileHandle.standardError.write(Data((describe(plan) + "\n").utf8)) }
            warnSkipped(plan, json: options.json)
            try confirm("Send it?", yes: yes)
            let sealed = try await device.send(plan)
            if let caseLabel, let subject = built.person.subjectPseudonym { try device.rememberCase(label: caseLabel, subject: subject) }
            try emit(options.json, ["envelopeId": sealed.header.envelopeID.hex, "devices": String(plan.devices.count)]) {
                "Sent: envelope \(sealed.header.envelopeID.short), sealed for \(plan.devices.count) device(s)."
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
                    "\($0.envelopeID.short)  from organisation \($0.senderOrganisationID.short)  received \(date($0.submittedAt))  expires \(date($0.expiresAt))"
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
    @OptionGroup var saving: SaveOptions

    func run() async throws {
        try await guarded {
            let device = try options.open()
            let eid = try await device.resolveEnvelopeID(id, inbox: true)
            let (r, sender, stored) = try await device.open(eid)
            let saved = try saving.write(r)
            // What the consent it travels under does not cover (SPEC.md, "Consent records"): kept and shown, not refused.
            let attention = (stored.consentFlags ?? []).map { "Attention : \($0.message)." } + SaveOptions.flags(r)
            if options.json {
                print(try saving.json(stored.referral, r, saved: saved))
                if !attention.isEmpty { FileHandle.standardError.write(Data((attention.joined(separator: "\n") + "\n").utf8)) }
                return
            }
            var lines: [String] = []
            if r.needsEmergencyNotice { lines.append("WARNING: \(Referral.emergencyNotice)") }
            lines += attention
            lines.append("Referral \(eid.short) — \(r.kind.rawValue)\(r.inReplyTo.map { " (reply to \($0.short))" } ?? "")")
            lines.append("From:        \(r.sender.name), \(r.sender.role)\(r.sender.phone.map { ", \($0)" } ?? "")\(r.sender.email.map { ", \($0)" } ?? "")")
            lines.append("             device \(sender.identity.deviceID), signature verified, fingerprint \(sender.identity.fingerprint)")
            lines.append("Needs:       \(r.needs.map(\.rawValue).joined(separator: ", "))")
            lines.append("Person:      \(personName(r.person))\(r.person.firstName.map { ", \($0)" } ?? ""); \(r.person.ageBand.rawValue); \(r.person.minorStatus.rawValue); languages \(r.person.languages.joined(separator: ", "))\(r.person.interpreterNeeded ? "; interpreter needed" : ""); status \(r.person.administrativeStatus.rawValue)")
            lines.append("Safety:      danger level \(r.safety.dangerLevel); \(r.safety.safeToCall ? "safe to call" : "NOT safe to call")")
            if let s = r.safety.safeContactInstructions { lines.append("Contact:     \(s)") }
            if let c = r.safety.codeWord { lines.append("Code word:   \(c)") }
            lines += v2Details(r, full: true).map { labelled($0.label, $0.value, width: 13) }
            if let t = r.freeText { lines.append("Text:        \(t)") }
            lines += saving.lines(r, saved: saved)
            lines.append("Covered by:  \(r.consent.kind == .childProtectionDeclaration ? "child-protection declaration" : "consent") \(r.consent.id)")
            lines.append("Expires:     \(date(stored.expiresAt)); kept locally \(device.settings.retentionDays) days. Acknowledge with `relais ack \(eid.short)`.")
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
            let device = try options.open()
            let eid = try await device.resolveEnvelopeID(id, inbox: false)
            let deleted = try await device.acknowledge(eid)
            try emit(options.json, ["envelopeId": eid.hex, "deletedFromRelay": String(deleted)]) {
                deleted ? "Acknowledged; every addressed device has it, so the relay deleted it." : "Acknowledged."
            }
        }
    }
}

/// What a reply says happened (schema v2's outcome), from flags.
struct OutcomeOptions: ParsableArguments {
    @Option(help: "L'issue : \(Referral.Outcome.Status.allCases.map(\.rawValue).joined(separator: ", ")) (obligatoire pour répondre à une orientation au format 2).")
    var outcome: String?
    @Option(help: "Pour appointmentOffered (obligatoire) ou placeOffered : date et heure, « AAAA-MM-JJ HH:MM » (heure locale) ou ISO 8601 (2026-12-03T14:30:00+01:00).")
    var appointmentAt: String?
    @Option(help: "Pour refused (obligatoire) : le motif.") var reason: String?
    @Option(help: "Pour reoriented (obligatoire) : la structure vers laquelle la personne est réorientée (son nom, une partie du nom, ou son identifiant).")
    var reorientedTo: String?
    @Option(help: "Pour commissionOpinion (obligatoire) : favourable ou unfavourable.") var opinion: String?
    @Option(help: "Pour prefectDecision (obligatoire) : granted ou refused.") var decision: String?
    @Option(help: "Une note sur l'issue.") var note: String?

    /// The flag each status requires, named to the user before anything is planned (`Referral.validate` is the rule).
    static let required: [Referral.Outcome.Status: String] = [.appointmentOffered: "--appointment-at", .refused: "--reason",
                                                              .reoriented: "--reoriented-to", .commissionOpinion: "--opinion",
                                                              .prefectDecision: "--decision"]

    /// Nil without `--outcome` (then no other outcome flag may be given).
    func build(on device: LocalDevice) async throws -> Referral.Outcome? {
        guard let outcome else {
            guard appointmentAt == nil, reason == nil, reorientedTo == nil, opinion == nil, decision == nil, note == nil else {
                throw ValidationError("--appointment-at, --reason, --reoriented-to, --opinion, --decision et --note précisent une issue : indiquez-la avec --outcome")
            }
            return nil
        }
        let status: Referral.Outcome.Status = try choice(outcome, "--outcome")
        let given = ["--appointment-at": appointmentAt != nil, "--reason": reason.map { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? false,
                     "--reoriented-to": reorientedTo != nil, "--opinion": opinion != nil, "--decision": decision != nil]
        if let flag = Self.required[status], given[flag] != true {
            throw ValidationError("une réponse « \(status.rawValue) » indique \(flag) : la structure qui a orienté la personne doit savoir ce qui suit")
        }
        var reoriented: OrganisationID?
        if let reorientedTo { reoriented = try await device.resolveOrganisation(reorientedTo) }
        return Referral.Outcome(status: status, appointmentAt: try appointmentAt.map(Self.time), reason: reason, reorientedTo: reoriented,
                                opinion: try opinion.map { try choice($0, "--opinion") }, decision: try decision.map { try choice($0, "--decision") },
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
        throw ValidationError("--appointment-at : « \(text) » n'est pas une date et une heure (« 2026-12-10 14:30 », heure locale, ou ISO 8601)")
    }
}

struct Reply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reply to an opened referral, to the sender's organisation.")
    @OptionGroup var options: ProfileOptions
    @Argument(help: "The envelope id of the referral you answer.") var id: String
    @OptionGroup var outcome: OutcomeOptions
    @Option(help: "Votre réponse, en texte libre (facultatif avec --outcome ; obligatoire pour une orientation au format 1).") var text: String?
    @Option(help: "Your name.") var senderName: String
    @Option(help: "Your role.") var senderRole: String
    @Option(help: "Your professional phone.") var senderPhone: String?
    @Flag(help: "Do not ask for confirmation.") var yes = false

    func run() async throws {
        try await guarded {
            let device = try options.open()
            _ = try await device.refresh()
            let eid = try await device.resolveEnvelopeID(id, inbox: false)
            let said = try await outcome.build(on: device)
            let plan = try await device.replyPlan(to: eid, text: text, outcome: said,
                                                  contact: .init(name: senderName, role: senderRole, phone: senderPhone), lifetime: 14 * 86_400)
            if !options.json { FileHandle.standardError.write(Data((describe(plan) + "\n").utf8)) }
            warnSkipped(plan, json: options.json)
            try confirm("Send this reply?", yes: yes)
            let sealed = try await device.send(plan)
            try emit(options.json, ["envelopeId": sealed.header.envelopeID.hex]) { "Reply sent: envelope \(sealed.header.envelopeID.short)." }
        }
    }
}
