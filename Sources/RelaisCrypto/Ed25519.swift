internal import CSodium

/// An Ed25519 public key (32 bytes).
public struct Ed25519PublicKey: Hashable, Sendable {
    public static let byteCount = 32
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws {
        guard bytes.count == Self.byteCount else {
            throw CryptoError.invalidLength("Ed25519 public key", expected: Self.byteCount, got: bytes.count)
        }
        self.bytes = bytes
    }

    /// Verifies a detached signature over exactly `message` (`crypto_sign_verify_detached`, which
    /// rejects non-canonical signatures and small-order keys).
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        ensureSodium()
        guard signature.count == Ed25519PrivateKey.signatureByteCount else { return false }
        return crypto_sign_verify_detached(signature, message, UInt64(message.count), bytes) == 0
    }

    /// Throws `CryptoError.invalidSignature` unless the signature verifies.
    public func verify(_ signature: [UInt8], for message: [UInt8]) throws {
        guard isValidSignature(signature, for: message) else { throw CryptoError.invalidSignature }
    }
}

/// An Ed25519 signing key, kept as its 32-byte seed and libsodium's 64-byte secret key, both in
/// `SecretBytes`.
public final class Ed25519PrivateKey: Sendable {
    public static let seedByteCount = 32
    public static let signatureByteCount = 64

    private let secretKey: SecretBytes
    public let seed: SecretBytes
    public let publicKey: Ed25519PublicKey

    /// Derives the key pair from a 32-byte seed (`crypto_sign_seed_keypair`).
    public init(seed: SecretBytes) throws {
        ensureSodium()
        guard seed.count == Self.seedByteCount else {
            throw CryptoError.invalidLength("Ed25519 seed", expected: Self.seedByteCount, got: seed.count)
        }
        var pk = [UInt8](repeating: 0, count: Ed25519PublicKey.byteCount)
        let sk = SecretBytes(count: Int(crypto_sign_secretkeybytes()), memory: .guarded) { skBuf in
            seed.withUnsafeBytes { s in
                _ = crypto_sign_seed_keypair(&pk, skBuf.bindMemory(to: UInt8.self).baseAddress!,
                                             s.bindMemory(to: UInt8.self).baseAddress!)
            }
        }
        self.seed = seed
        self.secretKey = sk
        self.publicKey = try Ed25519PublicKey(bytes: pk)
    }

    public convenience init(seed: [UInt8]) throws {
        try self.init(seed: SecretBytes(seed, memory: .guarded))
    }

    /// A new key pair from the given randomness.
    public static func generate(using rng: some RandomSource = SystemRandom()) -> Ed25519PrivateKey {
        var s = rng.bytes(seedByteCount)
        defer { wipe(&s) }
        return try! Ed25519PrivateKey(seed: SecretBytes(s, memory: .guarded))
    }

    /// A detached, deterministic Ed25519 signature over exactly `message`.
    public func signature(for message: [UInt8]) -> [UInt8] {
        var sig = [UInt8](repeating: 0, count: Self.signatureByteCount)
        secretKey.withUnsafeBytes { sk in
            _ = crypto_sign_detached(&sig, nil, message, UInt64(message.count), sk.bindMemory(to: UInt8.self).baseAddress!)
        }
        return sig
    }
}
