import Foundation
@testable import RelaisClient
import RelaisCore
import RelaisCrypto
import Testing

/// Issue 16, "The conventions of a Unix tool": profiles under the XDG directories, with the real
/// binary run without --profile under a temporary HOME.
@Suite("Profiles under XDG (issue 16)", .serialized)
struct ProfileLocationTests {
    static func temporary() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relais-xdg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func whereAProfileLives() throws {
        let home = try Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: home) }
        func at(_ profile: String?, _ env: [String: String]) -> ProfileLocation { ProfileLocation.resolve(profile: profile, environment: env, home: home) }
        #expect(at(nil, [:]) == ProfileLocation(config: home + "/.config/relais", data: home + "/.local/share/relais"))
        #expect(at(nil, ["XDG_CONFIG_HOME": "/x/cfg", "XDG_DATA_HOME": "/x/data"]) == ProfileLocation(config: "/x/cfg/relais", data: "/x/data/relais"))
        #expect(at(nil, ["XDG_CONFIG_HOME": "relative", "XDG_DATA_HOME": ""]) == at(nil, [:]), "a relative or empty value is ignored")
        #expect(at(nil, ["RELAIS_HOME": "/r", "XDG_CONFIG_HOME": "/x/cfg"]) == ProfileLocation(config: "/r", data: "/r"))
        #expect(at("/p", ["RELAIS_HOME": "/r"]) == ProfileLocation(config: "/p", data: "/p"))
        // A profile in the old place (~/.config/relais) is still used while the new place has none.
        try FileManager.default.createDirectory(atPath: home + "/.config/relais", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: home + "/.config/relais/keystore", contents: Data("x".utf8))
        #expect(at(nil, ["XDG_CONFIG_HOME": home + "/cfg", "XDG_DATA_HOME": "/x/data"]) == ProfileLocation(config: home + "/.config/relais", data: "/x/data/relais"))
        try FileManager.default.createDirectory(atPath: home + "/cfg/relais", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: home + "/cfg/relais/keystore", contents: Data("x".utf8))
        #expect(at(nil, ["XDG_CONFIG_HOME": home + "/cfg"]).config == home + "/cfg/relais", "once the new place has one, it is used")
    }

    /// Runs the binary with no --profile, under `environment` (HOME, XDG_*), RELAIS_HOME unset.
    func bare(_ args: [String], _ environment: [String: String]) async throws -> CLI.Result {
        try await offCooperativePool {
            var env = ProcessInfo.processInfo.environment
            for key in ["RELAIS_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"] { env.removeValue(forKey: key) }
            env["RELAIS_PASSPHRASE"] = CLI.passphrase
            env.merge(CLI.testEnvironment) { _, new in new }
            env.merge(environment) { _, new in new }
            return try CLI.process(args, environment: env)
        }
    }

    @Test func theBinaryUsesTheXDGDirectories() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            let root = try Self.temporary()
            defer { try? FileManager.default.removeItem(atPath: root) }
            let fm = FileManager.default
            let env = ["HOME": root + "/home", "XDG_CONFIG_HOME": root + "/cfg", "XDG_DATA_HOME": root + "/data"]
            @discardableResult func ok(_ args: [String], _ env: [String: String] = env) async throws -> CLI.Result {
                let r = try await bare(args, env)
                try #require(r.status == 0, "relais \(args.joined(separator: " ")) exited \(r.status): \(r.err)")
                return r
            }
            // A member of the association, enrolled with no --profile.
            let invite = try await cli.ok("assoc1", ["admin", "invite", "--role", "member", "--json"]).string("invite")
            try await ok(["init", "--relay", w.live.url.absoluteString])
            #expect(fm.fileExists(atPath: root + "/cfg/relais/keystore") && fm.fileExists(atPath: root + "/cfg/relais/profile.json"))
            #expect(!fm.fileExists(atPath: root + "/home/.config/relais"))
            try await ok(["enrol", invite])
            let me = try await ok(["fingerprint", "--json"])
            try await cli.ok("assoc1", ["admin", "approve", try me.string("deviceId"), "--fingerprint", try me.string("fingerprint")])
            try await ok(["whoami"])

            // What it opens is kept under XDG_DATA_HOME, encrypted; the keystore keeps none of it.
            let envelope = try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("envelopeId")
            #expect(try await ok(["open", envelope]).out.contains("Rencontrée en maraude"))
            let referrals = root + "/data/relais/referrals"
            let stored = try #require(fm.contents(atPath: referrals))
            #expect(stored.range(of: Data("Rencontrée".utf8)) == nil, "encrypted")
            #expect((try fm.attributesOfItem(atPath: referrals)[.posixPermissions] as? Int) == 0o600)
            #expect(!fm.fileExists(atPath: root + "/cfg/relais/referrals"))
            let cfg = root + "/cfg/relais"
            let device = try LocalDevice.open(directory: cfg, dataDirectory: root + "/data/relais", passphrase: SecretBytes(Array(CLI.passphrase.utf8)))
            #expect(device.openedReferrals.map(\.envelopeId.hex) == [envelope])
            let (plaintext, _) = try Keystore.open(Array(try #require(fm.contents(atPath: cfg + "/keystore"))), passphrase: SecretBytes(Array(CLI.passphrase.utf8)))
            func opened(_ plaintext: [UInt8]) throws -> [Any] {
                let vault = try #require(try JSONSerialization.jsonObject(with: Data(plaintext)) as? [String: Any])
                return try #require(vault["opened"] as? [Any])
            }
            #expect(try opened(plaintext).isEmpty, "no opened referral in the keystore")

            // A profile written before, its opened referrals in the keystore and no referrals file:
            // it opens, and the next write moves them to the data directory.
            var old = device.vault
            old.referralsKey = nil
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            #expect(old.opened.count == 1)
            try fm.removeItem(atPath: cfg + "/keystore")
            try Keystore.writeAtomically(try Keystore.seal(Array(try encoder.encode(old)), key: device.key), to: cfg + "/keystore")
            try fm.removeItem(atPath: referrals)
            #expect(try await ok(["open", envelope]).out.contains("Rencontrée en maraude"), "read from the keystore")
            #expect(fm.fileExists(atPath: referrals), "moved to the data directory")
            let (after, _) = try Keystore.open(Array(try #require(fm.contents(atPath: cfg + "/keystore"))), passphrase: SecretBytes(Array(CLI.passphrase.utf8)))
            #expect(try opened(after).isEmpty)

            // The old place: the same profile in ~/.config/relais, XDG_CONFIG_HOME elsewhere with none.
            try fm.createDirectory(atPath: root + "/home/.config", withIntermediateDirectories: true)
            try fm.moveItem(atPath: cfg, toPath: root + "/home/.config/relais")
            let fromOld = try await ok(["fingerprint", "--json"])
            #expect(try fromOld.string("deviceId") == (try me.string("deviceId")))
            #expect(try await ok(["open", envelope]).out.contains("Rencontrée en maraude"))
            // --profile and RELAIS_HOME keep working, everything in one directory.
            let single = try await ok(["fingerprint", "--json"], ["HOME": root + "/elsewhere", "RELAIS_HOME": root + "/home/.config/relais"])
            #expect(try single.string("deviceId") == (try me.string("deviceId")))
            let none = try await bare(["whoami"], ["HOME": root + "/nobody"])
            #expect(none.status == 66 && none.err.contains(root + "/nobody/.config/relais"), "\(none.err)")
        }
    }
}
