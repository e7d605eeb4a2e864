import Foundation
import GRDB
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import RelaisStore
import Testing

/// Issue 6: the auditor verifies the relay's log; tampering, rollback and forks are caught.
@Suite("Audit log end to end", .serialized)
struct AuditTests {
    static let passphrase = SecretBytes(Array("auditor passphrase".utf8))

    /// An auditor device enrolled by the operator, with a profile in `root`.
    static func auditor(_ live: LiveRelay, _ net: Network, root: String) async throws -> LocalDevice {
        let device = try await LocalDevice.create(directory: root, relay: live.url, passphrase: passphrase, parameters: .minimum, clock: live.clock)
        let (code, _) = try await net.operatorClient.createInvite(role: .auditor)
        _ = try await device.enrol(invite: code, asOperator: false)
        let pending = try #require(try await net.operatorClient.pendingEnrolments().first { $0.deviceID == device.identity.deviceID })
        let record = try DeviceRecord(identity: DevicePublicIdentity(signingKey: pending.publicKey), organisationId: nil, role: .auditor,
                                      enrolledBy: net.operatorIdentity.deviceID, inviteId: pending.inviteID, issuedAt: live.clock.now())
            .signed(by: net.operatorIdentity)
        _ = try await net.operatorClient.approve(device.identity.deviceID, record: record)
        _ = try await device.refresh()
        return device
    }

    /// A realistic day: enrolments, consents, referrals, acknowledgements, a withdrawal, an expiry.
    static func day(_ live: LiveRelay, _ net: Network) async throws {
        let pro = live.client(net.professional)
        let first = try net.sealToAssociation()
        _ = try await pro.submit(first.bytes)
        for d in net.associationDevices {
            _ = try await live.client(d.identity).fetch(first.header.envelopeID)
            _ = try await live.client(d.identity).acknowledge(first.header.envelopeID)
        }
        try await net.sendUnderANewConsentThenWithdrawIt()
        _ = try await pro.submit(try net.sealToAssociation(expiresIn: 600).bytes)
        live.clock.advance(by: 601)
        try await live.relay.purgeExpired()
    }

    /// A relay that rewrites its history rewrites its stored tree with it (a restored backup holds
    /// the tree of the log it holds): here the tree is dropped, and the relay's next sync rebuilds
    /// it from the entries (SPEC.md, "Storage of the tree").
    static func dropStoredTree(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM audit_tree; UPDATE audit_tree_head SET tree_size = 0")
    }

    static func database(_ live: LiveRelay) throws -> DatabaseQueue { try DatabaseQueue(path: live.relay.configuration.databasePath) }

    func expectFailure(_ device: LocalDevice, _ word: String, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            _ = try await device.verifyAuditLog()
            Issue.record("verification passed; expected \(word)", sourceLocation: sourceLocation)
        } catch {
            #expect("\(error)".contains(word), "got: \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Proofs outside the log are a 400 `range` (like entries), not `proof`, which names a failed
    /// proof of possession at enrolment.
    @Test func proofsOutsideTheLogAreRangeErrors() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-audit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let auditor = try await Self.auditor(live, net, root: root)
            let client = live.client(auditor.identity)
            let size = try await live.relay.store.auditLogSize()
            #expect(try await client.inclusionProof(index: 0, size: size).count > 0)
            await expectRefusal(400, "range") { _ = try await client.inclusionProof(index: size, size: size) }
            await expectRefusal(400, "range") { _ = try await client.inclusionProof(index: 0, size: size + 1) }
            await expectRefusal(400, "range") { _ = try await client.consistencyProof(first: size, second: size - 1) }
            await expectRefusal(400, "range") { _ = try await client.consistencyProof(first: 1, second: size + 5) }
        }
    }

    @Test(arguments: RelayStoreKind.available) func aRealisticDayVerifiesCleanAndReports(store: RelayStoreKind) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-audit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            try await Self.day(live, net)
            let auditor = try await Self.auditor(live, net, root: root)
            let report = try await auditor.verifyAuditLog()
            #expect(report.findings.isEmpty, "\(report.findings)")
            #expect(report.size > 20 && report.previousSize == nil)
            #expect(report.eventsByKind["envelopeSubmitted"] == 3 && report.eventsByKind["envelopeExpired"] == 1)
            #expect(report.eventsByKind["consentWithdrawn"] == 1 && report.eventsByKind["envelopeDeletedByWithdrawal"] == 1)
            #expect(report.eventsByKind["envelopeDelivered"] == 2 && report.eventsByKind["envelopeAcknowledged"] == 2)
            #expect((report.checksByRule["delivered-to-recipients"] ?? 0) == 4)
            #expect((report.checksByRule["consent-coverage"] ?? 0) == 3)
            #expect(report.markdown.contains("| consent-coverage | 3 | 0 |"))
            // More activity, then a second verification: consistent with the first.
            _ = try await live.client(net.professional).submit(try net.sealToAssociation().bytes)
            let again = try await auditor.verifyAuditLog()
            #expect(again.previousSize == report.size && again.size > report.size)
            // Auditors reach the log only; other devices do not reach it.
            await expectRefusal(403, "role") { _ = try await live.client(net.professional).logEntries(start: 0, end: 1) }
            await expectRefusal(403, "role") { _ = try await auditor.client.inbox() }
        }
    }

    @Test(arguments: [("alter", "ROOT MISMATCH"), ("delete", "LOG INCOMPLETE"), ("reorder", "ROOT MISMATCH"), ("insert", "ROOT MISMATCH")])
    func tamperingWithTheDatabaseIsCaught(_ how: String, _ expected: String) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-audit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            try await Self.day(live, net)
            let auditor = try await Self.auditor(live, net, root: root)
            _ = try await live.relay.checkpoint()  // the relay has signed the true tree
            try await Self.database(live).write { db in
                switch how {
                case "alter":
                    // The purge's entry is turned into an ordinary deletion: the expiry disappears from history.
                    let seq = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit_log")!
                    var event = try AuditEvent.decode(Array(try Data.fetchOne(db, sql: "SELECT entry FROM audit_log WHERE seq = ?", arguments: [seq])!))
                    event.kind = .envelopeDeleted
                    try db.execute(sql: "UPDATE audit_log SET entry = ? WHERE seq = ?", arguments: [Data(event.encoded), seq])
                case "insert":
                    // A forged entry slipped in the middle; later entries move up one place.
                    try db.execute(sql: "UPDATE audit_log SET seq = -seq - 100 WHERE seq >= 6")
                    try db.execute(sql: "UPDATE audit_log SET seq = -seq - 99 WHERE seq < 0")
                    let forged = AuditEvent(kind: .envelopeDeleted, time: 1).encoded
                    try db.execute(sql: "INSERT INTO audit_log (seq, entry, leaf_hash) VALUES (6, ?, ?)",
                                   arguments: [Data(forged), Data(SHA256.hash([0x00] + forged))])
                case "delete":
                    try db.execute(sql: "DELETE FROM audit_log WHERE seq = 5")
                    try db.execute(sql: "UPDATE audit_log SET seq = seq - 1 WHERE seq > 5")
                default:
                    let a = try Data.fetchOne(db, sql: "SELECT entry FROM audit_log WHERE seq = 3")!
                    let b = try Data.fetchOne(db, sql: "SELECT entry FROM audit_log WHERE seq = 4")!
                    try db.execute(sql: "UPDATE audit_log SET entry = ? WHERE seq = 3", arguments: [b])
                    try db.execute(sql: "UPDATE audit_log SET entry = ? WHERE seq = 4", arguments: [a])
                }
            }
            await expectFailure(auditor, expected)
        }
    }

    @Test func rollbackAndForkAreCaught() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-audit-\(UUID().uuidString)").path
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("relais-audit-data-\(UUID().uuidString)").path
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: data)
        }
        let start = 1_800_000_000.0
        let (net, verifiedSize) = try await LiveRelay.run(at: start, dataDirectory: data) { live in
            let net = try await Network.build(on: live)
            try await Self.day(live, net)
            let auditor = try await Self.auditor(live, net, root: root + "/a")
            return (net, try await auditor.verifyAuditLog().size)
        }
        // Rollback: the relay restarts on a database whose log lost its last entries.
        try await DatabaseQueue(path: data + "/relais.sqlite").write { db in
            try db.execute(sql: "DELETE FROM audit_log WHERE seq >= ?", arguments: [Int64(verifiedSize) - 3])
            try Self.dropStoredTree(db)
        }
        try await LiveRelay.run(at: start + 700, dataDirectory: data) { live in
            let auditor = try LocalDevice.open(directory: root + "/a", passphrase: Self.passphrase, clock: live.clock)
            try auditor.setRelay(live.url)
            await expectFailure(auditor, "ROLLBACK")
        }
        // Fork: history rewritten (an old entry altered, its leaf hash recomputed) and extended.
        try await DatabaseQueue(path: data + "/relais.sqlite").write { db in
            let old = try Data.fetchOne(db, sql: "SELECT entry FROM audit_log WHERE seq = 2")!
            var event = try AuditEvent.decode(Array(old))
            event.time += 1
            let rewritten = event.encoded
            try db.execute(sql: "UPDATE audit_log SET entry = ?, leaf_hash = ? WHERE seq = 2",
                           arguments: [Data(rewritten), Data(SHA256.hash([0x00] + rewritten))])
            try Self.dropStoredTree(db)
        }
        try await LiveRelay.run(at: start + 800, dataDirectory: data) { live in
            _ = try await live.client(net.professional).submit(try net.sealToAssociation().bytes)
            for _ in 0..<4 { _ = try await live.client(net.professional).submit(try net.sealToAssociation().bytes) }
            let auditorA = try LocalDevice.open(directory: root + "/a", passphrase: Self.passphrase, clock: live.clock)
            try auditorA.setRelay(live.url)
            await expectFailure(auditorA, "FORK")
            // A second auditor who never saw the old history verifies this one: comparing their
            // checkpoints shows the relay served two different trees.
            let auditorB = try await Self.auditor(live, Network(live: live, operatorIdentity: net.operatorIdentity, association: net.association,
                                                                socialService: net.socialService, associationAdmin: net.associationAdmin,
                                                                associationDevices: net.associationDevices, serviceAdmin: net.serviceAdmin,
                                                                professional: net.professional, consent: net.consent), root: root + "/b")
            #expect(try await auditorB.verifyAuditLog().size > verifiedSize)
        }
    }
}
