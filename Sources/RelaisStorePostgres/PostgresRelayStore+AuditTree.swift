import Foundation
import NIOCore
import PostgresNIO
public import RelaisCore
import RelaisStore

/// The audit log's stored tree (`AuditLogStore`, SPEC.md "Storage of the tree"): `audit_tree`
/// holds the subtrees of level 1 and up, `audit_log.leaf_hash` the leaves. Relays on one database
/// may store the same subtree at once: it is a function of the entries, the first one stays.
extension PostgresRelayStore {
    public func auditTreeSize() async throws -> UInt64 {
        try await read("auditTreeSize") { [self] conn in
            try PostgresCoding.uint64(try await conn.one("SELECT tree_size FROM audit_tree_head", as: Int64.self, logger: logger), "audit_tree_head")
        }
    }

    public func auditSubtreeHashes(_ subtrees: [MerkleSubtree]) async throws -> [[UInt8]] {
        let levels = subtrees.map { Int32($0.level) }
        let indexes = subtrees.map { Int64(clamping: $0.index) }
        let rows = try await read("auditSubtreeHashes") { [self] conn in
            // One round trip: leaves from the log, higher levels from the tree, in the order asked.
            try await conn.rows("""
                SELECT CASE WHEN t.level = 0 THEN l.leaf_hash ELSE n.hash END
                FROM unnest(\(levels)::integer[], \(indexes)::bigint[]) WITH ORDINALITY AS t(level, idx, k)
                LEFT JOIN audit_log l ON t.level = 0 AND l.seq = t.idx
                LEFT JOIN audit_tree n ON t.level > 0 AND n.level = t.level AND n.idx = t.idx
                ORDER BY t.k
                """, logger: logger).map { try $0.decode(Data?.self) }
        }
        return try zip(subtrees, rows).map { s, hash in
            guard let hash, hash.count == MerkleHashing.hashByteCount else {
                throw StoreError.database("the audit tree has no hash for \(s): run the relay's sync again, or restore the store")
            }
            return Array(hash)
        }
    }

    public func storeAuditSubtrees(_ nodes: [(MerkleSubtree, [UInt8])], treeSize: UInt64) async throws {
        let size = try StoredInteger.stored(treeSize, "tree size")
        let inner = nodes.filter { $0.0.level > 0 }
        let levels = inner.map { Int32($0.0.level) }
        let indexes = inner.map { Int64(clamping: $0.0.index) }
        let hashes = inner.map { ByteBuffer(bytes: $0.1) }
        try await transaction("storeAuditSubtrees") { [self] conn in
            if !inner.isEmpty {
                try await conn.run("""
                    INSERT INTO audit_tree (level, idx, hash)
                    SELECT * FROM unnest(\(levels)::smallint[], \(indexes)::bigint[], \(hashes)::bytea[])
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
            try await conn.run("UPDATE audit_tree_head SET tree_size = GREATEST(tree_size, \(size))", logger: logger)
        }
    }
}
