import Foundation
import GRDB
public import RelaisCore
import RelaisStore

/// The audit log's stored tree (`AuditLogStore`, SPEC.md "Storage of the tree"): `audit_tree`
/// holds the subtrees of level 1 and up, `audit_log.leaf_hash` the leaves.
extension SQLiteRelayStore {
    public func auditTreeSize() async throws -> UInt64 {
        try await StoreFailure.run("auditTreeSize") {
            try pool.read { db in
                guard let v = try Int64.fetchOne(db, sql: "SELECT tree_size FROM audit_tree_head"), let size = UInt64(exactly: v) else {
                    throw SQLiteCoding.corrupt("audit_tree_head")
                }
                return size
            }
        }
    }

    public func auditSubtreeHashes(_ subtrees: [MerkleSubtree]) async throws -> [[UInt8]] {
        try await StoreFailure.run("auditSubtreeHashes") {
            try pool.read { db in
                let leaf = try db.cachedStatement(sql: "SELECT leaf_hash FROM audit_log WHERE seq = ?")
                let node = try db.cachedStatement(sql: "SELECT hash FROM audit_tree WHERE level = ? AND idx = ?")
                return try subtrees.map { s in
                    let found = s.level == 0
                        ? try Data.fetchOne(leaf, arguments: [Int64(clamping: s.index)])
                        : try Data.fetchOne(node, arguments: [s.level, Int64(clamping: s.index)])
                    guard let found, found.count == MerkleHashing.hashByteCount else {
                        throw StoreError.database("the audit tree has no hash for \(s): run the relay's sync again, or restore the store")
                    }
                    return Array(found)
                }
            }
        }
    }

    public func storeAuditSubtrees(_ nodes: [(MerkleSubtree, [UInt8])], treeSize: UInt64) async throws {
        let size = try SQLiteCoding.stored(treeSize, "tree size")
        try await StoreFailure.run("storeAuditSubtrees") {
            // Not group commit: the submit path never waits for the tree (`StoredAuditTree`).
            try await pool.write { db in
                let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO audit_tree (level, idx, hash) VALUES (?, ?, ?)")
                for (s, hash) in nodes where s.level > 0 {
                    try insert.execute(arguments: [s.level, Int64(clamping: s.index), Data(hash)])
                }
                try db.execute(sql: "UPDATE audit_tree_head SET tree_size = MAX(tree_size, ?)", arguments: [size])
            }
        }
    }
}
