public import RelaisCrypto

/// Signed API requests (SPEC.md, "Request authentication"). The device signs
///
///     "relais/v1/request" ‖ 0x00 ‖ METHOD "\n" TARGET "\n" TIMESTAMP "\n" NONCE "\n" DEVICE "\n" hex(SHA-256(body))
///
/// where TARGET is the path with its query string as sent, TIMESTAMP decimal Unix seconds, NONCE
/// 32 lowercase hex digits (16 random bytes), DEVICE the device id in hex. The relay refuses a
/// timestamp more than its allowed skew away from its clock and a nonce it has seen within that
/// window, so a captured request cannot be replayed.
public struct RequestSignature: Sendable, Equatable {
    public static let deviceHeader = "Relais-Device"
    public static let timestampHeader = "Relais-Timestamp"
    public static let nonceHeader = "Relais-Nonce"
    public static let signatureHeader = "Relais-Signature"

    public let deviceID: DeviceID
    public let timestamp: UInt64
    public let nonce: String
    public let signature: [UInt8]

    public init(deviceID: DeviceID, timestamp: UInt64, nonce: String, signature: [UInt8]) {
        self.deviceID = deviceID
        self.timestamp = timestamp
        self.nonce = nonce
        self.signature = signature
    }

    public static func canonical(method: String, target: String, timestamp: UInt64, nonce: String, device: DeviceID,
                                 bodyDigest: [UInt8]) -> [UInt8] {
        Array("\(method.uppercased())\n\(target)\n\(timestamp)\n\(nonce)\n\(device.hex)\n\(Hex.encode(bodyDigest))".utf8)
    }

    /// Signs a request for `identity` at `timestamp` with a fresh nonce from `rng`.
    public static func sign(method: String, target: String, body: [UInt8], identity: DeviceIdentity, timestamp: UInt64,
                            rng: some RandomSource) -> RequestSignature {
        let nonce = Hex.encode(rng.bytes(16))
        let message = canonical(method: method, target: target, timestamp: timestamp, nonce: nonce, device: identity.deviceID,
                                bodyDigest: SHA256.hash(body))
        return RequestSignature(deviceID: identity.deviceID, timestamp: timestamp, nonce: nonce,
                                signature: identity.sign(.request, message))
    }

    /// The four header values.
    public var headers: [(name: String, value: String)] {
        [(Self.deviceHeader, deviceID.hex), (Self.timestampHeader, String(timestamp)), (Self.nonceHeader, nonce),
         (Self.signatureHeader, Base64.encode(signature))]
    }

    /// Parses the header values strictly; nil when any is missing or malformed.
    public init?(device: String?, timestamp: String?, nonce: String?, signature: String?) {
        guard let device, let d = DeviceID(hex: device), let t = timestamp.flatMap(Self.parseTimestamp),
              let nonce = nonce.flatMap(Self.parseNonce),
              let signature, let s = Base64.decode(signature), s.count == 64 else { return nil }
        self.init(deviceID: d, timestamp: t, nonce: nonce, signature: s)
    }

    /// `Relais-Timestamp`: decimal Unix seconds in canonical form (no sign, no leading zeros).
    public static func parseTimestamp(_ text: String) -> UInt64? {
        UInt64(text).flatMap { String($0) == text ? $0 : nil }
    }

    /// True when `timestamp` is at most `skew` seconds from `now`, either way. Computed without an
    /// addition that could overflow: a timestamp is any decimal up to 2^64 − 1, read before anything
    /// about the request is authenticated.
    public static func isFresh(timestamp: UInt64, now: UInt64, skew: UInt64) -> Bool {
        max(now, timestamp) - min(now, timestamp) <= skew
    }

    /// `Relais-Nonce`: exactly 32 lowercase hex digits.
    public static func parseNonce(_ text: String) -> String? {
        text.utf8.count == 32 && Hex.decode(text) != nil ? text : nil
    }

    public func isValid(method: String, target: String, body: [UInt8], key: Ed25519PublicKey) -> Bool {
        isValid(method: method, target: target, bodyDigest: SHA256.hash(body), key: key)
    }

    public func isValid(method: String, target: String, bodyDigest: [UInt8], key: Ed25519PublicKey) -> Bool {
        let message = Self.canonical(method: method, target: target, timestamp: timestamp, nonce: nonce, device: deviceID,
                                     bodyDigest: bodyDigest)
        return key.isValidSignature(signature, context: .request, message: message)
    }
}

/// Standard base64 with padding, strict on decode (canonical form only).
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let values: [UInt8: UInt8] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, UInt8($0)) })

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], 61, 61]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], 61]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// nil unless `text` is canonical padded base64 (re-encoding gives the same text).
    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 4 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 4 * 3)
        var i = 0
        while i < chars.count {
            let quad = chars[i..<i + 4]
            let pad = quad.reversed().prefix { $0 == 61 }.count
            guard pad <= 2, i + 4 == chars.count || pad == 0 else { return nil }
            var n: UInt32 = 0
            for (k, c) in quad.enumerated() {
                if k >= 4 - pad { n <<= 6; continue }
                guard let v = values[c] else { return nil }
                n = n << 6 | UInt32(v)
            }
            out.append(UInt8(n >> 16 & 0xff))
            if pad < 2 { out.append(UInt8(n >> 8 & 0xff)) }
            if pad < 1 { out.append(UInt8(n & 0xff)) }
            i += 4
        }
        guard encode(out) == text else { return nil }
        return out
    }
}
