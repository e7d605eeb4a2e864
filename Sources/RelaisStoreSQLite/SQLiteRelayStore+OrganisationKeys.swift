import Foundation
import GRDB
public import RelaisCore
public import RelaisStore

/// `OrganisationKeyStore`: one transaction per write, one snapshot per read.
extension SQLiteRelayStore {
    public func putKeyPackage(_ p: StoredKeyPackage) async throws -> KeyPackageOutcome {
        try await StoreFailure.run("putKeyPackage") {
            try await directoryWrite { db in
                let target = SQLiteCoding.blob(p.target), giver = SQLiteCoding.blob(p.giver)
                if let held = try Row.fetchOne(db, sql: "SELECT package FROM organisation_key_packages WHERE target_device = ? AND giver_device = ?",
                                               arguments: [target, giver]) {
                    guard try SQLiteCoding.bytes(held, "package", "organisation_key_packages") == p.bytes else {
                        throw StoreError.conflict("device \(p.giver) already gave device \(p.target) another key package")
                    }
                    return .duplicate
                }
                if p.target == p.giver {
                    let held = try Int.fetchOne(db, sql: """
                        SELECT 1 FROM organisation_key_packages k JOIN devices d ON d.id = k.target_device
                        WHERE k.organisation_id = ? AND d.status = 'active' LIMIT 1
                        """, arguments: [SQLiteCoding.blob(p.organisationID)])
                    guard held == nil else { throw StoreError.conflict("organisation \(p.organisationID) already has a key: ask one of its devices for it") }
                }
                try db.execute(sql: """
                    INSERT INTO organisation_key_packages (target_device, giver_device, organisation_id, key_id, package, stored_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [target, giver, SQLiteCoding.blob(p.organisationID), SQLiteCoding.blob(p.keyID.bytes),
                                     SQLiteCoding.blob(p.bytes), try SQLiteCoding.stored(p.storedAt, "storedAt")])
                return .stored
            }
        }
    }

    public func keyPackages(target: DeviceID) async throws -> [StoredKeyPackage] {
        try await StoreFailure.run("keyPackages") {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM organisation_key_packages WHERE target_device = ? ORDER BY stored_at, giver_device",
                                 arguments: [SQLiteCoding.blob(target)]).map(Self.keyPackage)
            }
        }
    }

    public func keyPackages(organisation: OrganisationID) async throws -> [StoredKeyPackage] {
        try await StoreFailure.run("keyPackages") {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM organisation_key_packages WHERE organisation_id = ? ORDER BY target_device, giver_device",
                                 arguments: [SQLiteCoding.blob(organisation)]).map(Self.keyPackage)
            }
        }
    }

    static func keyPackage(_ row: Row) throws -> StoredKeyPackage {
        let t = "organisation_key_packages"
        guard let keyID = OrganisationKeyID(bytes: try SQLiteCoding.bytes(row, "key_id", t)) else { throw SQLiteCoding.corrupt(t) }
        return StoredKeyPackage(organisationID: try SQLiteCoding.id(row, "organisation_id", t), target: try SQLiteCoding.id(row, "target_device", t),
                                giver: try SQLiteCoding.id(row, "giver_device", t), keyID: keyID,
                                bytes: try SQLiteCoding.bytes(row, "package", t), storedAt: try SQLiteCoding.uint64(row, "stored_at", t))
    }
}
