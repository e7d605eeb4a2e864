import RelaisCore
import RelaisStore

extension Relay {
    public static let auditPageLimit: UInt64 = 10_000

    func logEntries(start: UInt64, end: UInt64) async throws -> [[UInt8]] {
        _ = try Caller.require([.auditor], to: "read the audit log (auditors only)")
        guard start <= end, end - start <= Self.auditPageLimit else {
            throw RelayError.badRequest("range", "ask for start <= end, at most \(Self.auditPageLimit) entries at a time")
        }
        return try await storeCall { try await store.auditEntries(from: start, count: Int(end - start)) }
    }

    func consistencyProof(from: UInt64, to: UInt64) async throws -> [[UInt8]] {
        // Every enrolled device checks the log at each contact (SPEC.md, "The client's log state"); a proof
        // between two sizes holds only subtree hashes (SHA-256 of entries), never an entry.
        _ = try Caller.require(Caller.everyone, to: "read audit-log consistency proofs")
        do {
            return try await auditLog.consistencyProof(from: from, to: to)
        } catch let e as AuditLogError {
            throw RelayError.badRequest("range", "\(e)")
        }
    }
}

extension Relay {
    /// The current signed checkpoint (what `GET /v1/log/checkpoint` serves).
    public func checkpoint() async throws -> String { try await auditLog.checkpoint() }
}
