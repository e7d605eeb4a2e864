import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

struct Directory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List and search organisations; every record is verified against the pinned operator key.")
    @OptionGroup var options: ProfileOptions
    @Option(help: "Partner category (\(PartnerCategory.allCases.map(\.rawValue).joined(separator: ", "))).") var category: String?
    @Option(help: "Département code, for example 93.") var departement: String?
    @Flag(help: "Only organisations accredited for the exit programme today.") var accredited = false

    func run() async throws {
        try await guarded {
            var cat: PartnerCategory?
            if let category {
                guard let c = PartnerCategory(rawValue: category) else { throw ValidationError("unknown category \(category)") }
                cat = c
            }
            let device = try options.open()
            let now = UInt64(Date().timeIntervalSince1970)
            let orgs = try await device.organisations(category: cat, departement: departement)
                .filter { !accredited || $0.isAccreditedForExitProgramme(at: now) }
            struct Out: Encodable { let id, name, category: String; let departements: [String]; let exitProgrammeAccreditedUntil: UInt64? }
            try emit(options.json, orgs.map { Out(id: $0.id.hex, name: $0.name, category: $0.category.rawValue, departements: $0.departements,
                                                  exitProgrammeAccreditedUntil: $0.exitProgrammeAccreditedUntil) }) {
                orgs.isEmpty ? "No organisation matches." : orgs.map { o in
                    let acc = o.isAccreditedForExitProgramme(at: now) ? "  accredited (exit programme) until \(date(o.exitProgrammeAccreditedUntil!))" : ""
                    return "\(o.id)  \(o.name)  [\(o.category.rawValue); \(o.departements.joined(separator: ", "))]\(acc)"
                }.joined(separator: "\n")
            }
        }
    }
}
