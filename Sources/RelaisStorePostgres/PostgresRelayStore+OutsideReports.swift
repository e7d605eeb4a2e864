import Foundation
import PostgresNIO
import RelaisCore
public import RelaisStore

/// `OutsideReportStore`: the report and its audit entry in one transaction.
extension PostgresRelayStore {
    public func putOutsideReport(_ r: StoredOutsideReport) async throws {
        let reportedAt = try StoredInteger.stored(r.reportedAt, "reportedAt"), recordedAt = try StoredInteger.stored(r.recordedAt, "recordedAt")
        try await insertSignedRecord("putOutsideReport", "outside report", id: r.id, StoreAuditEvents.outsideReportRecorded(r, at: clock.now()), """
            INSERT INTO outside_reports (id, organisation_id, recorded_by, record, signature, reported_at, recorded_at)
            VALUES (\(PostgresCoding.bytea(r.id)), \(PostgresCoding.bytea(r.organisationID)), \(PostgresCoding.bytea(r.recordedBy)),
                    \(PostgresCoding.bytea(r.signed.bytes)), \(PostgresCoding.bytea(r.signed.signature)), \(reportedAt), \(recordedAt))
            ON CONFLICT (id) DO NOTHING
            RETURNING 1
            """)
    }
}
