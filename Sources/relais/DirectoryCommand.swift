import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

struct Directory: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        abstract: Message.directoryAbstract.text, discussion: Message.directoryDiscussion.text) }
    @OptionGroup var options: ProfileOptions
    @Option(help: ArgumentHelp(Message.directoryCategoryHelp.text)) var category: PartnerCategory?
    @Option(help: ArgumentHelp(Message.directoryDepartementHelp.text)) var departement: String?
    @Option(help: ArgumentHelp(Message.directoryNeedHelp.text)) var need: Referral.Need?
    @Option(help: ArgumentHelp(Message.directoryLanguageHelp.text)) var language: String?
    @Option(name: .customLong("public"), help: ArgumentHelp(Message.directoryPublicHelp.text + " (\(OrganisationRecord.ServedGroup.allCases.map(\.rawValue).joined(separator: ", ")))"))
    var group: String?
    @Flag(help: ArgumentHelp(Message.directoryAccreditedHelp.text)) var accredited = false

    func run() async throws {
        try await guarded {
            let now = UInt64(Date().timeIntervalSince1970)
            let query = try self.query(now: now)
            let orgs = try await options.open().organisations(matching: query)
            try emit(options.json, orgs.map { Entry($0, now: now) }) {
                orgs.isEmpty ? Message.noOrganisation.text : orgs.map { Self.describe($0, now: now) }.joined(separator: "\n\n")
            }
        }
    }

    func query(now: UInt64) throws -> DirectoryQuery {
        var q = DirectoryQuery(departement: departement, language: language, accreditedAt: accredited ? now : nil)
        q.category = category
        if let departement, !OrganisationRecord.isDepartement(departement) {
            throw ValidationError(Message.departementFormat.text)
        }
        if let language, !OrganisationRecord.isLanguage(language) {
            throw ValidationError(Message.languageFormat.text)
        }
        q.need = need
        if let group {
            guard let g = OrganisationRecord.ServedGroup(rawValue: group) else {
                throw ValidationError(Message.publicChoices(OrganisationRecord.ServedGroup.allCases.map(\.rawValue)).text)
            }
            q.group = g
        }
        return q
    }

    /// The JSON form: the record's fields, and where it is accredited today.
    struct Entry: Encodable {
        let id, name, category: String
        let version: Int
        let departements: [String]
        let nationalScope: Bool
        let publicServed: OrganisationRecord.PublicServed?
        let languages: [String]?
        let services: [Referral.Need]?
        let phone, openingHours: String?
        let exitProgrammeAccreditations: [OrganisationRecord.ExitProgrammeAccreditation]?
        let exitProgrammeAccreditedUntil: UInt64?
        let accreditedToday: [String]

        init(_ o: OrganisationRecord, now: UInt64) {
            (id, name, category, version) = (o.id.hex, o.name, o.category.rawValue, o.version)
            (departements, nationalScope) = (o.departements, o.nationalScope ?? false)
            (publicServed, languages, services, phone, openingHours) = (o.publicServed, o.languages, o.services, o.phone, o.openingHours)
            (exitProgrammeAccreditations, exitProgrammeAccreditedUntil) = (o.exitProgrammeAccreditations, o.exitProgrammeAccreditedUntil)
            accreditedToday = o.accreditedDepartements(at: now)
        }
    }

    static func describe(_ o: OrganisationRecord, now: UInt64) -> String {
        let l = Messages.language
        let scope = o.nationalScope == true ? Message.nationalScope.text : o.departements.joined(separator: ", ")
        var lines = ["\(o.id)  \(o.name)  [\(o.category.label(l)); \(scope)]"]
        if let p = o.publicServed {
            let ages = p.minAge != nil || p.maxAge != nil ? "\(p.minAge.map(String.init) ?? "0")–\(p.maxAge.map(String.init) ?? "")" : nil
            lines.append(Message.directoryLine(.publicServed, Message.publicServed(women: p.women, men: p.men, trans: p.transPeople, minors: p.minorsAccepted,
                                                                                   ages: ages, traffickingOnly: p.traffickingVictimsOnly).text).text)
        }
        if let langs = o.languages { lines.append(Message.directoryLine(.languages, langs.joined(separator: ", ")).text) }
        if let s = o.services, !s.isEmpty { lines.append(Message.directoryLine(.services, s.map { $0.label(l) }.joined(separator: ", ")).text) }
        if let phone = o.phone { lines.append(Message.directoryLine(.phone, phone).text) }
        if let hours = o.openingHours { lines.append(Message.directoryLine(.hours, hours).text) }
        if o.version == 1, let until = o.exitProgrammeAccreditedUntil, o.isAccreditedForExitProgramme(at: now) {
            lines.append(Message.accreditedUntil(date(until)).text)
        }
        for a in o.exitProgrammeAccreditations ?? [] {
            let state = a.from <= now && now < a.until ? 0 : a.until <= now ? 1 : 2
            lines.append(Message.exitProgrammeIn(departement: a.departement, state: state, from: date(a.from), until: date(a.until)).text)
        }
        return lines.joined(separator: "\n")
    }
}
