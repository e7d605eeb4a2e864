import ArgumentParser
import Foundation
import RelaisClient

/// `relais evidence export [--out FILE]`: the evidence this device kept when the relay showed an
/// audit log that did not extend the one it had verified (SPEC.md, "The client's log state"), as
/// a JSON document a third party checks with the log's verifier key alone. No passphrase: the
/// evidence holds only what the relay published.
struct Evidence: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: Message.evidenceAbstract.text, subcommands: [Export.self])
    }

    struct Export: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.evidenceExportAbstract.text) }
        @OptionGroup var options: ProfileOptions
        @Option(name: .long, help: ArgumentHelp(Message.evidenceOutHelp.text, valueName: "FILE"))
        var out: String?

        func run() async throws {
            try await guarded {
                guard let evidence = try LocalDevice.logEvidence(directory: options.location.config), !evidence.items.isEmpty else {
                    FileHandle.standardError.write(Data((Message.evidenceWritten(count: 0, path: nil).text + "\n").utf8))
                    return
                }
                if let out {
                    try evidence.write(to: out)
                    FileHandle.standardError.write(Data((Message.evidenceWritten(count: evidence.items.count, path: out).text + "\n").utf8))
                } else {
                    FileHandle.standardOutput.write(Data(evidence.json))
                }
            }
        }
    }
}
