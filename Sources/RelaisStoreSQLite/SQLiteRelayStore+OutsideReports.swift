import Foundation
import GRDB
import RelaisCore
public import RelaisStore

/// `OutsideReportStore`: the report and its audit entry in one transaction.
extension SQLiteRelayStore {
    public func putOutsideReport(_ r: StoredOutsideReport) async throws {
        try await StoreFailure.run("putOutsideReport") {
            try await directoryWrite { db in
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM outside_reports WHERE id = ?", arguments: [SQLiteCoding.blob(r.id)]) == nil else {
                    throw StoreError.conflict("outside report \(r.id) already exists")
                }
                try db.execute(sql: """
                    INSERT INTO outside_reports (id, organisation_id, recorded_by, record, signature, reported_at, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [SQLiteCoding.blob(r.id), SQLiteCoding.blob(r.organisationID), SQLiteCoding.blob(r.recordedBy),
                                     SQLiteCoding.blob(r.signed.bytes), SQLiteCoding.blob(r.signed.signature),
                                     try SQLiteCoding.stored(r.reportedAt, "reportedAt"), try SQLiteCoding.stored(r.recordedAt, "recordedAt")])
                try AuditSQL.append(StoreAuditEvents.outsideReportRecorded(r, at: clock.now()), db)
            }
        }
    }
}
