import Foundation
import RelaisCore
public import RelaisCrypto

/// The encrypted file that holds a device's secrets and local store (SPEC.md, "Keystore").
///
///     magic "RLSK" ‖ version u8 = 1 ‖ ops_limit u64 ‖ mem_limit u64 ‖ salt [16] ‖ nonce [24] ‖
///     XChaCha20-Poly1305(key = Argon2id(passphrase, salt, ops_limit, mem_limit), nonce, plaintext,
///                        associated data = every byte before the ciphertext)
///
/// The key is derived once per session (Argon2id is deliberately slow); every write draws a fresh
/// nonce, goes to a temporary file created 0600, is synced, then renamed over the old file, so a
/// crash leaves either the old or the new store. A new salt is drawn when a profile is created or
/// re-keyed to stronger costs (`LocalDevice.open(minimumParameters:)`). Erasing inside the store
/// does not reach older copies of the file: they open with the same passphrase (SPEC.md, "Keystore").
public enum Keystore {
    public static let magic = Array("RLSK".utf8)
    public static let version: UInt8 = 1
    static let headerLength = 4 + 1 + 8 + 8 + 16 + 24

    /// A derived keystore key with the salt and cost parameters it came from.
    public struct Key: Sendable {
        public let salt: [UInt8]
        public let parameters: Argon2id.Parameters
        let key: SecretBytes

        /// Derives a key under a fresh salt.
        public static func derive(passphrase: SecretBytes, parameters: Argon2id.Parameters, rng: some RandomSource = SystemRandom()) throws -> Key {
            let salt = rng.bytes(Argon2id.saltByteCount)
            return Key(salt: salt, parameters: parameters,
                       key: try Argon2id.deriveKey(passphrase: passphrase, salt: salt, parameters: parameters))
        }
    }

    /// Encrypts `plaintext` under `key` with a fresh nonce.
    public static func seal(_ plaintext: [UInt8], key: Key, rng: some RandomSource = SystemRandom()) throws -> [UInt8] {
        let nonce = rng.bytes(XChaCha20Poly1305.nonceByteCount)
        var w = ByteWriter()
        w.write(magic)
        w.write(version)
        w.write(key.parameters.opsLimit)
        w.write(UInt64(key.parameters.memLimit))
        w.write(key.salt)
        w.write(nonce)
        return w.bytes + (try XChaCha20Poly1305.seal(plaintext, key: key.key, nonce: nonce, associatedData: w.bytes))
    }

    /// Decrypts a keystore file and returns the key for later writes. A wrong passphrase and a
    /// tampered file are the same error.
    public static func open(_ file: [UInt8], passphrase: SecretBytes) throws(KeystoreError) -> (plaintext: [UInt8], key: Key) {
        guard file.count >= headerLength + XChaCha20Poly1305.tagByteCount, Array(file[0..<4]) == magic else {
            throw .notAKeystore
        }
        guard file[4] == version else { throw .unsupportedVersion(file[4]) }
        var r = ByteReader(Array(file[5..<headerLength]))
        guard let ops = try? r.readUInt64("ops_limit"), let mem = try? r.readUInt64("mem_limit"),
              let salt = try? r.read(16, "salt"), let nonce = try? r.read(24, "nonce"),
              mem <= 4 * 1024 * 1024 * 1024, ops <= 100 else { throw .notAKeystore }
        let header = Array(file[0..<headerLength])
        let parameters = Argon2id.Parameters(opsLimit: ops, memLimit: Int(mem))
        do {
            let key = try Argon2id.deriveKey(passphrase: passphrase, salt: salt, parameters: parameters)
            let plaintext = try XChaCha20Poly1305.open(Array(file[headerLength...]), key: key, nonce: nonce, associatedData: header)
            return (plaintext, Key(salt: salt, parameters: parameters, key: key))
        } catch {
            throw .wrongPassphrase
        }
    }

    /// Writes `bytes` to `path` atomically with mode 0600.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp-\(UInt32.random(in: 0...UInt32.max))"
        let fd = Foundation.open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw KeystoreError.io(Message.cannotCreate(path: temporary).text) }
        var ok = bytes.withUnsafeBytes { buf in
            var offset = 0
            while offset < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw KeystoreError.io(Message.cannotWrite(path: path).text)
        }
        // Sync the directory so the rename itself survives a crash.
        let dir = Foundation.open((path as NSString).deletingLastPathComponent, O_RDONLY)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }
}

public enum KeystoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAKeystore
    case unsupportedVersion(UInt8)
    case wrongPassphrase
    case io(String)

    public var description: String {
        switch self {
        case .notAKeystore: Message.notAKeystore.text
        case let .unsupportedVersion(v): Message.keystoreVersion(Int(v)).text
        case .wrongPassphrase: Message.wrongPassphrase.text
        case let .io(what): what
        }
    }
}
