internal import CSodium

/// An X25519 public key (32 bytes).
public struct X25519PublicKey: Hashable, Sendable {
    public static let byteCount = 32
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws {
        guard bytes.count == Self.byteCount else {
            throw CryptoError.invalidLength("X25519 public key", expected: Self.byteCount, got: bytes.count)
        }
        self.bytes = bytes
    }
}

extension X25519PublicKey {
    /// The u-coordinates of the points of small order (1, 2, 4 or 8) on Curve25519 and its twist,
    /// as libsodium's `has_small_order` lists them (and the Wycheproof x25519 "ZeroSharedSecret"
    /// cases exercise): 0, 1, the two points of order 8, p − 1, and the non-canonical p and p + 1.
    /// Any scalar times one of them is the identity, so a "shared secret" with such a key is
    /// all zeros, known to everyone. Little-endian, as on the wire.
    public static let lowOrderPoints: [[UInt8]] = [
        "0000000000000000000000000000000000000000000000000000000000000000",  // 0 (order 4)
        "0100000000000000000000000000000000000000000000000000000000000000",  // 1 (order 1)
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",  // order 8
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",  // order 8
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // p − 1 (order 2)
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // p, that is 0
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // p + 1, that is 1
    ].map { hex in stride(from: 0, to: 64, by: 2).map { UInt8(hex.dropFirst($0).prefix(2), radix: 16)! } }

    /// True for a key whose every shared secret is all zeros: one of `lowOrderPoints`, with or
    /// without bit 255 set (RFC 7748 §5 ignores that bit when decoding).
    public var hasLowOrder: Bool {
        var masked = bytes
        masked[31] &= 0x7f
        return Self.lowOrderPoints.contains(masked)
    }
}

/// An X25519 private key (32-byte scalar in `SecretBytes`) with its public key.
public final class X25519PrivateKey: Sendable {
    public static let byteCount = 32
    public let secret: SecretBytes
    public let publicKey: X25519PublicKey

    /// Uses `scalar` as the private key (`crypto_scalarmult_base` gives the public key).
    public init(scalar: SecretBytes) throws {
        ensureSodium()
        guard scalar.count == Self.byteCount else {
            throw CryptoError.invalidLength("X25519 private key", expected: Self.byteCount, got: scalar.count)
        }
        var pk = [UInt8](repeating: 0, count: X25519PublicKey.byteCount)
        let rc = scalar.withUnsafeBytes { crypto_scalarmult_base(&pk, $0.bindMemory(to: UInt8.self).baseAddress!) }
        guard rc == 0 else { throw CryptoError.libsodium("crypto_scalarmult_base") }
        secret = scalar
        publicKey = try X25519PublicKey(bytes: pk)
    }

    public convenience init(scalar: [UInt8]) throws { try self.init(scalar: SecretBytes(scalar, memory: .guarded)) }

    /// `crypto_box_seed_keypair`: the private key is the first 32 bytes of SHA-512(seed).
    /// Same result as libsodium's, so a seed is a portable key description.
    public convenience init(seed: [UInt8]) throws {
        guard seed.count == 32 else { throw CryptoError.invalidLength("X25519 seed", expected: 32, got: seed.count) }
        var h = SHA512.hash(seed)
        defer { wipe(&h) }
        try self.init(scalar: SecretBytes(Array(h[0..<32]), memory: .guarded))
    }

    public static func generate(using rng: some RandomSource = SystemRandom()) -> X25519PrivateKey {
        var s = rng.bytes(byteCount)
        defer { wipe(&s) }
        return try! X25519PrivateKey(scalar: SecretBytes(s, memory: .guarded))
    }

    /// Raw X25519 (`crypto_scalarmult`). Throws `invalidKey` when the result is all zeros
    /// (a small-order peer key), which libsodium refuses.
    public func sharedSecret(with peer: X25519PublicKey) throws -> SecretBytes {
        var failed = false
        let out = SecretBytes(count: 32) { o in
            secret.withUnsafeBytes { s in
                failed = crypto_scalarmult(o.bindMemory(to: UInt8.self).baseAddress!,
                                           s.bindMemory(to: UInt8.self).baseAddress!, peer.bytes) != 0
            }
        }
        if failed { throw CryptoError.invalidKey("X25519 peer key has small order") }
        return out
    }
}

/// Anonymous public-key encryption to an X25519 key, byte-compatible with libsodium's
/// `crypto_box_seal`: `epk ‖ crypto_box_easy(m, nonce = BLAKE2b-192(epk ‖ pk), pk, esk)`.
///
/// Sealing takes the RNG so that the ephemeral key (and thus the output) is reproducible in test
/// vectors; the tests check that `crypto_box_seal_open` opens it and that this type opens
/// `crypto_box_seal`'s output.
public enum SealedBox {
    public static let overhead = 48  // 32-byte ephemeral key + 16-byte MAC

    public static func seal(_ message: SecretBytes, to recipient: X25519PublicKey,
                            using rng: some RandomSource = SystemRandom()) throws -> [UInt8] {
        try message.withUnsafeBytes { try seal($0, to: recipient, using: rng) }
    }

    public static func seal(_ message: [UInt8], to recipient: X25519PublicKey,
                            using rng: some RandomSource = SystemRandom()) throws -> [UInt8] {
        try message.withUnsafeBytes { try seal($0, to: recipient, using: rng) }
    }

    static func seal(_ message: UnsafeRawBufferPointer, to recipient: X25519PublicKey,
                     using rng: some RandomSource) throws -> [UInt8] {
        ensureSodium()
        var seed = rng.bytes(32)
        defer { wipe(&seed) }
        var epk = [UInt8](repeating: 0, count: 32)
        var esk = [UInt8](repeating: 0, count: 32)
        defer { wipe(&esk) }
        guard crypto_box_seed_keypair(&epk, &esk, seed) == 0 else { throw CryptoError.libsodium("crypto_box_seed_keypair") }
        let nonce = try BLAKE2b.hash(epk + recipient.bytes, outputLength: Int(crypto_box_noncebytes()))
        var boxed = [UInt8](repeating: 0, count: message.count + Int(crypto_box_macbytes()))
        guard crypto_box_easy(&boxed, message.uint8Pointer, UInt64(message.count), nonce, recipient.bytes, esk) == 0 else {
            throw CryptoError.invalidKey("X25519 recipient key has small order")
        }
        return epk + boxed
    }

    /// libsodium's own `crypto_box_seal` (system randomness), for interoperability checks.
    public static func sealWithLibsodium(_ message: [UInt8], to recipient: X25519PublicKey) throws -> [UInt8] {
        ensureSodium()
        var out = [UInt8](repeating: 0, count: message.count + overhead)
        guard crypto_box_seal(&out, message, UInt64(message.count), recipient.bytes) == 0 else {
            throw CryptoError.invalidKey("X25519 recipient key has small order")
        }
        return out
    }

    /// `crypto_box_seal_open`. Any failure is `CryptoError.authenticationFailure`.
    public static func open(_ sealed: [UInt8], with key: X25519PrivateKey) throws -> SecretBytes {
        ensureSodium()
        guard sealed.count >= overhead else { throw CryptoError.authenticationFailure }
        var ok = false
        let plain = SecretBytes(count: sealed.count - overhead) { out in
            key.secret.withUnsafeBytes { sk in
                ok = crypto_box_seal_open(out.bindMemory(to: UInt8.self).baseAddress!, sealed, UInt64(sealed.count),
                                          key.publicKey.bytes, sk.bindMemory(to: UInt8.self).baseAddress!) == 0
            }
        }
        guard ok else { throw CryptoError.authenticationFailure }
        return plain
    }
}
