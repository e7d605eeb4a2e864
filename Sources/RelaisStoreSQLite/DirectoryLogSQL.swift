import Foundation
import GRDB
public import RelaisCore
public import RelaisStore

/// Where the directory is in the audit log (`DirectoryLogStore`): each record row keeps the leaf
/// hash of the entry appended with it, and the entry's index is found among the directory entries
/// (`audit_log_directory_leaves`, a partial index over the few directory entries of the log).
enum DirectoryLogSQL {
    /// The index of the directory entry whose leaf hash is the `leaf` column of `table`, joined as `alias`.
    static func indexJoin(_ alias: String, leaf column: String) -> String {
        "LEFT JOIN audit_log \(alias) ON \(alias).directory_scope IS NOT NULL AND \(alias).leaf_hash = \(column)"
    }

    static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

    /// Fills the migration's new columns from the log: the scope of every directory entry, and the
    /// leaf of every stored record that a directory entry carries, byte for byte.
    static func backfill(_ db: Database) throws {
        struct Found { let seq: Int64; let leaf: Data; let event: AuditEvent }
        var found: [Found] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT seq, entry, leaf_hash FROM audit_log ORDER BY seq")
        while let row = try rows.next() {
            let bytes: Data = row["entry"]
            guard let event = try? AuditEvent.decode(Array(bytes)), DirectoryInclusion.kinds.contains(event.kind) else { continue }
            found.append(Found(seq: row["seq"], leaf: row["leaf_hash"], event: event))
        }
        for f in found {
            let e = f.event
            var organisation = e.organisation.map { Data($0.bytes) }
            if organisation == nil, let device = e.device {
                organisation = try Data.fetchOne(db, sql: "SELECT organisation_id FROM devices WHERE id = ?", arguments: [Data(device.bytes)])
            }
            try db.execute(sql: "UPDATE audit_log SET directory_scope = ? WHERE seq = ?", arguments: [organisation ?? Data(), f.seq])
            guard let signed = e.signedRecord else { continue }
            let (record, signature) = (Data(signed.bytes), Data(signed.signature))
            switch e.kind {
            case .organisationPut:
                try db.execute(sql: "UPDATE organisations SET log_leaf = ? WHERE id = ? AND record = ? AND signature = ?",
                               arguments: [f.leaf, e.organisation.map { Data($0.bytes) }, record, signature])
            case .deviceActivated:
                try db.execute(sql: "UPDATE devices SET record_leaf = ? WHERE id = ? AND record = ? AND record_signature = ?",
                               arguments: [f.leaf, e.device.map { Data($0.bytes) }, record, signature])
            case .deviceRevoked:
                try db.execute(sql: "UPDATE devices SET revocation_leaf = ? WHERE id = ? AND revocation = ? AND revocation_signature = ?",
                               arguments: [f.leaf, e.device.map { Data($0.bytes) }, record, signature])
            case .prekeyPublished:
                try db.execute(sql: "UPDATE prekeys SET log_leaf = ? WHERE device_id = ? AND record = ?",
                               arguments: [f.leaf, e.device.map { Data($0.bytes) }, record + signature])
            default: break
            }
        }
    }
}

extension SQLiteRelayStore {
    public func organisationLogIndexes(_ ids: [OrganisationID]) async throws -> [OrganisationID: UInt64] {
        guard !ids.isEmpty else { return [:] }
        return try await StoreFailure.run("organisationLogIndexes") {
            try pool.read { db in
                var out: [OrganisationID: UInt64] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT o.id, a.seq FROM organisations o \(DirectoryLogSQL.indexJoin("a", leaf: "o.log_leaf"))
                    WHERE o.id IN (\(DirectoryLogSQL.placeholders(ids.count))) AND a.seq IS NOT NULL
                    """, arguments: StatementArguments(ids.map { SQLiteCoding.blob($0) })) {
                    out[try SQLiteCoding.id(row, "id", "organisations")] = try SQLiteCoding.uint64(row, "seq", "audit_log")
                }
                return out
            }
        }
    }

    public func deviceLogIndexes(_ ids: [DeviceID]) async throws -> [DeviceID: DeviceLogIndexes] {
        guard !ids.isEmpty else { return [:] }
        return try await StoreFailure.run("deviceLogIndexes") {
            try pool.read { db in
                var out: [DeviceID: DeviceLogIndexes] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT d.id, r.seq AS record_seq, v.seq AS revocation_seq FROM devices d
                    \(DirectoryLogSQL.indexJoin("r", leaf: "d.record_leaf")) \(DirectoryLogSQL.indexJoin("v", leaf: "d.revocation_leaf"))
                    WHERE d.id IN (\(DirectoryLogSQL.placeholders(ids.count)))
                    """, arguments: StatementArguments(ids.map { SQLiteCoding.blob($0) })) {
                    out[try SQLiteCoding.id(row, "id", "devices")] = DeviceLogIndexes(
                        record: try SQLiteCoding.optionalUInt64(row, "record_seq", "audit_log"),
                        revocation: try SQLiteCoding.optionalUInt64(row, "revocation_seq", "audit_log"))
                }
                return out
            }
        }
    }

    public func prekeyLogIndex(device: DeviceID, prekey: PrekeyID) async throws -> UInt64? {
        try await StoreFailure.run("prekeyLogIndex") {
            try pool.read { db in
                try Row.fetchOne(db, sql: """
                    SELECT a.seq FROM prekeys p \(DirectoryLogSQL.indexJoin("a", leaf: "p.log_leaf"))
                    WHERE p.device_id = ? AND p.prekey_id = ?
                    """, arguments: [SQLiteCoding.blob(device), SQLiteCoding.blob(prekey.bytes)])
                    .flatMap { try SQLiteCoding.optionalUInt64($0, "seq", "audit_log") }
            }
        }
    }

    public func directoryEntries(organisation: OrganisationID, from: UInt64, limit: Int) async throws -> [IndexedAuditEntry] {
        try await StoreFailure.run("directoryEntries") {
            try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT seq, entry FROM audit_log WHERE directory_scope = ? AND seq >= ? ORDER BY seq LIMIT ?
                    """, arguments: [SQLiteCoding.blob(organisation), Int64(clamping: from), max(0, limit)])
                    .map { IndexedAuditEntry(index: try SQLiteCoding.uint64($0, "seq", "audit_log"), bytes: try SQLiteCoding.bytes($0, "entry", "audit_log")) }
            }
        }
    }
}
