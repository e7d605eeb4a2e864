import GRDB
public import RelaisCore
import RelaisStore

extension SQLiteRelayStore {
    public func envelopeStatus(_ id: EnvelopeID, senderOrganisation: OrganisationID) async throws -> EnvelopeStatus? {
        try await StoreFailure.run("envelopeStatus") {
            try pool.read { db in
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT e.expires_at, e.deleted_at,
                           COUNT(d.device_id) AS addressed,
                           COUNT(d.delivered_at) AS delivered,
                           COUNT(d.acknowledged_at) AS acknowledged
                    FROM envelopes e LEFT JOIN deliveries d ON d.envelope_id = e.id
                    WHERE e.id = ? AND e.sender_org = ?
                    GROUP BY e.id
                    """, arguments: [SQLiteCoding.blob(id), SQLiteCoding.blob(senderOrganisation)]) else { return nil }
                let t = "envelopes"
                return EnvelopeStatus(addressed: try SQLiteCoding.int(row, "addressed", t), delivered: try SQLiteCoding.int(row, "delivered", t),
                                      acknowledged: try SQLiteCoding.int(row, "acknowledged", t),
                                      deletedAt: try SQLiteCoding.optionalUInt64(row, "deleted_at", t),
                                      expiresAt: try SQLiteCoding.uint64(row, "expires_at", t))
            }
        }
    }
}
