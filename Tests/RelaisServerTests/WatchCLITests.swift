import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import Synchronization
import Testing

/// `relais watch`, the real binary against a live relay: an arrival's line, `--exec` learning
/// nothing of the envelope, `--json`, SIGTERM, and a relay restart in the middle.
@Suite("relais watch", .serialized)
struct WatchCLITests {
    /// A `relais watch` process whose output is read as it comes.
    final class Watcher: Sendable {
        final class Buffer: Sendable {
            let data = Mutex(Data())
            var text: String { data.withLock { String(decoding: $0, as: UTF8.self) } }
        }

        let process: Process
        private let out = Buffer(), err = Buffer()

        var stdout: String { out.text }
        var stderr: String { err.text }

        init(profile: String, _ args: [String], extra: [String: String] = [:]) throws {
            try #require(FileManager.default.isExecutableFile(atPath: relaisBinary), "build relais first: swift build --build-tests builds it")
            process = Process()
            process.executableURL = URL(fileURLWithPath: relaisBinary)
            process.arguments = ["watch"] + args + ["--profile", profile]
            var env = ProcessInfo.processInfo.environment
            env["RELAIS_PASSPHRASE"] = CLI.passphrase
            env.merge(CLI.testEnvironment) { _, new in new }
            env.removeValue(forKey: "RELAIS_HOME")
            env.removeValue(forKey: "LC_ALL")
            env.removeValue(forKey: "LC_MESSAGES")
            env["LANG"] = "C"
            env["TZ"] = "Europe/Paris"
            env.merge(extra) { _, new in new }
            process.environment = env
            let o = Pipe(), e = Pipe()
            process.standardOutput = o
            process.standardError = e
            process.standardInput = FileHandle.nullDevice
            o.fileHandleForReading.readabilityHandler = { [out] h in
                let d = h.availableData
                out.data.withLock { $0.append(d) }
            }
            e.fileHandleForReading.readabilityHandler = { [err] h in
                let d = h.availableData
                err.data.withLock { $0.append(d) }
            }
            try process.run()
        }

        /// Waits (checking every 20 ms) until `condition` holds; fails after `seconds`.
        func until(_ what: String, seconds: Double = 60, _ condition: (Watcher) -> Bool) async throws {
            let deadline = Date().addingTimeInterval(seconds)
            while !condition(self) {
                try #require(Date() < deadline, "relais watch: no \(what) within \(seconds) s; stdout: \(stdout) stderr: \(stderr)")
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        func stderrContains(_ text: String, seconds: Double = 60) async throws {
            try await until("«\(text)» on stderr", seconds: seconds) { $0.stderr.contains(text) }
        }

        /// Waits for the process to end and returns its status.
        func exit(seconds: Double = 60) async throws -> Int32 {
            try await until("exit", seconds: seconds) { !$0.process.isRunning }
            process.waitUntilExit()
            return process.terminationStatus
        }

        deinit { if process.isRunning { process.terminate() } }
    }

    static let ready = "Waiting for new envelopes"

    /// The arrival's line names the sending organisation from the verified directory and the
    /// expiry in local time, and nothing of the content; `--exec` runs once, with no argument and
    /// an environment that holds nothing of the envelope, the profile or the passphrase.
    @Test func watchOnceShowsTheArrivalAndRunsTheCommandWithNothingOfIt() async throws {
        try await CLITests().withWorld { w in
            let capture = w.cli.root + "/exec-capture"
            let watcher = try Watcher(profile: w.cli.root + "/assoc1", ["--once", "--exec", "env > \(capture); echo \"args:$#\" >> \(capture)"])
            try await watcher.stderrContains(Self.ready)
            let sent = try await w.cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("envelopeId")
            #expect(try await watcher.exit() == 0, "\(watcher.stderr)")
            let lines = watcher.stdout.split(separator: "\n")
            #expect(lines.count == 1, "\(watcher.stdout)")
            let line = String(lines.first ?? "")
            #expect(line.hasPrefix("New envelope from “Service social Exemple” (consent):"), "\(line)")
            #expect(line.contains("(Europe/Paris)") && (line.contains("expires in 13 days") || line.contains("expires in 14 days")), "«\(line)»")
            let captured = try String(contentsOfFile: capture, encoding: .utf8)
            #expect(captured.contains("RELAIS_EVENT=arrival"))
            #expect(captured.contains("args:0"))
            let names = Set(captured.split(separator: "\n").compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) }
                .filter { !$0.hasPrefix("args:") })
            #expect(names.subtracting(["RELAIS_EVENT", "PATH", "HOME", "LANG", "PWD", "SHLVL", "_", "OLDPWD"]).isEmpty, "\(names.sorted())")
            for secret in [sent, String(sent.prefix(8)), w.association, w.service, w.consent, "Service social", "Association Exemple", "maraude",
                           "Camille", "CASE-0042", CLI.passphrase, "RELAIS_PASSPHRASE", w.cli.root, w.live.url.absoluteString] {
                #expect(!captured.contains(secret), "the command's environment holds «\(secret)»")
                #expect(!line.contains(secret) || secret == "Service social", "the line holds «\(secret)»")
            }
            // The inbox's listing names the sender and the cover too, in French when asked, never its id.
            let inbox = try await w.cli.ok("assoc1", ["inbox", "--lang", "fr"]).out
            #expect(inbox.contains("de « Service social Exemple » (consentement)") && !inbox.contains(w.service.prefix(8)), "\(inbox)")
        }
    }

    /// `--json`: one object per line; SIGTERM while a long-poll is in flight ends the watch at once, exit 0.
    @Test func jsonLinesAndACleanStopOnSIGTERM() async throws {
        try await CLITests().withWorld { w in
            let watcher = try Watcher(profile: w.cli.root + "/assoc2", ["--json"])
            try await watcher.stderrContains(Self.ready)
            let sent = try await w.cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("envelopeId")
            try await watcher.until("a JSON line") { $0.stdout.hasSuffix("\n") }
            let object = try #require(try JSONSerialization.jsonObject(with: Data(watcher.stdout.utf8)) as? [String: Any])
            #expect(object["event"] as? String == "arrival")
            #expect(object["envelopeId"] as? String == sent)
            #expect(object["organisationId"] as? String == w.service)
            #expect(object["organisation"] as? String == "Service social Exemple")
            #expect((object["expiresAt"] as? String)?.hasSuffix("Z") == true)
            #expect(object["kind"] as? String == "consent")
            #expect(Set(object.keys) == ["event", "envelopeId", "organisationId", "organisation", "kind", "submittedAt", "expiresAt"])
            // The next long-poll is held by the relay now; SIGTERM ends it without waiting for its bound.
            try await Task.sleep(for: .milliseconds(300))
            let start = Date()
            watcher.process.terminate()
            #expect(try await watcher.exit(seconds: 20) == 0)
            #expect(Date().timeIntervalSince(start) < 10)
            #expect(watcher.stderr.contains("Watch stopped."), "\(watcher.stderr)")
        }
    }

    /// The relay stops while the watch waits (its shutdown answers the long-poll), the watch says it
    /// cannot reach it and tries again with backoff; the relay restarts on the same address and
    /// data, the watch reconnects and reports the envelope submitted then.
    @Test func watchSurvivesARelayRestart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relais-watch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/relay", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cli = CLI(root: dir, relay: URL(string: "http://127.0.0.1")!)
        let (net, port, watcher) = try await LiveRelay.run(at: Date().timeIntervalSince1970, followingRealTime: true,
                                                           dataDirectory: dir + "/relay") { live in
            let net = try await Network.build(on: live)
            // A CLI profile for one more member of the association, approved by its admin.
            let (code, _) = try await live.client(net.associationAdmin).createInvite(role: .member)
            try await cli.ok("watcher", ["init", "--relay", live.url.absoluteString])
            try await cli.ok("watcher", ["enrol", code.description])
            let entry = try #require(try await live.client(net.associationAdmin).pendingEnrolments().first)
            let record = try DeviceRecord(identity: DevicePublicIdentity(signingKey: entry.publicKey), organisationId: entry.organisationID,
                                          role: entry.role, enrolledBy: net.associationAdmin.deviceID, inviteId: entry.inviteID,
                                          issuedAt: live.clock.now()).signed(by: net.associationAdmin)
            _ = try await live.client(net.associationAdmin).approve(entry.deviceID, record: record)
            let watcher = try Watcher(profile: dir + "/watcher", ["--once"])
            try await watcher.stderrContains(Self.ready)
            try await Self.eventually { live.relay.inboxWaits.count == 1 }
            return (net, live.url.port ?? 0, watcher)
        }
        try await watcher.stderrContains("the relay does not answer; trying again in")
        try await LiveRelay.run(configure: { $0.port = port }, at: Date().timeIntervalSince1970, followingRealTime: true,
                                dataDirectory: dir + "/relay") { live in
            try await watcher.stderrContains("the relay answers again")
            // Sealed to every device of the association with a prekey, the watcher's included.
            let devices = try await live.client(net.professional).devices(organisation: net.association)
            let recipients = try devices.compactMap { d -> RecipientDevice? in
                guard let bytes = d.signedPrekey else { return nil }
                let signer = DevicePublicIdentity(signingKey: try Ed25519PublicKey(bytes: d.publicKey))
                return RecipientDevice(organisationID: net.association, prekey: try SignedPrekey(verifying: bytes, signer: signer))
            }
            #expect(recipients.count == 3)
            let sealed = try Envelope.seal(referral: Array(#"{"schemaVersion":1}"#.utf8), from: net.professional, to: recipients,
                                           consent: net.consent, expiresAt: live.clock.now() + 86_400, clock: live.clock, rng: SystemRandom())
            _ = try await live.client(net.professional).submit(sealed.bytes)
            #expect(try await watcher.exit() == 0, "\(watcher.stderr)")
            #expect(watcher.stdout.hasPrefix("New envelope from “Service social Exemple”"), "\(watcher.stdout)")
        }
    }

    static func eventually(_ condition: () -> Bool) async throws { try await InboxWaitTests.eventually(condition) }

    /// Backoff: doubling from 1 s, capped at 60 s, each delay between half and all of its step.
    @Test func backoffDoublesUpToItsCapWithJitter() {
        let b = LocalDevice.Backoff()
        #expect(b.delay(attempt: 1, random: 0) == .milliseconds(500))
        #expect(b.delay(attempt: 1, random: 1) == .seconds(1))
        #expect(b.delay(attempt: 3, random: 0.5) == .seconds(3))
        #expect(b.delay(attempt: 7, random: 1) == .seconds(60))
        #expect(b.delay(attempt: 7, random: 0) == .seconds(30))
        #expect(b.delay(attempt: 1000, random: 1) == .seconds(60))
        let delays = (1...10).map { b.delay(attempt: $0, random: 1) }
        #expect(delays == delays.sorted())
    }
}
