import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RelaisClient
import RelaisCore
import RelaisCrypto
import Testing

/// `/readyz` says whether the relay can write (issue 19): the real binary on a small tmpfs that
/// fills for real. Free space under `--min-free-space` makes it 503 until space returns; a submit
/// that fails because the disk is full makes it 503, counted as `full` in the metrics, until a
/// write succeeds again, which the relay tries by itself since a load balancer sends it nothing
/// meanwhile. Mounting a tmpfs needs root: without it, the test does not run.
@Suite("Readiness that means it", .serialized, .enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
struct ReadinessTests {
    @Test func readinessFollowsFreeSpaceAndTheLastWrite() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first")
        let fm = FileManager.default
        let mount = fm.temporaryDirectory.appendingPathComponent("relais-full-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: mount, withIntermediateDirectories: true)
        try Self.command("/bin/mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", mount])
        defer {
            try? Self.command("/bin/umount", [mount])
            try? fm.removeItem(atPath: mount)
        }

        // Free space under the threshold: 503, then 200 once the filler is gone.
        let first = try await ServerProcess(data: mount + "/threshold", metrics: true, options: ["--min-free-space", "8M"])
        #expect(try await Self.ready(first) == 200)
        try Self.fill(mount + "/filler", leaving: 4 << 20)
        #expect(try await Self.ready(first) == 503)
        #expect(try await Self.metric("relais_ready", first) == 0)
        try fm.removeItem(atPath: mount + "/filler")
        #expect(try await Self.ready(first) == 200)
        #expect(try await Self.metric("relais_ready", first) == 1)
        await first.kill9()

        // A write refused by a full disk: 503 until a write succeeds, with the threshold off.
        let relay = try await ServerProcess(data: mount + "/data", metrics: true, options: ["--min-free-space", "0"])
        defer {
            kill(relay.process.processIdentifier, SIGKILL)
            relay.process.waitUntilExit()  // before the tmpfs is unmounted
        }
        let invite = try #require(InviteCode(try String(contentsOfFile: mount + "/data/operator-invite", encoding: .utf8)))
        let (sender, recipient, org, consent) = try await KillNineTests.enrolPair(url: relay.url, invite: invite)
        let client = RelayClient(relay: relay.url, identity: sender)
        func envelope() throws -> [UInt8] {
            try Envelope.seal(referral: Array(("{\"x\":\"" + String(repeating: "a", count: 300_000) + "\"}").utf8), from: sender,
                              to: [RecipientDevice(organisationID: org, prekey: recipient.signed)], consent: consent,
                              expiresAt: SystemClock().now() + 86_400, clock: SystemClock(), rng: SystemRandom()).bytes
        }
        _ = try await client.submit(try envelope())
        #expect(try await Self.ready(relay) == 200)
        #expect(try await Self.metric("relais_store_failures_total{kind=\"full\"}", relay) == 0)
        try Self.fill(mount + "/filler", leaving: 0)
        var refused = 0
        for _ in 0..<40 where refused == 0 {
            do { _ = try await client.submit(try envelope()) } catch { refused += 1 }
        }
        #expect(refused == 1, "no submit failed on a full disk")
        #expect(try await Self.ready(relay) == 503)
        try await Task.sleep(for: .milliseconds(1200))
        #expect(try await Self.ready(relay) == 503, "the disk is still full: the relay's own write must fail too")
        let fullFailures = try await Self.metric("relais_store_failures_total{kind=\"full\"}", relay)
        #expect((fullFailures ?? 0) >= 1, "the full disk was not counted: \(String(describing: fullFailures))")
        #expect(try await Self.metric("relais_ready", relay) == 0)
        try fm.removeItem(atPath: mount + "/filler")
        try await Task.sleep(for: .milliseconds(1200))
        #expect(try await Self.ready(relay) == 200, "space returned: the relay's probe write succeeds")
        _ = try await client.submit(try envelope())
        #expect(try await Self.ready(relay) == 200)
    }

    static func command(_ path: String, _ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
    }

    /// Writes zeros to `path` until the file system has `leaving` bytes free (0: until it is full).
    static func fill(_ path: String, leaving: Int64) throws {
        let folder = (path as NSString).deletingLastPathComponent
        guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteUnknown) }
        defer { try? out.close() }
        let block = Data(count: 64 * 1024)
        while true {
            let free = (try FileManager.default.attributesOfFileSystem(forPath: folder)[.systemFreeSize] as? NSNumber)?.int64Value ?? 0
            if leaving > 0, free <= leaving { return }
            let chunk = leaving > 0 ? block.prefix(Int(min(Int64(block.count), free - leaving))) : block
            do { try out.write(contentsOf: chunk) } catch { return }  // ENOSPC: full
            if leaving == 0 { try? out.synchronize() }
        }
    }

    static func ready(_ server: ServerProcess) async throws -> UInt {
        try await HTTPClient.shared.execute(HTTPClientRequest(url: server.url.absoluteString + "/readyz"), timeout: .seconds(10)).status.code
    }

    /// One sample of the relay's metrics, by its name and labels as printed.
    static func metric(_ name: String, _ server: ServerProcess) async throws -> Double? {
        let url = try #require(server.metricsURL)
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url.absoluteString), timeout: .seconds(10))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }
}
