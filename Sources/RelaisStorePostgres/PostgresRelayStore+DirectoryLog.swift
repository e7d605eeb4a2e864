import Foundation
import NIOCore
import PostgresNIO
public import RelaisCore
public import RelaisStore

/// `DirectoryLogStore`: each record row keeps the leaf hash of the entry appended with it; the
/// entry's index is found among the directory entries of the sequenced log
/// (`audit_log_directory_leaves`). The log is sequenced first, so an entry committed with its
/// record has its index by the time the record is read.
extension PostgresRelayStore {
    private static func indexJoin(_ alias: String, leaf column: String) -> String {
        "LEFT JOIN audit_log \(alias) ON \(alias).directory_scope IS NOT NULL AND \(alias).leaf_hash = \(column)"
    }

    public func organisationLogIndexes(_ ids: [OrganisationID]) async throws -> [OrganisationID: UInt64] {
        guard !ids.isEmpty else { return [:] }
        try await sequenceAuditLog()
        return try await read("organisationLogIndexes") { [self] conn in
            var out: [OrganisationID: UInt64] = [:]
            for row in try await conn.rows(PostgresQuery(unsafeSQL: """
                SELECT o.id, a.seq FROM organisations o \(Self.indexJoin("a", leaf: "o.log_leaf"))
                WHERE o.id = ANY($1::bytea[]) AND a.seq IS NOT NULL
                """, binds: try Self.binds(ids.map { ByteBuffer(bytes: $0.bytes) })), logger: logger) {
                let (id, seq) = try row.decode((Data, Int64).self)
                out[try PostgresCoding.id(id, "organisations")] = try PostgresCoding.uint64(seq, "audit_log")
            }
            return out
        }
    }

    public func deviceLogIndexes(_ ids: [DeviceID]) async throws -> [DeviceID: DeviceLogIndexes] {
        guard !ids.isEmpty else { return [:] }
        try await sequenceAuditLog()
        return try await read("deviceLogIndexes") { [self] conn in
            var out: [DeviceID: DeviceLogIndexes] = [:]
            for row in try await conn.rows(PostgresQuery(unsafeSQL: """
                SELECT d.id, r.seq, v.seq FROM devices d
                \(Self.indexJoin("r", leaf: "d.record_leaf")) \(Self.indexJoin("v", leaf: "d.revocation_leaf"))
                WHERE d.id = ANY($1::bytea[])
                """, binds: try Self.binds(ids.map { ByteBuffer(bytes: $0.bytes) })), logger: logger) {
                let (id, record, revocation) = try row.decode((Data, Int64?, Int64?).self)
                out[try PostgresCoding.id(id, "devices")] = DeviceLogIndexes(record: try PostgresCoding.optionalUInt64(record, "audit_log"),
                                                                             revocation: try PostgresCoding.optionalUInt64(revocation, "audit_log"))
            }
            return out
        }
    }

    public func prekeyLogIndex(device: DeviceID, prekey: PrekeyID) async throws -> UInt64? {
        try await sequenceAuditLog()
        return try await read("prekeyLogIndex") { [self] conn in
            let seq = try await conn.rows(PostgresQuery(unsafeSQL: """
                SELECT a.seq FROM prekeys p \(Self.indexJoin("a", leaf: "p.log_leaf"))
                WHERE p.device_id = $1 AND p.prekey_id = $2
                """, binds: try Self.binds(PostgresCoding.bytea(device), PostgresCoding.bytea(prekey.bytes))), logger: logger)
                .first.map { try $0.decode(Int64?.self) } ?? nil
            return try PostgresCoding.optionalUInt64(seq, "audit_log")
        }
    }

    public func directoryEntries(organisation: OrganisationID, from: UInt64, limit: Int) async throws -> [IndexedAuditEntry] {
        try await sequenceAuditLog()
        return try await read("directoryEntries") { [self] conn in
            try await conn.rows(PostgresQuery(unsafeSQL: """
                SELECT seq, entry FROM audit_log WHERE directory_scope = $1 AND seq >= $2 ORDER BY seq LIMIT $3
                """, binds: try Self.binds(PostgresCoding.bytea(organisation), Int64(clamping: from), Int64(max(0, limit)))), logger: logger)
                .map { row in
                    let (seq, entry) = try row.decode((Int64, Data).self)
                    return IndexedAuditEntry(index: try PostgresCoding.uint64(seq, "audit_log"), bytes: Array(entry))
                }
        }
    }

    private static func binds(_ values: any PostgresEncodable...) throws -> PostgresBindings {
        var b = PostgresBindings()
        for v in values { try b.append(v) }
        return b
    }
}
