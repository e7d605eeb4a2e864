import Foundation
import GRDB
public import RelaisCore
public import RelaisStore

/// `DirectoryStore`: each write is one `pool.write` transaction that checks before it writes;
/// each read is one `pool.read` snapshot.
extension SQLiteRelayStore {
    public func putOrganisation(_ organisation: StoredOrganisation) async throws {
        try await StoreFailure.run("putOrganisation") {
            try await directoryWrite { db in
                try DirectorySQL.putOrganisation(organisation, db)
                let entry = try AuditSQL.append(StoreAuditEvents.organisationPut(organisation, at: clock.now()), db)
                try db.execute(sql: "UPDATE organisations SET log_leaf = ? WHERE id = ?",
                               arguments: [SQLiteCoding.blob(entry.leafHash), SQLiteCoding.blob(organisation.id)])
            }
        }
    }

    public func organisation(_ id: OrganisationID) async throws -> StoredOrganisation? {
        try await StoreFailure.run("organisation") {
            try cache.value(\.organisations, id) {
                try pool.read { db in
                    try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM organisations WHERE id = ?"), arguments: [SQLiteCoding.blob(id)])
                        .map { try DirectorySQL.organisation($0, db) }
                }
            }
        }
    }

    /// Exact match on `category` and on one département code (a national organisation, which lists
    /// none, matches every code); `nil` means no filter.
    public func organisations(category: PartnerCategory?, departement: String?) async throws -> [StoredOrganisation] {
        try await StoreFailure.run("organisations") {
            try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT o.* FROM organisations o
                    WHERE (?1 IS NULL OR o.category = ?1)
                      AND (?2 IS NULL
                           OR EXISTS (SELECT 1 FROM organisation_departements d WHERE d.organisation_id = o.id AND d.departement = ?2)
                           OR NOT EXISTS (SELECT 1 FROM organisation_departements d WHERE d.organisation_id = o.id))
                    ORDER BY o.id
                    """, arguments: [category?.rawValue, departement])
                    .map { try DirectorySQL.organisation($0, db) }
            }
        }
    }

    public func createInvite(_ invite: StoredInvite) async throws {
        try await StoreFailure.run("createInvite") {
            try await directoryWrite { db in
                let createdAt = try SQLiteCoding.stored(invite.createdAt, "createdAt of invite \(invite.id)")
                let expiresAt = try SQLiteCoding.stored(invite.expiresAt, "expiresAt of invite \(invite.id)")
                let id = SQLiteCoding.blob(invite.id)
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM invites WHERE id = ?", arguments: [id]) == nil else {
                    throw StoreError.conflict("invite \(invite.id) already exists")
                }
                try db.execute(sql: """
                    INSERT INTO invites (id, secret_hash, organisation_id, role, issued_by, created_at, expires_at, redeemed_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, SQLiteCoding.blob(invite.secretHash), invite.organisationID.map { SQLiteCoding.blob($0) },
                                     invite.role.rawValue, invite.issuedBy.map { SQLiteCoding.blob($0) }, createdAt, expiresAt,
                                     invite.redeemedBy.map { SQLiteCoding.blob($0) }])
                try AuditSQL.append(StoreAuditEvents.inviteIssued(invite), db)
            }
        }
    }

    public func invite(_ id: InviteID) async throws -> StoredInvite? {
        try await StoreFailure.run("invite") {
            try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM invites WHERE id = ?", arguments: [SQLiteCoding.blob(id)]).map(DirectorySQL.invite)
            }
        }
    }

    public func redeemInvite(_ invite: InviteID, device: StoredDevice, at time: UInt64) async throws {
        try await StoreFailure.run("redeemInvite") {
            try await directoryWrite { db in
                let redeemedAt = try SQLiteCoding.stored(time, "redemption time of invite \(invite)")
                let id = SQLiteCoding.blob(invite)
                guard let row = try Row.fetchOne(db, sql: "SELECT redeemed_by FROM invites WHERE id = ?", arguments: [id]) else {
                    throw StoreError.notFound("invite \(invite) does not exist")
                }
                if let by: DeviceID = try SQLiteCoding.optionalID(row, "redeemed_by", "invites") {
                    throw StoreError.conflict("invite \(invite) was already redeemed by device \(by)")
                }
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM devices WHERE id = ?", arguments: [SQLiteCoding.blob(device.id)]) == nil else {
                    throw StoreError.conflict("device \(device.id) already exists")
                }
                if device.role == .operator, try Int.fetchOne(db, sql: "SELECT 1 FROM devices WHERE role = 'operator'") != nil {
                    throw StoreError.conflict("this relay already has an operator")
                }
                try db.execute(sql: "UPDATE invites SET redeemed_by = ?, redeemed_at = ? WHERE id = ?",
                               arguments: [SQLiteCoding.blob(device.id), redeemedAt, id])
                try DirectorySQL.insertDevice(device, db)
                try AuditSQL.append(StoreAuditEvents.deviceEnrolled(device, at: time), db)
                if device.status == .active, let record = device.record {
                    let entry = try AuditSQL.append(StoreAuditEvents.deviceActivated(device.id, device, record: record, at: time), db)
                    try db.execute(sql: "UPDATE devices SET record_leaf = ? WHERE id = ?",
                                   arguments: [SQLiteCoding.blob(entry.leafHash), SQLiteCoding.blob(device.id)])
                }
            }
        }
    }

    public func device(_ id: DeviceID) async throws -> StoredDevice? {
        try await StoreFailure.run("device") {
            try cache.value(\.devices, id) {
                try pool.read { db in
                    try DirectorySQL.devices(db, where: "id = ?", [SQLiteCoding.blob(id)], orderBy: "id").first
                }
            }
        }
    }

    public func devices(organisation: OrganisationID) async throws -> [StoredDevice] {
        try await StoreFailure.run("devices") {
            try pool.read { db in
                try DirectorySQL.devices(db, where: "organisation_id = ?", [SQLiteCoding.blob(organisation)], orderBy: "id")
            }
        }
    }

    /// Ordered by `createdAt`, then id (for devices created in the same second).
    public func pendingDevices(enroller: DeviceID) async throws -> [StoredDevice] {
        try await StoreFailure.run("pendingDevices") {
            try pool.read { db in
                try DirectorySQL.devices(db, where: "enroller = ? AND status = ?", [SQLiteCoding.blob(enroller), DeviceStatus.pending.rawValue],
                                         orderBy: "created_at, id")
            }
        }
    }

    public func devicesWithoutOrganisation() async throws -> [StoredDevice] {
        try await StoreFailure.run("devicesWithoutOrganisation") {
            try pool.read { db in
                try DirectorySQL.devices(db, where: "organisation_id IS NULL", [], orderBy: "id")
            }
        }
    }

    public func activateDevice(_ id: DeviceID, record: SignedObject, at time: UInt64) async throws {
        try await StoreFailure.run("activateDevice") {
            try await directoryWrite { db in
                let activatedAt = try SQLiteCoding.stored(time, "activation time of device \(id)")
                let status = try DirectorySQL.status(of: id, db)
                guard status == .pending else { throw StoreError.conflict("device \(id) is \(status.rawValue), not pending") }
                try db.execute(sql: """
                    UPDATE devices SET status = ?, record = ?, record_signature = ?, activated_at = ? WHERE id = ?
                    """, arguments: [DeviceStatus.active.rawValue, SQLiteCoding.blob(record.bytes), SQLiteCoding.blob(record.signature),
                                     activatedAt, SQLiteCoding.blob(id)])
                let device = try DirectorySQL.devices(db, where: "id = ?", [SQLiteCoding.blob(id)], orderBy: "id").first
                let entry = try AuditSQL.append(StoreAuditEvents.deviceActivated(id, device, record: record, at: time), db)
                try db.execute(sql: "UPDATE devices SET record_leaf = ? WHERE id = ?", arguments: [SQLiteCoding.blob(entry.leafHash), SQLiteCoding.blob(id)])
            }
        }
    }

    /// Also deletes the device's unacknowledged deliveries, and the envelopes that are left with
    /// no unacknowledged delivery (nobody could fetch them any more), in the same transaction.
    public func revokeDevice(_ id: DeviceID, revocation: SignedObject, at time: UInt64) async throws {
        try await StoreFailure.run("revokeDevice") {
            try await directoryWrite { db in
                let revokedAt = try SQLiteCoding.stored(time, "revocation time of device \(id)")
                let status = try DirectorySQL.status(of: id, db)
                guard status != .revoked else { throw StoreError.conflict("device \(id) is already revoked") }
                try db.execute(sql: """
                    UPDATE devices SET status = ?, revocation = ?, revocation_signature = ?, revoked_at = ? WHERE id = ?
                    """, arguments: [DeviceStatus.revoked.rawValue, SQLiteCoding.blob(revocation.bytes),
                                     SQLiteCoding.blob(revocation.signature), revokedAt, SQLiteCoding.blob(id)])
                let organisation = try DirectorySQL.devices(db, where: "id = ?", [SQLiteCoding.blob(id)], orderBy: "id").first?.organisationID
                let entry = try AuditSQL.append(StoreAuditEvents.deviceRevoked(id, revocation: revocation, at: time), db, organisation: organisation)
                try db.execute(sql: "UPDATE devices SET revocation_leaf = ? WHERE id = ?",
                               arguments: [SQLiteCoding.blob(entry.leafHash), SQLiteCoding.blob(id)])
                for envelope in try EnvelopeSQL.dropDeliveries(of: id, at: revokedAt, db) {
                    try AuditSQL.append(StoreAuditEvents.envelopeDeleted(envelope, at: time), db)
                }
            }
        }
    }

    /// Idempotent: a second put of the same (device, prekey id) changes nothing, even with other
    /// record bytes (the first stored record stays: the id is derived from the key, so both
    /// records publish the same key).
    public func putPrekey(_ prekey: StoredPrekey) async throws {
        try await StoreFailure.run("putPrekey") {
            try await directoryWrite { db in
                let createdAt = try SQLiteCoding.stored(prekey.createdAt, "createdAt of prekey \(prekey.prekeyID)")
                let notAfter = try SQLiteCoding.stored(prekey.notAfter, "notAfter of prekey \(prekey.prekeyID)")
                try db.execute(sql: """
                    INSERT INTO prekeys (device_id, prekey_id, record, created_at, not_after) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (device_id, prekey_id) DO NOTHING
                    """, arguments: [SQLiteCoding.blob(prekey.deviceID), SQLiteCoding.blob(prekey.prekeyID.bytes),
                                     SQLiteCoding.blob(prekey.record), createdAt, notAfter])
                if db.changesCount > 0 {
                    let organisation = try DirectorySQL.devices(db, where: "id = ?", [SQLiteCoding.blob(prekey.deviceID)], orderBy: "id").first?.organisationID
                    let entry = try AuditSQL.append(StoreAuditEvents.prekeyPublished(prekey, at: clock.now()), db, organisation: organisation)
                    try db.execute(sql: "UPDATE prekeys SET log_leaf = ? WHERE device_id = ? AND prekey_id = ?",
                                   arguments: [SQLiteCoding.blob(entry.leafHash), SQLiteCoding.blob(prekey.deviceID), SQLiteCoding.blob(prekey.prekeyID.bytes)])
                }
            }
        }
    }

    /// Greatest `createdAt`; between equal times, the greatest prekey id (so the answer is stable).
    public func currentPrekey(device: DeviceID) async throws -> StoredPrekey? {
        try await StoreFailure.run("currentPrekey") {
            try cache.value(\.currentPrekeys, device) {
                try pool.read { db in
                    try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM prekeys WHERE device_id = ? ORDER BY created_at DESC, prekey_id DESC LIMIT 1"),
                                     arguments: [SQLiteCoding.blob(device)]).map(DirectorySQL.prekey)
                }
            }
        }
    }

    public func prekey(device: DeviceID, id: PrekeyID) async throws -> StoredPrekey? {
        try await StoreFailure.run("prekey") {
            try cache.value(\.prekeys, DirectoryCache.PrekeyKey(device: device, prekey: id)) {
                try pool.read { db in
                    try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM prekeys WHERE device_id = ? AND prekey_id = ?"),
                                     arguments: [SQLiteCoding.blob(device), SQLiteCoding.blob(id.bytes)]).map(DirectorySQL.prekey)
                }
            }
        }
    }
}
