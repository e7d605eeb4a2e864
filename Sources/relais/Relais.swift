import ArgumentParser
import Foundation
import RelaisClient
import RelaisCrypto
import RelaisCore

/// The Relais command-line client. Logic lives in RelaisClient; this executable parses, calls
/// and prints.
@main
struct Relais: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relais",
        abstract: "Secure referral relay client: sealed referrals between partner organisations.",
        discussion: """
        Exit status: 0 success, 64 usage error, 65 verification failure (a signature, a key or an \
        envelope did not check out), 66 no profile or not found, 69 the relay refused or is unreachable, \
        75 this device is not active yet, 77 wrong passphrase.
        """,
        version: "0.3.0 (protocol v1)",
        subcommands: [Init.self, Enrol.self, PassphraseCommand.self, WhoAmI.self, FingerprintCommand.self, Directory.self, Trust.self,
                      Send.self, Inbox.self, Open.self, Ack.self, Reply.self, ConsentCommand.self, Declare.self, OutsideReport.self, Audit.self, Keys.self, Purge.self,
                      Config.self, Admin.self, Contacts.self, Cases.self,
                      Demo.self, RelayDemoCommand.self])
}

/// Options every profile command takes.
struct ProfileOptions: ParsableArguments {
    @Option(name: .long, help: "Profile directory (default: $RELAIS_HOME, else ~/.config/relais).")
    var profile: String?

    @Flag(name: .long, help: "Machine-readable JSON output.")
    var json = false

    var directory: String {
        if let profile { return profile }
        if let home = ProcessInfo.processInfo.environment["RELAIS_HOME"], !home.isEmpty { return home }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config/relais").path
    }

    /// Opens the profile, asking for the passphrase (or reading RELAIS_PASSPHRASE).
    func open() throws -> LocalDevice {
        try LocalDevice.open(directory: directory, passphrase: try Passphrase.read(prompt: "Passphrase: "), minimumParameters: .moderate)
    }
}
