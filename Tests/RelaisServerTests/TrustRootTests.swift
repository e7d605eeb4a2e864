import Foundation
@testable import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import Testing

/// Issue 14, finding 9: the roots of trust come with the invite, not from the relay. The real
/// binary enrols through a `LyingRelay` that reports another operator key; pins live in the
/// keystore; plain HTTP is refused except to this machine. Finding 7's invites in the log are
/// checked by a real auditor over a real relay's log.
@Suite("Roots of trust: invite anchors, pins in the keystore", .serialized)
struct TrustRootTests {
    func open(_ cli: CLI, _ profile: String) throws -> LocalDevice {
        try LocalDevice.open(directory: cli.root + "/" + profile, passphrase: SecretBytes(Array(CLI.passphrase.utf8)))
    }

    func profileJSON(_ cli: CLI, _ profile: String) throws -> String {
        try String(contentsOfFile: cli.root + "/" + profile + "/profile.json", encoding: .utf8)
    }

    @Test func enrolmentRefusesARelayShowingAnotherOperatorKey() async throws {
        try await CLITests().withWorld { w in
            try await LyingRelay.run(in: w.live) { proxy in
                let invite = try await w.cli.ok("svcadmin", ["admin", "invite", "--role", "member", "--json"]).string("invite")
                #expect(invite.hasPrefix("ri2_"))
                let cli = CLI(root: w.cli.root, relay: proxy.url)
                try await cli.ok("newpro", ["init", "--relay", proxy.url.absoluteString])
                #expect(try open(cli, "newpro").operatorFingerprint == nil, "init pins nothing")
                let impostor = Ed25519PrivateKey.generate().publicKey
                proxy.lieJSON("GET", "/v1/relay") { $0["operatorPublicKey"] = Hex.encode(impostor.bytes) }
                let refused = try await cli.run("newpro", ["enrol", invite])
                #expect(refused.status == 65, "exit \(refused.status): \(refused.err)")
                #expect(refused.err.contains("DO NOT MATCH THIS INVITE"))
                #expect(proxy.exchanges("POST", "/v1/enrolments").isEmpty, "nothing was sent")
                #expect(try open(cli, "newpro").operatorFingerprint == nil, "nothing was pinned")
                // The log key is anchored too.
                proxy.lieJSON("GET", "/v1/relay") { $0["logVerifierKey"] = "relais.log/0000000000000000+00000000+AQ" + String(repeating: "A", count: 42) + "=" }
                #expect(try await cli.run("newpro", ["enrol", invite]).status == 65)
                // The relay's true keys match: enrolment goes through and pins the operator key in the keystore.
                proxy.lie(nil)
                try await cli.ok("newpro", ["enrol", invite])
                let op = try open(cli, "op")
                #expect(try open(cli, "newpro").operatorFingerprint == op.fingerprint)
                #expect(try open(cli, "newpro").logVerifierKey == op.logVerifierKey)
                // The code of the old form carries no anchor and is refused before anything is sent.
                let code = try #require(InviteCode(invite))
                let old = InviteCode(id: code.id, secret: code.secret, anchor: nil).description
                try await cli.ok("other", ["init", "--relay", proxy.url.absoluteString])
                let before = proxy.exchanges("POST", "/v1/enrolments").count
                #expect(try await cli.run("other", ["enrol", old]).status == 65)
                #expect(proxy.exchanges("POST", "/v1/enrolments").count == before)
            }
        }
    }

    @Test func anIssuerRefusesAnInviteAnchoredToOtherKeys() async throws {
        try await CLITests().withWorld { w in
            try await LyingRelay.run(in: w.live) { proxy in
                let cli = CLI(root: w.cli.root, relay: proxy.url)
                try await cli.ok("svcadmin", ["config", "--relay", proxy.url.absoluteString])
                let other = InviteAnchor(operatorKey: Ed25519PrivateKey.generate().publicKey, logVerifierKey: "x")
                proxy.lieJSON("POST", "/v1/invites") { answer in
                    guard let text = answer["invite"] as? String, let code = InviteCode(text) else { return }
                    answer["invite"] = InviteCode(id: code.id, secret: code.secret, anchor: other).description
                }
                let r = try await cli.run("svcadmin", ["admin", "invite", "--role", "member", "--json"])
                #expect(r.status == 65, "exit \(r.status): \(r.err)")
                #expect(!r.out.contains("ri2_"), "the code is not shown")
            }
        }
    }

    @Test func pinsLiveInTheKeystoreAndWhoamiNeverPins() async throws {
        try await CLITests().withWorld { w in
            for profile in ["op", "pro"] {
                let text = try profileJSON(w.cli, profile)
                #expect(!text.contains("operatorKey") && !text.contains("logVerifierKey"), "profile.json holds no pin")
            }
            let op = try open(w.cli, "op")
            #expect(try open(w.cli, "pro").operatorFingerprint == op.fingerprint)
            // A profile that lost its pin does not take one from the relay on `whoami` (refresh).
            let pro = try open(w.cli, "pro")
            pro.vault.operatorKey = nil
            try pro.save()
            try await w.cli.ok("pro", ["whoami"])
            #expect(try open(w.cli, "pro").operatorFingerprint == nil)
            let r = try await w.cli.run("pro", ["directory"])
            #expect(r.status == 65 && r.err.contains("no operator key is pinned"), "exit \(r.status): \(r.err)")
        }
    }

    @Test func pinsOfAnOlderProfileMoveIntoTheKeystore() async throws {
        try await CLITests().withWorld { w in
            let op = try open(w.cli, "op")
            let pro = try open(w.cli, "pro")
            let (operatorKey, logKey) = (try #require(pro.vault.operatorKey), try #require(pro.vault.logVerifierKey))
            // As an earlier version wrote it: the pins in profile.json, none in the keystore.
            pro.vault.operatorKey = nil
            pro.vault.logVerifierKey = nil
            try pro.save()
            let path = w.cli.root + "/pro/profile.json"
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            object["operatorKey"] = operatorKey
            object["logVerifierKey"] = logKey
            try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
            try await w.cli.ok("pro", ["directory"])
            #expect(!(try profileJSON(w.cli, "pro")).contains("operatorKey"), "moved out of profile.json")
            let moved = try open(w.cli, "pro")
            #expect(moved.operatorFingerprint == op.fingerprint && moved.logVerifierKey == logKey)
        }
    }

    @Test func plainHTTPIsRefusedExceptToThisMachine() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-http-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cli = CLI(root: root, relay: URL(string: "http://127.0.0.1:1")!)
        // Refused before any connection: 192.0.2.1 (TEST-NET-1) is never contacted.
        for url in ["http://192.0.2.1:8080", "http://relais.example.org", "http://[2001:db8::1]:8080", "ftp://127.0.0.1"] {
            let r = try await cli.run("p", ["init", "--relay", url])
            #expect(r.status == 64, "\(url): exit \(r.status): \(r.err)")
            #expect(!FileManager.default.fileExists(atPath: root + "/p/keystore"))
        }
        for url in ["http://127.0.0.1:8080", "http://127.1.2.3", "http://localhost:8080", "http://[::1]:8080", "https://relais.example.org"] {
            #expect(throws: Never.self, "\(url)") { try LocalDevice.checkRelayURL(URL(string: url)!) }
        }
        #expect(throws: LocalError.self) { try LocalDevice.checkRelayURL(URL(string: "http://127.0.0.1.example.org")!) }
    }

    @Test func theOperatorInviteFileGoesOnceRedeemed() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relais-opinvite-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/operator-invite"
        try await LiveRelay.run(dataDirectory: dir) { live in
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(live.operatorInvite.anchor != nil)
            _ = try await Network.build(on: live)
            #expect(!FileManager.default.fileExists(atPath: path), "removed at redemption")
        }
        // A copy left behind (another relay on the same store wrote it) goes at the next start.
        try Data("ri2_stale\n".utf8).write(to: URL(fileURLWithPath: path))
        try await LiveRelay.run(dataDirectory: dir) { _ in
            #expect(!FileManager.default.fileExists(atPath: path), "removed at start once the relay has an operator")
        }
    }

    @Test func anAuditorSeesInvitesAndARealLogHasNoFinding() async throws {
        try await CLITests().withWorld { w in
            try await w.cli.enrol("aud", by: "op", role: "auditor")
            let pending = try await w.cli.ok("op", ["admin", "invite", "--role", "admin", "--org", w.association, "--json"]).string("invite")
            let id = try #require(InviteCode(pending)).id.hex
            let out = w.cli.root + "/report.md"
            let r = try await w.cli.run("aud", ["audit", "report", "--out", out])
            #expect(r.status == 0, "exit \(r.status): \(r.err)")
            let report = try String(contentsOfFile: out, encoding: .utf8)
            #expect(report.contains("Findings: **0**"))
            #expect(report.contains("| enrolment-invites |"))
            #expect(report.contains("Issued, not redeemed, not expired: 1") && report.contains(id))
            #expect(!report.contains(String(pending.split(separator: "_")[2])), "never the secret")
        }
    }
}
