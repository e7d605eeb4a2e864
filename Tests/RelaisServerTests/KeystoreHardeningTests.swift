import Foundation
@testable import RelaisClient
import RelaisCore
import RelaisCrypto
import Testing

/// Issue 14, findings 12 and 14: the keystore uses libsodium's moderate Argon2id limits, weaker
/// keystores are re-keyed when the CLI opens them, and new passphrases (typed or in
/// RELAIS_PASSPHRASE) below an estimated strength are refused.
@Suite("Keystore hardening: Argon2id costs and passphrase strength", .serialized)
struct KeystoreHardeningTests {
    /// The cost parameters written in a keystore's header (SPEC.md, "Keystore (client)").
    static func parameters(_ path: String) throws -> (ops: UInt64, mem: UInt64) {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        func u64(_ at: Int) -> UInt64 { bytes[at..<at + 8].reduce(0) { $0 << 8 | UInt64($1) } }
        return (u64(5), u64(13))
    }

    @Test(arguments: [
        ("une phrase de passe assez longue", true),        // the CLI tests' passphrase
        ("demo passphrase, not for real use", true),       // scripts/demo.sh
        ("audit benchmark passphrase", true),              // scripts/bench-audit.sh
        ("correct horse battery staple", true),
        ("k8#Tq2!mZp4w-Lr9", true),
        ("cheval agrafe batterie correcte", true),
        ("short", false),                                 // fewer than 12 characters
        ("Tr0ub4dor&3", false),
        ("motdepasse123", false),
        ("P@ssw0rd2024!", false),                         // a common password, leet-spelled
        ("azertyuiop12", false),
        ("aaaaaaaaaaaaaaaa", false),                      // repeats
        ("abcdefghijklmnop", false),                      // a sequence
        ("123456789012", false),
        ("Summer2024!!", false),
        ("mot de passe 2024", false),
    ])
    func strengthEstimate(passphrase: String, accepted: Bool) {
        let why = PassphraseStrength.weakness(passphrase)
        #expect((why == nil) == accepted, "\(passphrase): \(why ?? "accepted") (\(PassphraseStrength.estimateBits(passphrase)) bits)")
    }

    @Test func initRefusesAWeakPassphraseAndUsesModerateCosts() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisBinary), "build relais first")
        try await LiveRelay.run { live in
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-kdf-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: root) }
            let cli = CLI(root: root, relay: live.url, realKeystoreCost: true)
            for weak in ["motdepasse", "azertyuiop2024", "aaaaaaaaaaaaaaaa"] {
                let r = try await cli.run("p", ["init", "--relay", live.url.absoluteString], passphrase: weak)
                #expect(r.status == 64, "\(weak): exit \(r.status)")
                #expect(r.err.contains("RELAIS_PASSPHRASE") && !r.err.contains(weak), "names the source, never the passphrase: \(r.err)")
                #expect(!FileManager.default.fileExists(atPath: root + "/p/keystore"), "nothing created")
            }
            try await cli.ok("p", ["init", "--relay", live.url.absoluteString])
            let moderate = Argon2id.Parameters.moderate
            let written = try Self.parameters(root + "/p/keystore")
            #expect(written.ops == moderate.opsLimit && written.mem == UInt64(moderate.memLimit))
            #expect(moderate.opsLimit >= 3 && moderate.memLimit >= 256 * 1024 * 1024)
            // Opening an existing profile takes no strength check: its passphrase was chosen before.
            try await cli.ok("p", ["fingerprint"])
        }
    }

    @Test func thePassphraseChangesOnlyToAStrongOne() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisBinary), "build relais first")
        try await LiveRelay.run { live in
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-pass-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: root) }
            let cli = CLI(root: root, relay: live.url, realKeystoreCost: true)
            try await cli.ok("p", ["init", "--relay", live.url.absoluteString])
            let before = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/p/keystore")))
            let weak = try await cli.run("p", ["passphrase"], environment: ["RELAIS_NEW_PASSPHRASE": "soleil2024!"])
            #expect(weak.status == 64 && weak.err.contains("RELAIS_NEW_PASSPHRASE"), "exit \(weak.status): \(weak.err)")
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/p/keystore"))) == before, "a refusal changes nothing")
            let strong = "trois pommes vertes sous la pluie"
            let changed = try await cli.run("p", ["passphrase"], environment: ["RELAIS_NEW_PASSPHRASE": strong])
            #expect(changed.status == 0, "exit \(changed.status): \(changed.err)")
            #expect(try await cli.run("p", ["fingerprint"]).status == 77, "the old passphrase no longer opens it")
            #expect(try await cli.run("p", ["fingerprint"], passphrase: strong).status == 0)
            let after = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/p/keystore")))
            #expect(after[21..<37] != before[21..<37], "a fresh salt")
            #expect(try Self.parameters(root + "/p/keystore").ops == Argon2id.Parameters.moderate.opsLimit)
        }
    }

    @Test func aWeakerKeystoreIsRekeyedWhenTheCLIOpensIt() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisBinary), "build relais first")
        try await LiveRelay.run { live in
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-rekey-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: root) }
            let passphrase = SecretBytes(Array(CLI.passphrase.utf8))
            let made = try await LocalDevice.create(directory: root + "/p", relay: live.url, passphrase: passphrase, parameters: .interactive)
            let before = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/p/keystore")))
            #expect(try Self.parameters(root + "/p/keystore").ops == Argon2id.Parameters.interactive.opsLimit)
            let cli = CLI(root: root, relay: live.url, realKeystoreCost: true)
            let shown = try await cli.ok("p", ["fingerprint", "--json"]).string("deviceId")
            #expect(shown == made.identity.deviceID.hex)
            let after = try Self.parameters(root + "/p/keystore")
            #expect(after.ops == Argon2id.Parameters.moderate.opsLimit && after.mem == UInt64(Argon2id.Parameters.moderate.memLimit))
            let salt = { (b: [UInt8]) in Array(b[21..<37]) }
            #expect(salt(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/p/keystore")))) != salt(before), "a fresh salt")
            let reopened = try LocalDevice.open(directory: root + "/p", passphrase: passphrase)
            #expect(reopened.identity.deviceID == made.identity.deviceID)
        }
    }

    /// The test suite's cheap keystore (RELAIS_INSECURE_TEST_KEYSTORE=1, debug builds only) is
    /// what the variable says and no more: made at libsodium's minimum, re-keyed to MODERATE the
    /// first time the binary opens it without the variable.
    @Test func theTestSuitesCheapKeystoreIsRekeyedWithoutItsVariable() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisBinary), "build relais first")
        try await LiveRelay.run { live in
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-cheap-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: root) }
            let cheap = CLI(root: root, relay: live.url), real = CLI(root: root, relay: live.url, realKeystoreCost: true)
            try await cheap.ok("p", ["init", "--relay", live.url.absoluteString])
            #expect(try Self.parameters(root + "/p/keystore").ops == Argon2id.Parameters.minimum.opsLimit)
            let id = try await cheap.deviceID("p")
            #expect(try Self.parameters(root + "/p/keystore").ops == Argon2id.Parameters.minimum.opsLimit, "opened with the variable: left as it is")
            #expect(try await real.deviceID("p") == id)
            let after = try Self.parameters(root + "/p/keystore")
            #expect(after.ops == Argon2id.Parameters.moderate.opsLimit && after.mem == UInt64(Argon2id.Parameters.moderate.memLimit))
        }
    }
}
