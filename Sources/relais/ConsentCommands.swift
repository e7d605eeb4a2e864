import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

struct ConsentCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "consent", abstract: Message.consentAbstract.text,
        subcommands: [Grant.self, List.self, Show.self, Withdraw.self]) }
}

/// What the professional reads to the person before recording: labels only, no identifier and no
/// command, in the person's language when Relais has a reviewed text in it (French, English);
/// otherwise in the interface language, for the interpreter to read, and `interpreterRecorded`.
func personSummary(organisations: [String], categories: [PartnerCategory], purposes: [Referral.Need], data: [DataCategory],
                   months: Int, personLanguage: String) -> (text: String, interpreterRecorded: Bool) {
    let reviewed = Language(code: personLanguage)
    let language = reviewed ?? Messages.language
    let text = Message.personText(to: organisations + categories.map { $0.label(language) }, purposes: purposes.map { $0.label(language) },
                                  data: data.map { $0.label(language) }, months: months)
    var lines = [Message.personTextHeading.text(language), text.text(language)]
    if reviewed == nil { lines.append(Message.interpreterReads(language: personLanguage).text) }
    return (lines.joined(separator: "\n"), reviewed == nil)
}

extension ConsentCommand {
    struct Grant: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.consentGrantAbstract.text, discussion: Message.guidedDiscussion.text) }
        @OptionGroup var options: ProfileOptions
        @Option(name: .customLong("case"), help: ArgumentHelp(Message.consentCaseHelp.text)) var caseID: String?
        @Option(name: .customLong("to-org"), help: ArgumentHelp(Message.consentToOrgHelp.text)) var organisations: [String] = []
        @Option(name: .customLong("to-category"), help: ArgumentHelp(Message.consentToCategoryHelp.text)) var cats: [PartnerCategory] = []
        @Option(name: .customLong("purpose"), help: ArgumentHelp(Message.consentPurposeHelp.text)) var needs: [Referral.Need] = []
        @Option(name: .customLong("data"), help: ArgumentHelp(Message.consentDataHelp.text)) var kinds: [DataCategory] = []
        @Option(help: ArgumentHelp(Message.consentMethodHelp.text)) var method: ConsentMethod = .oral
        @Option(help: ArgumentHelp(Message.consentLanguageHelp.text)) var language: String = "fr"
        @Flag(help: ArgumentHelp(Message.consentInterpreterHelp.text)) var interpreter = false
        @Option(help: ArgumentHelp(Message.consentMonthsHelp.text)) var months: Int = 6
        @Option(help: ArgumentHelp(Message.consentDepartementHelp.text)) var departement: String?
        @Flag(help: ArgumentHelp(Message.consentAdultHelp.text)) var adult = false
        @Flag(help: ArgumentHelp(Message.yesHelp.text)) var yes = false

        mutating func run() async throws {
            try await guarded {
                try Guided.refuseMissing(missing.map(\.rawValue))
                // At a terminal the missing fields are asked first (the recipients from the directory), then checked as typed ones.
                let guided = Guided.isInteractive && !missing.isEmpty ? try options.open() : nil
                if let guided { try await askMissing(guided) }
                try askExitProgramme()
                let caseID = try Guided.given(self.caseID, Field.caseLabel.rawValue)
                guard (1...ConsentRecord.maximumMonths).contains(months) else {
                    throw ValidationError(Message.monthsRange(max: ConsentRecord.maximumMonths).text)
                }
                let m = method
                if let departement, !DirectoryRules.isDepartementCode(departement) {
                    throw ValidationError(Message.departementCode(departement).text)
                }
                guard !needs.contains(.exitProgramme) || adult else { throw ValidationError(Message.adultRequired.text) }
                guard needs.contains(.exitProgramme) == (departement != nil) else {
                    throw ValidationError(departement == nil ? Message.departementRequired.text : Message.departementOnlyExit.text)
                }
                let device = try guided ?? options.open()
                let orgs = try await device.resolveOrganisations(organisations)
                let directory = try await device.organisations()
                let names = orgs.map { id in directory.first { $0.id == id }?.name ?? id.hex }
                // Every input is checked before anything is read to the person: a draft of the record
                // goes through the validation the signed record will (ConsentRecord.validate).
                let grantedAt = UInt64(Date().timeIntervalSince1970)
                let validUntil = ConsentRecord.validUntil(grantedAt: grantedAt, months: months)
                // No reviewed text in the person's language: the interpreter reads it, and the record says an interpreter took part.
                let summary = personSummary(organisations: names, categories: cats, purposes: needs, data: kinds, months: months,
                                            personLanguage: language)
                let interpreter = interpreter || summary.interpreterRecorded
                let zeros = String(repeating: "0", count: 32)
                try ConsentRecord(consentId: ConsentID(hex: zeros)!, subjectPseudonym: zeros + zeros, recordedBy: device.identity.deviceID,
                                  organisationId: device.settings.organisationId ?? OrganisationID(hex: zeros)!,
                                  method: m, language: language, interpreter: interpreter, purposes: needs, recipientOrganisations: orgs,
                                  recipientCategories: cats, dataCategories: kinds, grantedAt: grantedAt, validUntil: validUntil,
                                  departement: departement).validate()
                if !options.json { FileHandle.standardError.write(Data((summary.text + "\n").utf8)) }
                try confirm(Message.personAgreed.text, yes: yes)
                let record = try await device.grantConsent(caseID: caseID, method: m, language: language, interpreter: interpreter,
                                                           purposes: needs, organisations: orgs, categories: cats, data: kinds,
                                                           validity: validUntil - grantedAt, departement: departement, adult: adult)
                try emit(options.json, ["consentId": record.consentId.hex, "validUntil": String(record.validUntil)]) {
                    Message.consentRecorded(id: record.consentId.short, until: date(record.validUntil)).text
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.consentListAbstract.text) }
        @OptionGroup var options: ProfileOptions

        func run() async throws {
            try await guarded {
                let device = try options.open()
                let now = UInt64(Date().timeIntervalSince1970)
                let list = try device.consents()
                func state(_ r: ConsentRecord, _ w: UInt64?, _ language: Language) -> String {
                    Message.consentState(withdrawn: w != nil, expired: now >= r.validUntil).text(language)
                }
                struct Out: Encodable {
                    let consentId, state: String
                    let validUntil: UInt64
                    let caseLabel, departement: String?
                }
                try emit(options.json, list.map { Out(consentId: $0.record.consentId.hex, state: state($0.record, $0.withdrawnAt, .en),
                                                      validUntil: $0.record.validUntil, caseLabel: device.caseLabel(subject: $0.record.subjectPseudonym),
                                                      departement: $0.record.departement) }) {
                    list.isEmpty ? Message.noConsent.text : list.map {
                        Message.consentLine(id: $0.record.consentId.short, state: state($0.record, $0.withdrawnAt, Messages.language),
                                            until: date($0.record.validUntil),
                                            purposes: $0.record.purposes.map { $0.label(Messages.language) },
                                            caseLabel: device.caseLabel(subject: $0.record.subjectPseudonym), departement: $0.record.departement).text
                    }.joined(separator: "\n")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.consentShowAbstract.text) }
        @OptionGroup var options: ProfileOptions
        @Argument(help: ArgumentHelp(Message.consentIdHelp.text)) var id: String

        func run() async throws {
            try await guarded {
                let device = try options.open()
                let cid = try device.resolveConsentID(id)
                let (r, withdrawn) = try device.consent(cid)
                // Recipients by their names in the verified directory (by short id when the relay cannot be reached).
                let names = r.recipientOrganisations.isEmpty ? [:] : ((try? await device.organisationNames()) ?? [:])
                let label = device.caseLabel(subject: r.subjectPseudonym)
                struct Out: Encodable {
                    let consentId: String
                    let withdrawn: Bool
                    let withdrawnAt: UInt64?
                    let caseLabel: String?
                    let purposes, recipientOrganisations, recipientCategories, dataCategories: [String]
                    let validFrom, validUntil: UInt64
                    let departement: String?
                    let adult: Bool?
                }
                let out = Out(consentId: r.consentId.hex, withdrawn: withdrawn != nil, withdrawnAt: withdrawn, caseLabel: label,
                              purposes: r.purposes.map(\.identifier), recipientOrganisations: r.recipientOrganisations.map(\.hex),
                              recipientCategories: r.recipientCategories.map(\.identifier), dataCategories: r.dataCategories.map(\.identifier),
                              validFrom: r.grantedAt, validUntil: r.validUntil, departement: r.departement, adult: r.adult)
                try emit(options.json, out) {
                    let l = Messages.language
                    return Message.consentShow(id: r.consentId.hex, withdrawn: withdrawn.map(date), method: r.method.label(l), language: r.language,
                                               interpreter: r.interpreter, purposes: r.purposes.map { $0.label(l) },
                                               recipients: r.recipientOrganisations.map { names[$0] ?? $0.short } + r.recipientCategories.map { $0.label(l) },
                                               data: r.dataCategories.map { $0.label(l) }, legalBasis: r.legalBasis.label(l),
                                               from: date(r.grantedAt), until: date(r.validUntil),
                                               caseLabel: label, departement: r.departement, adult: r.adult).text
                }
            }
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.consentWithdrawAbstract.text) }
        @OptionGroup var options: ProfileOptions
        @Argument(help: ArgumentHelp(Message.consentIdHelp.text)) var id: String

        func run() async throws {
            try await guarded {
                let device = try options.open()
                let cid = try device.resolveConsentID(id)
                let (deleted, notified) = try await device.withdrawConsent(cid)
                try emit(options.json, ["consentId": cid.hex, "deletedEnvelopes": String(deleted), "notifiedOrganisations": String(notified)]) {
                    Message.consentWithdrawn(id: cid.short, deleted: deleted, notified: notified).text
                }
            }
        }
    }
}

struct Declare: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.declareAbstract.text, discussion: Message.guidedDiscussion.text) }
    @OptionGroup var options: ProfileOptions
    @Option(name: .customLong("case"), help: ArgumentHelp(Message.declareCaseHelp.text))
    var caseID: String?
    @Option(help: ArgumentHelp(Message.declareMinorStatusHelp.text)) var minorStatus: Referral.MinorStatus?
    @Option(help: ArgumentHelp(Message.declareArticleHelp.text)) var article: String = "L.226-2-1"
    @Option(help: ArgumentHelp(Message.declareValidDaysHelp(max: Int(ChildProtectionDeclaration.maximumValidity / 86_400)).text))
    var validDays: Int = Int(ChildProtectionDeclaration.maximumValidity / 86_400)
    @Option(help: ArgumentHelp(Message.declareMaxReportsHelp(max: ChildProtectionDeclaration.maximumReports,
                                                             default: ChildProtectionDeclaration.defaultReports).text))
    var maxReports: Int = ChildProtectionDeclaration.defaultReports

    mutating func run() async throws {
        try await guarded {
            try Guided.refuseMissing(missing.map(\.rawValue))
            try askMissing()
            let caseID = try Guided.given(self.caseID, Field.caseLabel.rawValue)
            let status = try Guided.given(minorStatus, Field.minorStatus.rawValue)
            guard status == .minor || status == .allegedMinor else { throw ValidationError(Message.declareMinorStatus.text) }
            guard let a = ChildProtectionDeclaration.Article(rawValue: "CASF " + article) ?? ChildProtectionDeclaration.Article.parse(article) else {
                throw ValidationError(Message.declareArticle.text)
            }
            let maxDays = Int(ChildProtectionDeclaration.maximumValidity / 86_400)
            guard (1...maxDays).contains(validDays) else { throw ValidationError(Message.declareValidDays(max: maxDays).text) }
            guard (1...ChildProtectionDeclaration.maximumReports).contains(maxReports) else {
                throw ValidationError(Message.declareMaxReports(max: ChildProtectionDeclaration.maximumReports).text)
            }
            guard !caseID.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError(Message.caseEmpty.text) }
            let device = try options.open()
            let id = try await device.declareChildProtection(article: a, minorStatus: status, caseID: caseID,
                                                            validity: UInt64(validDays) * 86_400, maxReports: maxReports)
            try device.rememberCase(label: caseID, subject: try device.subjectPseudonym(caseID: caseID))
            let until = UInt64(Date().timeIntervalSince1970) + UInt64(validDays) * 86_400
            try emit(options.json, ["declarationId": id.hex, "validDays": String(validDays), "maxReports": String(maxReports)]) {
                Message.declared(id: id.short, label: caseID, article: a.rawValue, days: validDays, until: date(until), reports: maxReports).text
            }
        }
    }
}

extension ConsentCommand.Grant {
    /// The fields a consent cannot be recorded without, by the option that gives each, in the order guided mode asks them.
    enum Field: String { case caseLabel = "--case", recipients = "--to-org", purposes = "--purpose", data = "--data" }

    var missing: [Field] {
        [(caseID == nil, Field.caseLabel), (organisations.isEmpty && cats.isEmpty, .recipients), (needs.isEmpty, .purposes), (kinds.isEmpty, .data)]
            .filter(\.0).map(\.1)
    }

    /// At a terminal, asks each missing field (`Guided`): the recipients among the directory's
    /// organisations and the partner categories. `run` checks the answers as it checks typed options.
    mutating func askMissing(_ device: LocalDevice) async throws {
        let l = Messages.language
        for field in missing {
            switch field {
            case .caseLabel: caseID = try Guided.text(.caseLabel)
            case .recipients:
                enum Recipient { case organisation(String), category(PartnerCategory) }
                let own = device.settings.organisationId
                let orgs = try await device.organisations().filter { $0.id != own }.map {
                    Guided.Choice(Message.recipientLine(name: $0.name, category: $0.category.label(l), departements: $0.departements).text,
                                  forms: [LabelFolding.fold($0.name), $0.id.hex], value: Recipient.organisation($0.id.hex))
                }
                let categories = PartnerCategory.allCases.map {
                    Guided.Choice(Message.guidedCategory($0.label(l)).text, forms: $0.inputForms, value: Recipient.category($0))
                }
                for chosen in try Guided.choose(.consentRecipients, orgs + categories, several: true) {
                    switch chosen {
                    case let .organisation(id): organisations.append(id)
                    case let .category(c): cats.append(c)
                    }
                }
            case .purposes: needs = try Guided.choose(.purposes, Guided.choices(Referral.Need.allCases), several: true)
            case .data: kinds = try Guided.choose(.data, Guided.choices(DataCategory.allCases), several: true)
            }
        }
    }

    /// At a terminal, for the exit programme: the person's département when not given (asked
    /// again when it is not one), and the professional's attestation that the person is an adult
    /// (`--adult`); «non» is the refusal `run` gives without `--adult`, with nothing recorded.
    mutating func askExitProgramme() throws {
        guard Guided.isInteractive, needs.contains(.exitProgramme) else { return }
        if departement == nil { departement = try Guided.departement() }
        if !adult {
            guard try Guided.yesNo(.adult) else { throw ValidationError(Message.adultRequired.text) }
            adult = true
        }
    }
}

extension Declare {
    /// The fields a declaration cannot be made without, by the option that gives each.
    enum Field: String { case caseLabel = "--case", minorStatus = "--minor-status" }

    var missing: [Field] { [(caseID == nil, Field.caseLabel), (minorStatus == nil, .minorStatus)].filter(\.0).map(\.1) }

    /// At a terminal, asks each missing field (`Guided`): the status among those a declaration is for.
    mutating func askMissing() throws {
        guard Guided.isInteractive else { return }
        for field in missing {
            switch field {
            case .caseLabel: caseID = try Guided.text(.caseLabel)
            case .minorStatus: minorStatus = try Guided.choose(.minorStatus, Guided.choices([Referral.MinorStatus.minor, .allegedMinor]))[0]
            }
        }
    }
}
