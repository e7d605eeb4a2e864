/// The audit log as stored: entries appended by every state change, in the same transaction.
public protocol AuditLogStore: Sendable {
    /// Number of entries (the next index).
    func auditLogSize() async throws -> UInt64
    /// The exact entry bytes of indexes `start ..< start + count` (fewer at the end of the log).
    func auditEntries(from start: UInt64, count: Int) async throws -> [[UInt8]]
    /// The RFC 9162 leaf hashes of the same range.
    func auditLeafHashes(from start: UInt64, count: Int) async throws -> [[UInt8]]
}
