import ArgumentParser
import Foundation
import GRDB
import Hummingbird
import Logging
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisStore
import RelaisStorePostgres
import RelaisStoreSQLite
import Synchronization

/// Load benchmark of the relay (issue 3; BENCHMARKS.md, scripts/bench-relay.sh). Loopback only.
///
/// The load itself is sent by wrk (C, with a small Lua script that replays files), so that the
/// load generator takes as little as possible of the two cores it shares with the server. This
/// tool does what wrk cannot:
///
/// - `bare-server`: the baseline, a bare Hummingbird app with one POST route that collects a
///   4 KiB body and answers 200.
/// - `prepare`: against a running `relais-server`, enrols an operator, two organisations, their
///   admins, one recipient device (with a signed prekey) and one sender device, publishes one
///   consent (recorded by the sender, covering the recipient's organisation), seals N envelopes
///   under it and signs N submit requests (each with its own nonce), written as replay files for wrk.
/// - `sign-fetch`: signs, as the recipient device, a GET and an ack for every prepared envelope,
///   interleaved so that each fetch is sent well before the ack of the same envelope. It runs
///   after the submits, so the signatures are fresh (the relay accepts ±120 s of clock skew).
/// - `sign-probe`: N GET requests of one path, signed as the recipient or unsigned, to split the
///   cost of a request: HTTP + OpenAPI alone (`/healthz`), + signature check and the caller's device
///   and prekey (`/v1/me`), + another device (`/v1/devices/{id}`). Diagnosis only (`PROBES=1 scripts/bench-relay.sh`).
/// - `store-bench`: the SQLite (or PostgreSQL) store alone, no HTTP: concurrent submits then acknowledgements of
///   random envelopes, with the group-commit statistics of each phase (diagnosis; BENCHMARKS.md).
///
/// Replay file format, one per wrk thread (`NAME.1`, `NAME.2`, …): for each request, its length
/// in decimal and a newline, then the raw HTTP/1.1 request bytes (head and body).
@main
struct RelaisLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relais-load",
        abstract: "Relay load benchmark helper: baseline server and pre-signed request files for wrk (loopback only).",
        subcommands: [BareServer.self, Prepare.self, SignFetch.self, SignProbe.self, StoreBench.self, LargeSetup.self, LargeStore.self, TreeBench.self])
}

// MARK: - the store alone

struct StoreBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-bench",
        abstract: "The store alone, no HTTP: N submits of random 4 KiB envelopes from C concurrent tasks, then as many acks.")

    @Option(help: "A fresh folder for the database file.")
    var dir: String?
    @Option(help: "The PostgreSQL store instead (postgres://USER@HOST:PORT/DATABASE?schema=NAME, a fresh schema).")
    var postgres: String?
    @Option(help: "PostgreSQL connections (with --postgres).")
    var connections: Int = 16
    @Option(help: "Submits (then as many acknowledgements).")
    var submits: Int = 20000
    @Option(help: "Concurrent callers.")
    var concurrency: Int = 64
    @Option(help: "Envelope bytes.")
    var bytes: Int = 4281

    func validate() throws {
        guard (dir == nil) != (postgres == nil) else { throw ValidationError("give either --dir or --postgres") }
    }

    func run() async throws {
        let store: any RelayStore
        if let postgres {
            store = try await PostgresRelayStore(endpoint: try PostgresEndpoint(url: postgres), maximumConnections: connections)
        } else {
            store = try SQLiteRelayStore(path: dir! + "/store-bench.sqlite")
        }
        let sqlite = store as? SQLiteRelayStore
        let rng = SystemRandom()
        let parties = BenchParties(rng: rng)
        let now = UInt64(Date().timeIntervalSince1970)
        let envelopes = (0..<submits).map { _ in parties.envelope(rng.bytes(bytes), now: now, rng: rng) }
        func phase(_ name: String, _ body: @escaping @Sendable (StoredEnvelope) async throws -> Void) async throws {
            let next = Counter()
            let before = sqlite?.groupCommitStatistics
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        while true {
                            let i = next.value.wrappingAdd(1, ordering: .relaxed).oldValue
                            guard i < envelopes.count else { return }
                            try await body(envelopes[i])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = ContinuousClock.now - start
            let batching = sqlite.map { "; " + $0.groupCommitStatistics.since(before!).summary } ?? ""
            say("\(name) n=\(envelopes.count) seconds=\(seconds(elapsed)) rate=\(Int(Double(envelopes.count) / secondsValue(elapsed)))/s" + batching)
        }
        try await phase("submit") { e in
            guard try await store.submit(e) == .stored else { throw ValidationError("a submit was not stored") }
        }
        try await phase("ack") { e in
            guard try await store.acknowledge(e.id, device: parties.recipient.deviceID, now: now) == .acknowledged(deleted: true) else {
                throw ValidationError("an acknowledgement did not delete its envelope")
            }
        }
        try sqlite?.close()
        (store as? PostgresRelayStore)?.close()
    }
}

final class Counter: Sendable { let value = Atomic<Int>(0) }

/// A random sender, recipient device and consent, for envelopes written to a store directly
/// (`store-bench`, `bare-server --durable store`): the store checks none of them against a directory.
struct BenchParties: Sendable {
    let sender: DeviceID, senderOrganisation: OrganisationID
    let recipient: Delivery
    let consent: ConsentReference

    init(rng: some RandomSource) {
        sender = .random(using: rng)
        senderOrganisation = .random(using: rng)
        recipient = Delivery(deviceID: .random(using: rng), organisationID: .random(using: rng))
        consent = ConsentReference(kind: .consent, id: .random(using: rng))
    }

    /// An envelope of `bytes` with a random id, expiring a day after `now`.
    func envelope(_ bytes: [UInt8], now: UInt64, rng: some RandomSource) -> StoredEnvelope {
        StoredEnvelope(id: .random(using: rng), senderDevice: sender, senderOrganisation: senderOrganisation, bytes: bytes,
                       digest: SHA256.hash(bytes), sizeClass: 2, consent: consent, submittedAt: now, expiresAt: now + 86_400,
                       deliveries: [recipient])
    }
}

/// Group commit for the ceiling servers (`bare-server --durable file|sqlite`): callers wait; one
/// thread hands everything that is waiting to `flush` at once (one `write` and one `fdatasync`, or
/// one SQLite transaction), then resumes those callers.
final class GroupFlush: Sendable {
    private struct State {
        var pending: [(bytes: [UInt8], continuation: CheckedContinuation<Void, any Error>)] = []
        var draining = false
    }
    private let flush: @Sendable ([[UInt8]]) throws -> Void
    private let state = Mutex(State())
    private let thread = DispatchQueue(label: "GroupFlush")

    init(_ flush: @escaping @Sendable ([[UInt8]]) throws -> Void) { self.flush = flush }

    /// Appends to a file, one `write` and one `fdatasync` per group.
    static func file(_ path: String) throws -> GroupFlush {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { throw ValidationError("cannot open \(path)") }
        return GroupFlush { bodies in
            let all = Array(bodies.joined())
            let written = all.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == all.count, fdatasync(fd) == 0 else { throw ValidationError("write or fdatasync failed") }
        }
    }

    /// Inserts into one SQLite table (WAL, `synchronous = FULL`), one transaction per group.
    static func sqlite(_ path: String) throws -> GroupFlush {
        let pool = try DatabasePool(path: path)
        // As SQLiteRelayStore does: set on the writer after opening (GRDB's WAL set-up chooses NORMAL).
        let synchronous = try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            return try Int.fetchOne(db, sql: "PRAGMA synchronous")
        }
        guard synchronous == 2 else { throw ValidationError("synchronous is \(synchronous ?? -1), not FULL (2)") }
        try pool.write { db in try db.execute(sql: "CREATE TABLE bodies (id INTEGER PRIMARY KEY, body BLOB NOT NULL)") }
        return GroupFlush { bodies in
            try pool.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO bodies (body) VALUES (?)")
                for body in bodies { try insert.execute(arguments: [Data(body)]) }
            }
        }
    }

    func append(_ bytes: [UInt8]) async throws {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLock { s in
                s.pending.append((bytes, continuation))
                defer { s.draining = true }
                return !s.draining
            }
            if start { thread.async { self.drain() } }
        }
    }

    private func drain() {
        while true {
            let batch = state.withLock { s in
                let batch = s.pending
                s.pending = []
                if batch.isEmpty { s.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            let outcome = Result { try flush(batch.map(\.bytes)) }
            for item in batch { item.continuation.resume(with: outcome) }
        }
    }
}

// MARK: - baseline

struct BareServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare-server",
        abstract: "Bare Hummingbird on 127.0.0.1: POST /bench collects the body (up to 1 MiB) and answers 200.")

    @Option(help: "Port on 127.0.0.1.")
    var port: Int = 18181

    @Option(help: "Stops by itself after this many seconds (SIGTERM or SIGINT stop it earlier).")
    var maxSeconds: Int = 900

    @Option(help: """
        Makes each POST durable before answering (a ceiling for the relay, BENCHMARKS.md): \
        'file' appends the body to a file in --dir and fdatasyncs it (group commit: one sync for all the bodies waiting); \
        'sqlite' inserts it into a one-table SQLite file (GRDB, WAL, synchronous = FULL; group commit: one transaction); \
        'store' submits the body as an envelope to SQLiteRelayStore in --dir (random id, no authentication, no header validation, \
        no OpenAPI layer). Default: none (the bare baseline).
        """)
    var durable: Durability?

    @Option(help: "Folder for --durable (a fresh one).")
    var dir: String?

    enum Durability: String, ExpressibleByArgument { case file, sqlite, store }

    func validate() throws {
        guard (durable == nil) == (dir == nil) else { throw ValidationError("--durable needs --dir, and --dir needs --durable") }
    }

    func run() async throws {
        var logger = Logger(label: "bare-server")
        logger.logLevel = .warning
        let router = Router()
        switch durable {
        case nil:
            router.post("/bench") { request, _ -> HTTPResponse.Status in
                var request = request
                _ = try await request.collectBody(upTo: 1 << 20)
                return .ok
            }
        case .file?, .sqlite?:
            let log = durable == .file ? try GroupFlush.file(dir! + "/bodies.log") : try GroupFlush.sqlite(dir! + "/bodies.sqlite")
            router.post("/bench") { request, _ -> HTTPResponse.Status in
                var request = request
                let body = try await request.collectBody(upTo: 1 << 20)
                try await log.append(Array(buffer: body))
                return .created
            }
        case .store?:
            let store = try SQLiteRelayStore(path: dir! + "/bare-store.sqlite")
            let rng = SystemRandom()
            let parties = BenchParties(rng: rng)
            router.post("/bench") { request, _ -> HTTPResponse.Status in
                var request = request
                let bytes = Array(buffer: try await request.collectBody(upTo: 1 << 20))
                let envelope = parties.envelope(bytes, now: UInt64(Date().timeIntervalSince1970), rng: rng)
                guard try await store.submit(envelope) == .stored else { return .conflict }
                return .created
            }
        }
        let port = self.port
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bare"),
                              onServerRunning: { _ in say("bare-server listening on http://127.0.0.1:\(port)") }, logger: logger)
        let limit = maxSeconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            group.addTask { try? await Task.sleep(for: .seconds(limit)) }
            try await group.next()
            group.cancelAll()  // the other one: the timer, or the server (graceful shutdown)
        }
    }
}

// MARK: - prepare

struct Prepare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enrols a sender and a recipient on a running relay, seals N envelopes and writes N signed submits for wrk.")

    @Option(help: "The relay, http://127.0.0.1:PORT (loopback only).")
    var relay: String

    @Option(help: "File holding the relay's operator invite (DATA/operator-invite).")
    var operatorInvite: String

    @Option(help: "Submits to prepare for the measured run.")
    var count: Int = 20_000

    @Option(help: "Extra submits for a warm-up run (files warmup.*).")
    var warmup: Int = 2_000

    @Option(help: "Referral bytes per envelope. 3900 fills the 4 KiB size class (envelope ~4.3 KB); 4096 and more give the 8 KiB class.")
    var referralBytes: Int = 3_900

    @Option(help: "Files per kind, one per wrk thread.")
    var shards: Int = 2

    @Option(help: "Output folder (created).")
    var out: String

    @Option(help: "How the submits are authenticated: session (one signed session, then a MAC per request) or signature.")
    var auth: Authentication = .session

    func validate() throws {
        guard loopbackHost(relay) != nil else { throw ValidationError("--relay must be http://127.0.0.1:PORT or http://localhost:PORT") }
        guard count >= 1, warmup >= 0, shards >= 1, (1...4_000_000).contains(referralBytes) else {
            throw ValidationError("--count ≥ 1, --warmup ≥ 0, --shards ≥ 1, --referral-bytes 1…4000000")
        }
    }

    func run() async throws {
        let url = URL(string: relay)!
        let host = loopbackHost(relay)!, out = self.out
        let started = ContinuousClock.now
        guard let invite = InviteCode(try String(contentsOfFile: operatorInvite, encoding: .utf8)) else {
            throw ValidationError("no operator invite in \(operatorInvite)")
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let clock = SystemClock(), rng = SystemRandom()
        let now = clock.now()

        // The directory: operator, two organisations, their admins, one device each.
        let op = DeviceIdentity.generate()
        let opRecord = try DeviceRecord(identity: op.publicIdentity, organisationId: nil, role: .operator, enrolledBy: op.deviceID,
                                        inviteId: invite.id, issuedAt: now).signed(by: op)
        _ = try await RelayClient(relay: url, identity: nil).enrol(invite: invite, device: op, record: opRecord)
        let opClient = RelayClient(relay: url, identity: op)
        let association = OrganisationID.random(using: rng), service = OrganisationID.random(using: rng)
        try await opClient.putOrganisation(OrganisationRecord(id: association, name: "Association (charge)", category: .specialisedAssociation,
                                                              departements: ["75", "93"], issuedAt: now).signed(by: op))
        try await opClient.putOrganisation(OrganisationRecord(id: service, name: "Service social (charge)", category: .socialServices,
                                                              departements: ["93"], issuedAt: now).signed(by: op))
        let assocAdmin = try await Self.enrol(url, by: op, role: .admin, organisation: association, device: DeviceIdentity.generate())
        let serviceAdmin = try await Self.enrol(url, by: op, role: .admin, organisation: service, device: DeviceIdentity.generate())
        // The recipient's seed is kept (0600, in the throwaway folder) for `sign-fetch`.
        var seed = rng.bytes(32)
        let recipient = try await Self.enrol(url, by: assocAdmin, role: .member, organisation: nil,
                                        device: DeviceIdentity(privateKey: try Ed25519PrivateKey(seed: seed)))
        try writeFile(out + "/recipient.seed", Array((Hex.encode(seed) + "\n").utf8))
        wipe(&seed)
        let prekey = X25519PrivateKey.generate()
        let signedPrekey = SignedPrekey.sign(publicKey: prekey.publicKey, identity: recipient, createdAt: now, notAfter: now + 7 * 86_400)
        try await RelayClient(relay: url, identity: recipient).publishPrekey(signedPrekey)
        let sender = try await Self.enrol(url, by: serviceAdmin, role: .member, organisation: nil, device: DeviceIdentity.generate())
        // The relay accepts an envelope only under a published consent of the sender's organisation
        // that covers the recipient: one consent, recorded by the sender, for every envelope.
        let consentRecord = ConsentRecord(consentId: .random(using: rng),
                                          subjectPseudonym: ConsentRecord.pseudonym(caseID: "LOAD-1", key: rng.bytes(32)),
                                          recordedBy: sender.deviceID, organisationId: service, method: .oral, language: "fr",
                                          interpreter: false, purposes: [.emergencyShelter], recipientOrganisations: [association],
                                          recipientCategories: [], dataCategories: [.situation], grantedAt: now,
                                          validUntil: now + ConsentRecord.defaultValidity)
        try await RelayClient(relay: url, identity: sender).putConsent(consentRecord.publicPart.signed(by: sender))
        let consent = ConsentReference(kind: .consent, id: consentRecord.consentId)
        let enrolled = ContinuousClock.now

        // Seal (both cores), then sign one submit per envelope, each with its own nonce.
        let to = [RecipientDevice(organisationID: association, prekey: signedPrekey)]
        let referral = [UInt8](repeating: UInt8(ascii: "x"), count: referralBytes)
        let total = warmup + count
        let envelopes = try await parallelMap(0..<total) { _ in
            try Envelope.seal(referral: referral, from: sender, to: to, consent: consent,
                              expiresAt: now + 14 * 86_400, clock: clock, rng: rng)
        }
        let sealed = ContinuousClock.now
        let warm = Array(envelopes[..<warmup]), measured = Array(envelopes[warmup...])
        let shards = self.shards
        let authenticator = try await RequestAuthenticator.make(auth, relay: url, identity: sender)
        func writeSubmits(_ list: [SealedEnvelope], _ name: String) async throws {
            let parts = split(list, into: shards)
            try await parallelFor(0..<shards) { s in
                var file: [UInt8] = []
                file.reserveCapacity(parts[s].reduce(0) { $0 + $1.bytes.count + 512 })
                for e in parts[s] {
                    appendRecord(&file, rawRequest("POST", "/v1/envelopes", host: host, contentType: "application/octet-stream",
                                                   body: e.bytes, headers: authenticator.headers("POST", "/v1/envelopes", body: e.bytes)))
                }
                try writeFile("\(out)/\(name).\(s + 1)", file)
            }
        }
        if warmup > 0 { try await writeSubmits(warm, "warmup") }
        try await writeSubmits(measured, "submit")
        // The measured envelopes' ids, shard by shard, for `sign-fetch`.
        for (s, part) in split(measured, into: shards).enumerated() {
            try writeFile("\(out)/envelopes.\(s + 1)", Array(part.map { $0.header.envelopeID.hex + "\n" }.joined().utf8))
        }
        let signed = ContinuousClock.now
        say("prepared \(count) submits (+\(warmup) warm-up) in \(shards) shards: envelope \(envelopes[0].bytes.count) B "
            + "(referral \(referralBytes) B, size class \(envelopes[0].header.sizeClass), 1 recipient device); "
            + "enrolment \(seconds(enrolled - started)) s, sealing \(seconds(sealed - enrolled)) s, signing \(seconds(signed - sealed)) s")
        say("sender device \(sender.deviceID), recipient device \(recipient.deviceID); requests authenticated by \(auth.rawValue)")
    }

    /// Invite, redeem, approve (RelayDemo.enrol, with the device given).
    static func enrol(_ url: URL, by enroller: DeviceIdentity, role: DeviceRole, organisation: OrganisationID?,
               device: DeviceIdentity) async throws -> DeviceIdentity {
        let issuer = RelayClient(relay: url, identity: enroller)
        let (code, _) = try await issuer.createInvite(role: role, organisation: organisation)
        _ = try await RelayClient(relay: url, identity: nil).enrol(invite: code, device: device)
        guard let pending = try await issuer.pendingEnrolments().first(where: { $0.deviceID == device.deviceID }),
              pending.publicKey == device.privateKey.publicKey else {
            throw ClientError.verification("the new device is missing from the pending list, or its key was changed")
        }
        let record = try DeviceRecord(identity: DevicePublicIdentity(signingKey: pending.publicKey), organisationId: pending.organisationID,
                                      role: pending.role, enrolledBy: enroller.deviceID, inviteId: pending.inviteID,
                                      issuedAt: SystemClock().now()).signed(by: enroller)
        let status = try await issuer.approve(device.deviceID, record: record)
        guard status.status == "active" else { throw ClientError.verification("device \(device.deviceID) is \(status.status)") }
        return device
    }
}

// MARK: - fetch + ack

struct SignFetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-fetch",
        abstract: "Signs, as the recipient, GET /v1/envelopes/{id} and POST /v1/envelopes/{id}/ack for every prepared envelope.")

    @Option(help: "The relay, http://127.0.0.1:PORT (for the Host header).")
    var relay: String

    @Option(help: "The folder written by prepare.")
    var dir: String

    @Option(help: "The ack of an envelope comes this many fetches after its fetch, in each file.")
    var lag: Int = 1_000

    @Option(help: "How the requests are authenticated: session or signature.")
    var auth: Authentication = .session

    func validate() throws {
        guard loopbackHost(relay) != nil else { throw ValidationError("--relay must be http://127.0.0.1:PORT or http://localhost:PORT") }
        guard lag >= 1 else { throw ValidationError("--lag ≥ 1") }
    }

    func run() async throws {
        let host = loopbackHost(relay)!
        let recipient = try recipientIdentity(dir: dir)
        var shards: [[EnvelopeID]] = []
        while let text = try? String(contentsOfFile: "\(dir)/envelopes.\(shards.count + 1)", encoding: .utf8) {
            shards.append(try text.split(separator: "\n").map { line in
                guard let id = EnvelopeID(hex: String(line)) else { throw ValidationError("malformed envelope id \(line)") }
                return id
            })
        }
        guard !shards.isEmpty else { throw ValidationError("no envelopes.1 in \(dir): run prepare first") }
        let allShards = shards
        let started = ContinuousClock.now
        let lag = self.lag, dir = self.dir
        let authenticator = try await RequestAuthenticator.make(auth, relay: URL(string: relay)!, identity: recipient)
        try await parallelFor(0..<shards.count) { s in
            let ids = allShards[s]
            var file: [UInt8] = []
            file.reserveCapacity(ids.count * 2 * 400)
            func add(_ method: String, _ target: String, body: [UInt8]?) {
                appendRecord(&file, rawRequest(method, target, host: host, contentType: nil, body: body,
                                               headers: authenticator.headers(method, target, body: [])))
            }
            for i in 0..<(ids.count + lag) {
                if i < ids.count { add("GET", "/v1/envelopes/\(ids[i].hex)", body: nil) }
                if i >= lag, i - lag < ids.count { add("POST", "/v1/envelopes/\(ids[i - lag].hex)/ack", body: []) }
            }
            try writeFile("\(dir)/fetchack.\(s + 1)", file)
        }
        say("authenticated (\(auth.rawValue)) \(shards.reduce(0) { $0 + $1.count }) fetches and as many acks in \(shards.count) shards "
            + "(ack \(lag) fetches after its fetch) in \(seconds(ContinuousClock.now - started)) s")
    }
}

// MARK: - probes

struct SignProbe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-probe",
        abstract: "Writes N GET requests of one path, signed as the prepared recipient device (or unsigned), for wrk.")

    @Option(help: "The relay, http://127.0.0.1:PORT (for the Host header).")
    var relay: String

    @Option(help: "The folder written by prepare.")
    var dir: String

    @Option(help: "Path to GET, e.g. /v1/me, /healthz, or /v1/devices/{recipient} ({recipient}: the recipient device id).")
    var target: String

    @Option(help: "Requests.")
    var count: Int = 20_000

    @Option(help: "Files per kind, one per wrk thread.")
    var shards: Int = 2

    @Option(help: "File name prefix in the folder.")
    var name: String = "probe"

    @Flag(help: "Send no signature headers (public routes).")
    var unsigned = false

    func validate() throws {
        guard loopbackHost(relay) != nil else { throw ValidationError("--relay must be http://127.0.0.1:PORT or http://localhost:PORT") }
        guard count >= 1, shards >= 1, target.hasPrefix("/") else { throw ValidationError("--count ≥ 1, --shards ≥ 1, --target /PATH") }
    }

    func run() async throws {
        let host = loopbackHost(relay)!
        let device = try recipientIdentity(dir: dir)
        let authenticator = RequestAuthenticator(identity: device, session: nil, clock: SystemClock(), rng: SystemRandom())
        let target = self.target.replacingOccurrences(of: "{recipient}", with: device.deviceID.hex)
        let (count, shards, unsigned, dir, name) = (self.count, self.shards, self.unsigned, self.dir, self.name)
        try await parallelFor(0..<shards) { s in
            var file: [UInt8] = []
            for _ in (count * s / shards)..<(count * (s + 1) / shards) {
                let headers = unsigned ? [] : authenticator.headers("GET", target, body: [])
                appendRecord(&file, rawRequest("GET", target, host: host, contentType: nil, body: nil, headers: headers))
            }
            try writeFile("\(dir)/\(name).\(s + 1)", file)
        }
        say("wrote \(count) \(unsigned ? "unsigned" : "signed") GET \(target) in \(shards) shards")
    }
}

// MARK: - helpers

/// How the prepared requests are authenticated (SPEC.md, "Request authentication").
enum Authentication: String, ExpressibleByArgument, CaseIterable {
    /// One Ed25519 signature per request.
    case signature
    /// A request session opened once (signed), then one HMAC per request.
    case session
}

/// Writes the authentication headers of one request, by signature or in a session.
struct RequestAuthenticator: Sendable {
    let identity: DeviceIdentity
    let session: OpenedSession?
    let clock: any RelaisClock
    let rng: any RandomSource

    static func make(_ mode: Authentication, relay: URL, identity: DeviceIdentity) async throws -> RequestAuthenticator {
        let session = mode == .session ? try await RelayClient(relay: relay, identity: identity).openSession() : nil
        return RequestAuthenticator(identity: identity, session: session, clock: SystemClock(), rng: SystemRandom())
    }

    func headers(_ method: String, _ target: String, body: [UInt8]) -> [(name: String, value: String)] {
        if let session {
            return RequestSession.headers(session: session.id, key: session.key, device: identity.deviceID, method: method, target: target,
                                          body: body, timestamp: clock.now(), rng: rng)
        }
        return RequestSignature.sign(method: method, target: target, body: body, identity: identity, timestamp: clock.now(), rng: rng).headers
    }
}

/// The recipient device whose seed `prepare` kept in DIR/recipient.seed.
func recipientIdentity(dir: String) throws -> DeviceIdentity {
    let seedText = try String(contentsOfFile: dir + "/recipient.seed", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    guard var seed = Hex.decode(seedText), seed.count == 32 else { throw ValidationError("malformed recipient.seed") }
    defer { wipe(&seed) }
    return DeviceIdentity(privateKey: try Ed25519PrivateKey(seed: seed))
}

/// "127.0.0.1:PORT" for a loopback http URL, else nil: this tool never loads anything else.
func loopbackHost(_ text: String) -> String? {
    guard let url = URL(string: text), url.scheme == "http", let host = url.host, let port = url.port,
          ["127.0.0.1", "localhost"].contains(host) else { return nil }
    return "\(host):\(port)"
}

/// A raw HTTP/1.1 request with the Relais authentication headers. `body` nil: no Content-Length.
func rawRequest(_ method: String, _ target: String, host: String, contentType: String?, body: [UInt8]?,
                headers: [(name: String, value: String)]) -> [UInt8] {
    var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\n"
    if let contentType { head += "Content-Type: \(contentType)\r\n" }
    if let body { head += "Content-Length: \(body.count)\r\n" }
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    head += "\r\n"
    return Array(head.utf8) + (body ?? [])
}

/// `length "\n" bytes`: the record format the Lua script of scripts/bench-relay.sh reads.
func appendRecord(_ file: inout [UInt8], _ request: [UInt8]) {
    file.append(contentsOf: Array("\(request.count)\n".utf8))
    file.append(contentsOf: request)
}

func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    let fm = FileManager.default
    if fm.fileExists(atPath: path) { try fm.removeItem(atPath: path) }
    guard fm.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
        throw CocoaError(.fileWriteUnknown)
    }
}

/// `list` cut into `n` contiguous parts of nearly equal size.
func split<T>(_ list: [T], into n: Int) -> [[T]] {
    (0..<n).map { i in Array(list[(list.count * i / n)..<(list.count * (i + 1) / n)]) }
}

/// `transform` over `range`, in one task per core, keeping the order.
func parallelMap<T: Sendable>(_ range: Range<Int>, _ transform: @escaping @Sendable (Int) throws -> T) async throws -> [T] {
    let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let bounds = (0...workers).map { range.lowerBound + range.count * $0 / workers }
    return try await withThrowingTaskGroup(of: (Int, [T]).self) { group in
        for w in 0..<workers {
            let lo = bounds[w], hi = bounds[w + 1]
            group.addTask { (w, try (lo..<hi).map(transform)) }
        }
        var parts = [[T]](repeating: [], count: workers)
        for try await (w, part) in group { parts[w] = part }
        return parts.flatMap { $0 }
    }
}

func parallelFor(_ range: Range<Int>, _ body: @escaping @Sendable (Int) throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for i in range { group.addTask { try body(i) } }
        try await group.waitForAll()
    }
}

func seconds(_ d: Duration) -> String {
    String(format: "%.1f", secondsValue(d))
}

func secondsValue(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// Unbuffered, so that lines appear at once when stdout is a file.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
