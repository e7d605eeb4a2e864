import Foundation
import PostgresNIO
public import RelaisCore
public import RelaisStore

/// `OrganisationKeyStore`: one transaction per write. A new key (a device's package to itself)
/// locks its organisation's row, so two admins making a key at once are serialised and the second
/// is refused.
extension PostgresRelayStore {
    public func putKeyPackage(_ p: StoredKeyPackage) async throws -> KeyPackageOutcome {
        let storedAt = try StoredInteger.stored(p.storedAt, "storedAt")
        return try await transaction("putKeyPackage") { [self] conn in
            let org = PostgresCoding.bytea(p.organisationID), target = PostgresCoding.bytea(p.target), giver = PostgresCoding.bytea(p.giver)
            if p.target == p.giver {
                _ = try await conn.rows("SELECT 1 FROM organisations WHERE id = \(org) FOR UPDATE", logger: logger)
                let held = try await conn.rows("""
                    SELECT 1 FROM organisation_key_packages k JOIN devices d ON d.id = k.target_device
                    WHERE k.organisation_id = \(org) AND d.status = 'active' LIMIT 1
                    """, logger: logger)
                guard held.isEmpty else { throw StoreError.conflict("organisation \(p.organisationID) already has a key: ask one of its devices for it") }
            }
            let inserted = try await conn.rows("""
                INSERT INTO organisation_key_packages (target_device, giver_device, organisation_id, key_id, package, stored_at)
                VALUES (\(target), \(giver), \(org), \(PostgresCoding.bytea(p.keyID.bytes)), \(PostgresCoding.bytea(p.bytes)), \(storedAt))
                ON CONFLICT (target_device, giver_device) DO NOTHING
                RETURNING 1
                """, logger: logger)
            if !inserted.isEmpty { return .stored }
            let held = try await conn.one("""
                SELECT package FROM organisation_key_packages WHERE target_device = \(target) AND giver_device = \(giver)
                """, as: Data.self, logger: logger)
            guard Array(held) == p.bytes else {
                throw StoreError.conflict("device \(p.giver) already gave device \(p.target) another key package")
            }
            return .duplicate
        }
    }

    public func keyPackages(target: DeviceID) async throws -> [StoredKeyPackage] {
        try await read("keyPackages") { [self] conn in
            try await conn.rows("""
                SELECT organisation_id, target_device, giver_device, key_id, package, stored_at FROM organisation_key_packages
                WHERE target_device = \(PostgresCoding.bytea(target)) ORDER BY stored_at, giver_device
                """, logger: logger).map(Self.keyPackage)
        }
    }

    public func keyPackages(organisation: OrganisationID) async throws -> [StoredKeyPackage] {
        try await read("keyPackages") { [self] conn in
            try await conn.rows("""
                SELECT organisation_id, target_device, giver_device, key_id, package, stored_at FROM organisation_key_packages
                WHERE organisation_id = \(PostgresCoding.bytea(organisation)) ORDER BY target_device, giver_device
                """, logger: logger).map(Self.keyPackage)
        }
    }

    static func keyPackage(_ row: PostgresRow) throws -> StoredKeyPackage {
        let (org, target, giver, keyID, package, storedAt) = try row.decode((Data, Data, Data, Data, Data, Int64).self)
        let t = "organisation_key_packages"
        guard let id = OrganisationKeyID(bytes: Array(keyID)) else { throw PostgresCoding.corrupt(t) }
        return StoredKeyPackage(organisationID: try PostgresCoding.id(org, t), target: try PostgresCoding.id(target, t),
                                giver: try PostgresCoding.id(giver, t), keyID: id, bytes: Array(package),
                                storedAt: try PostgresCoding.uint64(storedAt, t))
    }
}
