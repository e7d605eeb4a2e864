import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import RelaisStore
import RelaisStorePostgres
import ServiceLifecycle
import Synchronization
import Testing

/// The package root, from this file's path (Tests/RelaisServerTests/LiveRelay.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs blocking work (reading a child process's output, waiting for it to exit) on a thread of its
/// own, never on one of Swift concurrency's cooperative threads: on 2 cores there are only two,
/// and an in-process relay that the child talks to needs them. Two tests blocking both once
/// stalled the whole suite until the CLI's 60 s HTTP timeout.
func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result(catching: work)) }
    }
}

/// Runs `group` for the duration of `body`, then stops it gracefully (cancelling it instead would
/// log CancellationError noise), whether `body` returned or threw.
func running<T: Sendable>(_ group: ServiceGroup, _ body: () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

/// The stores an end-to-end run can use: the SQLite file always, PostgreSQL when
/// `RELAIS_POSTGRES_URL` names a server (scripts/with-postgres.sh; RelaisStoreTests' `StoreKind`
/// decides the same way and reports a missing server).
enum RelayStoreKind: String, CustomStringConvertible, Sendable {
    case sqlite, postgres

    var description: String { rawValue }

    static var postgresURL: String? { ProcessInfo.processInfo.environment["RELAIS_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    static var available: [RelayStoreKind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// For PostgreSQL: the test server's database, in a schema of its own.
    func storeURL() -> String? {
        guard self == .postgres, let url = Self.postgresURL else { return nil }
        return url + (url.contains("?") ? "&" : "?") + "schema=e2e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }
}

/// A real relay on 127.0.0.1, port 0, over a fresh data directory with a real SQLite file (or a
/// fresh schema of the PostgreSQL test server), run for the duration of `body` and stopped
/// gracefully afterwards.
struct LiveRelay: Sendable {
    let relay: Relay
    let url: URL
    /// The metrics listener (`relais-server --metrics`), also on 127.0.0.1, port 0.
    let metricsURL: URL
    let clock: ManualClock
    let operatorInvite: InviteCode
    let dataDirectory: String

    static let start: Double = 1_800_000_000

    /// `dataDirectory` reuses a directory (a restart); it is then left in place. `followingRealTime`:
    /// the relay's clock starts at `startTime` and runs with the real one (worlds where the real
    /// CLI binary signs requests with the real clock).
    static func run<T: Sendable>(store: RelayStoreKind = .sqlite, configure: (inout RelayConfiguration) -> Void = { _ in }, logs: LogCapture? = nil,
                                 at startTime: Double = start, followingRealTime: Bool = false, dataDirectory: String? = nil,
                                 _ body: @Sendable (LiveRelay) async throws -> T) async throws -> T {
        let dir = dataDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("relais-e2e-\(UUID().uuidString)").path
        defer { if dataDirectory == nil { try? FileManager.default.removeItem(atPath: dir) } }
        var config = RelayConfiguration(dataDirectory: dir)
        config.port = 0
        config.burst = 10_000
        config.requestsPerSecond = 10_000
        config.postgresURL = store.storeURL()
        configure(&config)
        let clock = followingRealTime ? ManualClock(followingRealTimeFrom: startTime) : ManualClock(startTime)
        var logger = logs.map { capture in Logger(label: "relais-test") { _ in capture.handler() } } ?? Logger(label: "relais-test")
        logger.logLevel = logs == nil ? .warning : .trace
        let prepared = try await RelayApplication.open(configuration: config, clock: clock, logger: logger)
        defer { (prepared.relay.store as? PostgresRelayStore)?.close() }
        let invite = try dataDirectory == nil ? #require(prepared.newOperatorInvite) : (prepared.newOperatorInvite ?? InviteCode(id: .random(using: SystemRandom()), secret: SystemRandom().bytes(32), anchor: nil))
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let (metricsPortStream, metricsPortContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = try RelayApplication.application(relay: prepared.relay) { port in portContinuation.yield(port) }
        let metricsApp = RelayApplication.metricsApplication(relay: prepared.relay, host: "127.0.0.1", port: 0) { port in
            metricsPortContinuation.yield(port)
        }
        let group = ServiceGroup(configuration: .init(services: [app, metricsApp, PurgeService(relay: prepared.relay)], logger: logger))
        return try await running(group) {
            var iterator = portStream.makeAsyncIterator()
            var metricsIterator = metricsPortStream.makeAsyncIterator()
            guard let port = await iterator.next(), let metricsPort = await metricsIterator.next() else { throw CancellationError() }
            let live = LiveRelay(relay: prepared.relay, url: URL(string: "http://127.0.0.1:\(port)")!,
                                 metricsURL: URL(string: "http://127.0.0.1:\(metricsPort)/metrics")!, clock: clock,
                                 operatorInvite: invite, dataDirectory: dir)
            return try await body(live)
        }
    }

    func client(_ identity: DeviceIdentity?) -> RelayClient {
        RelayClient(relay: url, identity: identity, clock: clock)
    }

    func statistics() async throws -> StoreStatistics { try await relay.store.statistics() }

    // MARK: raw HTTP, for requests the typed client would never send

    struct RawResponse: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: [UInt8]
        var json: [String: String] {
            (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: String]) ?? [:]
        }
        var errorCode: String? { json["error"] }
    }

    /// Sends a request; signs it with `signer` unless `headers` already carry a signature.
    func raw(_ method: HTTPMethod, _ target: String, body: [UInt8] = [], contentType: String = "application/json",
             signer: DeviceIdentity? = nil, signature: RequestSignature? = nil, extraHeaders: [(String, String)] = []) async throws -> RawResponse {
        var request = HTTPClientRequest(url: url.absoluteString + target)
        request.method = method
        request.headers.add(name: "Content-Type", value: contentType)
        if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
        if let sig = signature ?? signer.map({ RequestSignature.sign(method: method.rawValue, target: target, body: body, identity: $0,
                                                                     timestamp: clock.now(), rng: SystemRandom()) }) {
            for (name, value) in sig.headers { request.headers.add(name: name, value: value) }
        }
        for (name, value) in extraHeaders { request.headers.replaceOrAdd(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return RawResponse(status: Int(response.status.code), headers: response.headers, body: Array(buffer: bytes))
    }
}

/// The cast of the end-to-end story: an operator, a specialised association with an admin and two
/// member devices, a social service with an admin and a professional.
struct Network: Sendable {
    let live: LiveRelay
    let operatorIdentity: DeviceIdentity
    let association: OrganisationID
    let socialService: OrganisationID
    let associationAdmin: DeviceIdentity
    let associationDevices: [(identity: DeviceIdentity, prekey: X25519PrivateKey, signed: SignedPrekey)]
    let serviceAdmin: DeviceIdentity
    let professional: DeviceIdentity
    /// The person's consent, recorded by the professional, covering the association.
    let consent: ConsentReference

    var operatorClient: RelayClient { live.client(operatorIdentity) }

    /// Runs the whole enrolment chain through the API.
    static func build(on live: LiveRelay) async throws -> Network {
        let rng = SystemRandom()
        let now = live.clock.now()
        // The operator redeems the relay's invite with a self-signed record.
        let op = DeviceIdentity.generate()
        let opRecord = try DeviceRecord(identity: op.publicIdentity, organisationId: nil, role: .operator, enrolledBy: op.deviceID,
                                        inviteId: live.operatorInvite.id, issuedAt: now).signed(by: op)
        let opStatus = try await live.client(nil).enrol(invite: live.operatorInvite, device: op, record: opRecord)
        #expect(opStatus.status == "active")
        let opClient = live.client(op)
        // Two organisations, signed by the operator key.
        let association = OrganisationID.random(using: rng), service = OrganisationID.random(using: rng)
        try await opClient.putOrganisation(OrganisationRecord(id: association, name: "Association Exemple", category: .specialisedAssociation,
                                                              departements: ["75", "93"], exitProgrammeAccreditedUntil: now + 365 * 86_400,
                                                              issuedAt: now).signed(by: op))
        try await opClient.putOrganisation(OrganisationRecord(id: service, name: "Service social Exemple", category: .socialServices,
                                                              departements: ["93"], issuedAt: now).signed(by: op))
        let assocAdmin = try await enrol(live, by: op, role: .admin, organisation: association)
        let serviceAdmin = try await enrol(live, by: op, role: .admin, organisation: service)
        var devices: [(DeviceIdentity, X25519PrivateKey, SignedPrekey)] = []
        for _ in 0..<2 {
            let d = try await enrol(live, by: assocAdmin, role: .member, organisation: nil)
            let prekey = X25519PrivateKey.generate()
            let signed = SignedPrekey.sign(publicKey: prekey.publicKey, identity: d, createdAt: now, notAfter: now + 7 * 86_400)
            try await live.client(d).publishPrekey(signed)
            devices.append((d, prekey, signed))
        }
        let pro = try await enrol(live, by: serviceAdmin, role: .member, organisation: nil)
        let consent = try await publishConsent(live, by: pro, organisation: service, covering: [association])
        return Network(live: live, operatorIdentity: op, association: association, socialService: service, associationAdmin: assocAdmin,
                       associationDevices: devices, serviceAdmin: serviceAdmin, professional: pro, consent: consent)
    }

    /// A consent recorded by `device` of `organisation` for `recipients`, its public part published.
    static func publishConsent(_ live: LiveRelay, by device: DeviceIdentity, organisation: OrganisationID, covering recipients: [OrganisationID],
                               categories: [PartnerCategory] = [], purposes: [Referral.Need] = [.emergencyShelter, .legalHelp],
                               validity: UInt64 = ConsentRecord.defaultValidity, departement: String? = nil) async throws -> ConsentReference {
        let now = live.clock.now()
        // An exit-programme consent is a version 2 one: it names the person's département (93, the network's, by default).
        let departement = departement ?? (purposes.contains(.exitProgramme) ? "93" : nil)
        let record = ConsentRecord(consentId: .random(using: SystemRandom()),
                                   subjectPseudonym: ConsentRecord.pseudonym(caseID: "CASE-\(now)", key: Array(repeating: 7, count: 32)),
                                   recordedBy: device.deviceID, organisationId: organisation, method: .oral, language: "fr", interpreter: false,
                                   purposes: purposes, recipientOrganisations: recipients, recipientCategories: categories,
                                   dataCategories: [.situation], grantedAt: now, validUntil: now + validity, departement: departement)
        try await live.client(device).putConsent(record.publicPart.signed(by: device))
        return ConsentReference(kind: purposes.contains(.exitProgramme) ? .exitProgrammeConsent : .consent, id: record.consentId)
    }

    /// Invite, redeem, approve: the device is active afterwards.
    static func enrol(_ live: LiveRelay, by enroller: DeviceIdentity, role: DeviceRole, organisation: OrganisationID?) async throws -> DeviceIdentity {
        let (code, _) = try await live.client(enroller).createInvite(role: role, organisation: organisation)
        let device = DeviceIdentity.generate()
        let pending = try await live.client(nil).enrol(invite: code, device: device)
        #expect(pending.status == "pending")
        let listed = try await live.client(enroller).pendingEnrolments()
        let entry = try #require(listed.first { $0.deviceID == device.deviceID })
        let record = try DeviceRecord(identity: DevicePublicIdentity(signingKey: entry.publicKey), organisationId: entry.organisationID,
                                      role: entry.role, enrolledBy: enroller.deviceID, inviteId: entry.inviteID,
                                      issuedAt: live.clock.now()).signed(by: enroller)
        let active = try await live.client(enroller).approve(device.deviceID, record: record)
        #expect(active.status == "active")
        return device
    }

    /// The professional records a new consent covering the association, sends one referral under
    /// it, and the person withdraws it while the envelope is still held: the relay deletes it.
    func sendUnderANewConsentThenWithdrawIt() async throws {
        let pro = live.client(professional)
        let withdrawn = try await Network.publishConsent(live, by: professional, organisation: socialService, covering: [association])
        _ = try await pro.submit(try Envelope.seal(referral: Array("{}".utf8), from: professional,
                                                   to: associationDevices.map { RecipientDevice(organisationID: association, prekey: $0.signed) },
                                                   consent: withdrawn, expiresAt: live.clock.now() + 86_400, clock: live.clock, rng: SystemRandom()).bytes)
        _ = try await pro.withdrawConsent(withdrawn.id, withdrawal: ConsentWithdrawal(consentId: withdrawn.id, organisationId: socialService,
                                                                                     withdrawnBy: professional.deviceID,
                                                                                     withdrawnAt: live.clock.now()).signed(by: professional))
    }

    /// Seals a referral from the professional to both association devices.
    func sealToAssociation(expiresIn: UInt64 = 14 * 86_400, referral: [UInt8]? = nil) throws -> SealedEnvelope {
        let body = referral ?? Array(#"{"schemaVersion":1}"#.utf8)
        return try Envelope.seal(referral: body, from: professional,
                                 to: associationDevices.map { RecipientDevice(organisationID: association, prekey: $0.signed) },
                                 consent: consent, expiresAt: live.clock.now() + expiresIn, clock: live.clock, rng: SystemRandom())
    }
}

/// Expects `body` to throw a refusal with this status and code.
func expectRefusal(_ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation,
                   _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected a \(status) \(code) refusal, got success", sourceLocation: sourceLocation)
    } catch let error as ClientError {
        #expect(error.status == status && error.code == code, "got \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a \(status) \(code) refusal, got \(error)", sourceLocation: sourceLocation)
    }
}

/// Collects every log line the relay writes, with its metadata, as text.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    func handler() -> CapturingLogHandler { CapturingLogHandler(capture: self) }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        capture.append("\(event.level) \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}
