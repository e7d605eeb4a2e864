import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

struct Directory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List and search organisations; every record is verified against the pinned operator key.",
        discussion: """
        Filters combine. National organisations match every --departement. An organisation published before version 2 \
        of the record says nothing of services, languages or public, so it matches no --need, --language or --public.
        """)
    @OptionGroup var options: ProfileOptions
    @Option(help: "Partner category (\(PartnerCategory.allCases.map(\.rawValue).joined(separator: ", "))).") var category: String?
    @Option(help: "Département code, for example 93.") var departement: String?
    @Option(help: "A need it meets (\(Referral.Need.allCases.map(\.rawValue).joined(separator: ", "))).") var need: String?
    @Option(help: "A language spoken, ISO 639 (fr, en, ro…).") var language: String?
    @Option(name: .customLong("public"), help: "Whom it receives: \(OrganisationRecord.ServedGroup.allCases.map(\.rawValue).joined(separator: ", ")).")
    var group: String?
    @Flag(help: "Only organisations accredited for the exit programme today (in --departement, if given).") var accredited = false

    func run() async throws {
        try await guarded {
            let now = UInt64(Date().timeIntervalSince1970)
            let query = try self.query(now: now)
            let orgs = try await options.open().organisations(matching: query)
            try emit(options.json, orgs.map { Entry($0, now: now) }) {
                orgs.isEmpty ? "No organisation matches." : orgs.map { Self.describe($0, now: now) }.joined(separator: "\n\n")
            }
        }
    }

    func query(now: UInt64) throws -> DirectoryQuery {
        var q = DirectoryQuery(departement: departement, language: language, accreditedAt: accredited ? now : nil)
        if let category {
            guard let c = PartnerCategory(rawValue: category) else { throw ValidationError("unknown category \(category)") }
            q.category = c
        }
        if let departement, !OrganisationRecord.isDepartement(departement) {
            throw ValidationError("--departement takes a code such as 75, 2A or 971")
        }
        if let language, !OrganisationRecord.isLanguage(language) {
            throw ValidationError("--language takes a lowercase ISO 639 code such as fr, en, ro")
        }
        if let need {
            guard let n = Referral.Need(rawValue: need) else { throw ValidationError("unknown need \(need)") }
            q.need = n
        }
        if let group {
            guard let g = OrganisationRecord.ServedGroup(rawValue: group) else {
                throw ValidationError("--public takes \(OrganisationRecord.ServedGroup.allCases.map(\.rawValue).joined(separator: ", "))")
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
        let scope = o.nationalScope == true ? "national" : o.departements.joined(separator: ", ")
        var lines = ["\(o.id)  \(o.name)  [\(o.category.rawValue); \(scope)]"]
        if let p = o.publicServed {
            var who = [(p.women, "women"), (p.men, "men"), (p.transPeople, "trans people")].filter(\.0).map(\.1)
            who.append(p.minorsAccepted ? "minors accepted" : "adults only")
            if p.minAge != nil || p.maxAge != nil { who.append("ages \(p.minAge.map(String.init) ?? "0")–\(p.maxAge.map(String.init) ?? "")") }
            if p.traffickingVictimsOnly { who.append("trafficking victims only") }
            lines.append("  public: \(who.joined(separator: ", "))")
        }
        if let l = o.languages { lines.append("  languages: \(l.joined(separator: ", "))") }
        if let s = o.services, !s.isEmpty { lines.append("  services: \(s.map(\.rawValue).joined(separator: ", "))") }
        if let phone = o.phone { lines.append("  phone: \(phone)") }
        if let hours = o.openingHours { lines.append("  hours: \(hours)") }
        if o.version == 1, let until = o.exitProgrammeAccreditedUntil, o.isAccreditedForExitProgramme(at: now) {
            lines.append("  accredited (exit programme) until \(date(until))")
        }
        for a in o.exitProgrammeAccreditations ?? [] {
            let state = a.from <= now && now < a.until ? "accredited" : a.until <= now ? "lapsed" : "upcoming"
            lines.append("  exit programme in \(a.departement): \(state), \(date(a.from)) to \(date(a.until))")
        }
        return lines.joined(separator: "\n")
    }
}
