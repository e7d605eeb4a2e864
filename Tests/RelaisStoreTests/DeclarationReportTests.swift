import Foundation
import GRDB
import RelaisCore
import RelaisCrypto
import RelaisStore
@testable import RelaisStoreSQLite
import Testing

/// Issue 15: a child-protection declaration serves a bounded number of reports. The store counts
/// the reports of the declaring organisation in the submit's transaction and refuses one past the
/// bound; answers by other organisations are not counted; the count outlives the envelopes.
@Suite("Reports under a declaration (SQLite file, PostgreSQL server)")
struct DeclarationReportTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    static func report(_ n: Int, org: Int, to recipients: [Int] = [2], expiresAt: UInt64 = 5_000) -> StoredEnvelope {
        var e = Fixture.envelope(n, from: org, senderOrg: org, to: recipients, expiresAt: expiresAt)
        e.consent = ConsentReference(kind: .childProtectionDeclaration, id: Fixture.consentID(5))
        return e
    }

    @Test(arguments: StoreKind.available) func reportsAreCountedUpToTheBound(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        let d = StoredDeclaration(id: Fixture.consentID(5), organisationID: Fixture.org(1), declaredBy: Fixture.device(1),
                                  signed: Fixture.signed("declaration"), declaredAt: 1_000, maxReports: 2)
        try await store.putDeclaration(d)
        #expect(try await store.declaration(d.id) == d)
        #expect(try await store.reportsSent(declaration: d.id) == 0)
        #expect(try await store.submit(Self.report(1, org: 1, expiresAt: 1_500)) == .stored)
        // A retry of the same envelope is not a second report.
        #expect(try await store.submit(Self.report(1, org: 1, expiresAt: 1_500)) == .duplicate)
        #expect(try await store.reportsSent(declaration: d.id) == 1)
        // An answer from the organisation reported to is not a report.
        #expect(try await store.submit(Self.report(2, org: 2, to: [1])) == .stored)
        #expect(try await store.reportsSent(declaration: d.id) == 1)
        #expect(try await store.submit(Self.report(3, org: 1)) == .stored)
        #expect(try await store.reportsSent(declaration: d.id) == 2)
        // Past the bound: refused in the transaction, nothing changed.
        let before = try await store.statistics()
        await expectStoreError(.conflict) { _ = try await store.submit(Self.report(4, org: 1)) }
        #expect(try await store.statistics() == before)
        #expect(try await store.reportsSent(declaration: d.id) == 2)
        // The count outlives the envelopes: once the first has expired and been purged, still 2.
        _ = try await store.purgeExpired(now: 2_000)
        #expect(try await store.reportsSent(declaration: d.id) == 2)
        await expectStoreError(.conflict) { _ = try await store.submit(Self.report(5, org: 1)) }
        #expect(try await store.reportsSent(declaration: Fixture.consentID(6)) == 0)
    }

    /// A file written before the bound: its declarations get version 1's (5), and the reports still
    /// on the relay are counted.
    @Test func theMigrationCountsTheReportsStillHeld() async throws {
        let held = Self.report(1, org: 1), answer = Self.report(2, org: 2, to: [1])
        do {
            let queue = try DatabaseQueue(path: directory.databasePath)
            try SQLiteSchema.migrator.migrate(queue, upTo: "v8")
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO declarations (id, organisation_id, declared_by, record, signature, declared_at) VALUES (?, ?, ?, ?, ?, 1000)",
                               arguments: [Data(Fixture.consentID(5).bytes), Data(Fixture.org(1).bytes), Data(Fixture.device(1).bytes), Data("d".utf8), Data("s".utf8)])
                for e in [held, answer] {
                    try db.execute(sql: """
                        INSERT INTO envelopes (id, sender_device, sender_org, bytes, byte_count, digest, size_class, consent_kind, consent_id,
                                               submitted_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, 0, 2, ?, ?, ?)
                        """, arguments: [Data(e.id.bytes), Data(e.senderDevice.bytes), Data(e.senderOrganisation.bytes), Data(e.bytes),
                                         e.bytes.count, Data(e.digest), Data(e.consent.id.bytes), Int64(e.submittedAt), Int64(e.expiresAt)])
                }
            }
            try queue.close()
        }
        let store = try SQLiteRelayStore(path: directory.databasePath)
        #expect(try await store.reportsSent(declaration: Fixture.consentID(5)) == 1)
        #expect(try await store.declaration(Fixture.consentID(5))?.maxReports == ChildProtectionDeclaration.maximumReports)
    }
}
