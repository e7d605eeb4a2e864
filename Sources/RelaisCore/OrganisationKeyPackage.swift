public import RelaisCrypto

/// The organisation key sealed to one device and signed by the device that gives it (SPEC.md,
/// "Organisation key"). The relay stores it and cannot read it (sealed to the target's identity
/// key in its X25519 form) nor make one (signed by a device of the organisation).
///
/// Layout (217 bytes): `body(153) ‖ signature(64)`, body =
/// `version(1)=0x01 ‖ organisation_id(16) ‖ giver_device_id(16) ‖ target_device_id(16) ‖
/// key_id(16) ‖ created_at(u64) ‖ ephemeral_public(32) ‖ wrapped_key(48)`; the signature is
/// Ed25519 by the giver over `"relais/v1/organisation-key-package" ‖ 0x00 ‖ body`.
public struct OrganisationKeyPackage: Sendable, Equatable {
    public static let version: UInt8 = 1
    public static let byteCount = 217
    public static let bodyByteCount = 153
    /// The body bytes before `wrapped_key`: the associated data of the wrapping.
    static let headerByteCount = 105
    /// A fresh key per package: the nonce may be fixed.
    static let wrapNonce = [UInt8](repeating: 0, count: XChaCha20Poly1305.nonceByteCount)

    public let organisationID: OrganisationID
    public let giverDeviceID: DeviceID
    public let targetDeviceID: DeviceID
    public let keyID: OrganisationKeyID
    public let createdAt: UInt64
    public let ephemeralPublic: X25519PublicKey
    public let wrappedKey: [UInt8]
    /// The exact bytes, as signed and received.
    public let encoded: [UInt8]

    /// `HKDF-SHA-256(IKM = X25519(e, T), salt = empty, info = "relais/v1/organisation-key-wrap" ‖ 0x00 ‖ E ‖ T, L = 32)`.
    static func wrapKey(shared: SecretBytes, ephemeral: X25519PublicKey, target: X25519PublicKey) throws -> SecretBytes {
        try HKDFSHA256.deriveKey(inputKeyMaterial: shared, salt: [],
                                 info: domainSeparated(.organisationKeyWrap, ephemeral.bytes + target.bytes), length: 32)
    }

    /// Seals `key` to `target` and signs it as `giver` (which must be a device of the key's organisation).
    public static func seal(_ key: OrganisationKey, from giver: DeviceIdentity, to target: DevicePublicIdentity, createdAt: UInt64,
                            rng: some RandomSource) throws -> OrganisationKeyPackage {
        let targetX = try X25519PublicKey(convertingEd25519: target.signingKey)
        let ephemeral = X25519PrivateKey.generate(using: rng)
        var w = ByteWriter()
        w.write(version)
        w.write(key.organisation)
        w.write(giver.deviceID)
        w.write(target.deviceID)
        w.write(key.id.bytes)
        w.write(createdAt)
        w.write(ephemeral.publicKey.bytes)
        let wrapKey = try wrapKey(shared: try ephemeral.sharedSecret(with: targetX), ephemeral: ephemeral.publicKey, target: targetX)
        let wrapped = try XChaCha20Poly1305.seal(key.secret.bytes, key: wrapKey, nonce: wrapNonce, associatedData: w.bytes)
        w.write(wrapped)
        let body = w.bytes
        return try! OrganisationKeyPackage(verifying: body + giver.sign(.organisationKeyPackage, body), giver: giver.publicIdentity)
    }

    /// The giver a package names, before verification: to look its key up, then `init(verifying:giver:)`.
    public static func unverifiedGiver(of bytes: [UInt8]) throws(OrganisationKeyError) -> DeviceID {
        guard bytes.count == byteCount else { throw .malformed("length \(bytes.count), expected \(byteCount)") }
        return DeviceID(unchecked: Array(bytes[17..<33]))
    }

    /// Parses and verifies a package: exact length, the signature by `giver` over the body (before
    /// anything else is read), the version, and that it names `giver`. Does not open it.
    public init(verifying bytes: [UInt8], giver: DevicePublicIdentity) throws(OrganisationKeyError) {
        guard bytes.count == Self.byteCount else { throw .malformed("length \(bytes.count), expected \(Self.byteCount)") }
        let body = Array(bytes[0..<Self.bodyByteCount])
        guard giver.signingKey.isValidSignature(Array(bytes[Self.bodyByteCount...]), context: .organisationKeyPackage, message: body) else {
            throw .badSignature
        }
        var r = ByteReader(body)
        do {
            guard try r.readByte("version") == Self.version else { throw OrganisationKeyError.malformed("unknown version") }
            organisationID = try r.readIdentifier("organisation_id")
            giverDeviceID = try r.readIdentifier("giver_device_id")
            targetDeviceID = try r.readIdentifier("target_device_id")
            keyID = OrganisationKeyID(unchecked: try r.read(16, "key_id"))
            createdAt = try r.readUInt64("created_at")
            ephemeralPublic = try X25519PublicKey(bytes: try r.read(32, "ephemeral_public"))
            wrappedKey = try r.read(48, "wrapped_key")
            try r.finish()
        } catch let e as OrganisationKeyError {
            throw e
        } catch {
            throw .malformed(String(describing: error))
        }
        guard giverDeviceID == giver.deviceID else { throw .malformed("the package names another giver than its signer") }
        encoded = bytes
    }

    /// Opens the package as `recipient`: it must be the target; the wrapped key must open and match `key_id`.
    public func open(as recipient: DeviceIdentity) throws(OrganisationKeyError) -> OrganisationKey {
        guard targetDeviceID == recipient.deviceID else { throw .wrongTarget }
        let key: OrganisationKey
        do {
            let mine = try X25519PrivateKey(convertingEd25519: recipient.privateKey)
            let wrapKey = try Self.wrapKey(shared: try mine.sharedSecret(with: ephemeralPublic), ephemeral: ephemeralPublic, target: mine.publicKey)
            var plain = try XChaCha20Poly1305.open(wrappedKey, key: wrapKey, nonce: Self.wrapNonce,
                                                   associatedData: Array(encoded[0..<Self.headerByteCount]))
            defer { wipe(&plain) }
            key = try OrganisationKey(organisation: organisationID, secret: SecretBytes(plain, memory: .guarded))
        } catch {
            throw .unwrapFailed
        }
        guard key.id == keyID else { throw .keyIDMismatch }
        return key
    }
}
