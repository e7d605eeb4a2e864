import Foundation
import RelaisCrypto

/// The sealed backup file of `relais-server backup` (format 1, docs/operating.md «Format du
/// fichier de sauvegarde»):
///
///     "RLSB" ‖ 0x01 ‖ header length (u32, big-endian) ‖ header ‖ chunk 0 ‖ chunk 1 ‖ … ‖ last chunk
///
/// The header is a JSON object (`Header`), readable without the passphrase so that an operator
/// sees a backup's age and content before opening it; it is authenticated with every chunk. The
/// plaintext is the relay key's 32-byte seed followed by the SQLite file, cut into chunks of
/// 65 536 bytes; the last chunk is shorter (possibly empty), so a file ends exactly after it.
/// Chunk i is XChaCha20-Poly1305 under the key Argon2id(passphrase, salt, limits) with the nonce
/// 15 zero bytes ‖ i (u64, big-endian) ‖ 0x01 for the last chunk, 0x00 otherwise, and with every
/// byte before chunk 0 as associated data. The key is new for each file (a fresh salt), so the
/// counter nonces never repeat under one key; the final flag makes a truncation after a full chunk
/// fail, the counter a reordering. Any failure reads as one: wrong passphrase or altered file.
enum BackupFile {
    static let magic: [UInt8] = Array("RLSB".utf8) + [0x01]
    static let chunkSize = 65_536
    static let seedSize = 32

    struct Header: Codable, Equatable {
        /// When the copy was taken, Unix seconds.
        var created: UInt64
        var release: String
        var salt: String
        var argon2id: Argon2id.Parameters
        var envelopes: Int
        var oldestExpiry: UInt64?
        var latestExpiry: UInt64?
        var logSize: UInt64
        /// The first 8 bytes of SHA-256 of the relay's public key, in hex (as the relay names it in its refusals).
        var relayKey: String
    }

    static let opened = BackupRefusal("wrong passphrase, or the backup was altered or cut short: nothing was restored")

    /// Writes `header` and the sealed `seed ‖ database` to a new file at `path`, created 0600 and
    /// refused if it exists; synced before it returns.
    static func write(to path: String, header: Header, key: SecretBytes, seed: [UInt8], database: String) throws {
        let prefix = try headerBytes(header)
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let out = FileHandle(forWritingAtPath: path), let input = FileHandle(forReadingAtPath: database) else {
            throw BackupRefusal("cannot create \(path)")
        }
        defer { try? out.close(); try? input.close() }
        try out.write(contentsOf: prefix)
        let size = (try FileManager.default.attributesOfItem(atPath: database)[.size] as? NSNumber)?.intValue ?? 0
        let total = seedSize + size, chunks = total / chunkSize + 1
        var pending = seed
        for index in 0..<chunks {
            let length = index == chunks - 1 ? total % chunkSize : chunkSize
            while pending.count < length {
                guard let more = try input.read(upToCount: length - pending.count), !more.isEmpty else {
                    throw BackupRefusal("the copy of the store changed size while it was sealed")
                }
                pending += more
            }
            let plain = Array(pending.prefix(length))
            pending.removeFirst(length)
            try out.write(contentsOf: try XChaCha20Poly1305.seal(plain, key: key, nonce: nonce(index, last: index == chunks - 1),
                                                                 associatedData: prefix))
        }
        try out.synchronize()
    }

    /// The header of the file at `path`, unauthenticated yet (`open` authenticates it).
    static func readHeader(_ path: String) throws -> (Header, prefix: [UInt8]) {
        guard let input = FileHandle(forReadingAtPath: path) else { throw BackupRefusal("cannot read \(path)") }
        defer { try? input.close() }
        let start = Array(try input.read(upToCount: magic.count + 4) ?? Data())
        guard start.count == magic.count + 4, Array(start.prefix(magic.count)) == magic else {
            throw BackupRefusal("\(path) is not a relais-server backup (format 1)")
        }
        let length = start.suffix(4).reduce(0) { $0 << 8 | Int($1) }
        guard length <= 4096, let json = try input.read(upToCount: length), json.count == length,
              let header = try? JSONDecoder().decode(Header.self, from: json) else {
            throw BackupRefusal("\(path): the backup's header is malformed")
        }
        // Limits from an unauthenticated header: bounded before any memory is spent on them.
        guard header.argon2id.memLimit <= 4 << 30, header.argon2id.opsLimit <= 64, Data(base64Encoded: header.salt)?.count == Argon2id.saltByteCount else {
            throw BackupRefusal("\(path): the backup's header is malformed")
        }
        return (header, start + Array(json))
    }

    /// Authenticates and decrypts the file at `path` into a new file `database` (0600), returning
    /// the relay key's seed. On any failure `database` is removed and `opened` thrown.
    static func open(_ path: String, key: SecretBytes, prefix: [UInt8], into database: String) throws -> [UInt8] {
        guard let input = FileHandle(forReadingAtPath: path),
              FileManager.default.createFile(atPath: database, contents: nil, attributes: [.posixPermissions: 0o600]),
              let out = FileHandle(forWritingAtPath: database) else {
            throw BackupRefusal("cannot read \(path) or create \(database)")
        }
        var seed: [UInt8] = []
        do {
            defer { try? input.close(); try? out.close() }
            try input.seek(toOffset: UInt64(prefix.count))
            var index: UInt64 = 0
            while true {
                var sealed = Data()
                while sealed.count < chunkSize + XChaCha20Poly1305.tagByteCount,
                      let more = try input.read(upToCount: chunkSize + XChaCha20Poly1305.tagByteCount - sealed.count), !more.isEmpty {
                    sealed += more
                }
                let last = sealed.count < chunkSize + XChaCha20Poly1305.tagByteCount
                var plain = try XChaCha20Poly1305.open(Array(sealed), key: key, nonce: nonce(index, last: last), associatedData: prefix)
                if seed.count < seedSize {
                    let taken = min(seedSize - seed.count, plain.count)
                    seed += plain.prefix(taken)
                    plain.removeFirst(taken)
                }
                try out.write(contentsOf: plain)
                if last { break }
                index += 1
            }
            guard seed.count == seedSize else { throw opened }
            try out.synchronize()
            return seed
        } catch {
            wipe(&seed)
            try? FileManager.default.removeItem(atPath: database)
            throw error is CryptoError ? opened : error
        }
    }

    static func headerBytes(_ header: Header) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = Array(try encoder.encode(header))
        let n = UInt32(json.count)
        return magic + [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + json
    }

    static func nonce(_ index: Int, last: Bool) -> [UInt8] { nonce(UInt64(index), last: last) }

    static func nonce(_ index: UInt64, last: Bool) -> [UInt8] {
        [UInt8](repeating: 0, count: 15) + (0..<8).map { UInt8(index >> (56 - 8 * UInt64($0)) & 0xff) } + [last ? 1 : 0]
    }
}

/// A backup or restore refused for a reason the operator must fix: one line on stderr, exit 1.
struct BackupRefusal: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
