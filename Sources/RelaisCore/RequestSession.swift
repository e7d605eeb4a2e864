public import RelaisCrypto

/// Request sessions (SPEC.md, "Request sessions"): a device that sends many requests proves its key
/// once, with a signed `POST /v1/sessions`, and then authenticates each request with an
/// HMAC-SHA-256 under a short-lived session key instead of an Ed25519 signature.
///
/// The session key comes from an X25519 exchange of two ephemeral keys: the device sends its
/// public key in the signed request, the relay answers with its own and a session id, and both
/// derive
///
///     key = HKDF-SHA-256(IKM = X25519(e_device, E_relay), salt = session id (16 bytes),
///                        info = "relais/v1/session-key" ‖ 0x00 ‖ device id ‖ E_device ‖ E_relay, 32 bytes)
///
/// so the key never travels, even over plain HTTP. Each request then carries `Relais-Session`,
/// `Relais-Timestamp`, `Relais-Nonce` and `Relais-MAC` = base64(HMAC-SHA-256(key,
/// "relais/v1/request-mac" ‖ 0x00 ‖ the canonical request of `RequestSignature`)): the same
/// timestamp, nonce and body digest rules, the same replay protection.
public enum RequestSession {
    public static let sessionHeader = "Relais-Session"
    public static let macHeader = "Relais-MAC"

    /// The 32-byte session key (see the type's documentation).
    public static func deriveKey(sharedSecret: SecretBytes, sessionID: SessionID, device: DeviceID,
                                 devicePublicKey: X25519PublicKey, relayPublicKey: X25519PublicKey) throws -> SecretBytes {
        let info = domainSeparated(.sessionKey, device.bytes + devicePublicKey.bytes + relayPublicKey.bytes)
        var ikm = sharedSecret.bytes
        defer { wipe(&ikm) }
        let prk = HKDFSHA256.extract(salt: sessionID.bytes, inputKeyMaterial: ikm)
        return try HKDFSHA256.expand(pseudoRandomKey: prk, info: info, length: 32)
    }

    /// The MAC input: the domain label, a zero byte, then the canonical request.
    public static func macMessage(method: String, target: String, timestamp: UInt64, nonce: String, device: DeviceID,
                                  bodyDigest: [UInt8]) -> [UInt8] {
        domainSeparated(.requestMAC, RequestSignature.canonical(method: method, target: target, timestamp: timestamp, nonce: nonce,
                                                                device: device, bodyDigest: bodyDigest))
    }

    public static func mac(key: SecretBytes, method: String, target: String, timestamp: UInt64, nonce: String, device: DeviceID,
                           bodyDigest: [UInt8]) -> [UInt8] {
        let message = macMessage(method: method, target: target, timestamp: timestamp, nonce: nonce, device: device, bodyDigest: bodyDigest)
        return key.withUnsafeBytes { HMACSHA256.authenticate(message, key: $0) }
    }

    /// The four header values of a request authenticated under `session`.
    public static func headers(session: SessionID, key: SecretBytes, device: DeviceID, method: String, target: String, body: [UInt8],
                               timestamp: UInt64, rng: some RandomSource) -> [(name: String, value: String)] {
        let nonce = Hex.encode(rng.bytes(16))
        let tag = mac(key: key, method: method, target: target, timestamp: timestamp, nonce: nonce, device: device,
                      bodyDigest: SHA256.hash(body))
        return [(sessionHeader, session.hex), (RequestSignature.timestampHeader, String(timestamp)),
                (RequestSignature.nonceHeader, nonce), (macHeader, Base64.encode(tag))]
    }
}

public enum SessionKind {}
/// A request session's id: 16 random bytes chosen by the relay.
public typealias SessionID = Identifier<SessionKind>

/// What a request's authentication headers claim, parsed strictly before anything else about the
/// request is read: either the four request-signature headers or the four session headers
/// (`Relais-Session` present selects the session). The relay checks all of it — the format, the
/// timestamp's freshness, the device or session, the nonce — before it reads a body, and only then
/// verifies the signature or MAC over the body digest.
public enum RequestCredentials: Sendable, Equatable {
    case signature(RequestSignature)
    case session(id: SessionID, timestamp: UInt64, nonce: String, mac: [UInt8])

    /// True when the request names a session (`Relais-Session` present), well-formed or not.
    public static func namesSession(header: (String) -> String?) -> Bool {
        header(RequestSession.sessionHeader) != nil
    }

    /// Parses the headers `header` returns; nil when one of the chosen set is missing or malformed.
    public init?(header: (String) -> String?) {
        let timestamp = header(RequestSignature.timestampHeader), nonce = header(RequestSignature.nonceHeader)
        if let sessionText = header(RequestSession.sessionHeader) {
            guard let id = SessionID(hex: sessionText), let t = timestamp.flatMap(RequestSignature.parseTimestamp),
                  let n = nonce.flatMap(RequestSignature.parseNonce),
                  let mac = header(RequestSession.macHeader).flatMap(Base64.decode), mac.count == HMACSHA256.byteCount else { return nil }
            self = .session(id: id, timestamp: t, nonce: n, mac: mac)
        } else {
            guard let signed = RequestSignature(device: header(RequestSignature.deviceHeader), timestamp: timestamp, nonce: nonce,
                                                signature: header(RequestSignature.signatureHeader)) else { return nil }
            self = .signature(signed)
        }
    }

    public var timestamp: UInt64 {
        switch self {
        case .signature(let s): s.timestamp
        case .session(_, let t, _, _): t
        }
    }

    public var nonce: String {
        switch self {
        case .signature(let s): s.nonce
        case .session(_, _, let n, _): n
        }
    }
}
