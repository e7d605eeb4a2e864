import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

struct Keys: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.keysAbstract.text, subcommands: [Rotate.self]) }

    struct Rotate: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.rotateAbstract.text) }
        @OptionGroup var options: ProfileOptions

        func run() async throws {
            try await guarded {
                let device = try options.open()
                _ = try await device.refresh()
                try await device.rotatePrekeys(force: true)
                try emit(options.json, ["prekeys": device.heldPrekeys]) {
                    Message.prekeyPublished(held: device.heldPrekeys.count).text
                }
            }
        }
    }
}

struct Purge: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.purgeAbstract.text) }
    @OptionGroup var options: ProfileOptions

    func run() async throws {
        try await guarded {
            let device = try options.open()
            let erased = try device.purgeLocal()
            try emit(options.json, ["erased": erased, "kept": device.openedReferrals.count]) {
                Message.purged(erased: erased, retentionDays: device.settings.retentionDays, kept: device.openedReferrals.count).text
            }
        }
    }
}

struct Config: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.configAbstract.text) }
    @OptionGroup var options: ProfileOptions
    @Option(help: ArgumentHelp(Message.configRetentionHelp.text)) var retentionDays: Int?
    @Option(help: ArgumentHelp(Message.configRelayHelp.text)) var relay: String?
    @Option(name: .customLong("witness"), help: ArgumentHelp(Message.configWitnessHelp.text, valueName: "KEY")) var witnesses: [String] = []
    @Option(help: ArgumentHelp(Message.configWitnessesRequiredHelp.text, valueName: "K")) var witnessesRequired: Int?
    @Flag(help: ArgumentHelp(Message.configNoWitnessesHelp.text)) var noWitnesses = false

    func run() async throws {
        try await guarded {
            let device = try options.open()
            if let retentionDays { try device.setRetention(days: retentionDays) }
            if let relay {
                guard let url = URL(string: relay), url.scheme == "http" || url.scheme == "https" else { throw ValidationError(Message.configRelayURL.text) }
                try device.setRelay(url)
            }
            if noWitnesses || !witnesses.isEmpty || witnessesRequired != nil {
                try device.setWitnesses(noWitnesses ? [] : witnesses.isEmpty ? device.requiredWitnesses.keys : witnesses, required: witnessesRequired)
            }
            // `relais config --lang fr` keeps the language in the profile (`--lang` is read before parsing, `LanguageChoice`).
            if let language = LanguageChoice.flag { try device.setLanguage(language) }
            let witnessed = device.requiredWitnesses
            try emit(options.json, ["relay": device.settings.relay, "retentionDays": String(device.settings.retentionDays),
                                    "language": device.settings.language ?? "", "witnesses": witnessed.keys.joined(separator: ","),
                                    "witnessesRequired": String(witnessed.required)]) {
                Message.configShow(relay: device.settings.relay, retentionDays: device.settings.retentionDays,
                                   language: device.settings.language).text + "\n" + Message.configWitnesses(required: witnessed.required, keys: witnessed.keys).text
            }
        }
    }
}
