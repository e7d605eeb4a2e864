internal import CSodium

/// The X25519 form of a device's Ed25519 identity (libsodium's `crypto_sign_ed25519_pk_to_curve25519`
/// and `crypto_sign_ed25519_sk_to_curve25519`): what a key package is sealed to, so that a device
/// can receive one before it has published any prekey (SPEC.md, "Organisation key").
extension X25519PublicKey {
    /// The Montgomery form of an Ed25519 public key. Throws `invalidKey` for a key libsodium
    /// refuses (small order, not on the curve, not in the main subgroup).
    public init(convertingEd25519 key: Ed25519PublicKey) throws {
        ensureSodium()
        var out = [UInt8](repeating: 0, count: Self.byteCount)
        guard crypto_sign_ed25519_pk_to_curve25519(&out, key.bytes) == 0 else {
            throw CryptoError.invalidKey("this Ed25519 key has no X25519 form (small order or not on the curve)")
        }
        try self.init(bytes: out)
    }
}

extension X25519PrivateKey {
    /// The X25519 scalar of an Ed25519 key: SHA-512 of its seed, first 32 bytes, clamped.
    public convenience init(convertingEd25519 key: Ed25519PrivateKey) throws {
        ensureSodium()
        let secretKey = SecretBytes(count: 64, memory: .guarded) { sk in
            key.seed.withUnsafeBytes { seed in sk.copyMemory(from: seed) }
            UnsafeMutableRawBufferPointer(rebasing: sk[32...]).copyBytes(from: key.publicKey.bytes)
        }
        var failed = false
        let scalar = SecretBytes(count: Self.byteCount, memory: .guarded) { out in
            secretKey.withUnsafeBytes { sk in
                failed = crypto_sign_ed25519_sk_to_curve25519(out.bindMemory(to: UInt8.self).baseAddress!,
                                                              sk.bindMemory(to: UInt8.self).baseAddress!) != 0
            }
        }
        if failed { throw CryptoError.libsodium("crypto_sign_ed25519_sk_to_curve25519") }
        try self.init(scalar: scalar)
    }
}
