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

// MARK: - a large store (issue 18: the relay and the auditor at 10 million log entries)

/// `large-setup`, against a running relay on a fresh data folder: the directory a large log needs
/// (operator, two organisations, their admins, a sender and a recipient device, one consent of the
/// sender's organisation covering the recipient's) and an auditor profile for `relais audit verify`,
/// through the API as a deployment would make them. It writes what `large-store` needs to
/// `parties.json` (identifiers only, no key).
struct LargeSetup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "large-setup",
        abstract: "Enrols the directory of a large benchmark store and an auditor profile on a running relay (loopback only).")

    @Option(help: "The relay, http://127.0.0.1:PORT (loopback only).")
    var relay: String
    @Option(help: "File holding the relay's operator invite (DATA/operator-invite).")
    var operatorInvite: String
    @Option(help: "Output folder (created): parties.json and the auditor profile (auditor/, passphrase from RELAIS_PASSPHRASE).")
    var out: String

    func validate() throws {
        guard loopbackHost(relay) != nil else { throw ValidationError("--relay must be http://127.0.0.1:PORT or http://localhost:PORT") }
        guard ProcessInfo.processInfo.environment["RELAIS_PASSPHRASE"].map({ !$0.isEmpty }) == true else {
            throw ValidationError("set RELAIS_PASSPHRASE: the auditor profile's passphrase (a throwaway benchmark profile)")
        }
    }

    func run() async throws {
        let url = URL(string: relay)!
        guard let invite = InviteCode(try String(contentsOfFile: operatorInvite, encoding: .utf8)) else {
            throw ValidationError("no operator invite in \(operatorInvite)")
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let clock = SystemClock(), rng = SystemRandom()
        let now = clock.now()
        let op = DeviceIdentity.generate()
        let opRecord = try DeviceRecord(identity: op.publicIdentity, organisationId: nil, role: .operator, enrolledBy: op.deviceID,
                                        inviteId: invite.id, issuedAt: now).signed(by: op)
        _ = try await RelayClient(relay: url, identity: nil).enrol(invite: invite, device: op, record: opRecord)
        let opClient = RelayClient(relay: url, identity: op)
        let association = OrganisationID.random(using: rng), service = OrganisationID.random(using: rng)
        try await opClient.putOrganisation(OrganisationRecord(id: association, name: "Association (large)", category: .specialisedAssociation,
                                                              departements: ["75"], issuedAt: now).signed(by: op))
        try await opClient.putOrganisation(OrganisationRecord(id: service, name: "Service social (large)", category: .socialServices,
                                                              departements: ["75"], issuedAt: now).signed(by: op))
        let assocAdmin = try await Prepare.enrol(url, by: op, role: .admin, organisation: association, device: DeviceIdentity.generate())
        let serviceAdmin = try await Prepare.enrol(url, by: op, role: .admin, organisation: service, device: DeviceIdentity.generate())
        let recipient = try await Prepare.enrol(url, by: assocAdmin, role: .member, organisation: nil, device: DeviceIdentity.generate())
        let sender = try await Prepare.enrol(url, by: serviceAdmin, role: .member, organisation: nil, device: DeviceIdentity.generate())
        let consent = ConsentRecord(consentId: .random(using: rng), subjectPseudonym: ConsentRecord.pseudonym(caseID: "LARGE-1", key: rng.bytes(32)),
                                    recordedBy: sender.deviceID, organisationId: service, method: .oral, language: "fr", interpreter: false,
                                    purposes: [.emergencyShelter], recipientOrganisations: [association], recipientCategories: [],
                                    dataCategories: [.situation], grantedAt: now, validUntil: now + ConsentRecord.defaultValidity)
        try await RelayClient(relay: url, identity: sender).putConsent(consent.publicPart.signed(by: sender))

        // The auditor, enrolled by the operator (as `relais enrol` and `relais admin approve` do).
        let passphrase = SecretBytes(Array(ProcessInfo.processInfo.environment["RELAIS_PASSPHRASE"]!.utf8))
        let auditor = try await LocalDevice.create(directory: out + "/auditor", relay: url, passphrase: passphrase)
        let (code, _) = try await opClient.createInvite(role: .auditor)
        _ = try await auditor.enrol(invite: code, asOperator: false)
        guard let pending = try await opClient.pendingEnrolments().first(where: { $0.deviceID == auditor.identity.deviceID }) else {
            throw ClientError.verification("the auditor is missing from the pending list")
        }
        let record = try DeviceRecord(identity: DevicePublicIdentity(signingKey: pending.publicKey), organisationId: nil, role: .auditor,
                                      enrolledBy: op.deviceID, inviteId: pending.inviteID, issuedAt: clock.now()).signed(by: op)
        _ = try await opClient.approve(auditor.identity.deviceID, record: record)
        _ = try await auditor.refresh()

        let parties = LargeStoreParties(sender: sender.deviceID.hex, senderOrganisation: service.hex, recipient: recipient.deviceID.hex,
                                        recipientOrganisation: association.hex, consent: consent.consentId.hex,
                                        grantedAt: now, validUntil: consent.validUntil)
        try writeFile(out + "/parties.json", Array(try JSONEncoder().encode(parties)))
        say("large-setup: directory and auditor enrolled; parties in \(out)/parties.json, auditor profile in \(out)/auditor")
    }
}

/// The identifiers `large-setup` enrolled, for `large-store`.
struct LargeStoreParties: Codable {
    var sender, senderOrganisation, recipient, recipientOrganisation, consent: String
    var grantedAt, validUntil: UInt64
}

/// `large-store`: grows a relay's SQLite file (relay stopped) to `--entries` log entries, of which
/// `--held` are envelopes still held, then brings its stored tree up to date (`StoredAuditTree`,
/// what the relay's first sync would do). Envelopes that have come and gone are written as their
/// log entries only (submitted, delivered, acknowledged, deleted: 4 entries), by SQL in large
/// transactions, with times spread over the consent's validity so that the log is compliant and
/// an auditor's state is one expiry window; the held envelopes go through the store's `submit`.
struct LargeStore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "large-store",
        abstract: "Grows a stopped relay's SQLite store to N log entries and M held envelopes, then stores its tree.")

    @Option(help: "The relay's data folder (relais.sqlite in it; the relay stopped).")
    var data: String
    @Option(help: "parties.json written by large-setup.")
    var parties: String
    @Option(help: "Log entries in all (the setup's included).")
    var entries: Int = 10_000_000
    @Option(help: "Envelopes held at the end (each also one log entry).")
    var held: Int = 1_000_000
    @Option(help: "Bytes per held envelope.")
    var bytes: Int = 4281
    @Option(help: "Days an envelope lives.")
    var expiryDays: UInt64 = 14

    func validate() throws {
        guard entries >= 0, held >= 0, bytes >= 1 else { throw ValidationError("--entries, --held ≥ 0, --bytes ≥ 1") }
    }

    func run() async throws {
        let p = try JSONDecoder().decode(LargeStoreParties.self, from: Data(contentsOf: URL(fileURLWithPath: parties)))
        guard let sender = DeviceID(hex: p.sender), let senderOrg = OrganisationID(hex: p.senderOrganisation),
              let recipient = DeviceID(hex: p.recipient), let recipientOrg = OrganisationID(hex: p.recipientOrganisation),
              let consentID = ConsentID(hex: p.consent) else { throw ValidationError("\(parties) does not hold large-setup's identifiers") }
        let path = data + "/relais.sqlite"
        let started = ContinuousClock.now
        let queue = try DatabaseQueue(path: path)
        let existing = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_log") ?? 0 }
        let cycles = max(0, (entries - existing - held) / 4)
        // Times from the consent's grant to well before its end, so every envelope, held or not, is covered.
        let first = p.grantedAt + 60, expiry = expiryDays * 86_400
        let span = p.validUntil > first + 2 * expiry ? p.validUntil - first - 2 * expiry : 1
        let step = max(1, span / UInt64(max(1, cycles + held)))
        let consent = ConsentReference(kind: .consent, id: consentID)
        let delivery = Delivery(deviceID: recipient, organisationID: recipientOrg)
        func envelope(_ n: Int, at time: UInt64, bytes body: [UInt8]) -> StoredEnvelope {
            var id = [UInt8](repeating: 0, count: 16)
            withUnsafeBytes(of: UInt64(n).bigEndian) { id.replaceSubrange(8..<16, with: $0) }
            id[0] = 0x1A
            return StoredEnvelope(id: EnvelopeID(bytes: id)!, senderDevice: sender, senderOrganisation: senderOrg, bytes: body,
                                  digest: SHA256.hash(id), sizeClass: 0, consent: consent, submittedAt: time, expiresAt: time + expiry,
                                  deliveries: [delivery])
        }
        // 1. Envelopes come and gone: their four entries each, 25,000 envelopes a transaction.
        var seq = existing
        let batch = 25_000
        for start in stride(from: 0, to: cycles, by: batch) {
            let rows: [(Data, Data)] = (start ..< min(cycles, start + batch)).flatMap { n -> [(Data, Data)] in
                let t = first + UInt64(n) * step
                let e = envelope(n, at: t, bytes: [])
                return [StoreAuditEvents.envelopeSubmitted(e), StoreAuditEvents.envelopeDelivered(e.id, device: recipient, at: t + 1),
                        StoreAuditEvents.envelopeAcknowledged(e.id, device: recipient, at: t + 2), StoreAuditEvents.envelopeDeleted(e.id, at: t + 2)]
                    .map { let entry = AuditEntry($0); return (Data(entry.bytes), Data(entry.leafHash)) }
            }
            let from = seq
            try await queue.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO audit_log (seq, entry, leaf_hash) VALUES (?, ?, ?)")
                for (i, row) in rows.enumerated() { try insert.execute(arguments: [from + i, row.0, row.1]) }
            }
            seq += rows.count
            if (start / batch) % 20 == 0 { say("  log: \(seq) entries, \(seconds(ContinuousClock.now - started)) s") }
        }
        try queue.close()
        let logged = ContinuousClock.now
        say("large-store: \(cycles) envelopes come and gone, \(seq - existing) entries in \(seconds(logged - started)) s")

        // 2. Held envelopes, through the store's own submit (group commit, as the relay submits), 64 at a time.
        let store = try SQLiteRelayStore(path: path)
        let heldFirst = first + UInt64(cycles) * step
        let body = [UInt8](repeating: 0x5A, count: bytes)
        let next = Counter()
        let held = self.held
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    while true {
                        let i = next.value.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard i < held else { return }
                        let e = envelope(cycles + i, at: heldFirst + UInt64(i) * step, bytes: body)
                        guard try await store.submit(e) == .stored else { throw ValidationError("held envelope \(i) was not stored") }
                        if i % 100_000 == 99_999 { say("  held: \(i + 1), \(seconds(ContinuousClock.now - started)) s") }
                    }
                }
            }
            try await group.waitForAll()
        }
        let submitted = ContinuousClock.now
        say("large-store: \(held) envelopes held (\(bytes) B) in \(seconds(submitted - logged)) s")

        // 3. The tree, as the relay's sync stores it.
        let (size, root) = try await StoredAuditTree(store: store).sync()
        let treed = ContinuousClock.now
        try store.close()
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        say("large-store: tree of \(size) entries stored in \(seconds(treed - submitted)) s, root \(Hex.encode(root)); "
            + "file \(fileSize / 1_048_576) MiB; total \(seconds(treed - started)) s")
    }
}

/// `tree-bench`: the relay's proofs on a large store, without HTTP: the time to read the stored
/// tree's frontier (what a start costs), then random inclusion and consistency proofs, each
/// verified against the root, with their latency percentiles.
struct TreeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree-bench",
        abstract: "Times the stored tree's start-up and proofs on a relay's SQLite file (proofs verified).")

    @Option(help: "The relay's data folder (relais.sqlite in it).")
    var data: String
    @Option(help: "Proofs of each kind.")
    var count: Int = 1_000

    func run() async throws {
        let store = try SQLiteRelayStore(path: data + "/relais.sqlite")
        let opened = ContinuousClock.now
        let tree = StoredAuditTree(store: store)
        let (size, root) = try await tree.sync()
        say("tree-bench: frontier of \(size) entries read and synced in \(milliseconds(ContinuousClock.now - opened)) ms")
        guard size > 1 else { throw ValidationError("the log is empty") }
        var inclusion: [Double] = [], consistency: [Double] = []
        for _ in 0..<count {
            let index = UInt64.random(in: 0..<size)
            var start = ContinuousClock.now
            let path = try await tree.inclusionProof(index: index, size: size)
            inclusion.append(secondsValue(ContinuousClock.now - start) * 1_000)
            let leaf = try await store.auditLeafHashes(from: index, count: 1)[0]
            try MerkleTree.verifyInclusion(leafHash: leaf, index: index, size: size, proof: path, root: root)
            let from = UInt64.random(in: 1..<size)
            start = ContinuousClock.now
            _ = try await tree.consistencyProof(from: from, to: size)
            consistency.append(secondsValue(ContinuousClock.now - start) * 1_000)
        }
        func summary(_ name: String, _ ms: [Double]) -> String {
            let s = ms.sorted()
            func at(_ q: Double) -> String { String(format: "%.3f", s[min(s.count - 1, Int(Double(s.count) * q))]) }
            return "\(name): n=\(s.count) p50=\(at(0.5)) ms p99=\(at(0.99)) ms max=\(String(format: "%.3f", s.last!)) ms"
        }
        say("tree-bench: " + summary("inclusion", inclusion) + "; " + summary("consistency", consistency) + " (inclusion proofs verified)")
        try store.close()
    }

    func milliseconds(_ d: Duration) -> String { String(format: "%.1f", secondsValue(d) * 1_000) }
}
