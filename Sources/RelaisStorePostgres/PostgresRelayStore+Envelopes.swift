import Foundation
import NIOCore
import PostgresNIO
public import RelaisCore
public import RelaisStore

/// `EnvelopeStore`: one transaction per write, with the row locks described on `PostgresRelayStore`.
extension PostgresRelayStore {
    public func submit(_ e: StoredEnvelope) async throws -> SubmitOutcome {
        let submittedAt = try StoredInteger.stored(e.submittedAt, "submittedAt of envelope \(e.id)")
        let expiresAt = try StoredInteger.stored(e.expiresAt, "expiresAt of envelope \(e.id)")
        let entry = AuditEntry(StoreAuditEvents.envelopeSubmitted(e))
        return try await transaction("submit") { [self] conn in
            let id = PostgresCoding.bytea(e.id)
            let inserted = try await conn.rows("""
                INSERT INTO envelopes (id, sender_device, sender_org, bytes, byte_count, digest, size_class, consent_kind,
                                       consent_id, submitted_at, expires_at)
                VALUES (\(id), \(PostgresCoding.bytea(e.senderDevice)), \(PostgresCoding.bytea(e.senderOrganisation)),
                        \(PostgresCoding.bytea(e.bytes)), \(Int32(clamping: e.bytes.count)), \(PostgresCoding.bytea(e.digest)),
                        \(Int16(e.sizeClass)), \(Int16(e.consent.kind.rawValue)), \(PostgresCoding.bytea(e.consent.id)),
                        \(submittedAt), \(expiresAt))
                ON CONFLICT (id) DO NOTHING
                RETURNING 1
                """, logger: logger)
            if inserted.isEmpty {
                // The row outlives the envelope's bytes (a tombstone once deleted) until expiry: it is the receipt.
                let existing = try await conn.rows("SELECT sender_device, sender_org, digest FROM envelopes WHERE id = \(id)", logger: logger)
                if let row = existing.first {
                    let (device, org, digest) = try row.decode((Data, Data, Data).self)
                    if Array(device) == e.senderDevice.bytes, Array(org) == e.senderOrganisation.bytes, Array(digest) == e.digest {
                        return .duplicate
                    }
                }
                // Says neither who holds the id nor what differs (the message may reach the submitter).
                throw StoreError.conflict("envelope id \(e.id) is already used by another submission")
            }
            try e.refuseRepeatedDevices()
            let devices = e.deliveries.map(\.deviceID)
            let consent = PostgresCoding.bytea(e.consent.id)
            // Shared locks on the consent and the recipients (`PostgresLocks`): a withdrawal or a
            // revocation waits for this submit to commit (and then deletes what it stored), or this
            // submit waits for it, and the checks below, a new snapshot, see it.
            try await PostgresLocks.share(consent: e.consent.id, devices: devices, conn, logger: logger)
            let check = try await conn.rows("""
                SELECT EXISTS (SELECT 1 FROM consents WHERE id = \(consent) AND withdrawn_at IS NOT NULL AND \(e.consent.kind != .childProtectionDeclaration)),
                       (SELECT id FROM devices WHERE id = ANY(\(PostgresCoding.array(devices))::bytea[]) AND status = 'revoked' ORDER BY id LIMIT 1)
                """, logger: logger)
            guard let row = check.first else { throw PostgresCoding.corrupt("consents") }
            let (withdrawn, revoked) = try row.decode((Bool, Data?).self)
            if withdrawn { throw StoreError.conflict("consent \(e.consent.id) was withdrawn") }
            if let revoked { throw StoreError.conflict("device \(try PostgresCoding.id(revoked, "devices") as DeviceID) is revoked") }
            if e.consent.kind == .childProtectionDeclaration {
                // A report by the declaring organisation takes one of its declaration's reports; the
                // row lock serialises two at once, and a refusal rolls the count back with the rest.
                let counted = try await conn.rows("""
                    UPDATE declarations SET reports_sent = reports_sent + 1
                    WHERE id = \(consent) AND organisation_id = \(PostgresCoding.bytea(e.senderOrganisation))
                    RETURNING reports_sent <= max_reports
                    """, logger: logger)
                if let row = counted.first, !(try row.decode(Bool.self)) {
                    throw StoreError.conflict("declaration \(e.consent.id) is exhausted")
                }
            }
            // The rest in one statement (data-modifying CTEs all run).
            let organisations = Array(Set(e.deliveries.map(\.organisationID))).sorted()
            try await conn.run("""
                WITH recipients AS (
                    INSERT INTO consent_recipients (consent_id, organisation_id)
                    SELECT \(consent), o FROM unnest(\(PostgresCoding.array(organisations))::bytea[]) AS t(o)
                    ON CONFLICT DO NOTHING),
                deliveries AS (
                    INSERT INTO deliveries (envelope_id, device_id, organisation_id)
                    SELECT \(id), d, o FROM unnest(\(PostgresCoding.array(devices))::bytea[],
                                                    \(PostgresCoding.array(e.deliveries.map(\.organisationID)))::bytea[]) AS t(d, o))
                INSERT INTO audit_pending (entry, leaf_hash) VALUES (\(PostgresCoding.bytea(entry.bytes)), \(PostgresCoding.bytea(entry.leafHash)))
                """, logger: logger)
            return .stored
        }
    }

    public func inbox(device: DeviceID, now: UInt64, limit: Int) async throws -> [InboxEntry] {
        guard limit > 0 else { return [] }
        return try await read("inbox") { [self] conn in
            try await conn.rows("""
                SELECT e.id, e.sender_device, e.sender_org, e.byte_count, e.submitted_at, e.expires_at, e.consent_kind
                FROM deliveries d JOIN envelopes e ON e.id = d.envelope_id
                WHERE d.device_id = \(PostgresCoding.bytea(device)) AND d.acknowledged_at IS NULL AND e.expires_at > \(StoredInteger.bound(now))
                ORDER BY e.submitted_at, e.id
                LIMIT \(Int64(limit))
                """, logger: logger).map { row in
                let (id, sender, org, count, submitted, expires, kind) = try row.decode((Data, Data, Data, Int32, Int64, Int64, Int16).self)
                let t = "envelopes"
                return InboxEntry(envelopeID: try PostgresCoding.id(id, t), senderDevice: try PostgresCoding.id(sender, t),
                                  senderOrganisation: try PostgresCoding.id(org, t), byteCount: Int(count),
                                  submittedAt: try PostgresCoding.uint64(submitted, t), expiresAt: try PostgresCoding.uint64(expires, t),
                                  coverKind: ConsentReference.Kind(rawValue: UInt8(clamping: kind)))
            }
        }
    }

    /// A read when `device` has fetched the envelope before; the first fetch is a transaction that
    /// records the delivery (under the delivery's row lock, so two first fetches log it once) and logs it.
    public func envelope(_ id: EnvelopeID, for device: DeviceID, now: UInt64) async throws -> [UInt8]? {
        let seen = try await read("envelope") { [self] conn in try await fetchForDelivery(id, device, now, conn, lock: false) }
        guard let seen else { return nil }  // not addressed to this device, acknowledged, expired or nonexistent
        if seen.delivered { return seen.bytes }
        return try await transaction("envelope") { [self] conn in
            guard let row = try await fetchForDelivery(id, device, now, conn, lock: true) else { return nil }
            if !row.delivered {
                try await conn.run("""
                    UPDATE deliveries SET delivered_at = \(StoredInteger.bound(now))
                    WHERE envelope_id = \(PostgresCoding.bytea(id)) AND device_id = \(PostgresCoding.bytea(device))
                    """, logger: logger)
                try await appendAudit(StoreAuditEvents.envelopeDelivered(id, device: device, at: now), conn: conn)
            }
            return row.bytes
        }
    }

    /// The envelope's bytes and whether `device` fetched it before, if it is addressed to `device`,
    /// not acknowledged by it and not expired; `lock` takes the delivery's row lock.
    private func fetchForDelivery(_ id: EnvelopeID, _ device: DeviceID, _ now: UInt64, _ conn: PostgresConnection,
                                  lock: Bool) async throws -> (bytes: [UInt8], delivered: Bool)? {
        let (envelope, dev, bound) = (PostgresCoding.bytea(id), PostgresCoding.bytea(device), StoredInteger.bound(now))
        return try await conn.rows("""
            SELECT e.bytes, d.delivered_at FROM deliveries d JOIN envelopes e ON e.id = d.envelope_id
            WHERE d.envelope_id = \(envelope) AND d.device_id = \(dev) AND d.acknowledged_at IS NULL AND e.expires_at > \(bound)
            \(unescaped: lock ? "FOR UPDATE OF d" : "")
            """, logger: logger).first.map { row in
            let (bytes, delivered) = try row.decode((Data, Int64?).self)
            return (Array(bytes), delivered != nil)
        }
    }

    public func acknowledge(_ id: EnvelopeID, device: DeviceID, now: UInt64) async throws -> AcknowledgeOutcome? {
        let bound = StoredInteger.bound(now)
        return try await transaction("acknowledge") { [self] conn in
            let envelope = PostgresCoding.bytea(id), dev = PostgresCoding.bytea(device)
            // FOR UPDATE: the acknowledgements of one envelope take turns, so the last one sees the others.
            guard try await !conn.rows("SELECT 1 FROM envelopes WHERE id = \(envelope) AND expires_at > \(bound) FOR UPDATE",
                                       logger: logger).isEmpty,
                  let delivery = try await conn.rows("SELECT acknowledged_at FROM deliveries WHERE envelope_id = \(envelope) AND device_id = \(dev)",
                                                     logger: logger).first else {
                return nil  // not addressed to this device, expired, or nonexistent: one answer for all three
            }
            if try delivery.decode(Int64?.self) != nil { return .alreadyAcknowledged }
            try await appendAudit(StoreAuditEvents.envelopeAcknowledged(id, device: device, at: now), conn: conn)
            let othersPending = try await conn.one("""
                SELECT COUNT(*) FROM deliveries WHERE envelope_id = \(envelope) AND acknowledged_at IS NULL AND device_id <> \(dev)
                """, as: Int64.self, logger: logger)
            guard othersPending == 0 else {
                try await conn.run("UPDATE deliveries SET acknowledged_at = \(bound) WHERE envelope_id = \(envelope) AND device_id = \(dev)",
                                   logger: logger)
                return .acknowledged(deleted: false)
            }
            try await tombstone(id, at: bound, conn)
            try await appendAudit(StoreAuditEvents.envelopeDeleted(id, at: now), conn: conn)
            return .acknowledged(deleted: true)
        }
    }

    /// Ids ordered by `expiresAt`, then id. Tombstones go without an entry (their deletion was logged).
    /// The relay's `compact()`, after each purge, sequences the entries (audit reads would anyway).
    public func purgeExpired(now: UInt64) async throws -> [EnvelopeID] {
        try await transaction("purgeExpired") { [self] conn in
            let ids: [EnvelopeID] = try await conn.all("""
                WITH purged AS (DELETE FROM envelopes WHERE expires_at <= \(StoredInteger.bound(now)) RETURNING id, expires_at, deleted_at)
                SELECT id FROM purged WHERE deleted_at IS NULL ORDER BY expires_at, id
                """, as: Data.self, logger: logger).map { try PostgresCoding.id($0, "envelopes") }
            try await appendAudit(ids.map { AuditEntry(StoreAuditEvents.envelopeExpired($0, at: now)) }, conn)
            try await conn.run("DELETE FROM request_nonces WHERE expires_at <= \(StoredInteger.bound(now))", logger: logger)
            return ids
        }
    }

    /// Deletes a held envelope's bytes and deliveries; the row stays as the receipt until expiry.
    /// The caller holds the envelope's row lock.
    func tombstone(_ id: EnvelopeID, at time: Int64, _ conn: PostgresConnection) async throws {
        let envelope = PostgresCoding.bytea(id)
        try await conn.run("DELETE FROM deliveries WHERE envelope_id = \(envelope)", logger: logger)
        try await conn.run("UPDATE envelopes SET bytes = '\\x'::bytea, byte_count = 0, deleted_at = \(time) WHERE id = \(envelope)", logger: logger)
    }

    /// Locks the envelopes `ids` FOR UPDATE, in id order (so two such lockers cannot deadlock).
    func lockEnvelopes(_ ids: [EnvelopeID], _ conn: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        try await conn.run("SELECT 1 FROM envelopes WHERE id = ANY(\(PostgresCoding.array(ids))::bytea[]) ORDER BY id FOR UPDATE", logger: logger)
    }
}
