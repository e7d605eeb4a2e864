import Foundation
import GRDB
import RelaisStore

extension SQLiteRelayStore {
    public func auditLogSize() async throws -> UInt64 {
        try await StoreFailure.run("auditLogSize") {
            try pool.read { db in UInt64(try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_log") ?? 0) }
        }
    }

    public func auditEntries(from start: UInt64, count: Int) async throws -> [[UInt8]] {
        try await column("entry", from: start, count: count)
    }

    public func auditLeafHashes(from start: UInt64, count: Int) async throws -> [[UInt8]] {
        try await column("leaf_hash", from: start, count: count)
    }

    private func column(_ name: String, from start: UInt64, count: Int) async throws -> [[UInt8]] {
        try await StoreFailure.run("auditLog") {
            try pool.read { db in
                try Data.fetchAll(db, sql: "SELECT \(name) FROM audit_log WHERE seq >= ? AND seq < ? ORDER BY seq",
                                  arguments: [Int64(clamping: start), Int64(clamping: start) + Int64(max(0, count))]).map { Array($0) }
            }
        }
    }
}
