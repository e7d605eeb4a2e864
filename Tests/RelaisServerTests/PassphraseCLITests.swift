import Foundation
import Testing

/// Issue 16, passphrases: `--passphrase-file` (mode checked) for scripts, and the terminal device
/// (not standard input) with echo off and restored on Ctrl-C, driven through a real
/// pseudo-terminal by scripts/tty-passphrase.py.
@Suite("Passphrase from a file or the terminal (issue 16)", .serialized)
struct PassphraseCLITests {
    /// A profile made by `relais init` on a live relay; `body` gets its directory.
    func withProfile(_ body: @Sendable (String, String) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-pass-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await LiveRelay.run(at: Date().timeIntervalSince1970, followingRealTime: true) { live in
            let cli = CLI(root: root, relay: live.url)
            try await cli.ok("me", ["init", "--relay", live.url.absoluteString])
            try await body(root, root + "/me")
        }
    }

    /// The binary with no RELAIS_PASSPHRASE.
    func run(_ args: [String]) async throws -> CLI.Result {
        try await offCooperativePool {
            var env = ProcessInfo.processInfo.environment
            env.removeValue(forKey: "RELAIS_PASSPHRASE")
            env.merge(CLI.testEnvironment) { _, new in new }
            env["LANG"] = "C"
            return try CLI.process(args, environment: env)
        }
    }

    @Test func aPassphraseFileIsReadOnlyWhenOthersCannotReadIt() async throws {
        try await withProfile { root, profile in
            let file = root + "/passphrase"
            try Data((CLI.passphrase + "\n").utf8).write(to: URL(fileURLWithPath: file))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
            let ok = try await run(["fingerprint", "--json", "--profile", profile, "--passphrase-file", file])
            #expect(ok.status == 0 && ok.out.contains("deviceId"), "\(ok.err)")

            for mode in [0o644, 0o640, 0o604] {
                try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
                let refused = try await run(["fingerprint", "--profile", profile, "--passphrase-file", file])
                #expect(refused.status == 64, "mode \(String(mode, radix: 8))")
                #expect(refused.err.contains(file) && refused.err.contains(String(mode, radix: 8)) && refused.err.contains("chmod 600"), "\(refused.err)")
                #expect(!refused.err.contains(CLI.passphrase) && refused.out.isEmpty)
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: file)
            let wrong = root + "/wrong"
            _ = FileManager.default.createFile(atPath: wrong, contents: Data("not the passphrase".utf8), attributes: [.posixPermissions: 0o600])
            #expect(try await run(["fingerprint", "--profile", profile, "--passphrase-file", wrong]).status == 77)
            let missing = try await run(["fingerprint", "--profile", profile, "--passphrase-file", root + "/none"])
            #expect(missing.status == 66)
            // Without a terminal, a file or the variable: a usage error that says how.
            let none = try await run(["fingerprint", "--profile", profile])
            #expect(none.status == 64 && none.err.contains("--passphrase-file"), "\(none.err)")
        }
    }

    @Test func theTerminalIsAskedWithEchoOffAndRestoredOnCtrlC() async throws {
        let script = packageRoot.appendingPathComponent("scripts/tty-passphrase.py").path
        try await withProfile { _, profile in
            let result = try await offCooperativePool { () -> (Int32, String) in
                let r = try runProcess("/usr/bin/env", ["python3", script, relaisBinary, profile, CLI.passphrase], errorsIntoOutput: true)
                return (r.status, r.out)
            }
            #expect(result.0 == 0, "\(result.1)")
            for check in ["prompt on the terminal, echo off", "the passphrase typed on the terminal opened the profile", "never echoed", "echo on again",
                          "Ctrl-C ended it by SIGINT", "echo on again after Ctrl-C"] {
                #expect(result.1.contains("ok " + check), "\(result.1)")
            }
        }
    }
}
