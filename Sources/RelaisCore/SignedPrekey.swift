public import RelaisCrypto

/// An X25519 encryption key published by a device and signed by its identity key
/// (SPEC.md, "Signed prekeys"). Envelopes wrap their content key to a recipient's current prekey.
///
/// Layout (137 bytes): `version(1)=0x01 ‖ device_id(16) ‖ prekey_id(8) ‖ x25519_public(32) ‖
/// created_at(u64) ‖ not_after(u64) ‖ signature(64)`, the signature being Ed25519 over
/// `"relais/v1/signed-prekey" ‖ 0x00 ‖` the first 73 bytes.
public struct SignedPrekey: Hashable, Sendable {
    public static let version: UInt8 = 1
    public static let bodyByteCount = 73
    public static let byteCount = 137

    public let deviceID: DeviceID
    public let prekeyID: PrekeyID
    public let publicKey: X25519PublicKey
    public let createdAt: UInt64
    public let notAfter: UInt64
    /// The exact signed bytes, as received (signatures are over bytes, never re-encodings).
    public let encoded: [UInt8]

    /// Signs a new prekey record for `identity`.
    public static func sign(publicKey: X25519PublicKey, identity: DeviceIdentity,
                            createdAt: UInt64, notAfter: UInt64) -> SignedPrekey {
        let body = body(device: identity.deviceID, publicKey: publicKey, createdAt: createdAt, notAfter: notAfter)
        let record = body + identity.sign(.signedPrekey, body)
        return try! SignedPrekey(verifying: record, signer: identity.publicIdentity)
    }

    /// The 73 signed bytes of a version-1 record. `sign` uses it; so do the vectors and tests of
    /// records that are signed but must be refused (a low-order key), which `sign` cannot make.
    public static func body(device: DeviceID, publicKey: X25519PublicKey, createdAt: UInt64, notAfter: UInt64) -> [UInt8] {
        var w = ByteWriter()
        w.write(version)
        w.write(device)
        w.write(PrekeyID(for: publicKey).bytes)
        w.write(publicKey.bytes)
        w.write(createdAt)
        w.write(notAfter)
        return w.bytes
    }

    /// Parses and verifies a record: exact length, version, the signature by `signer` over the
    /// body, the device id, the prekey id derived from the key, a key not of small order
    /// (`X25519PublicKey.lowOrderPoints`), and `created_at < not_after`.
    public init(verifying record: [UInt8], signer: DevicePublicIdentity) throws(PrekeyError) {
        guard record.count == Self.byteCount else { throw .malformed("length \(record.count), expected \(Self.byteCount)") }
        let body = Array(record[0..<Self.bodyByteCount])
        let signature = Array(record[Self.bodyByteCount...])
        // Verify before interpreting anything.
        guard signer.signingKey.isValidSignature(signature, context: .signedPrekey, message: body) else {
            throw .badSignature
        }
        var r = ByteReader(body)
        do {
            guard try r.readByte("version") == Self.version else { throw PrekeyError.malformed("unknown version") }
            let device: DeviceID = try r.readIdentifier("device_id")
            let prekeyID = PrekeyID(unchecked: try r.read(8, "prekey_id"))
            let key = try X25519PublicKey(bytes: try r.read(32, "x25519_public"))
            let created = try r.readUInt64("created_at")
            let notAfter = try r.readUInt64("not_after")
            try r.finish()
            guard device == signer.deviceID else { throw PrekeyError.wrongDevice }
            guard prekeyID == PrekeyID(for: key) else { throw PrekeyError.malformed("prekey_id does not match the key") }
            // A key of small order gives every sender the same all-zero shared secret.
            guard !key.hasLowOrder else { throw PrekeyError.lowOrderKey }
            guard created < notAfter else { throw PrekeyError.malformed("created_at is not before not_after") }
            self.deviceID = device
            self.prekeyID = prekeyID
            self.publicKey = key
            self.createdAt = created
            self.notAfter = notAfter
            self.encoded = record
        } catch let e as PrekeyError {
            throw e
        } catch {
            throw .malformed(String(describing: error))
        }
    }

    /// How far in the future `created_at` may be, for a sender whose clock is behind the recipient's.
    public static let clockTolerance: UInt64 = 3600

    /// True when senders may seal to this prekey at `now`: `created_at ≤ now + 1 h` (clock
    /// tolerance) and `now < not_after`.
    public func isUsable(at now: UInt64) -> Bool { createdAt <= now + Self.clockTolerance && now < notAfter }
}

/// `SHA-256("relais/v1/prekey-id" ‖ 0x00 ‖ x25519_public)[0..<8]`.
public struct PrekeyID: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]
    public init(for key: X25519PublicKey) {
        bytes = Array(SHA256.hash(domainSeparated(.prekeyID, key.bytes))[0..<8])
    }
    init(unchecked bytes: [UInt8]) { self.bytes = bytes }
    public init?(hex: String) {
        guard let b = Hex.decode(hex), b.count == 8 else { return nil }
        bytes = b
    }
    public var description: String { Hex.encode(bytes) }
}

public enum PrekeyError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case badSignature
    case wrongDevice
    /// Validly signed, but a point of small order: nobody can seal to it.
    case lowOrderKey

    public var description: String {
        switch self {
        case .lowOrderKey: "signed prekey is a low-order X25519 key, to which nothing can be sealed"
        case let .malformed(why): "signed prekey is malformed: \(why)"
        case .badSignature: "signed prekey signature does not verify against the device's identity key"
        case .wrongDevice: "signed prekey names another device than its signer"
        }
    }
}
