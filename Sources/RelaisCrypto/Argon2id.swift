internal import CSodium

/// Argon2id key derivation from a passphrase (`crypto_pwhash`, ALG_ARGON2ID13).
public enum Argon2id {
    public static let saltByteCount = 16

    /// Cost parameters, stored beside the salt so a keystore stays openable if defaults change.
    public struct Parameters: Hashable, Sendable, Codable {
        public var opsLimit: UInt64
        public var memLimit: Int
        public init(opsLimit: UInt64, memLimit: Int) {
            self.opsLimit = opsLimit
            self.memLimit = memLimit
        }
        /// libsodium's MODERATE limits (3 passes, 256 MiB): what the CLI's keystores use (0.5–1.3 s
        /// per derivation on the 2-core development machine, BENCHMARKS.md).
        public static var moderate: Parameters {
            ensureSodium()
            return Parameters(opsLimit: UInt64(crypto_pwhash_opslimit_moderate()), memLimit: Int(crypto_pwhash_memlimit_moderate()))
        }
        /// libsodium's INTERACTIVE limits (2 passes, 64 MiB): below what a keystore should use;
        /// the CLI re-keys a keystore made with them.
        public static var interactive: Parameters {
            ensureSodium()
            return Parameters(opsLimit: UInt64(crypto_pwhash_opslimit_interactive()), memLimit: Int(crypto_pwhash_memlimit_interactive()))
        }
        /// The smallest limits libsodium accepts: for tests only.
        public static var minimum: Parameters {
            ensureSodium()
            return Parameters(opsLimit: UInt64(crypto_pwhash_opslimit_min()), memLimit: Int(crypto_pwhash_memlimit_min()))
        }
    }

    public static func deriveKey(passphrase: SecretBytes, salt: [UInt8], length: Int = 32,
                                 parameters: Parameters) throws -> SecretBytes {
        ensureSodium()
        guard salt.count == saltByteCount else {
            throw CryptoError.invalidLength("Argon2id salt", expected: saltByteCount, got: salt.count)
        }
        var rc: Int32 = 0
        let key = SecretBytes(count: length) { out in
            passphrase.withUnsafeBytes { p in
                rc = crypto_pwhash(out.bindMemory(to: UInt8.self).baseAddress!, UInt64(length),
                                   UnsafeRawPointer(p.uint8Pointer).assumingMemoryBound(to: CChar.self), UInt64(p.count), salt,
                                   parameters.opsLimit, parameters.memLimit, crypto_pwhash_ALG_ARGON2ID13)
            }
        }
        guard rc == 0 else { throw CryptoError.libsodium("crypto_pwhash (out of memory or limits out of range)") }
        return key
    }
}
