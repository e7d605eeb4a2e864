import Foundation
import RelaisCore
import RelaisStore
import Testing

/// Issue 15: a report made outside Relais is stored with its audit entry in one transaction, and
/// its id is used once: a second put is a conflict that writes nothing. SQLite file and PostgreSQL.
@Suite("Outside reports in the store (SQLite file, PostgreSQL server)")
struct OutsideReportStoreTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    @Test(arguments: StoreKind.available) func aReportIsStoredAndLoggedOnce(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind, clock: ManualClock(5_000))
        let id: OutsideReportID = Fixture.identifier(3, tag: 0x5A)
        let report = StoredOutsideReport(id: id, organisationID: Fixture.org(1), recordedBy: Fixture.device(1),
                                         signed: Fixture.signed("outside report"), reportedAt: 4_000, recordedAt: 4_900)
        let size = try await store.auditLogSize()
        try await store.putOutsideReport(report)
        #expect(try await store.auditLogSize() == size + 1)
        let entry = try AuditEvent.decode(try #require(try await store.auditEntries(from: size, count: 1).first))
        #expect(entry == StoreAuditEvents.outsideReportRecorded(report, at: 5_000))
        #expect(entry.kind == .outsideReportRecorded && entry.organisation == Fixture.org(1) && entry.actor == Fixture.device(1)
                    && entry.signedRecord == report.signed && entry.time == 5_000)
        // The same id again, with other bytes or from another organisation: refused, nothing logged.
        var again = report
        again.organisationID = Fixture.org(2)
        again.signed = Fixture.signed("another")
        await expectStoreError(.conflict) { try await store.putOutsideReport(again) }
        await expectStoreError(.conflict) { try await store.putOutsideReport(report) }
        #expect(try await store.auditLogSize() == size + 1)
        // Another id is another report.
        again.id = Fixture.identifier(4, tag: 0x5A)
        try await store.putOutsideReport(again)
        #expect(try await store.auditLogSize() == size + 2)
    }
}
