public import RelaisCrypto

/// A device's long-term Ed25519 identity. The device id is derived from the public key:
/// `SHA-256("relais/v1/device-id" ‖ 0x00 ‖ public key)[0..<16]`.
public struct DevicePublicIdentity: Hashable, Sendable {
    public let signingKey: Ed25519PublicKey
    public let deviceID: DeviceID

    public init(signingKey: Ed25519PublicKey) {
        self.signingKey = signingKey
        self.deviceID = Self.deviceID(for: signingKey)
    }

    public static func deviceID(for key: Ed25519PublicKey) -> DeviceID {
        DeviceID(unchecked: Array(SHA256.hash(domainSeparated(.deviceID, key.bytes))[0..<16]))
    }

    /// The 30-digit fingerprint of this device (SPEC.md, "Fingerprints").
    public var fingerprint: Fingerprint { Fingerprint(of: signingKey) }
}

/// A device's private identity: the Ed25519 signing key.
public struct DeviceIdentity: Sendable {
    public let privateKey: Ed25519PrivateKey
    public let publicIdentity: DevicePublicIdentity

    public init(privateKey: Ed25519PrivateKey) {
        self.privateKey = privateKey
        self.publicIdentity = DevicePublicIdentity(signingKey: privateKey.publicKey)
    }

    public static func generate(using rng: some RandomSource = SystemRandom()) -> DeviceIdentity {
        DeviceIdentity(privateKey: .generate(using: rng))
    }

    public var deviceID: DeviceID { publicIdentity.deviceID }

    /// Signs `context ‖ 0x00 ‖ message`.
    public func sign(_ context: DomainSeparation, _ message: [UInt8]) -> [UInt8] {
        privateKey.signature(for: domainSeparated(context, message))
    }
}

extension Ed25519PublicKey {
    /// Verifies a signature made by `DeviceIdentity.sign(context, message)`.
    public func isValidSignature(_ signature: [UInt8], context: DomainSeparation, message: [UInt8]) -> Bool {
        isValidSignature(signature, for: domainSeparated(context, message))
    }
}
