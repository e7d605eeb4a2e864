import Foundation
import PostgresNIO
public import RelaisCore
import RelaisStore

extension PostgresRelayStore {
    public func envelopeStatus(_ id: EnvelopeID, senderOrganisation: OrganisationID) async throws -> EnvelopeStatus? {
        try await read("envelopeStatus") { [self] conn in
            let rows = try await conn.rows("""
                SELECT e.expires_at, e.deleted_at, COUNT(d.device_id), COUNT(d.delivered_at), COUNT(d.acknowledged_at)
                FROM envelopes e LEFT JOIN deliveries d ON d.envelope_id = e.id
                WHERE e.id = \(PostgresCoding.bytea(id)) AND e.sender_org = \(PostgresCoding.bytea(senderOrganisation))
                GROUP BY e.id
                """, logger: logger)
            guard let row = rows.first else { return nil }
            let (expires, deleted, addressed, delivered, acknowledged) = try row.decode((Int64, Int64?, Int64, Int64, Int64).self)
            let t = "envelopes"
            return EnvelopeStatus(addressed: Int(addressed), delivered: Int(delivered), acknowledged: Int(acknowledged),
                                  deletedAt: try deleted.map { try PostgresCoding.uint64($0, t) }, expiresAt: try PostgresCoding.uint64(expires, t))
        }
    }
}
