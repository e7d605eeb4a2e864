import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisStore
import RelaisStorePostgres
import RelaisStoreSQLite
import Synchronization
import Testing

/// A `relais-server` process on 127.0.0.1, port 0, over `data`.
final class ServerProcess: Sendable {
    let process: Process
    let url: URL
    /// With `metrics`: where `--metrics 127.0.0.1:0` serves `/metrics`.
    let metricsURL: URL?

    /// `postgres`: the store's URL (`--postgres`), or nil for the SQLite file in `data`; `options`: more
    /// command-line options.
    init(data: String, postgres: String? = nil, metrics: Bool = false, options: [String] = []) async throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: relaisServerBinary)
        p.arguments = ["--data", data, "--listen", "127.0.0.1:0", "--rate", "100000", "--log-level", "error"]
            + (postgres.map { ["--postgres", $0] } ?? []) + (metrics ? ["--metrics", "127.0.0.1:0"] : []) + options
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        // The server prints "relais-server listening on http://127.0.0.1:PORT".
        // Read on a thread of its own (`availableData` blocks): EOF if the server exits first.
        let reader = out.fileHandleForReading
        let text = try await offCooperativePool {
            var text = ""
            while !text.contains("listening on ") || (metrics && !text.contains("/metrics\n")) {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            return text
        }
        guard let line = text.split(separator: "\n").first(where: { $0.contains("listening on ") }),
              let u = URL(string: String(line.split(separator: " ").last!)) else {
            p.terminate()
            throw CancellationError()
        }
        url = u
        metricsURL = text.split(separator: "\n").first { $0.hasSuffix("/metrics") }.flatMap { URL(string: String($0.split(separator: " ").last!)) }
    }

    func kill9() async {
        kill(process.processIdentifier, SIGKILL)
        let p = process
        _ = try? await offCooperativePool { p.waitUntilExit() }
    }
}


/// Collects what concurrent submitters saw.
final class SubmitLedger: Sendable {
    private let ids = Mutex<[EnvelopeID]>([])
    private let stopped = Mutex(false)
    func record(_ id: EnvelopeID) { ids.withLock { $0.append(id) } }
    var all: [EnvelopeID] { ids.withLock { $0 } }
    func stop() { stopped.withLock { $0 = true } }
    func resume() { stopped.withLock { $0 = false } }
    var isStopped: Bool { stopped.withLock { $0 } }
}

/// What the recipient device's acknowledgements got: tried (the answer may have been lost in the
/// crash) and answered 2xx.
final class AckLedger: Sendable {
    private let state = Mutex((tried: Set<EnvelopeID>(), answered: [EnvelopeID]()))
    func tried(_ id: EnvelopeID) { state.withLock { _ = $0.tried.insert(id) } }
    func answered(_ id: EnvelopeID) { state.withLock { $0.answered.append(id) } }
    var triedIDs: Set<EnvelopeID> { state.withLock { $0.tried } }
    var answeredIDs: [EnvelopeID] { state.withLock { $0.answered } }
}

/// The audit log as verified so far across crashes: entries are read from where the previous
/// check stopped, so each round costs what the round added.
struct AuditTally {
    var verified: UInt64 = 0
    var submitted: [EnvelopeID: Int] = [:]
    var deleted: [EnvelopeID: Int] = [:]

    /// Gapless, every new leaf hash `SHA-256(0x00 ‖ entry)`, exactly one `envelopeSubmitted` entry per
    /// envelope ever stored and one `envelopeDeleted` per envelope deleted by its acknowledgement
    /// (nothing expires in this test), so that the envelopes still held are the difference; one
    /// submission entry for each of `acknowledged` and one deletion entry for each of `deletedByAck`.
    mutating func expectWhole(_ store: any RelayStore, acknowledged: [EnvelopeID], deletedByAck: [EnvelopeID], round: Int) async throws {
        let size = try await store.auditLogSize()
        #expect(size >= verified, "round \(round): the log shrank from \(verified) to \(size) entries")
        let count = Int(size - min(size, verified))
        let entries = try await store.auditEntries(from: verified, count: count)
        let leaves = try await store.auditLeafHashes(from: verified, count: count)
        #expect(entries.count == count && leaves.count == count, "round \(round): the log has gaps")
        for (entry, leaf) in zip(entries, leaves) {
            #expect(leaf == SHA256.hash([0x00] + entry), "round \(round): a leaf hash does not match its entry")
            let event = try AuditEvent.decode(entry)
            if event.kind == .envelopeSubmitted, let id = event.envelope { submitted[id, default: 0] += 1 }
            if event.kind == .envelopeDeleted, let id = event.envelope { deleted[id, default: 0] += 1 }
        }
        verified = size
        #expect(submitted.values.allSatisfy { $0 == 1 }, "round \(round): an envelope was logged twice")
        #expect(deleted.values.allSatisfy { $0 == 1 }, "round \(round): a deletion was logged twice")
        #expect(deleted.keys.allSatisfy { submitted[$0] != nil }, "round \(round): a deletion without its submission")
        #expect(submitted.count - deleted.count == (try await store.statistics().envelopes),
                "round \(round): stored envelopes and their log entries differ")
        #expect(acknowledged.allSatisfy { submitted[$0] != nil }, "round \(round): an acknowledged envelope has no log entry")
        #expect(deletedByAck.allSatisfy { deleted[$0] != nil }, "round \(round): an acknowledged deletion has no log entry")
    }
}

/// The built `relais-server`, or `RELAIS_SERVER_BINARY` (to run these tests against another build).
let relaisServerBinary = ProcessInfo.processInfo.environment["RELAIS_SERVER_BINARY"]
    ?? packageRoot.appendingPathComponent(".build/debug/relais-server").path

/// The real `relais-server` binary, killed with SIGKILL while clients submit and the recipient
/// acknowledges earlier envelopes: every envelope whose submit the relay answered 2xx must be in
/// the database after the crash, every envelope whose acknowledgement it answered 2xx must be gone
/// (its row a tombstone), the file must pass `integrity_check`, and the audit log must be whole:
/// gapless, every leaf hash right, exactly one submission entry per envelope and one deletion
/// entry per deleted one (RELIABILITY.md, row 1). `RELAIS_KILL_ROUNDS` sets the number of crashes
/// (5 by default; `scripts/crash-loop.sh` runs 200). It runs on the SQLite file and, with a
/// server, on PostgreSQL (where `integrity_check` has no equivalent: the rest is the same).
@Suite("Relay durability under kill -9", .serialized)
struct KillNineTests {

    @Test(arguments: RelayStoreKind.available) func acknowledgedSubmitsSurviveSIGKILL(store kind: RelayStoreKind) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first: swift build --build-tests builds it")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("relais-kill9-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let postgres = kind.storeURL()
        var server = try await ServerProcess(data: data, postgres: postgres)
        var checked = 0
        // A sender and one recipient device, enrolled through the real binary.
        let invite = try #require(InviteCode(try String(contentsOfFile: data + "/operator-invite", encoding: .utf8)))
        let (sender, recipient, recipientOrg, consent) = try await Self.enrolPair(url: server.url, invite: invite)
        let ledger = SubmitLedger()
        let acks = AckLedger()
        var audit = AuditTally()  // what earlier rounds verified of the log: each round checks what was added
        let rounds = ProcessInfo.processInfo.environment["RELAIS_KILL_ROUNDS"].flatMap(Int.init) ?? 5
        for round in 0..<rounds {
            let url = server.url
            ledger.resume()
            let submitters = Task { [sender, recipient, recipientOrg, ledger, consent] in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // 7 submitters and the acknowledger: HTTPClient.shared opens at most 8 connections
                    // per host and queues the rest.
                    for _ in 0..<7 {
                        group.addTask {
                            let client = RelayClient(relay: url, identity: sender)
                            while !ledger.isStopped {
                                let sealed = try Envelope.seal(referral: Array("{}".utf8), from: sender,
                                                               to: [RecipientDevice(organisationID: recipientOrg, prekey: recipient.signed)],
                                                               consent: consent,
                                                               expiresAt: SystemClock().now() + 86_400, clock: SystemClock(), rng: SystemRandom())
                                do {
                                    _ = try await client.submit(sealed.bytes)
                                    ledger.record(sealed.header.envelopeID)
                                } catch {
                                    return  // the relay died mid-request: not acknowledged, may or may not be stored
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            // Meanwhile the recipient acknowledges envelopes that earlier rounds found stored.
            let ackable = ledger.all.prefix(checked).filter { !acks.triedIDs.contains($0) }
            let acker = Task { [recipient, ledger, acks] in
                let client = RelayClient(relay: url, identity: recipient.identity)
                for id in ackable where !ledger.isStopped {
                    acks.tried(id)
                    do {
                        guard try await client.acknowledge(id) else { return }  // single recipient: always the deletion
                        acks.answered(id)
                    } catch {
                        return  // the relay died mid-request: may or may not be deleted
                    }
                }
            }
            let answeredBefore = acks.answeredIDs.count
            // Kill once this round has had acknowledged submits (counted, not timed: the machine may be busy),
            // at a moment that varies from round to round.
            let target = ledger.all.count + 20
            let deadline = ContinuousClock.now + .seconds(120)
            while ledger.all.count < target, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            try await Task.sleep(for: .milliseconds(7 * (round % 20)))
            await server.kill9()
            ledger.stop()
            // Requests still in flight or queued cannot be answered any more: cancel them (their
            // outcome stays unknown, so they are counted as unanswered) rather than wait out their timeout.
            submitters.cancel()
            acker.cancel()
            _ = await submitters.result
            _ = await acker.result
            // Inspect the file the dead relay left, exactly as the next start will find it.
            let store: any RelayStore
            if let postgres {
                store = try await PostgresRelayStore(endpoint: try PostgresEndpoint(url: postgres), maximumConnections: 2)
            } else {
                let file = try SQLiteRelayStore(path: data + "/relais.sqlite")
                #expect(try await file.integrityCheck() == "ok")
                store = file
            }
            // This round's acknowledged envelopes (earlier rounds' were checked after their own crash,
            // and integrity_check covers the file as a whole).
            let ids = Array(ledger.all.dropFirst(checked))
            checked += ids.count
            var missing = 0
            for id in ids where try await store.envelope(id, for: recipient.identity.deviceID, now: SystemClock().now()) == nil {
                missing += 1
            }
            #expect(missing == 0, "round \(round): \(missing) of \(ids.count) acknowledged envelopes lost")
            let deletedNow = Array(acks.answeredIDs.dropFirst(answeredBefore))
            var returned = 0
            for id in deletedNow where try await store.envelope(id, for: recipient.identity.deviceID, now: SystemClock().now()) != nil {
                returned += 1
            }
            #expect(returned == 0, "round \(round): \(returned) of \(deletedNow.count) acknowledged deletions undone")
            try await audit.expectWhole(store, acknowledged: ids, deletedByAck: deletedNow, round: round)
            try (store as? SQLiteRelayStore)?.close()
            (store as? PostgresRelayStore)?.close()
            server = try await ServerProcess(data: data, postgres: postgres)
        }
        let total = ledger.all.count
        #expect(total >= rounds * 20, "too few submits were acknowledged to prove anything (\(total))")
        #expect(rounds < 2 || !acks.answeredIDs.isEmpty, "no acknowledgement was answered before a crash")
        print("kill -9 (\(kind)): \(rounds) crashes, \(total) acknowledged submits, 0 lost; \(acks.answeredIDs.count) acknowledged deletions, 0 undone")
        await server.kill9()
    }

    static func enrolPair(url: URL, invite: InviteCode) async throws
        -> (DeviceIdentity, (identity: DeviceIdentity, signed: SignedPrekey), OrganisationID, ConsentReference) {
        let now = SystemClock().now()
        let op = DeviceIdentity.generate()
        let record = try DeviceRecord(identity: op.publicIdentity, organisationId: nil, role: .operator, enrolledBy: op.deviceID,
                                      inviteId: invite.id, issuedAt: now).signed(by: op)
        _ = try await RelayClient(relay: url, identity: nil).enrol(invite: invite, device: op, record: record)
        let org = OrganisationID.random(using: SystemRandom())
        try await RelayClient(relay: url, identity: op).putOrganisation(
            OrganisationRecord(id: org, name: "Org", category: .specialisedAssociation, departements: ["75"], issuedAt: now).signed(by: op))
        let admin = try await approve(url: url, enroller: op, role: .admin, org: org)
        let sender = try await approve(url: url, enroller: admin, role: .member, org: nil)
        let recipient = try await approve(url: url, enroller: admin, role: .member, org: nil)
        let prekey = X25519PrivateKey.generate()
        let signed = SignedPrekey.sign(publicKey: prekey.publicKey, identity: recipient, createdAt: now, notAfter: now + 7 * 86_400)
        try await RelayClient(relay: url, identity: recipient).publishPrekey(signed)
        // The sender is in the same organisation here; its consent covers that organisation.
        let consentRecord = ConsentRecord(consentId: .random(using: SystemRandom()), subjectPseudonym: String(repeating: "ab", count: 32),
                                   recordedBy: sender.deviceID, organisationId: org, method: .oral, language: "fr", interpreter: false,
                                   purposes: [.housing], recipientOrganisations: [org], recipientCategories: [], dataCategories: [.situation],
                                   grantedAt: now, validUntil: now + 86_400 * 30)
        try await RelayClient(relay: url, identity: sender).putConsent(consentRecord.publicPart.signed(by: sender))
        return (sender, (recipient, signed), org, ConsentReference(kind: .consent, id: consentRecord.consentId))
    }

    static func approve(url: URL, enroller: DeviceIdentity, role: DeviceRole, org: OrganisationID?) async throws -> DeviceIdentity {
        let issuer = RelayClient(relay: url, identity: enroller)
        let (code, _) = try await issuer.createInvite(role: role, organisation: org)
        let device = DeviceIdentity.generate()
        let pending = try await RelayClient(relay: url, identity: nil).enrol(invite: code, device: device)
        let record = try DeviceRecord(identity: device.publicIdentity, organisationId: pending.organisationID, role: role,
                                      enrolledBy: enroller.deviceID, inviteId: code.id, issuedAt: SystemClock().now()).signed(by: enroller)
        _ = try await issuer.approve(device.deviceID, record: record)
        return device
    }
}
