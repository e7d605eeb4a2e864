import ArgumentParser
import RelaisClient
import RelaisCore

/// The guide's national contacts with their hours (`Hotlines`), in French: no profile, no relay.
struct Contacts: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.contactsAbstract.text) }
    @Flag(name: .long, help: ArgumentHelp(Message.jsonHelp.text)) var json = false

    func run() throws {
        try emit(json, Hotlines.all) {
            ([Message.contactsHeading.text, ""]
                + Hotlines.all.map { $0.text + "\n" }).joined(separator: "\n")
        }
    }
}
