import Foundation
import PostgresNIO
public import RelaisCore
public import RelaisStore

/// `SharedNonceStore`: several relays behind one load balancer refuse a request replayed to any of them.
extension PostgresRelayStore: SharedNonceStore {
    /// One row per (device, nonce) until it expires; an expired row may be claimed again. The
    /// commit is not waited for on disk (`synchronous_commit = off` for this transaction only): a
    /// crash of the database server can forget the last claims, which reopens a replay window of
    /// at most the relay's clock skew for requests signed just before the crash. Expired rows
    /// go with each purge (`purgeExpired`).
    public func claimNonce(device: DeviceID, nonce: String, expiresAt: UInt64, now: UInt64) async throws -> Bool {
        let expires = StoredInteger.bound(expiresAt), bound = StoredInteger.bound(now)
        return try await transaction("claimNonce") { [self] conn in
            try await conn.run("SET LOCAL synchronous_commit = off", logger: logger)
            return try await !conn.rows("""
                INSERT INTO request_nonces (device_id, nonce, expires_at) VALUES (\(PostgresCoding.bytea(device)), \(nonce), \(expires))
                ON CONFLICT (device_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE request_nonces.expires_at <= \(bound)
                RETURNING 1
                """, logger: logger).isEmpty
        }
    }
}
