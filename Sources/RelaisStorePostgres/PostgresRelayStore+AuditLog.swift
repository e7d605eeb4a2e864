import Foundation
import NIOCore
import PostgresNIO
import RelaisCore
import RelaisStore

/// `AuditLogStore` and the log sequencer (see `PostgresRelayStore`, "Audit log and its sequencer").
extension PostgresRelayStore {
    /// Appends `entries`, in order, to the pending entries, inside the caller's transaction.
    func appendAudit(_ entries: [AuditEntry], _ conn: PostgresConnection) async throws {
        guard !entries.isEmpty else { return }
        // A directory entry's scope travels as hex text, "-" for none (an array of bytea cannot hold a NULL here).
        let scopes = entries.map { $0.directoryScope.map(Hex.encode) ?? "-" }
        try await conn.run("""
            INSERT INTO audit_pending (entry, leaf_hash, directory_scope)
            SELECT e, h, CASE WHEN s = '-' THEN NULL ELSE decode(s, 'hex') END
            FROM unnest(\(entries.map { ByteBuffer(bytes: $0.bytes) })::bytea[], \(entries.map { ByteBuffer(bytes: $0.leafHash) })::bytea[], \(scopes)::text[])
                WITH ORDINALITY AS t(e, h, s, n)
            ORDER BY n
            """, logger: logger)
    }

    func appendAudit(_ events: AuditEvent..., conn: PostgresConnection) async throws {
        try await appendAudit(events.map { AuditEntry($0) }, conn)
    }

    /// Moves every committed pending entry into the log, in `audit_pending.id` order, with the next
    /// indexes. Sequencers of several relays take turns on the `audit_head` row. Returns how many
    /// entries it appended.
    @discardableResult
    public func sequenceAuditLog() async throws -> Int {
        var total = 0
        while true {
            let hasPending = try await read("sequenceAuditLog") { [self] conn in
                try await conn.one("SELECT EXISTS (SELECT 1 FROM audit_pending)", as: Bool.self, logger: logger)
            }
            guard hasPending else { return total }
            let moved = try await transaction("sequenceAuditLog") { [self] conn in
                let next = try await conn.one("SELECT next_seq FROM audit_head FOR UPDATE", as: Int64.self, logger: logger)
                let moved = try await conn.rows("""
                    WITH moved AS (
                        DELETE FROM audit_pending WHERE id IN (SELECT id FROM audit_pending ORDER BY id LIMIT 10000)
                        RETURNING id, entry, leaf_hash, directory_scope)
                    INSERT INTO audit_log (seq, entry, leaf_hash, directory_scope)
                    SELECT \(next) + row_number() OVER (ORDER BY id) - 1, entry, leaf_hash, directory_scope FROM moved
                    RETURNING seq
                    """, logger: logger).count
                try await conn.run("UPDATE audit_head SET next_seq = next_seq + \(Int64(moved))", logger: logger)
                return moved
            }
            total += moved
            if moved < 10_000 { return total }
        }
    }

    public func auditLogSize() async throws -> UInt64 {
        try await sequenceAuditLog()
        return try await read("auditLogSize") { [self] conn in
            try PostgresCoding.uint64(try await conn.one("SELECT next_seq FROM audit_head", as: Int64.self, logger: logger), "audit_head")
        }
    }

    public func auditEntries(from start: UInt64, count: Int) async throws -> [[UInt8]] {
        try await column("entry", from: start, count: count)
    }

    public func auditLeafHashes(from start: UInt64, count: Int) async throws -> [[UInt8]] {
        try await column("leaf_hash", from: start, count: count)
    }

    private func column(_ name: String, from start: UInt64, count: Int) async throws -> [[UInt8]] {
        try await sequenceAuditLog()
        let lower = Int64(clamping: start)
        let upper = lower.addingReportingOverflow(Int64(max(0, count))).overflow ? Int64.max : lower + Int64(max(0, count))
        return try await read("auditLog") { [self] conn in
            try await conn.all(PostgresQuery(unsafeSQL: "SELECT \(name) FROM audit_log WHERE seq >= $1 AND seq < $2 ORDER BY seq",
                                             binds: try bindings(lower, upper)), as: Data.self, logger: logger).map { Array($0) }
        }
    }

    private func bindings(_ values: Int64...) throws -> PostgresBindings {
        var b = PostgresBindings()
        for v in values { b.append(v) }
        return b
    }
}
