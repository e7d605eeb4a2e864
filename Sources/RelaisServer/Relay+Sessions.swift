import RelaisCore
import RelaisCrypto

extension Relay {
    /// Opens a request session for the calling device (SPEC.md, "Request sessions"). Only a request
    /// signed with the device key may open one: a session cannot extend itself.
    func createSession(ephemeralPublicKeyHex: String) throws -> (SessionID, X25519PublicKey, expiresAt: UInt64) {
        let caller = try Caller.require(Caller.everyone, to: "open sessions")
        guard !caller.viaSession else {
            throw RelayError.forbidden("session_needs_signature", "a session is opened by a request signed with the device key, not from another session")
        }
        guard let bytes = Hex.decode(ephemeralPublicKeyHex), let devicePublic = try? X25519PublicKey(bytes: bytes) else {
            throw RelayError.badRequest("ephemeral_key", "ephemeralPublicKey must be an X25519 public key in 64 hex digits")
        }
        let relayEphemeral = X25519PrivateKey.generate(using: rng)
        let id = SessionID.random(using: rng)
        let key: SecretBytes
        do {
            let shared = try relayEphemeral.sharedSecret(with: devicePublic)
            key = try RequestSession.deriveKey(sharedSecret: shared, sessionID: id, device: caller.id, devicePublicKey: devicePublic,
                                               relayPublicKey: relayEphemeral.publicKey)
        } catch {
            throw RelayError.badRequest("ephemeral_key", "ephemeralPublicKey is not usable for X25519 (a low-order point)")
        }
        let now = clock.now()
        let expiresAt = now + configuration.sessionLifetimeSeconds
        sessions.open(id, .init(device: caller.id, key: key, expiresAt: expiresAt), now: now)
        return (id, relayEphemeral.publicKey, expiresAt)
    }
}
