internal import CSodium

/// SHA-256 (`crypto_hash_sha256`).
public enum SHA256 {
    public static let byteCount = 32

    public static func hash(_ message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { hash($0) }
    }

    public static func hash(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        ensureSodium()
        var out = [UInt8](repeating: 0, count: byteCount)
        _ = crypto_hash_sha256(&out, message.bindMemory(to: UInt8.self).baseAddress, UInt64(message.count))
        return out
    }

    /// Incremental hashing for long inputs (audit log, files).
    public struct Hasher: ~Copyable {
        private var state = crypto_hash_sha256_state()
        public init() {
            ensureSodium()
            crypto_hash_sha256_init(&state)
        }
        public mutating func update(_ bytes: [UInt8]) {
            _ = bytes.withUnsafeBufferPointer { crypto_hash_sha256_update(&state, $0.baseAddress, UInt64($0.count)) }
        }
        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            _ = crypto_hash_sha256_update(&state, bytes.bindMemory(to: UInt8.self).baseAddress, UInt64(bytes.count))
        }
        public consuming func finalize() -> [UInt8] {
            var out = [UInt8](repeating: 0, count: SHA256.byteCount)
            crypto_hash_sha256_final(&state, &out)
            return out
        }
    }
}

/// SHA-512 (`crypto_hash_sha512`).
public enum SHA512 {
    public static let byteCount = 64
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        ensureSodium()
        var out = [UInt8](repeating: 0, count: byteCount)
        _ = crypto_hash_sha512(&out, message, UInt64(message.count))
        return out
    }
}

/// BLAKE2b (`crypto_generichash`), unkeyed or keyed, output 16…64 bytes.
public enum BLAKE2b {
    public static func hash(_ message: [UInt8], outputLength: Int = 32, key: [UInt8] = []) throws -> [UInt8] {
        ensureSodium()
        guard outputLength >= Int(crypto_generichash_bytes_min()), outputLength <= Int(crypto_generichash_bytes_max()) else {
            throw CryptoError.invalidLength("BLAKE2b output (16 to 64 bytes)", expected: 32, got: outputLength)
        }
        guard key.isEmpty || (key.count >= Int(crypto_generichash_keybytes_min()) && key.count <= Int(crypto_generichash_keybytes_max())) else {
            throw CryptoError.invalidLength("BLAKE2b key (none, or 16 to 64 bytes)", expected: 32, got: key.count)
        }
        var out = [UInt8](repeating: 0, count: outputLength)
        let rc = key.withUnsafeBufferPointer { k in
            crypto_generichash(&out, outputLength, message, UInt64(message.count), key.isEmpty ? nil : k.baseAddress, key.count)
        }
        guard rc == 0 else { throw CryptoError.libsodium("crypto_generichash") }
        return out
    }
}

/// HMAC-SHA-256 (`crypto_auth_hmacsha256`, any key length).
public enum HMACSHA256 {
    public static let byteCount = 32

    public static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        key.withUnsafeBytes { authenticate(message, key: $0) }
    }

    public static func authenticate(_ message: [UInt8], key: UnsafeRawBufferPointer) -> [UInt8] {
        ensureSodium()
        var state = crypto_auth_hmacsha256_state()
        var out = [UInt8](repeating: 0, count: byteCount)
        crypto_auth_hmacsha256_init(&state, key.uint8Pointer, key.count)
        crypto_auth_hmacsha256_update(&state, message, UInt64(message.count))
        crypto_auth_hmacsha256_final(&state, &out)
        sodium_memzero(&state, MemoryLayout<crypto_auth_hmacsha256_state>.size)
        return out
    }

    /// Constant-time check of a tag.
    public static func isValid(_ tag: [UInt8], for message: [UInt8], key: [UInt8]) -> Bool {
        constantTimeEqual(authenticate(message, key: key), tag)
    }
}

/// HKDF-SHA-256 (RFC 5869) over HMAC-SHA-256: libsodium 1.0.18 has no HKDF of its own.
public enum HKDFSHA256 {
    /// `PRK = HMAC(salt, IKM)`; an empty salt means 32 zero bytes, as RFC 5869 says.
    public static func extract(salt: [UInt8], inputKeyMaterial ikm: [UInt8]) -> SecretBytes {
        let s = salt.isEmpty ? [UInt8](repeating: 0, count: HMACSHA256.byteCount) : salt
        var prk = HMACSHA256.authenticate(ikm, key: s)
        defer { wipe(&prk) }
        return SecretBytes(prk)
    }

    /// `T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i)`, output the first `length` bytes of T(1) ‖ T(2) ‖ …
    public static func expand(pseudoRandomKey prk: SecretBytes, info: [UInt8], length: Int) throws -> SecretBytes {
        guard length <= 255 * HMACSHA256.byteCount else { throw CryptoError.outputTooLong(length) }
        guard length >= 0 else { throw CryptoError.outputTooLong(length) }
        return SecretBytes(count: length) { out in
            var previous: [UInt8] = []
            var written = 0
            var counter: UInt8 = 1
            while written < length {
                var block = prk.withUnsafeBytes { HMACSHA256.authenticate(previous + info + [counter], key: $0) }
                let n = min(block.count, length - written)
                out.baseAddress!.advanced(by: written).copyMemory(from: block, byteCount: n)
                written += n
                counter &+= 1
                wipe(&previous)
                previous = block
                wipe(&block)
            }
            wipe(&previous)
        }
    }

    public static func deriveKey(inputKeyMaterial ikm: [UInt8], salt: [UInt8], info: [UInt8], length: Int) throws -> SecretBytes {
        try expand(pseudoRandomKey: extract(salt: salt, inputKeyMaterial: ikm), info: info, length: length)
    }

    public static func deriveKey(inputKeyMaterial ikm: SecretBytes, salt: [UInt8], info: [UInt8], length: Int) throws -> SecretBytes {
        var material = ikm.bytes
        defer { wipe(&material) }
        return try deriveKey(inputKeyMaterial: material, salt: salt, info: info, length: length)
    }
}
