import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

struct ConsentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent", abstract: "Record, list, show and withdraw the person's consent.",
        subcommands: [Grant.self, List.self, Show.self, Withdraw.self])
}

/// What the professional reads to the person before recording, in French and English.
func personSummary(organisations: [String], categories: [PartnerCategory], purposes: [Referral.Need], data: [DataCategory],
                   months: Int, withdrawHint: String) -> String {
    let to = (organisations + categories.map(\.rawValue)).joined(separator: ", ")
    return """
    — À lire à la personne —
    Avec votre accord, je transmets à : \(to)
    uniquement ce qui est utile pour : \(purposes.map(\.rawValue).joined(separator: ", "))
    (informations : \(data.map(\.rawValue).joined(separator: ", "))).
    Votre accord vaut \(months) mois. Vous pouvez le retirer à tout moment, aussi simplement que vous l'avez donné :
    dites-le-moi et je le retire aussitôt (\(withdrawHint)). Ce qui n'a pas encore été remis est alors effacé,
    et les organisations qui ont reçu l'orientation sont prévenues et effacent leur copie.
    — To read to the person —
    With your agreement, I will share with: \(to)
    only what is needed for: \(purposes.map(\.rawValue).joined(separator: ", "))
    (information: \(data.map(\.rawValue).joined(separator: ", "))).
    Your agreement lasts \(months) months. You can withdraw it at any time, as easily as you gave it: tell me and
    I withdraw it at once (\(withdrawHint)). What has not been delivered yet is then erased, and the organisations
    that received the referral are told and erase their copy.
    """
}

extension ConsentCommand {
    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record the person's consent, with the person present.")
        @OptionGroup var options: ProfileOptions
        @Option(name: .customLong("case"), help: "Your organisation's case id for the person (only its keyed hash leaves this device).") var caseID: String
        @Option(name: .customLong("to-org"), help: "A recipient organisation the person agreed to: its name, part of it, or its id (repeat).") var organisations: [String] = []
        @Option(name: .customLong("to-category"), help: "A partner category the person agreed to (repeat).") var categories: [String] = []
        @Option(name: .customLong("purpose"), help: "A need the sharing is for (repeat).") var purposes: [String]
        @Option(name: .customLong("data"), help: "Kind of data (repeat): \(DataCategory.allCases.map(\.rawValue).joined(separator: ", ")).") var data: [String]
        @Option(help: "oral, written or electronic.") var method: String = "oral"
        @Option(help: "Language the person was informed in.") var language: String = "fr"
        @Flag(help: "An interpreter took part.") var interpreter = false
        @Option(help: "Months the consent lasts (default 6, at most 24).") var months: Int = 6
        @Option(help: "The person's département, required with --purpose exitProgramme: 01 to 95, 2A, 2B, 971 to 976.") var departement: String?
        @Flag(help: "Do not ask for confirmation.") var yes = false

        func run() async throws {
            try await guarded {
                guard (1...ConsentRecord.maximumMonths).contains(months) else {
                    throw ValidationError("--months must be 1 to \(ConsentRecord.maximumMonths)")
                }
                guard let m = ConsentMethod(rawValue: method) else { throw ValidationError("--method is oral, written or electronic") }
                let cats = try categories.map { c in
                    guard let v = PartnerCategory(rawValue: c) else { throw ValidationError("unknown --to-category \(c)") }
                    return v
                }
                let needs = try purposes.map { p in
                    guard let v = Referral.Need(rawValue: p) else { throw ValidationError("unknown --purpose \(p)") }
                    return v
                }
                let kinds = try data.map { d in
                    guard let v = DataCategory(rawValue: d) else { throw ValidationError("unknown --data \(d)") }
                    return v
                }
                if let departement, !DirectoryRules.isDepartementCode(departement) {
                    throw ValidationError("--departement : un code de département, de 01 à 95, 2A, 2B ou de 971 à 976 (pas « \(departement) »)")
                }
                guard needs.contains(.exitProgramme) == (departement != nil) else {
                    throw ValidationError(departement == nil
                        ? "--departement est requis avec --purpose exitProgramme : l'agrément d'une association vaut pour un département, celui de la personne"
                        : "--departement sert seulement au parcours de sortie (--purpose exitProgramme)")
                }
                let device = try options.open()
                let orgs = try await device.resolveOrganisations(organisations)
                let directory = try await device.organisations()
                let names = orgs.map { id in directory.first { $0.id == id }?.name ?? id.hex }
                // Every input is checked before anything is read to the person: a draft of the record
                // goes through the validation the signed record will (ConsentRecord.validate).
                let grantedAt = UInt64(Date().timeIntervalSince1970)
                let validUntil = ConsentRecord.validUntil(grantedAt: grantedAt, months: months)
                let zeros = String(repeating: "0", count: 32)
                try ConsentRecord(consentId: ConsentID(hex: zeros)!, subjectPseudonym: zeros + zeros, recordedBy: device.identity.deviceID,
                                  organisationId: device.settings.organisationId ?? OrganisationID(hex: zeros)!,
                                  method: m, language: language, interpreter: interpreter, purposes: needs, recipientOrganisations: orgs,
                                  recipientCategories: cats, dataCategories: kinds, grantedAt: grantedAt, validUntil: validUntil,
                                  departement: departement).validate()
                if !options.json {
                    FileHandle.standardError.write(Data((personSummary(organisations: names, categories: cats, purposes: needs, data: kinds,
                                                                       months: months, withdrawHint: "relais consent withdraw") + "\n").utf8))
                }
                try confirm("Has the person agreed to exactly this?", yes: yes)
                let record = try await device.grantConsent(caseID: caseID, method: m, language: language, interpreter: interpreter,
                                                           purposes: needs, organisations: orgs, categories: cats, data: kinds,
                                                           validity: validUntil - grantedAt, departement: departement)
                try emit(options.json, ["consentId": record.consentId.hex, "validUntil": String(record.validUntil)]) {
                    "Consent recorded: \(record.consentId.short), valid until \(date(record.validUntil)). Send with --consent \(record.consentId.short)."
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The consents recorded on this device.")
        @OptionGroup var options: ProfileOptions

        func run() async throws {
            try await guarded {
                let device = try options.open()
                let now = UInt64(Date().timeIntervalSince1970)
                let list = try device.consents()
                func state(_ r: ConsentRecord, _ w: UInt64?) -> String { w != nil ? "withdrawn" : (now >= r.validUntil ? "expired" : "valid") }
                try emit(options.json, list.map { ["consentId": $0.record.consentId.hex, "state": state($0.record, $0.withdrawnAt),
                                                   "validUntil": String($0.record.validUntil)] }) {
                    list.isEmpty ? "No consent recorded on this device." : list.map {
                        "\($0.record.consentId.short)  \(state($0.record, $0.withdrawnAt))  until \(date($0.record.validUntil))  for \($0.record.purposes.map(\.rawValue).joined(separator: ", "))"
                    }.joined(separator: "\n")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one consent record.")
        @OptionGroup var options: ProfileOptions
        @Argument(help: "The consent id.") var id: String

        func run() async throws {
            try await guarded {
                let device = try options.open()
                let cid = try device.resolveConsentID(id)
                let (r, withdrawn) = try device.consent(cid)
                try emit(options.json, ["consentId": r.consentId.hex, "withdrawn": String(withdrawn != nil)]) {
                    """
                    consent       \(r.consentId)\(withdrawn.map { "  WITHDRAWN on \(date($0))" } ?? "")
                    method        \(r.method.rawValue), in \(r.language)\(r.interpreter ? " with an interpreter" : "")
                    purposes      \(r.purposes.map(\.rawValue).joined(separator: ", "))
                    recipients    \((r.recipientOrganisations.map(\.hex) + r.recipientCategories.map(\.rawValue)).joined(separator: ", "))
                    data          \(r.dataCategories.map(\.rawValue).joined(separator: ", "))
                    legal basis   \(r.legalBasis.rawValue)
                    valid         \(date(r.grantedAt)) to \(date(r.validUntil))
                    """
                }
            }
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw a consent at once: nothing more is sent under it, and recipients erase their copies.")
        @OptionGroup var options: ProfileOptions
        @Argument(help: "The consent id.") var id: String

        func run() async throws {
            try await guarded {
                let device = try options.open()
                let cid = try device.resolveConsentID(id)
                let (deleted, notified) = try await device.withdrawConsent(cid)
                try emit(options.json, ["consentId": cid.hex, "deletedEnvelopes": String(deleted), "notifiedOrganisations": String(notified)]) {
                    "Consent \(cid.short) withdrawn. The relay deleted \(deleted) undelivered envelope(s) and told \(notified) organisation(s) to erase their copies."
                }
            }
        }
    }
}

struct Declare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Déclarer le fondement d'un signalement de protection de l'enfance pour une situation (sans consentement : CASF L.226-2-1 / L.226-2-2).")
    @OptionGroup var options: ProfileOptions
    @Option(name: .customLong("case"), help: "Le libellé local de la situation, comme pour consent grant --case (seul son pseudonyme quitte ce poste).")
    var caseID: String
    @Option(help: "minor (mineur·e) ou allegedMinor (se disant mineur·e).") var minorStatus: String
    @Option(help: "L.226-2-1 (information préoccupante) ou L.226-2-2.") var article: String = "L.226-2-1"
    @Option(help: "Jours de validité, de 1 à \(ChildProtectionDeclaration.maximumValidity / 86_400) (défaut : 30).")
    var validDays: Int = Int(ChildProtectionDeclaration.maximumValidity / 86_400)
    @Option(help: "Nombre d'envois de signalement permis, de 1 à \(ChildProtectionDeclaration.maximumReports) (défaut : \(ChildProtectionDeclaration.defaultReports)).")
    var maxReports: Int = ChildProtectionDeclaration.defaultReports

    func run() async throws {
        try await guarded {
            guard let status = Referral.MinorStatus(rawValue: minorStatus), status == .minor || status == .allegedMinor else {
                throw ValidationError("--minor-status vaut minor ou allegedMinor")
            }
            guard let a = ChildProtectionDeclaration.Article(rawValue: "CASF " + article) else {
                throw ValidationError("--article vaut L.226-2-1 ou L.226-2-2")
            }
            let maxDays = Int(ChildProtectionDeclaration.maximumValidity / 86_400)
            guard (1...maxDays).contains(validDays) else { throw ValidationError("--valid-days va de 1 à \(maxDays)") }
            guard (1...ChildProtectionDeclaration.maximumReports).contains(maxReports) else {
                throw ValidationError("--max-reports va de 1 à \(ChildProtectionDeclaration.maximumReports)")
            }
            guard !caseID.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--case ne peut pas être vide") }
            let device = try options.open()
            let id = try await device.declareChildProtection(article: a, minorStatus: status, caseID: caseID,
                                                            validity: UInt64(validDays) * 86_400, maxReports: maxReports)
            try device.rememberCase(label: caseID, subject: try device.subjectPseudonym(caseID: caseID))
            let until = UInt64(Date().timeIntervalSince1970) + UInt64(validDays) * 86_400
            try emit(options.json, ["declarationId": id.hex, "validDays": String(validDays), "maxReports": String(maxReports)]) {
                """
                Déclaration de protection de l'enfance enregistrée : \(id.short) (situation « \(caseID) », \(a.rawValue)).
                Elle permet, pendant \(validDays) jour(s) (jusqu'au \(date(until))), au plus \(maxReports) envoi(s) de signalement pour cette situation,
                à la protection de l'enfance (CRIP), au parquet ou aux forces de l'ordre :
                  relais send --kind childProtectionReport --child-protection-declaration \(id.short) --case \(caseID) …
                Les autres orientations de cette situation (hébergement, santé…) peuvent partir pendant cette période, avec le consentement de la personne.
                """
            }
        }
    }
}
