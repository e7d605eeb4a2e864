import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RelaisClient
import RelaisCore
import RelaisCrypto
@testable import RelaisServer
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The relay under hostile input (issue 14, findings 0, 3, 4, 5 and 6; SPEC.md, "The relay under
/// hostile input"): what a client that cannot sign, or one that replays, trickles or floods, can
/// do to a real relay — in process on 127.0.0.1, and the real `relais-server` binary.
@Suite("The relay under hostile input", .serialized)
struct HostileInputTests {
    static let maxEnvelope = RelayConfiguration(dataDirectory: "").maxEnvelopeBytes

    // MARK: finding 0: a timestamp near 2^64 once trapped the relay

    /// 2^64 − 1 and 2^64 − skew, on the signed and the session path: refused as stale, and the
    /// relay keeps answering (an overflowing `timestamp + skew` stopped the process).
    @Test(arguments: [UInt64.max, UInt64.max - 119])
    func timestampsNearTwoToTheSixtyFourAreStale(timestamp: UInt64) async throws {
        try await LiveRelay.run { live in
            for headers in Self.authenticationHeaders(timestamp: timestamp) {
                let r = try await live.raw(.GET, "/v1/me", extraHeaders: headers)
                #expect(r.status == 401 && r.errorCode == "stale", "\(headers.map(\.0)): \(r.status) \(r.json)")
            }
            #expect(try await live.raw(.GET, "/healthz").status == 200)
        }
    }

    /// The same on the real binary: the process answers 401 and goes on answering.
    @Test func theRealRelaySurvivesAnOverflowingTimestamp() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first")
        try await withServer { server, _ in
            for headers in Self.authenticationHeaders(timestamp: UInt64.max) {
                let r = try await Self.send(server.url, .GET, "/v1/me", headers: headers)
                #expect(r.status == 401 && r.error == "stale", "\(headers.map(\.0)): \(r.status)")
            }
            #expect(try await Self.send(server.url, .GET, "/healthz").status == 200)
            #expect(server.process.isRunning)
        }
    }

    /// Well-formed headers of both kinds, for a device and a session the relay does not know.
    static func authenticationHeaders(timestamp: UInt64) -> [[(String, String)]] {
        let rng = SystemRandom()
        let common = [(RequestSignature.timestampHeader, String(timestamp)), (RequestSignature.nonceHeader, Hex.encode(rng.bytes(16)))]
        return [
            [(RequestSignature.deviceHeader, Hex.encode(rng.bytes(16)))] + common
                + [(RequestSignature.signatureHeader, Base64.encode([UInt8](repeating: 1, count: 64)))],
            [(RequestSession.sessionHeader, Hex.encode(rng.bytes(16)))] + common
                + [(RequestSession.macHeader, Base64.encode([UInt8](repeating: 1, count: 32)))],
        ]
    }

    // MARK: finding 3: requests signed before a restart

    /// A request captured before a restart and replayed after it is refused: the new process's
    /// nonce memory is empty, so it refuses everything signed before it started.
    @Test func requestsSignedBeforeARestartAreRefusedAfterIt() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first")
        let data = Self.temporaryFolder("replay")
        defer { try? FileManager.default.removeItem(atPath: data) }
        var server = try await ServerProcess(data: data)
        let op = try await Self.enrolOperator(url: server.url, data: data)
        let org = OrganisationID.random(using: SystemRandom())
        try await RelayClient(relay: server.url, identity: op).putOrganisation(
            OrganisationRecord(id: org, name: "Org", category: .specialisedAssociation, departements: ["75"], issuedAt: SystemClock().now()).signed(by: op))
        // Captured: an invite request and a read, each answered once.
        let inviteBody = Array(#"{"role":"admin","organisationId":"\#(org.hex)"}"#.utf8)
        let captured: [(HTTPMethod, String, [UInt8], Int)] = [(.POST, "/v1/invites", inviteBody, 201), (.GET, "/v1/me", [], 200)]
        let signed = captured.map { method, target, body, _ in
            RequestSignature.sign(method: method.rawValue, target: target, body: body, identity: op, timestamp: SystemClock().now(), rng: SystemRandom())
        }
        for ((method, target, body, status), signature) in zip(captured, signed) {
            let r = try await Self.send(server.url, method, target, headers: signature.headers.map { ($0.name, $0.value) }, body: body)
            #expect(r.status == status, "\(target) before the restart: \(r.status) \(r.error ?? "")")
        }
        await server.kill9()
        server = try await ServerProcess(data: data)
        let restarted = server
        do {
            for ((method, target, body, _), signature) in zip(captured, signed) {
                let r = try await Self.send(restarted.url, method, target, headers: signature.headers.map { ($0.name, $0.value) }, body: body)
                #expect(r.status == 401 && r.error == "stale", "\(target) replayed after the restart: \(r.status) \(r.error ?? "")")
            }
            // Signed afresh, the same request goes through.
            _ = try await RelayClient(relay: restarted.url, identity: op).createInvite(role: .admin, organisation: org)
        } catch {
            await restarted.kill9()
            throw error
        }
        await restarted.kill9()
    }

    // MARK: finding 4: slow, silent and half-sent requests; memory

    /// With `--idle-timeout 2 --request-timeout 3`: a connection that sends nothing, one that
    /// trickles its headers, one that sends half a body and stops, and one whose headers pass every
    /// check but whose body comes a byte at a time are all closed by the relay within the timeouts
    /// (they stayed open indefinitely: the body's trickle kept Hummingbird's idle timer fresh).
    @Test func silentSlowAndHalfSentRequestsAreClosed() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first")
        try await withServer(options: ["--idle-timeout", "2", "--request-timeout", "3"]) { server, data in
            let op = try await Self.enrolOperator(url: server.url, data: data)
            let port = try #require(server.url.port)
            let silent = try RawConnection(port: port)
            let slowHeaders = try RawConnection(port: port)
            let halfBody = try RawConnection(port: port)
            let trickledBody = try RawConnection(port: port)
            let head = "POST /v1/envelopes HTTP/1.1\r\nHost: relay\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000\r\n"
            #expect(halfBody.send(Array((head + "\r\n").utf8) + [UInt8](repeating: 0, count: 500)))
            let signature = RequestSignature.sign(method: "POST", target: "/v1/envelopes", body: [UInt8](repeating: 0, count: 1000), identity: op,
                                                  timestamp: SystemClock().now(), rng: SystemRandom())
            let signedHead = head + signature.headers.map { "\($0.name): \($0.value)\r\n" }.joined() + "\r\n"
            #expect(trickledBody.send(Array(signedHead.utf8)))
            async let silentClosed = offCooperativePool { silent.waitForClose(within: 10) }
            async let halfClosed = offCooperativePool { halfBody.waitForClose(within: 10) }
            async let headersClosed = offCooperativePool { slowHeaders.trickle(Array(head.utf8), every: 0.3, within: 10) }
            async let bodyClosed = offCooperativePool { trickledBody.trickle([UInt8](repeating: 0, count: 1000), every: 0.3, within: 10) }
            let (s, h, hb, b) = try await (silentClosed, headersClosed, halfClosed, bodyClosed)
            #expect(s.closedAfter.map { $0 < 5 } == true, "a silent connection: \(String(describing: s.closedAfter))")
            #expect(h.map { $0 < 6 } == true, "trickled headers: \(String(describing: h))")
            #expect(hb.closedAfter.map { $0 < 6 } == true, "a half-sent body: \(String(describing: hb.closedAfter))")
            // Unsigned: refused at once from its headers, before any of its body was read.
            #expect(String(decoding: hb.received, as: UTF8.self).hasPrefix("HTTP/1.1 401"))
            #expect(b.map { $0 < 6 } == true, "a body sent a byte at a time: \(String(describing: b))")
            #expect(try await Self.send(server.url, .GET, "/healthz").status == 200)
        }
    }

    /// 50 connections each announcing a 4 MiB envelope and sending all of it but the last byte:
    /// refused from their headers, their bodies are not kept (the relay grew by 200 MB and kept
    /// them open), and the relay closes them once they fall silent.
    @Test func halfSentBodiesHoldNoMemory() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first")
        try await withServer(options: ["--idle-timeout", "2", "--request-timeout", "3"]) { server, _ in
            let port = try #require(server.url.port)
            let pid = server.process.processIdentifier
            #expect(try await Self.send(server.url, .GET, "/healthz").status == 200)
            let before = try #require(Self.residentBytes(pid))
            let head = Array("POST /v1/envelopes HTTP/1.1\r\nHost: relay\r\nContent-Type: application/octet-stream\r\nContent-Length: \(Self.maxEnvelope)\r\n\r\n".utf8)
            let body = [UInt8](repeating: 0x5a, count: Self.maxEnvelope - 1)
            let connections = try await offCooperativePool {
                try (0..<50).map { _ in
                    let c = try RawConnection(port: port)
                    _ = c.send(head + body)
                    return c
                }
            }
            let during = try #require(Self.residentBytes(pid))
            let grown = during - min(during, before)
            #expect(grown < 64 * 1024 * 1024, "the relay grew by \(grown / 1024 / 1024) MiB under 50 half-sent 4 MiB bodies")
            let closed = try await withThrowingTaskGroup(of: Double?.self) { group in
                for c in connections { group.addTask { try await offCooperativePool { c.waitForClose(within: 15).closedAfter } } }
                var all: [Double?] = []
                for try await t in group { all.append(t) }
                return all
            }
            #expect(closed.allSatisfy { $0 != nil }, "\(closed.filter { $0 == nil }.count) of 50 connections still open after 15 s")
            #expect(try await Self.send(server.url, .GET, "/healthz").status == 200)
        }
    }

    /// Bodies whose headers passed every check are read within a relay-wide budget: past it, a
    /// request is answered 503 `busy` at once instead of being read; the budget comes back when
    /// the body held is dropped.
    @Test func unverifiedBodiesShareABudget() async throws {
        try await LiveRelay.run(configure: { $0.maxUnverifiedBodyBytes = 100_000 }) { live in
            let op = try await Self.enrolOperator(live)
            let port = try #require(live.url.port)
            let body = [UInt8](repeating: 0, count: 80_000)
            let signature = RequestSignature.sign(method: "POST", target: "/v1/envelopes", body: body, identity: op, timestamp: live.clock.now(),
                                                  rng: SystemRandom())
            let head = "POST /v1/envelopes HTTP/1.1\r\nHost: relay\r\nContent-Type: application/octet-stream\r\nContent-Length: \(body.count)\r\n"
                + signature.headers.map { "\($0.name): \($0.value)\r\n" }.joined() + "\r\n"
            let holding = try RawConnection(port: port)
            #expect(holding.send(Array(head.utf8) + body.prefix(40_000)))
            try await Task.sleep(for: .milliseconds(500))  // the relay reserves 80,000 bytes and waits for the rest
            let refused = try await live.raw(.POST, "/v1/envelopes", body: body, contentType: "application/octet-stream", signer: op)
            #expect(refused.status == 503 && refused.errorCode == "busy", "\(refused.status) \(refused.json)")
            #expect(refused.headers.first(name: "Retry-After") == "1")
            holding.closeNow()
            try await Task.sleep(for: .milliseconds(500))
            let read = try await live.raw(.POST, "/v1/envelopes", body: body, contentType: "application/octet-stream", signer: op)
            #expect(read.status != 503, "\(read.status) \(read.json)")  // read and verified: then refused for what it is
        }
    }

    /// The new limits take only sane values: a rate of 0 made the retry delay a division by zero,
    /// a purge interval past 2^63 trapped at start.
    @Test(arguments: [["--rate", "0"], ["--idle-timeout", "0"], ["--request-timeout", "1e12"], ["--max-connections", "0"],
                      ["--purge-interval", "18446744073709551615"], ["--trusted-proxy", "proxy.example"]])
    func outOfRangeLimitsAreRefusedBeforeAnythingStarts(option: [String]) throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first")
        let data = Self.temporaryFolder("options")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: relaisServerBinary)
        p.arguments = ["--data", data, "--listen", "127.0.0.1:0"] + option
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 64, "\(option)")
        #expect(!FileManager.default.fileExists(atPath: data), "a refused start must create nothing")
    }

    // MARK: finding 5: anonymous enrolments, per address

    /// A client flooding `POST /v1/enrolments` from 127.0.0.2 uses up its own address's bucket,
    /// not the one every other client shares: the operator's enrolment from 127.0.0.1 goes through.
    /// The `X-Forwarded-For` it writes, different each time, changes nothing: it is not a proxy the
    /// relay trusts.
    @Test func anEnrolmentFloodFromOneAddressSparesTheOthers() async throws {
        try await LiveRelay.run(configure: { $0.burst = 5; $0.requestsPerSecond = 0.01 }) { live in
            let port = try #require(live.url.port)
            let statuses = try await (0..<10).asyncMap { i in try await Self.enrol(port: port, from: "127.0.0.2", forwardedFor: "198.51.100.\(i)") }
            #expect(statuses.prefix(5).allSatisfy { $0 == 400 } && statuses.suffix(5).allSatisfy { $0 == 429 }, "\(statuses)")
            let op = try await Self.enrolOperator(live)
            #expect(try await live.client(op).whoAmI().status == "active")
        }
    }

    /// Behind a proxy the relay trusts (`--trusted-proxy`), the client is the address the proxy
    /// appended last to `X-Forwarded-For`: one client's flood through the proxy spares the others.
    @Test func behindATrustedProxyTheForwardedClientIsCounted() async throws {
        try await LiveRelay.run(configure: { $0.burst = 5; $0.requestsPerSecond = 0.01; $0.trustedProxies = ["127.0.0.1"] }) { live in
            let port = try #require(live.url.port)
            let flood = try await (0..<8).asyncMap { _ in try await Self.enrol(port: port, from: "127.0.0.1", forwardedFor: "10.9.9.9, 203.0.113.5") }
            #expect(flood.suffix(3) == [429, 429, 429], "\(flood)")
            #expect(try await Self.enrol(port: port, from: "127.0.0.1", forwardedFor: "203.0.113.6") == 400)
            // Not from the proxy: the header is the client's own word, and ignored.
            for _ in 0..<5 { _ = try await Self.enrol(port: port, from: "127.0.0.3", forwardedFor: "203.0.113.7") }
            #expect(try await Self.enrol(port: port, from: "127.0.0.3", forwardedFor: "203.0.113.8") == 429)
        }
    }

    /// An empty enrolment request on a connection of its own: the status the relay answered.
    static func enrol(port: Int, from source: String, forwardedFor: String) async throws -> Int {
        let request = "POST /v1/enrolments HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
            + "X-Forwarded-For: \(forwardedFor)\r\nConnection: close\r\n\r\n{}"
        let connection = try RawConnection(port: port, from: source)
        #expect(connection.send(Array(request.utf8)))
        let answer = try await offCooperativePool { connection.waitForClose(within: 10).received }
        return Int(String(decoding: answer, as: UTF8.self).dropFirst(9).prefix(3)) ?? 0
    }

    /// Buckets are keyed by client address, which a client can vary: those that have refilled are
    /// dropped as new keys arrive, so the table holds the last few seconds' keys, not every address seen.
    @Test func rateLimiterForgetsRefilledBuckets() {
        let limiter = RateLimiter(rate: 1, burst: 2)
        for i in 0..<1000 { #expect(limiter.take("enrolment 10.0.\(i / 256).\(i % 256)", now: 0) == nil) }
        #expect(limiter.keyCount == 1000)
        #expect(limiter.take("enrolment 192.0.2.1", now: 2.5) == nil)
        #expect(limiter.keyCount == 1)
        // A bucket still refilling is kept: its client cannot reset it by waiting less.
        #expect(limiter.take("k", now: 10) == nil && limiter.take("k", now: 10) == nil)
        #expect(limiter.take("k", now: 10.5) != nil)
        #expect(limiter.take("other", now: 12.1) == nil)  // a sweep: "k" was last seen 1.6 s ago, less than a refill
        #expect(limiter.keyCount == 2)
    }

    // MARK: finding 6: file modes

    /// Every file the relay creates is 0600 — the SQLite -wal and -shm files too, also in a folder
    /// that exists already with mode 0755 — and a folder it creates is 0700.
    @Test(arguments: [false, true]) func theDataFolderIsPrivate(folderExists: Bool) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first")
        let data = Self.temporaryFolder("modes")
        defer { try? FileManager.default.removeItem(atPath: data) }
        if folderExists { try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755]) }
        let previous = umask(0o022)  // what the relay's own umask must override
        defer { umask(previous) }
        let server = try await ServerProcess(data: data)
        _ = try await Self.enrolOperator(url: server.url, data: data)  // writes through the WAL
        let names = try FileManager.default.contentsOfDirectory(atPath: data)
        #expect(Set(["relais.sqlite", "relais.sqlite-wal", "relais.sqlite-shm", "relay-key"]).isSubset(of: Set(names)), "\(names)")
        for name in names {
            let mode = try Self.mode(data + "/" + name)
            #expect(mode == 0o600, "\(name) is \(String(mode, radix: 8))")
        }
        #expect(try Self.mode(data) == (folderExists ? 0o755 : 0o700))
        await server.kill9()
    }

    static func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
    }

    // MARK: helpers

    static func temporaryFolder(_ label: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("relais-\(label)-\(UUID().uuidString)").path
    }

    /// A `relais-server` over a fresh data folder, killed and removed afterwards.
    func withServer(options: [String] = [], _ body: (ServerProcess, String) async throws -> Void) async throws {
        let data = Self.temporaryFolder("hostile")
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try await ServerProcess(data: data, options: options)
        do {
            try await body(server, data)
        } catch {
            await server.kill9()
            throw error
        }
        await server.kill9()
    }

    /// The operator device, enrolled with the relay's operator invite.
    static func enrolOperator(url: URL, data: String) async throws -> DeviceIdentity {
        let invite = try #require(InviteCode(try String(contentsOfFile: data + "/operator-invite", encoding: .utf8)))
        return try await enrolOperator(url: url, invite: invite, now: SystemClock().now())
    }

    static func enrolOperator(_ live: LiveRelay) async throws -> DeviceIdentity {
        try await enrolOperator(url: live.url, invite: live.operatorInvite, now: live.clock.now())
    }

    static func enrolOperator(url: URL, invite: InviteCode, now: UInt64) async throws -> DeviceIdentity {
        let op = DeviceIdentity.generate()
        let record = try DeviceRecord(identity: op.publicIdentity, organisationId: nil, role: .operator, enrolledBy: op.deviceID,
                                      inviteId: invite.id, issuedAt: now).signed(by: op)
        _ = try await RelayClient(relay: url, identity: nil).enrol(invite: invite, device: op, record: record)
        return op
    }

    /// One request through AsyncHTTPClient: its status and its error code.
    static func send(_ url: URL, _ method: HTTPMethod, _ target: String, headers: [(String, String)] = [], body: [UInt8] = [])
        async throws -> (status: Int, error: String?) {
        var request = HTTPClientRequest(url: url.absoluteString + target)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(Array(buffer: bytes))) as? [String: Any]) ?? [:]
        return (Int(response.status.code), json["error"] as? String)
    }

    /// VmRSS of a process, in bytes.
    static func residentBytes(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kB = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        return kB * 1024
    }
}

/// A raw TCP connection to 127.0.0.1, for the clients no HTTP library would be: silent, slow,
/// half-sent. Blocking: call from `offCooperativePool`.
final class RawConnection: Sendable {
    let fd: Int32

    /// `source`: the local address to connect from (any of 127.0.0.0/8 on Linux).
    init(port: Int, from source: String = "127.0.0.1") throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, source, &local.sin_addr)
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr)
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) } }
        let connected = withUnsafePointer(to: &remote) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, size) } }
        guard bound == 0, connected == 0 else {
            Glibc.close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { Glibc.close(fd) }

    /// Sends all of `bytes`; false when the connection refused them (closed, or 10 s without progress).
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    func closeNow() { shutdown(fd, Int32(SHUT_RDWR)) }

    /// Reads what comes until the relay closes the connection or `seconds` pass: the seconds it
    /// took (nil: still open) and what was received.
    func waitForClose(within seconds: Double) -> (closedAfter: Double?, received: [UInt8]) {
        let start = Date()
        var received: [UInt8] = []
        while Date().timeIntervalSince(start) < seconds {
            switch read(waitingAtMost: 0.2) {
            case .closed: return (Date().timeIntervalSince(start), received)
            case .data(let bytes): received += bytes
            case .nothing: continue
            }
        }
        return (nil, received)
    }

    /// Sends `bytes` one at a time, `interval` apart, until the relay closes the connection or
    /// `seconds` pass: the seconds it took, or nil when it stayed open.
    func trickle(_ bytes: [UInt8], every interval: Double, within seconds: Double) -> Double? {
        let start = Date()
        var next = 0
        while Date().timeIntervalSince(start) < seconds {
            if next < bytes.count {
                if !send([bytes[next]]) { return Date().timeIntervalSince(start) }
                next += 1
            }
            if case .closed = read(waitingAtMost: interval) { return Date().timeIntervalSince(start) }
        }
        return nil
    }

    private enum ReadResult { case closed, data([UInt8]), nothing }

    private func read(waitingAtMost seconds: Double) -> ReadResult {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(seconds * 1000)) > 0 else { return .nothing }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 { return .data(Array(buffer.prefix(n))) }
        return .closed
    }
}

extension Sequence {
    /// `map` with an async transform, one element after the other.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
