import Foundation
import GRDB
import RelaisCore
public import RelaisStore

/// `OutsideReportStore`: the report and its audit entry in one transaction.
extension SQLiteRelayStore {
    public func putOutsideReport(_ r: StoredOutsideReport) async throws {
        try await StoreFailure.run("putOutsideReport") {
            try await insertSignedRecord("outside report", id: r.id, into: "outside_reports",
                                         columns: "id, organisation_id, recorded_by, record, signature, reported_at, recorded_at",
                                         values: [SQLiteCoding.blob(r.id), SQLiteCoding.blob(r.organisationID), SQLiteCoding.blob(r.recordedBy),
                                                  SQLiteCoding.blob(r.signed.bytes), SQLiteCoding.blob(r.signed.signature),
                                                  try SQLiteCoding.stored(r.reportedAt, "reportedAt"), try SQLiteCoding.stored(r.recordedAt, "recordedAt")]) {
                StoreAuditEvents.outsideReportRecorded(r, at: $0)
            }
        }
    }
}
