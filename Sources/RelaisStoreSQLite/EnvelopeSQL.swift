import Foundation
import GRDB
import RelaisCore
import RelaisStore

/// The envelope statements, as functions of an open transaction. `submit` and `acknowledge` run
/// inside a group-commit savepoint (`BatchedWrite`), so each checks before it writes and throws
/// only `StoreError`s it means (or a `DatabaseError`, which rolls its savepoint back).
///
/// Expiry is `expires_at <= now`, the same rule as `purgeExpired`: an envelope is visible,
/// fetchable and acknowledgeable only while `now < expires_at`.
enum EnvelopeSQL {
    /// `entry` is `StoreAuditEvents.envelopeSubmitted(e)`, encoded (`BatchedWrite.prepareSubmit`).
    static func submit(_ e: StoredEnvelope, _ entry: AuditEntry, _ db: Database) throws -> SubmitOutcome {
        let submittedAt = try SQLiteCoding.stored(e.submittedAt, "submittedAt of envelope \(e.id)")
        let expiresAt = try SQLiteCoding.stored(e.expiresAt, "expiresAt of envelope \(e.id)")

        // The row outlives the envelope's bytes (a tombstone once deleted) until expiry: it is the receipt.
        let lookup = try db.cachedStatement(sql: "SELECT sender_device, sender_org, digest FROM envelopes WHERE id = ?")
        if let existing = try Row.fetchOne(lookup, arguments: [SQLiteCoding.blob(e.id)]) {
            let device: DeviceID = try SQLiteCoding.id(existing, "sender_device", "envelopes")
            let org: OrganisationID = try SQLiteCoding.id(existing, "sender_org", "envelopes")
            let digest = try SQLiteCoding.bytes(existing, "digest", "envelopes")
            if device == e.senderDevice, org == e.senderOrganisation, digest == e.digest { return .duplicate }
            // Deliberately does not say who holds the id or what differs: the message may reach the
            // submitter, who must learn nothing about someone else's envelope.
            throw StoreError.conflict("envelope id \(e.id) is already used by another submission")
        }

        if e.consent.kind != .childProtectionDeclaration,
           let withdrawn = try Int64.fetchOne(db.cachedStatement(sql: "SELECT withdrawn_at FROM consents WHERE id = ?"),
                                              arguments: [SQLiteCoding.blob(e.consent.id)]), withdrawn >= 0 {
            // Checked again inside the transaction: a withdrawal committed since the relay's own check wins.
            throw StoreError.conflict("consent \(e.consent.id) was withdrawn")
        }
        if e.consent.kind == .childProtectionDeclaration {
            try countReport(e, db)
        }
        try e.refuseRepeatedDevices()
        // Checked again inside the transaction: a revocation committed since the relay's own check wins.
        let status = try db.cachedStatement(sql: "SELECT status FROM devices WHERE id = ?")
        for d in e.deliveries where try String.fetchOne(status, arguments: [SQLiteCoding.blob(d.deviceID)]) == DeviceStatus.revoked.rawValue {
            throw StoreError.conflict("device \(d.deviceID) is revoked")
        }

        try db.cachedStatement(sql: """
            INSERT INTO envelopes (id, sender_device, sender_org, bytes, byte_count, digest, size_class, consent_kind,
                                   consent_id, submitted_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [SQLiteCoding.blob(e.id), SQLiteCoding.blob(e.senderDevice), SQLiteCoding.blob(e.senderOrganisation),
                             SQLiteCoding.blob(e.bytes), e.bytes.count, SQLiteCoding.blob(e.digest), Int(e.sizeClass),
                             Int(e.consent.kind.rawValue), SQLiteCoding.blob(e.consent.id), submittedAt, expiresAt])
        let recipient = try db.cachedStatement(sql: "INSERT OR IGNORE INTO consent_recipients (consent_id, organisation_id) VALUES (?, ?)")
        for org in Set(e.deliveries.map(\.organisationID)) {
            try recipient.execute(arguments: [SQLiteCoding.blob(e.consent.id), SQLiteCoding.blob(org)])
        }
        let insert = try db.cachedStatement(sql: "INSERT INTO deliveries (envelope_id, device_id, organisation_id) VALUES (?, ?, ?)")
        for d in e.deliveries {
            try insert.execute(arguments: [SQLiteCoding.blob(e.id), SQLiteCoding.blob(d.deviceID), SQLiteCoding.blob(d.organisationID)])
        }
        try AuditSQL.append(entry, db)
        return .stored
    }

    /// A report by the declaring organisation counts against its declaration's bound, in the
    /// submit's transaction: two reports at once cannot both take the last one. Answers (another
    /// organisation sending under the declaration) are not counted.
    static func countReport(_ e: StoredEnvelope, _ db: Database) throws {
        let args: StatementArguments = [SQLiteCoding.blob(e.consent.id), SQLiteCoding.blob(e.senderOrganisation)]
        guard let left = try Bool.fetchOne(db.cachedStatement(sql: "SELECT reports_sent < max_reports FROM declarations WHERE id = ? AND organisation_id = ?"),
                                           arguments: args) else { return }
        guard left else { throw StoreError.conflict("declaration \(e.consent.id) is exhausted") }
        try db.cachedStatement(sql: "UPDATE declarations SET reports_sent = reports_sent + 1 WHERE id = ? AND organisation_id = ?").execute(arguments: args)
    }

    /// The bytes of an envelope addressed to `device`, not acknowledged by it and not expired; the
    /// first time, records the delivery and appends `entry` (`envelopeDelivered`).
    static func deliver(_ id: EnvelopeID, device: DeviceID, now: UInt64, entry: AuditEntry, _ db: Database) throws -> [UInt8]? {
        let idBlob = SQLiteCoding.blob(id), deviceBlob = SQLiteCoding.blob(device), bound = SQLiteCoding.bound(now)
        guard let row = try Row.fetchOne(db.cachedStatement(sql: EnvelopeSQL.fetch), arguments: [idBlob, deviceBlob, bound]) else { return nil }
        if try SQLiteCoding.optionalUInt64(row, "delivered_at", "deliveries") == nil {
            try db.cachedStatement(sql: "UPDATE deliveries SET delivered_at = ? WHERE envelope_id = ? AND device_id = ?")
                .execute(arguments: [bound, idBlob, deviceBlob])
            try AuditSQL.append(entry, db)
        }
        return try SQLiteCoding.bytes(row, "bytes", "envelopes")
    }

    /// An envelope's bytes and when `device` first fetched it, if it is addressed to `device`, not
    /// acknowledged by it and not expired. Arguments: envelope id, device id, now.
    static let fetch = """
        SELECT e.bytes AS bytes, d.delivered_at AS delivered_at FROM deliveries d JOIN envelopes e ON e.id = d.envelope_id
        WHERE d.envelope_id = ? AND d.device_id = ? AND d.acknowledged_at IS NULL AND e.expires_at > ?
        """

    /// `entries` are the acknowledgement and the deletion it may cause (`StoreAuditEvents`), encoded
    /// (`BatchedWrite.prepareAcknowledge`).
    static func acknowledge(_ id: EnvelopeID, device: DeviceID, now: UInt64, entries: (acknowledged: AuditEntry, deleted: AuditEntry),
                            _ db: Database) throws -> AcknowledgeOutcome? {
        let idBlob = SQLiteCoding.blob(id)
        let deviceBlob = SQLiteCoding.blob(device)
        let bound = SQLiteCoding.bound(now)
        let lookup = try db.cachedStatement(sql: """
            SELECT d.acknowledged_at AS acknowledged_at
            FROM deliveries d JOIN envelopes e ON e.id = d.envelope_id
            WHERE d.envelope_id = ? AND d.device_id = ? AND e.expires_at > ?
            """)
        guard let row = try Row.fetchOne(lookup, arguments: [idBlob, deviceBlob, bound]) else {
            return nil  // not addressed to this device, expired, or nonexistent: one answer for all three
        }
        if try SQLiteCoding.optionalUInt64(row, "acknowledged_at", "deliveries") != nil { return .alreadyAcknowledged }

        try AuditSQL.append(entries.acknowledged, db)
        let othersPending = try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COUNT(*) FROM deliveries WHERE envelope_id = ? AND acknowledged_at IS NULL AND device_id <> ?"),
            arguments: [idBlob, deviceBlob]) ?? 0
        guard othersPending == 0 else {
            try db.cachedStatement(sql: "UPDATE deliveries SET acknowledged_at = ? WHERE envelope_id = ? AND device_id = ?")
                .execute(arguments: [bound, idBlob, deviceBlob])
            return .acknowledged(deleted: false)
        }
        try tombstone(idBlob, at: bound, db)
        try AuditSQL.append(entries.deleted, db)
        return .acknowledged(deleted: true)
    }

    /// Deletes a held envelope: its bytes (zeroed in the file by `secure_delete`) and all its
    /// deliveries. The row stays, as the receipt that recognises a late retry, until its expiry
    /// (`purgeExpired`). Inbox, fetch and acknowledge go through the deliveries, so a tombstone is
    /// invisible to them.
    static func tombstone(_ idBlob: Data, at time: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM deliveries WHERE envelope_id = ?").execute(arguments: [idBlob])
        try db.cachedStatement(sql: "UPDATE envelopes SET bytes = X'', byte_count = 0, deleted_at = ? WHERE id = ?")
            .execute(arguments: [time, idBlob])
    }

    /// Deletes `device`'s unacknowledged deliveries, then (`tombstone`) the envelopes it was
    /// addressed to that now have no unacknowledged delivery left (nobody will ever fetch them).
    /// Returns the envelopes deleted.
    @discardableResult
    static func dropDeliveries(of device: DeviceID, at time: Int64, _ db: Database) throws -> [EnvelopeID] {
        let deviceBlob = SQLiteCoding.blob(device)
        let envelopes = try Data.fetchAll(db, sql: "SELECT envelope_id FROM deliveries WHERE device_id = ? AND acknowledged_at IS NULL",
                                          arguments: [deviceBlob])
        try db.execute(sql: "DELETE FROM deliveries WHERE device_id = ? AND acknowledged_at IS NULL", arguments: [deviceBlob])
        let pending = try db.cachedStatement(sql: "SELECT COUNT(*) FROM deliveries WHERE envelope_id = ? AND acknowledged_at IS NULL")
        var deleted: [EnvelopeID] = []
        for envelope in envelopes where try Int.fetchOne(pending, arguments: [envelope]) == 0 {
            try tombstone(envelope, at: time, db)
            if let id = EnvelopeID(bytes: Array(envelope)) { deleted.append(id) }
        }
        return deleted
    }
}
