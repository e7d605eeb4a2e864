internal import CSodium

/// The raw XChaCha20 key stream (`crypto_stream_xchacha20`), the stream under
/// `XChaCha20Poly1305`: its first 64-byte block gives the Poly1305 one-time key (bytes 0..<32)
/// and the message is XORed with the stream from byte 64 on.
///
/// Relais never encrypts with it. The test vectors use it to build a body that authenticates
/// under two keys (SPEC.md, "Security considerations": XChaCha20-Poly1305 is not key-committing),
/// which shows that the envelope's frame, not the AEAD, stops such a body.
public enum XChaCha20Stream {
    public static func keystream(key: SecretBytes, nonce: [UInt8], count: Int) throws -> [UInt8] {
        guard key.count == XChaCha20Poly1305.keyByteCount else {
            throw CryptoError.invalidLength("XChaCha20 key", expected: XChaCha20Poly1305.keyByteCount, got: key.count)
        }
        guard nonce.count == XChaCha20Poly1305.nonceByteCount else {
            throw CryptoError.invalidLength("XChaCha20 nonce", expected: XChaCha20Poly1305.nonceByteCount, got: nonce.count)
        }
        ensureSodium()
        var out = [UInt8](repeating: 0, count: count)
        let rc = key.withUnsafeBytes { k in
            crypto_stream_xchacha20(&out, UInt64(count), nonce, k.bindMemory(to: UInt8.self).baseAddress!)
        }
        guard rc == 0 else { throw CryptoError.libsodium("crypto_stream_xchacha20") }
        return out
    }
}
