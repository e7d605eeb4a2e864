import ArgumentParser
import Foundation
import RelaisClient
import RelaisCrypto
import RelaisCore

/// The Relais command-line client. Logic lives in RelaisClient; this executable parses, calls
/// and prints.
@main
struct Relais: AsyncParsableCommand {
    // Computed: help texts are read in the language chosen at start-up (`LanguageChoice`).
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "relais",
        abstract: Message.relaisAbstract.text,
        discussion: Message.exitStatuses.text,
        version: "\(RelaisVersion.current) (protocol v1)",
        subcommands: [Init.self, Enrol.self, PassphraseCommand.self, WhoAmI.self, FingerprintCommand.self, Directory.self, Trust.self,
                      Send.self, Inbox.self, Open.self, Ack.self, Reply.self, ConsentCommand.self, Declare.self, OutsideReport.self, Audit.self, Keys.self, Purge.self,
                      Config.self, Admin.self, Contacts.self, Cases.self, Watch.self,
                      Evidence.self, Monitor.self, Demo.self, RelayDemoCommand.self]) }

    /// Chooses the language (`LanguageChoice`), then parses and runs as ArgumentParser does, with
    /// its refusals of a value read in that language.
    static func main() async {
        let arguments = LanguageChoice.start(arguments: Array(CommandLine.arguments.dropFirst()),
                                             environment: ProcessInfo.processInfo.environment)
        do {
            var command = try await asyncParseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .success, !(error is ExitCode), Messages.language == .fr {
                print(LanguageChoice.translateHelp(fullMessage(for: error)))  // help or version
                exit(withError: ExitCode.success)
            }
            if let text = LanguageChoice.parserMessage(fullMessage(for: error)) {
                FileHandle.standardError.write(Data("\(text)\n".utf8))
                exit(withError: ExitCode(64))
            }
            exit(withError: error)
        }
    }
}

/// Options every profile command takes.
struct ProfileOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(Message.profileHelp.text))
    var profile: String?

    @Flag(name: .long, help: ArgumentHelp(Message.jsonHelp.text))
    var json = false

    @Option(name: .long, help: ArgumentHelp(Message.passphraseFileHelp.text, valueName: "FILE"))
    var passphraseFile: String?

    /// Only for help: `LanguageChoice` takes `--lang` off the command line before it is parsed.
    @Option(name: .long, help: ArgumentHelp(Message.langHelp.text, valueName: "fr|en"))
    var lang: String?

    var directory: String { Self.directory(profile: profile) }
    /// The profile's directories (`ProfileLocation`: XDG, or one directory with --profile or $RELAIS_HOME).
    var location: ProfileLocation { ProfileLocation.resolve(profile: profile) }

    /// The profile's configuration directory: `profile` (`--profile`), else $RELAIS_HOME, else
    /// $XDG_CONFIG_HOME/relais (~/.config/relais).
    static func directory(profile: String?) -> String { ProfileLocation.resolve(profile: profile).config }

    /// Opens the profile, asking for the passphrase (or reading RELAIS_PASSPHRASE).
    func open() throws -> LocalDevice {
        try LocalDevice.open(directory: location.config, dataDirectory: location.data, passphrase: try Passphrase.read(prompt: Message.passphrasePrompt.text, file: passphraseFile), minimumParameters: KeystoreCost.parameters)
    }
}
