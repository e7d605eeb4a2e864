import Foundation
import GRDB
public import RelaisCore
public import RelaisStore

/// `EnvelopeStore`: `submit` and `acknowledge` through group commit, reads as `pool.read`
/// snapshots, the purge as one `pool.write`.
extension SQLiteRelayStore {
    /// Durable when it returns: its group-commit transaction has committed with
    /// `synchronous = FULL`. Also refuses (`conflict`) an envelope that lists a device twice, and
    /// times above `Int64.max`.
    public func submit(_ envelope: StoredEnvelope) async throws -> SubmitOutcome {
        guard case let .submitted(outcome) = try await writes.perform(.prepareSubmit(envelope)) else {
            throw StoreError.database("group commit answered submit with another operation's result")
        }
        return outcome
    }

    /// Oldest first by `submittedAt`, then by envelope id. A `limit` of 0 or less returns nothing.
    public func inbox(device: DeviceID, now: UInt64, limit: Int) async throws -> [InboxEntry] {
        guard limit > 0 else { return [] }
        return try await StoreFailure.run("inbox") {
            try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT e.id, e.sender_device, e.sender_org, e.byte_count, e.submitted_at, e.expires_at, e.consent_kind
                    FROM deliveries d JOIN envelopes e ON e.id = d.envelope_id
                    WHERE d.device_id = ? AND d.acknowledged_at IS NULL AND e.expires_at > ?
                    ORDER BY e.submitted_at, e.id
                    LIMIT ?
                    """, arguments: [SQLiteCoding.blob(device), SQLiteCoding.bound(now), limit])
                    .map { row in
                        let t = "envelopes"
                        return InboxEntry(envelopeID: try SQLiteCoding.id(row, "id", t),
                                          senderDevice: try SQLiteCoding.id(row, "sender_device", t),
                                          senderOrganisation: try SQLiteCoding.id(row, "sender_org", t),
                                          byteCount: try SQLiteCoding.int(row, "byte_count", t),
                                          submittedAt: try SQLiteCoding.uint64(row, "submitted_at", t),
                                          expiresAt: try SQLiteCoding.uint64(row, "expires_at", t),
                                          coverKind: ConsentReference.Kind(rawValue: UInt8(clamping: try SQLiteCoding.int(row, "consent_kind", t))))
                    }
            }
        }
    }

    /// A read when `device` has fetched the envelope before; the first fetch goes through group
    /// commit, which records the delivery and logs it (and checks everything again).
    public func envelope(_ id: EnvelopeID, for device: DeviceID, now: UInt64) async throws -> [UInt8]? {
        let delivered: [UInt8]?? = try await StoreFailure.run("envelope") {
            try pool.read { db in
                guard let row = try Row.fetchOne(db, sql: EnvelopeSQL.fetch,
                                                 arguments: [SQLiteCoding.blob(id), SQLiteCoding.blob(device), SQLiteCoding.bound(now)]) else {
                    return .some(nil)  // not addressed to this device, acknowledged, expired or nonexistent
                }
                guard try SQLiteCoding.optionalUInt64(row, "delivered_at", "deliveries") != nil else { return nil }  // first fetch
                return .some(try SQLiteCoding.bytes(row, "bytes", "envelopes"))
            }
        }
        if let delivered { return delivered }
        guard case let .delivered(bytes) = try await writes.perform(.prepareDeliver(id, device: device, now: now)) else {
            throw StoreError.database("group commit answered envelope with another operation's result")
        }
        return bytes
    }

    public func acknowledge(_ id: EnvelopeID, device: DeviceID, now: UInt64) async throws -> AcknowledgeOutcome? {
        guard case let .acknowledged(outcome) = try await writes.perform(.prepareAcknowledge(id, device: device, now: now)) else {
            throw StoreError.database("group commit answered acknowledge with another operation's result")
        }
        return outcome
    }

    /// Ids ordered by `expiresAt`, then id. Follow with `checkpointTruncate()` to remove the
    /// purged bytes from the WAL as well.
    public func purgeExpired(now: UInt64) async throws -> [EnvelopeID] {
        try await StoreFailure.run("purgeExpired") {
            try await directoryWrite { db in
                let bound = SQLiteCoding.bound(now)
                // Tombstones (deleted before expiry, already logged) go without an entry.
                let ids: [EnvelopeID] = try Row.fetchAll(db, sql: """
                    SELECT id FROM envelopes WHERE expires_at <= ? AND deleted_at IS NULL ORDER BY expires_at, id
                    """, arguments: [bound])
                    .map { try SQLiteCoding.id($0, "id", "envelopes") }
                try db.execute(sql: "DELETE FROM envelopes WHERE expires_at <= ?", arguments: [bound])  // deliveries cascade
                for id in ids {
                    try AuditSQL.append(StoreAuditEvents.envelopeExpired(id, at: now), db)
                }
                return ids
            }
        }
    }
}
