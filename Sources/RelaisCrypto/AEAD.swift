internal import CSodium

/// XChaCha20-Poly1305 (IETF construction, 24-byte nonce): `crypto_aead_xchacha20poly1305_ietf_*`.
/// Output is ciphertext ‖ 16-byte tag.
public enum XChaCha20Poly1305 {
    public static let keyByteCount = 32
    public static let nonceByteCount = 24
    public static let tagByteCount = 16

    public static func seal(_ plaintext: [UInt8], key: SecretBytes, nonce: [UInt8], associatedData: [UInt8]) throws -> [UInt8] {
        try check(key: key, nonce: nonce)
        ensureSodium()
        var out = [UInt8](repeating: 0, count: plaintext.count + tagByteCount)
        var outLen: UInt64 = 0
        let rc = key.withUnsafeBytes { k in
            crypto_aead_xchacha20poly1305_ietf_encrypt(&out, &outLen, plaintext, UInt64(plaintext.count),
                                                      associatedData, UInt64(associatedData.count), nil, nonce,
                                                      k.bindMemory(to: UInt8.self).baseAddress!)
        }
        guard rc == 0 else { throw CryptoError.libsodium("crypto_aead_xchacha20poly1305_ietf_encrypt") }
        return out
    }

    /// Any failure (tag, key, nonce, associated data, truncation) is `authenticationFailure`.
    public static func open(_ sealed: [UInt8], key: SecretBytes, nonce: [UInt8], associatedData: [UInt8]) throws -> [UInt8] {
        try check(key: key, nonce: nonce)
        ensureSodium()
        guard sealed.count >= tagByteCount else { throw CryptoError.authenticationFailure }
        var out = [UInt8](repeating: 0, count: sealed.count - tagByteCount)
        var outLen: UInt64 = 0
        let rc = key.withUnsafeBytes { k in
            crypto_aead_xchacha20poly1305_ietf_decrypt(&out, &outLen, nil, sealed, UInt64(sealed.count),
                                                      associatedData, UInt64(associatedData.count), nonce,
                                                      k.bindMemory(to: UInt8.self).baseAddress!)
        }
        guard rc == 0 else { throw CryptoError.authenticationFailure }
        return out
    }

    private static func check(key: SecretBytes, nonce: [UInt8]) throws {
        guard key.count == keyByteCount else { throw CryptoError.invalidLength("XChaCha20-Poly1305 key", expected: keyByteCount, got: key.count) }
        guard nonce.count == nonceByteCount else { throw CryptoError.invalidLength("XChaCha20-Poly1305 nonce", expected: nonceByteCount, got: nonce.count) }
    }
}

/// ChaCha20-Poly1305 (RFC 8439, 12-byte nonce): `crypto_aead_chacha20poly1305_ietf_*`.
public enum ChaCha20Poly1305 {
    public static let keyByteCount = 32
    public static let nonceByteCount = 12
    public static let tagByteCount = 16

    public static func seal(_ plaintext: [UInt8], key: SecretBytes, nonce: [UInt8], associatedData: [UInt8]) throws -> [UInt8] {
        try check(key: key, nonce: nonce)
        ensureSodium()
        var out = [UInt8](repeating: 0, count: plaintext.count + tagByteCount)
        var outLen: UInt64 = 0
        let rc = key.withUnsafeBytes { k in
            crypto_aead_chacha20poly1305_ietf_encrypt(&out, &outLen, plaintext, UInt64(plaintext.count),
                                                     associatedData, UInt64(associatedData.count), nil, nonce,
                                                     k.bindMemory(to: UInt8.self).baseAddress!)
        }
        guard rc == 0 else { throw CryptoError.libsodium("crypto_aead_chacha20poly1305_ietf_encrypt") }
        return out
    }

    public static func open(_ sealed: [UInt8], key: SecretBytes, nonce: [UInt8], associatedData: [UInt8]) throws -> [UInt8] {
        try check(key: key, nonce: nonce)
        ensureSodium()
        guard sealed.count >= tagByteCount else { throw CryptoError.authenticationFailure }
        var out = [UInt8](repeating: 0, count: sealed.count - tagByteCount)
        var outLen: UInt64 = 0
        let rc = key.withUnsafeBytes { k in
            crypto_aead_chacha20poly1305_ietf_decrypt(&out, &outLen, nil, sealed, UInt64(sealed.count),
                                                     associatedData, UInt64(associatedData.count), nonce,
                                                     k.bindMemory(to: UInt8.self).baseAddress!)
        }
        guard rc == 0 else { throw CryptoError.authenticationFailure }
        return out
    }

    private static func check(key: SecretBytes, nonce: [UInt8]) throws {
        guard key.count == keyByteCount else { throw CryptoError.invalidLength("ChaCha20-Poly1305 key", expected: keyByteCount, got: key.count) }
        guard nonce.count == nonceByteCount else { throw CryptoError.invalidLength("ChaCha20-Poly1305 nonce", expected: nonceByteCount, got: nonce.count) }
    }
}
