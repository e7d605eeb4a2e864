import Foundation
import NIOCore
import PostgresNIO
import Synchronization
public import RelaisCore
public import RelaisStore

/// `DirectoryStore`: each write is one transaction that locks and checks before it writes; reads
/// are not cached, but for prekeys, which never change (another relay process may have changed
/// the row: a revocation must take effect at once everywhere).
extension PostgresRelayStore {
    static let organisationColumns = """
        o.id, o.record, o.signature, o.category, o.sequence, o.accredited_until,
        ARRAY(SELECT d.departement FROM organisation_departements d WHERE d.organisation_id = o.id ORDER BY d.position)
        """

    static func organisation(_ row: PostgresRow) throws -> StoredOrganisation {
        let (id, record, signature, category, sequence, until, departements) =
            try row.decode((Data, Data, Data, String, Int64, Int64?, [String]).self)
        let t = "organisations"
        return StoredOrganisation(id: try PostgresCoding.id(id, t), signed: SignedObject(bytes: Array(record), signature: Array(signature)),
                                  category: try PostgresCoding.enumeration(category, t), departements: departements,
                                  sequence: try PostgresCoding.uint64(sequence, t),
                                  exitProgrammeAccreditedUntil: try PostgresCoding.optionalUInt64(until, t))
    }

    public func putOrganisation(_ o: StoredOrganisation) async throws {
        let sequence = try StoredInteger.stored(o.sequence, "sequence of organisation \(o.id)")
        let until = try o.exitProgrammeAccreditedUntil.map { try StoredInteger.stored($0, "exitProgrammeAccreditedUntil of organisation \(o.id)") }
        try o.refuseRepeatedDepartements()
        let entry = AuditEntry(StoreAuditEvents.organisationPut(o, at: clock.now()))
        try await transaction("putOrganisation") { [self] conn in
            let id = PostgresCoding.bytea(o.id)
            let record = PostgresCoding.bytea(o.signed.bytes), signature = PostgresCoding.bytea(o.signed.signature)
            if let stored = try await conn.rows("SELECT sequence FROM organisations WHERE id = \(id) FOR UPDATE", logger: logger).first {
                let storedSequence = try stored.decode(Int64.self)
                guard sequence > storedSequence else {
                    throw StoreError.conflict("organisation \(o.id): sequence \(o.sequence) is not higher than the stored sequence \(storedSequence)")
                }
                try await conn.run("""
                    UPDATE organisations SET record = \(record), signature = \(signature), category = \(o.category.rawValue),
                        sequence = \(sequence), accredited_until = \(until) WHERE id = \(id)
                    """, logger: logger)
                try await conn.run("DELETE FROM organisation_departements WHERE organisation_id = \(id)", logger: logger)
            } else {
                try await conn.run("""
                    INSERT INTO organisations (id, record, signature, category, sequence, accredited_until)
                    VALUES (\(id), \(record), \(signature), \(o.category.rawValue), \(sequence), \(until))
                    """, logger: logger)
            }
            try await conn.run("""
                INSERT INTO organisation_departements (organisation_id, departement, position)
                SELECT \(id), d, n - 1 FROM unnest(\(o.departements)::text[]) WITH ORDINALITY AS t(d, n)
                """, logger: logger)
            try await appendAudit([entry], conn)
            try await conn.run("UPDATE organisations SET log_leaf = \(PostgresCoding.bytea(entry.leafHash)) WHERE id = \(id)", logger: logger)
        }
    }

    public func organisation(_ id: OrganisationID) async throws -> StoredOrganisation? {
        try await read("organisation") { [self] conn in
            try await conn.rows("SELECT \(unescaped: Self.organisationColumns) FROM organisations o WHERE o.id = \(PostgresCoding.bytea(id))",
                                logger: logger).first.map(Self.organisation)
        }
    }

    /// Exact match on `category` and on one département code; `nil` means no filter. A code with a
    /// NUL matches nothing: PostgreSQL's text cannot hold one (it would refuse the query), and no
    /// stored code has one.
    public func organisations(category: PartnerCategory?, departement: String?) async throws -> [StoredOrganisation] {
        if let departement, departement.utf8.contains(0) { return [] }
        return try await read("organisations") { [self] conn in
            try await conn.rows("""
                SELECT \(unescaped: Self.organisationColumns) FROM organisations o
                WHERE (\(category?.rawValue)::text IS NULL OR o.category = \(category?.rawValue)::text)
                  AND (\(departement)::text IS NULL
                       OR EXISTS (SELECT 1 FROM organisation_departements d
                                  WHERE d.organisation_id = o.id AND d.departement = \(departement)::text)
                       OR NOT EXISTS (SELECT 1 FROM organisation_departements d WHERE d.organisation_id = o.id))
                ORDER BY o.id
                """, logger: logger).map(Self.organisation)
        }
    }

    // MARK: Invites

    public func createInvite(_ invite: StoredInvite) async throws {
        let createdAt = try StoredInteger.stored(invite.createdAt, "createdAt of invite \(invite.id)")
        let expiresAt = try StoredInteger.stored(invite.expiresAt, "expiresAt of invite \(invite.id)")
        let entry = AuditEntry(StoreAuditEvents.inviteIssued(invite))
        try await transaction("createInvite") { [self, entry] conn in
            let inserted = try await conn.rows("""
                INSERT INTO invites (id, secret_hash, organisation_id, role, issued_by, created_at, expires_at, redeemed_by)
                VALUES (\(PostgresCoding.bytea(invite.id)), \(PostgresCoding.bytea(invite.secretHash)),
                        \(invite.organisationID.map(PostgresCoding.bytea)), \(invite.role.rawValue), \(invite.issuedBy.map(PostgresCoding.bytea)),
                        \(createdAt), \(expiresAt), \(invite.redeemedBy.map(PostgresCoding.bytea)))
                ON CONFLICT (id) DO NOTHING
                RETURNING 1
                """, logger: logger)
            guard !inserted.isEmpty else { throw StoreError.conflict("invite \(invite.id) already exists") }
            try await appendAudit([entry], conn)
        }
    }

    public func invite(_ id: InviteID) async throws -> StoredInvite? {
        try await read("invite") { [self] conn in
            try await conn.rows("""
                SELECT id, secret_hash, organisation_id, role, issued_by, created_at, expires_at, redeemed_by FROM invites
                WHERE id = \(PostgresCoding.bytea(id))
                """, logger: logger).first.map { row in
                let (id, hash, org, role, issuedBy, created, expires, redeemedBy) =
                    try row.decode((Data, Data, Data?, String, Data?, Int64, Int64, Data?).self)
                let t = "invites"
                return StoredInvite(id: try PostgresCoding.id(id, t), secretHash: Array(hash), organisationID: try PostgresCoding.optionalID(org, t),
                                    role: try PostgresCoding.enumeration(role, t), issuedBy: try PostgresCoding.optionalID(issuedBy, t),
                                    createdAt: try PostgresCoding.uint64(created, t), expiresAt: try PostgresCoding.uint64(expires, t),
                                    redeemedBy: try PostgresCoding.optionalID(redeemedBy, t))
            }
        }
    }

    public func redeemInvite(_ invite: InviteID, device: StoredDevice, at time: UInt64) async throws {
        let redeemedAt = try StoredInteger.stored(time, "redemption time of invite \(invite)")
        let createdAt = try StoredInteger.stored(device.createdAt, "createdAt of device \(device.id)")
        var entries = [AuditEntry(StoreAuditEvents.deviceEnrolled(device, at: time))]
        if device.status == .active, let record = device.record {
            entries.append(AuditEntry(StoreAuditEvents.deviceActivated(device.id, device, record: record, at: time)))
        }
        try await transaction("redeemInvite") { [self, entries] conn in
            let id = PostgresCoding.bytea(invite)
            guard let row = try await conn.rows("SELECT redeemed_by FROM invites WHERE id = \(id) FOR UPDATE", logger: logger).first else {
                throw StoreError.notFound("invite \(invite) does not exist")
            }
            if let by: DeviceID = try PostgresCoding.optionalID(try row.decode(Data?.self), "invites") {
                throw StoreError.conflict("invite \(invite) was already redeemed by device \(by)")
            }
            // The unique index devices_one_operator settles a race between two operator invites.
            if device.role == .operator, try await !conn.rows("SELECT 1 FROM devices WHERE role = 'operator'", logger: logger).isEmpty {
                throw StoreError.conflict("this relay already has an operator")
            }
            let inserted = try await conn.rows("""
                INSERT INTO devices (\(unescaped: Self.deviceColumns))
                VALUES (\(PostgresCoding.bytea(device.id)), \(PostgresCoding.bytea(device.publicKey)), \(device.organisationID.map(PostgresCoding.bytea)),
                        \(device.role.rawValue), \(device.status.rawValue), \(PostgresCoding.bytea(device.inviteID)),
                        \(PostgresCoding.bytea(device.enroller)), \(device.record.map { PostgresCoding.bytea($0.bytes) }),
                        \(device.record.map { PostgresCoding.bytea($0.signature) }), \(device.revocation.map { PostgresCoding.bytea($0.bytes) }),
                        \(device.revocation.map { PostgresCoding.bytea($0.signature) }), \(createdAt))
                ON CONFLICT (id) DO NOTHING
                RETURNING 1
                """, logger: logger)
            guard !inserted.isEmpty else { throw StoreError.conflict("device \(device.id) already exists") }
            try await conn.run("UPDATE invites SET redeemed_by = \(PostgresCoding.bytea(device.id)), redeemed_at = \(redeemedAt) WHERE id = \(id)",
                               logger: logger)
            try await appendAudit(entries, conn)
            if entries.count > 1 {
                try await conn.run("UPDATE devices SET record_leaf = \(PostgresCoding.bytea(entries[1].leafHash)) WHERE id = \(PostgresCoding.bytea(device.id))",
                                   logger: logger)
            }
        }
    }

    // MARK: Devices

    static let deviceColumns = """
        id, public_key, organisation_id, role, status, invite_id, enroller, record, record_signature, revocation,
        revocation_signature, created_at
        """

    static func device(_ row: PostgresRow) throws -> StoredDevice {
        let (id, key, org, role, status, invite, enroller, record, recordSignature, revocation, revocationSignature, created) =
            try row.decode((Data, Data, Data?, String, String, Data, Data, Data?, Data?, Data?, Data?, Int64).self)
        let t = "devices"
        return StoredDevice(id: try PostgresCoding.id(id, t), publicKey: Array(key), organisationID: try PostgresCoding.optionalID(org, t),
                            role: try PostgresCoding.enumeration(role, t), status: try PostgresCoding.enumeration(status, t),
                            inviteID: try PostgresCoding.id(invite, t), enroller: try PostgresCoding.id(enroller, t),
                            record: PostgresCoding.signed(record, recordSignature), revocation: PostgresCoding.signed(revocation, revocationSignature),
                            createdAt: try PostgresCoding.uint64(created, t))
    }

    /// `condition` and `order` are literals of this module.
    func devices(_ conn: PostgresConnection, where condition: String, _ argument: Data?, orderBy order: String) async throws -> [StoredDevice] {
        var binds = PostgresBindings()
        if let argument { try binds.append(argument) }
        return try await conn.rows(PostgresQuery(unsafeSQL: "SELECT \(Self.deviceColumns) FROM devices WHERE \(condition) ORDER BY \(order)",
                                                 binds: binds), logger: logger).map(Self.device)
    }

    public func device(_ id: DeviceID) async throws -> StoredDevice? {
        try await read("device") { [self] conn in try await devices(conn, where: "id = $1", PostgresCoding.bytea(id), orderBy: "id").first }
    }

    public func devices(organisation: OrganisationID) async throws -> [StoredDevice] {
        try await read("devices") { [self] conn in try await devices(conn, where: "organisation_id = $1", PostgresCoding.bytea(organisation), orderBy: "id") }
    }

    public func pendingDevices(enroller: DeviceID) async throws -> [StoredDevice] {
        try await read("pendingDevices") { [self] conn in
            try await devices(conn, where: "enroller = $1 AND status = 'pending'", PostgresCoding.bytea(enroller), orderBy: "created_at, id")
        }
    }

    public func devicesWithoutOrganisation() async throws -> [StoredDevice] {
        try await read("devicesWithoutOrganisation") { [self] conn in try await devices(conn, where: "organisation_id IS NULL", nil, orderBy: "id") }
    }

    /// The device's status, locked FOR UPDATE, or `notFound` naming it.
    func lockedStatus(of id: DeviceID, _ conn: PostgresConnection) async throws -> DeviceStatus {
        guard let row = try await conn.rows("SELECT status FROM devices WHERE id = \(PostgresCoding.bytea(id)) FOR UPDATE", logger: logger).first else {
            throw StoreError.notFound("device \(id) does not exist")
        }
        return try PostgresCoding.enumeration(try row.decode(String.self), "devices")
    }

    public func activateDevice(_ id: DeviceID, record: SignedObject, at time: UInt64) async throws {
        let activatedAt = try StoredInteger.stored(time, "activation time of device \(id)")
        try await transaction("activateDevice") { [self] conn in
            let status = try await lockedStatus(of: id, conn)
            guard status == .pending else { throw StoreError.conflict("device \(id) is \(status.rawValue), not pending") }
            try await conn.run("""
                UPDATE devices SET status = 'active', record = \(PostgresCoding.bytea(record.bytes)),
                    record_signature = \(PostgresCoding.bytea(record.signature)), activated_at = \(activatedAt)
                WHERE id = \(PostgresCoding.bytea(id))
                """, logger: logger)
            let device = try await devices(conn, where: "id = $1", PostgresCoding.bytea(id), orderBy: "id").first
            let entry = AuditEntry(StoreAuditEvents.deviceActivated(id, device, record: record, at: time))
            try await appendAudit([entry], conn)
            try await conn.run("UPDATE devices SET record_leaf = \(PostgresCoding.bytea(entry.leafHash)) WHERE id = \(PostgresCoding.bytea(id))", logger: logger)
        }
    }

    /// Also deletes the device's unacknowledged deliveries, and the envelopes left with no
    /// unacknowledged delivery (nobody could fetch them any more), in the same transaction.
    public func revokeDevice(_ id: DeviceID, revocation: SignedObject, at time: UInt64) async throws {
        let revokedAt = try StoredInteger.stored(time, "revocation time of device \(id)")
        try await transaction("revokeDevice") { [self] conn in
            // Waits for the submits to this device in progress (`PostgresLocks`): their deliveries are then visible below.
            try await PostgresLocks.exclusive(device: id, conn, logger: logger)
            let status = try await lockedStatus(of: id, conn)
            guard status != .revoked else { throw StoreError.conflict("device \(id) is already revoked") }
            let device = PostgresCoding.bytea(id)
            try await conn.run("""
                UPDATE devices SET status = 'revoked', revocation = \(PostgresCoding.bytea(revocation.bytes)),
                    revocation_signature = \(PostgresCoding.bytea(revocation.signature)), revoked_at = \(revokedAt)
                WHERE id = \(device)
                """, logger: logger)
            let organisation = try await devices(conn, where: "id = $1", device, orderBy: "id").first?.organisationID
            let entry = AuditEntry(StoreAuditEvents.deviceRevoked(id, revocation: revocation, at: time), organisation: organisation)
            try await appendAudit([entry], conn)
            try await conn.run("UPDATE devices SET revocation_leaf = \(PostgresCoding.bytea(entry.leafHash)) WHERE id = \(device)", logger: logger)
            // No submit can add a delivery for the device now. Lock the envelopes
            // that may lose their last pending delivery, then drop the device's deliveries.
            let held: [EnvelopeID] = try await conn.all("""
                SELECT envelope_id FROM deliveries WHERE device_id = \(device) AND acknowledged_at IS NULL
                """, as: Data.self, logger: logger).map { try PostgresCoding.id($0, "deliveries") }
            try await lockEnvelopes(held, conn)
            let dropped: [EnvelopeID] = try await conn.all("""
                DELETE FROM deliveries WHERE device_id = \(device) AND acknowledged_at IS NULL RETURNING envelope_id
                """, as: Data.self, logger: logger).map { try PostgresCoding.id($0, "deliveries") }
            for envelope in dropped.sorted() {
                let pending = try await conn.one("""
                    SELECT COUNT(*) FROM deliveries WHERE envelope_id = \(PostgresCoding.bytea(envelope)) AND acknowledged_at IS NULL
                    """, as: Int64.self, logger: logger)
                guard pending == 0 else { continue }
                try await tombstone(envelope, at: revokedAt, conn)
                try await appendAudit(StoreAuditEvents.envelopeDeleted(envelope, at: time), conn: conn)
            }
        }
    }

    // MARK: Prekeys

    /// Idempotent: a second put of the same (device, prekey id) changes nothing, even with other bytes.
    public func putPrekey(_ prekey: StoredPrekey) async throws {
        let createdAt = try StoredInteger.stored(prekey.createdAt, "createdAt of prekey \(prekey.prekeyID)")
        let notAfter = try StoredInteger.stored(prekey.notAfter, "notAfter of prekey \(prekey.prekeyID)")
        let event = StoreAuditEvents.prekeyPublished(prekey, at: clock.now())
        try await transaction("putPrekey") { [self] conn in
            let inserted = try await conn.rows("""
                INSERT INTO prekeys (device_id, prekey_id, record, created_at, not_after)
                VALUES (\(PostgresCoding.bytea(prekey.deviceID)), \(PostgresCoding.bytea(prekey.prekeyID.bytes)), \(PostgresCoding.bytea(prekey.record)),
                        \(createdAt), \(notAfter))
                ON CONFLICT (device_id, prekey_id) DO NOTHING
                RETURNING 1
                """, logger: logger)
            guard !inserted.isEmpty else { return }
            let organisation = try await devices(conn, where: "id = $1", PostgresCoding.bytea(prekey.deviceID), orderBy: "id").first?.organisationID
            let entry = AuditEntry(event, organisation: organisation)
            try await appendAudit([entry], conn)
            try await conn.run("""
                UPDATE prekeys SET log_leaf = \(PostgresCoding.bytea(entry.leafHash))
                WHERE device_id = \(PostgresCoding.bytea(prekey.deviceID)) AND prekey_id = \(PostgresCoding.bytea(prekey.prekeyID.bytes))
                """, logger: logger)
        }
    }

    static func prekey(_ row: PostgresRow) throws -> StoredPrekey {
        let (device, prekeyID, record, created, notAfter) = try row.decode((Data, Data, Data, Int64, Int64).self)
        let t = "prekeys"
        guard prekeyID.count == 8, let id = PrekeyID(hex: prekeyID.map { String(format: "%02x", $0) }.joined()) else {
            throw PostgresCoding.corrupt(t)
        }
        return StoredPrekey(deviceID: try PostgresCoding.id(device, t), prekeyID: id, record: Array(record),
                            createdAt: try PostgresCoding.uint64(created, t), notAfter: try PostgresCoding.uint64(notAfter, t))
    }

    /// Greatest `createdAt`; between equal times, the greatest prekey id.
    public func currentPrekey(device: DeviceID) async throws -> StoredPrekey? {
        try await read("currentPrekey") { [self] conn in
            try await conn.rows("""
                SELECT device_id, prekey_id, record, created_at, not_after FROM prekeys WHERE device_id = \(PostgresCoding.bytea(device))
                ORDER BY created_at DESC, prekey_id DESC LIMIT 1
                """, logger: logger).first.map(Self.prekey)
        }
    }

    /// Kept in memory once read: a stored prekey never changes (`putPrekey` keeps the first record)
    /// and is never deleted, so every relay on the database may cache it. Misses are not kept.
    public func prekey(device: DeviceID, id: PrekeyID) async throws -> StoredPrekey? {
        let key = PrekeyKey(device: device, prekey: id)
        if let cached = prekeys.withLock({ $0[key] }) { return cached }
        let loaded = try await read("prekey") { [self] conn in
            try await conn.rows("""
                SELECT device_id, prekey_id, record, created_at, not_after FROM prekeys
                WHERE device_id = \(PostgresCoding.bytea(device)) AND prekey_id = \(PostgresCoding.bytea(id.bytes))
                """, logger: logger).first.map(Self.prekey)
        }
        if let loaded {
            prekeys.withLock { cache in
                if cache.count >= 100_000 { cache.removeAll() }
                cache[key] = loaded
            }
        }
        return loaded
    }
}
