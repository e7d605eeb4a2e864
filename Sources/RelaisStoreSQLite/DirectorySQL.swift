import Foundation
import GRDB
import RelaisCore
import RelaisStore

/// The directory statements, as functions of an open database access. Writers check every rule
/// before their first write, and run inside one `pool.write` transaction, so a refusal leaves
/// nothing behind.
enum DirectorySQL {
    // MARK: Organisations

    static func putOrganisation(_ o: StoredOrganisation, _ db: Database) throws {
        let sequence = try SQLiteCoding.stored(o.sequence, "sequence of organisation \(o.id)")
        let until = try o.exitProgrammeAccreditedUntil.map { try SQLiteCoding.stored($0, "exitProgrammeAccreditedUntil of organisation \(o.id)") }
        try o.refuseRepeatedDepartements()
        let id = SQLiteCoding.blob(o.id)
        if let stored = try Int64.fetchOne(db, sql: "SELECT sequence FROM organisations WHERE id = ?", arguments: [id]) {
            guard sequence > stored else {
                throw StoreError.conflict("organisation \(o.id): sequence \(o.sequence) is not higher than the stored sequence \(stored)")
            }
            try db.execute(sql: """
                UPDATE organisations SET record = ?, signature = ?, category = ?, sequence = ?, accredited_until = ? WHERE id = ?
                """, arguments: [SQLiteCoding.blob(o.signed.bytes), SQLiteCoding.blob(o.signed.signature), o.category.rawValue,
                                 sequence, until, id])
            try db.execute(sql: "DELETE FROM organisation_departements WHERE organisation_id = ?", arguments: [id])
        } else {
            try db.execute(sql: """
                INSERT INTO organisations (id, record, signature, category, sequence, accredited_until) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [id, SQLiteCoding.blob(o.signed.bytes), SQLiteCoding.blob(o.signed.signature), o.category.rawValue,
                                 sequence, until])
        }
        let insert = try db.cachedStatement(sql: "INSERT INTO organisation_departements (organisation_id, departement, position) VALUES (?, ?, ?)")
        for (position, d) in o.departements.enumerated() { try insert.execute(arguments: [id, d, position]) }
    }

    static func organisation(_ row: Row, _ db: Database) throws -> StoredOrganisation {
        let t = "organisations"
        let id: OrganisationID = try SQLiteCoding.id(row, "id", t)
        let departements = try String.fetchAll(db, sql: """
            SELECT departement FROM organisation_departements WHERE organisation_id = ? ORDER BY position
            """, arguments: [SQLiteCoding.blob(id)])
        return StoredOrganisation(
            id: id,
            signed: SignedObject(bytes: try SQLiteCoding.bytes(row, "record", t), signature: try SQLiteCoding.bytes(row, "signature", t)),
            category: try SQLiteCoding.enumeration(row, "category", t),
            departements: departements,
            sequence: try SQLiteCoding.uint64(row, "sequence", t),
            exitProgrammeAccreditedUntil: try SQLiteCoding.optionalUInt64(row, "accredited_until", t))
    }

    // MARK: Devices

    static let deviceColumns = """
        id, public_key, organisation_id, role, status, invite_id, enroller, record, record_signature, revocation,
        revocation_signature, created_at
        """

    static func insertDevice(_ d: StoredDevice, _ db: Database) throws {
        let createdAt = try SQLiteCoding.stored(d.createdAt, "createdAt of device \(d.id)")
        try db.execute(sql: "INSERT INTO devices (\(deviceColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", arguments: [
            SQLiteCoding.blob(d.id), SQLiteCoding.blob(d.publicKey), d.organisationID.map { SQLiteCoding.blob($0) },
            d.role.rawValue, d.status.rawValue, SQLiteCoding.blob(d.inviteID), SQLiteCoding.blob(d.enroller),
            d.record.map { SQLiteCoding.blob($0.bytes) }, d.record.map { SQLiteCoding.blob($0.signature) },
            d.revocation.map { SQLiteCoding.blob($0.bytes) }, d.revocation.map { SQLiteCoding.blob($0.signature) },
            createdAt,
        ])
    }

    static func device(_ row: Row) throws -> StoredDevice {
        let t = "devices"
        return StoredDevice(
            id: try SQLiteCoding.id(row, "id", t),
            publicKey: try SQLiteCoding.bytes(row, "public_key", t),
            organisationID: try SQLiteCoding.optionalID(row, "organisation_id", t),
            role: try SQLiteCoding.enumeration(row, "role", t),
            status: try SQLiteCoding.enumeration(row, "status", t),
            inviteID: try SQLiteCoding.id(row, "invite_id", t),
            enroller: try SQLiteCoding.id(row, "enroller", t),
            record: try SQLiteCoding.optionalSigned(row, "record", "record_signature", t),
            revocation: try SQLiteCoding.optionalSigned(row, "revocation", "revocation_signature", t),
            createdAt: try SQLiteCoding.uint64(row, "created_at", t))
    }

    static func devices(_ db: Database, where condition: String, _ arguments: StatementArguments, orderBy: String) throws -> [StoredDevice] {
        // Conditions are literals of this module: the statement cache stays small.
        try Row.fetchAll(db.cachedStatement(sql: "SELECT \(deviceColumns) FROM devices WHERE \(condition) ORDER BY \(orderBy)"), arguments: arguments)
            .map(device)
    }

    /// The device's status, or `notFound` naming it.
    static func status(of id: DeviceID, _ db: Database) throws -> DeviceStatus {
        guard let text = try String.fetchOne(db, sql: "SELECT status FROM devices WHERE id = ?", arguments: [SQLiteCoding.blob(id)]) else {
            throw StoreError.notFound("device \(id) does not exist")
        }
        guard let status = DeviceStatus(rawValue: text) else { throw SQLiteCoding.corrupt("devices") }
        return status
    }

    // MARK: Invites

    static func invite(_ row: Row) throws -> StoredInvite {
        let t = "invites"
        return StoredInvite(
            id: try SQLiteCoding.id(row, "id", t),
            secretHash: try SQLiteCoding.bytes(row, "secret_hash", t),
            organisationID: try SQLiteCoding.optionalID(row, "organisation_id", t),
            role: try SQLiteCoding.enumeration(row, "role", t),
            issuedBy: try SQLiteCoding.optionalID(row, "issued_by", t),
            createdAt: try SQLiteCoding.uint64(row, "created_at", t),
            expiresAt: try SQLiteCoding.uint64(row, "expires_at", t),
            redeemedBy: try SQLiteCoding.optionalID(row, "redeemed_by", t))
    }

    // MARK: Prekeys

    static func prekey(_ row: Row) throws -> StoredPrekey {
        let t = "prekeys"
        let idBytes = try SQLiteCoding.bytes(row, "prekey_id", t)
        guard idBytes.count == 8, let prekeyID = PrekeyID(hex: idBytes.map { String(format: "%02x", $0) }.joined()) else {
            throw SQLiteCoding.corrupt(t)
        }
        return StoredPrekey(
            deviceID: try SQLiteCoding.id(row, "device_id", t),
            prekeyID: prekeyID,
            record: try SQLiteCoding.bytes(row, "record", t),
            createdAt: try SQLiteCoding.uint64(row, "created_at", t),
            notAfter: try SQLiteCoding.uint64(row, "not_after", t))
    }
}
