import ArgumentParser
import RelaisCore

/// The guide's national contacts with their hours (`Hotlines`), in French: no profile, no relay.
struct Contacts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Les contacts utiles du guide : 119, 3919, 0 800 05 95 95, 115, AcSé, signalement en ligne (avec leurs horaires).")
    @Flag(name: .long, help: "Machine-readable JSON output.") var json = false

    func run() throws {
        try emit(json, Hotlines.all) {
            (["Contacts utiles (guide d'Île-de-France pour les professionnel·les)", ""]
                + Hotlines.all.map { $0.text + "\n" }).joined(separator: "\n")
        }
    }
}
