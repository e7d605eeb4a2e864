import Foundation
import PostgresNIO
public import RelaisCore
public import RelaisStore

/// `SharedNonceStore`: several relays behind one load balancer refuse a request replayed to any of them.
extension PostgresRelayStore: SharedNonceStore {
    /// One row per (device, nonce) until it expires; an expired row may be claimed again. One
    /// statement, committed (and synced, like every commit of the store) before it answers.
    /// Expired rows go with each purge (`purgeExpired`).
    public func claimNonce(device: DeviceID, nonce: String, expiresAt: UInt64, now: UInt64) async throws -> Bool {
        let expires = StoredInteger.bound(expiresAt), bound = StoredInteger.bound(now)
        return try await read("claimNonce") { [self] conn in
            try await !conn.rows("""
                INSERT INTO request_nonces (device_id, nonce, expires_at) VALUES (\(PostgresCoding.bytea(device)), \(nonce), \(expires))
                ON CONFLICT (device_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE request_nonces.expires_at <= \(bound)
                RETURNING 1
                """, logger: logger).isEmpty
        }
    }
}
