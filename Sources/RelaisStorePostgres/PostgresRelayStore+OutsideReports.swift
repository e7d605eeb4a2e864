import Foundation
import PostgresNIO
import RelaisCore
public import RelaisStore

/// `OutsideReportStore`: the report and its audit entry in one transaction.
extension PostgresRelayStore {
    public func putOutsideReport(_ r: StoredOutsideReport) async throws {
        let reportedAt = try StoredInteger.stored(r.reportedAt, "reportedAt"), recordedAt = try StoredInteger.stored(r.recordedAt, "recordedAt")
        let entry = AuditEntry(StoreAuditEvents.outsideReportRecorded(r, at: clock.now()))
        try await transaction("putOutsideReport") { [self] conn in
            let inserted = try await conn.rows("""
                INSERT INTO outside_reports (id, organisation_id, recorded_by, record, signature, reported_at, recorded_at)
                VALUES (\(PostgresCoding.bytea(r.id)), \(PostgresCoding.bytea(r.organisationID)), \(PostgresCoding.bytea(r.recordedBy)),
                        \(PostgresCoding.bytea(r.signed.bytes)), \(PostgresCoding.bytea(r.signed.signature)), \(reportedAt), \(recordedAt))
                ON CONFLICT (id) DO NOTHING
                RETURNING 1
                """, logger: logger)
            guard !inserted.isEmpty else { throw StoreError.conflict("outside report \(r.id) already exists") }
            try await appendAudit([entry], conn)
        }
    }
}
