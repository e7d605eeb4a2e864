import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Prekey management.", subcommands: [Rotate.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a new prekey now, and erase private prekeys no living envelope can need.")
        @OptionGroup var options: ProfileOptions

        func run() async throws {
            try await guarded {
                let device = try options.open()
                _ = try await device.refresh()
                try await device.rotatePrekeys(force: true)
                try emit(options.json, ["prekeys": device.heldPrekeys]) {
                    "New prekey published. Private prekeys held: \(device.heldPrekeys.count) (each kept until no envelope sealed to it can be alive)."
                }
            }
        }
    }
}

struct Purge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Erase opened referrals older than this profile's retention period, and expired prekeys.")
    @OptionGroup var options: ProfileOptions

    func run() async throws {
        try await guarded {
            let device = try options.open()
            let erased = try device.purgeLocal()
            try emit(options.json, ["erased": erased, "kept": device.openedReferrals.count]) {
                "Erased \(erased) referral(s) past the \(device.settings.retentionDays)-day retention; \(device.openedReferrals.count) kept."
            }
        }
    }
}

struct Config: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show or change this profile's settings.")
    @OptionGroup var options: ProfileOptions
    @Option(help: "Days an opened referral stays in the encrypted local store (default 90).") var retentionDays: Int?
    @Option(help: "The relay's new address (the same relay: keys and pins are kept).") var relay: String?

    func run() async throws {
        try await guarded {
            let device = try options.open()
            if let retentionDays { try device.setRetention(days: retentionDays) }
            if let relay {
                guard let url = URL(string: relay), url.scheme == "http" || url.scheme == "https" else { throw ValidationError("--relay must be an http(s) URL") }
                try device.setRelay(url)
            }
            try emit(options.json, ["relay": device.settings.relay, "retentionDays": String(device.settings.retentionDays)]) {
                "relay           \(device.settings.relay)\nretention days  \(device.settings.retentionDays)"
            }
        }
    }
}
