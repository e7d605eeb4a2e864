import ArgumentParser
import Foundation
import RelaisCore
import RelaisCrypto
import RelaisServer
import RelaisStore
import RelaisStoreSQLite
#if canImport(Glibc)
import Glibc
#endif

/// `relais-server backup --to FILE`: a consistent copy of the SQLite store taken while the relay
/// serves (a process of its own reading the WAL database: `SQLiteRelayStore.snapshot`), with the
/// relay key, sealed under a passphrase (`BackupFile`).
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the SQLite store and the relay key, sealed under a passphrase, while the relay runs.",
        discussion: """
            Run it as the relay's user (the store is readable by it only). The copy is one consistent state of \
            the store: every submit the relay acknowledged before it began is in it. The relay key is inside, \
            sealed under the passphrase (Argon2id, XChaCha20-Poly1305): without both, a restored store cannot \
            be served. A backup holds envelopes past their erasure: delete it once its latest expiry is past \
            (docs/operating.md). On PostgreSQL, use pg_dump or point-in-time recovery and keep relay-key.
            """)

    @OptionGroup var options: SettingsOptions

    @Option(help: "The backup file to create (refused if it exists).")
    var to: String

    @Option(help: "File holding the passphrase (mode 0600). Default: the systemd credential backup-passphrase, else asked at the terminal.")
    var passphraseFile: String?

    func run() throws {
        let config = try options.resolve().relayConfiguration
        guard config.postgresURL == nil else {
            throw BackupRefusal("this relay's store is on PostgreSQL: back it up with pg_dump or point-in-time recovery, and keep a copy of \(config.relayKeyPath) (docs/operating.md)")
        }
        umask(0o077)
        guard !FileManager.default.fileExists(atPath: to) else { throw BackupRefusal("\(to) exists: choose a new name") }
        var seed = try BackupCommands.relaySeed(config.relayKeyPath)
        defer { wipe(&seed) }
        let publicKey = try Ed25519PrivateKey(seed: seed).publicKey.bytes
        let passphrase = try BackupPassphrase.read(file: passphraseFile, new: true)
        // The plain copy stays in the data folder, beside the store it copies, until it is sealed:
        // never on the backup's disk, which may be remote or keep deleted blocks.
        let copy = config.dataDirectory + "/backup-\(getpid()).sqlite"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let summary = try SQLiteRelayStore.snapshot(path: config.databasePath, to: copy)
        if let pinned = summary.relayPublicKey, pinned != publicKey {
            throw BackupRefusal("the store is pinned to another relay key than \(config.relayKeyPath): this folder's relay cannot serve it")
        }
        let salt = SystemRandom().bytes(Argon2id.saltByteCount)
        let limits = Argon2id.Parameters.moderate
        let header = BackupFile.Header(created: UInt64(Date().timeIntervalSince1970), release: RelaisVersion.current,
                                       salt: Data(salt).base64EncodedString(), argon2id: limits, envelopes: summary.envelopes,
                                       oldestExpiry: summary.oldestExpiry, latestExpiry: summary.latestExpiry,
                                       logSize: summary.auditLogSize, relayKey: BackupCommands.keyName(publicKey))
        let key = try Argon2id.deriveKey(passphrase: passphrase, salt: salt, parameters: limits)
        let partial = to + ".partial"
        defer { try? FileManager.default.removeItem(atPath: partial) }
        try BackupFile.write(to: partial, header: header, key: key, seed: seed, database: copy)
        guard !FileManager.default.fileExists(atPath: to) else { throw BackupRefusal("\(to) appeared meanwhile: choose a new name") }
        try FileManager.default.moveItem(atPath: partial, toPath: to)
        try BackupCommands.syncFolder(of: to)
        say("backup written to \(to) (relay key included, sealed under the passphrase)")
        say(BackupCommands.describe(header))
    }
}

/// `relais-server restore --from FILE --data DIR`: puts a backup in place in a stopped relay's folder.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup in place in a stopped relay's data folder.",
        discussion: """
            Refused while a relay has the folder's store open, and when the folder already holds a store or a \
            relay key unless --force (which replaces them). Nothing is written before the whole backup is \
            authenticated, passes SQLite's integrity check and matches its relay key; then the relay key and \
            the store are put in place by renames (0600). The devices that verified the log after the backup \
            was taken will see it shorter than they knew: they report a rollback (docs/operating.md).
            """)

    @OptionGroup var options: SettingsOptions

    @Option(help: "The backup file.")
    var from: String

    @Option(help: "Refuse a backup older than this: days (30), or a number followed by d or h (30d, 12h). Default 30d, the longest life of an envelope.")
    var maxAge = "30d"

    @Flag(help: "Replace the store and relay key already in the folder (they are lost).")
    var force = false

    @Option(help: "File holding the passphrase (mode 0600). Default: the systemd credential backup-passphrase, else asked at the terminal.")
    var passphraseFile: String?

    func validate() throws {
        guard BackupCommands.seconds(maxAge) != nil else { throw ValidationError("--max-age must be a number of days, or of days or hours with d or h (30d, 12h), not \(maxAge)") }
    }

    func run() throws {
        let config = try options.resolve().relayConfiguration
        guard config.postgresURL == nil else {
            throw BackupRefusal("restore puts back a SQLite store; a PostgreSQL store comes back with pg_restore or point-in-time recovery (docs/operating.md)")
        }
        umask(0o077)
        let (header, prefix) = try BackupFile.readHeader(from)
        let age = Int64(Date().timeIntervalSince1970) - Int64(header.created)
        let limit = BackupCommands.seconds(maxAge)!
        guard age <= limit else {
            throw BackupRefusal("this backup was taken \(BackupCommands.date(header.created)), \(age / 86_400) days ago, more than --max-age \(maxAge): what it holds may have been erased since; give a larger --max-age only if that is intended")
        }
        let fm = FileManager.default
        let folder = config.dataDirectory
        try BackupCommands.requireStopped(config, force: force)
        let createdFolder = !fm.fileExists(atPath: folder)
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let restoring = config.databasePath + ".restoring", keyRestoring = config.relayKeyPath + ".restoring"
        var placed = false
        defer {
            try? fm.removeItem(atPath: restoring)
            try? fm.removeItem(atPath: keyRestoring)
            if createdFolder, !placed { try? fm.removeItem(atPath: folder) }
        }
        let passphrase = try BackupPassphrase.read(file: passphraseFile, new: false)
        let key = try Argon2id.deriveKey(passphrase: passphrase, salt: Array(Data(base64Encoded: header.salt) ?? Data()), parameters: header.argon2id)
        var seed = try BackupFile.open(from, key: key, prefix: prefix, into: restoring)
        defer { wipe(&seed) }
        let summary = try SQLiteRelayStore.inspectCopy(path: restoring)
        let publicKey = try Ed25519PrivateKey(seed: seed).publicKey.bytes
        guard summary.relayPublicKey == nil || summary.relayPublicKey == publicKey,
              summary.envelopes == header.envelopes, summary.auditLogSize == header.logSize else {
            throw BackupRefusal("the backup's store does not match its header or its relay key: nothing was restored")
        }
        // Again, now that the folder is about to change: a relay started meanwhile keeps it.
        try BackupCommands.requireStopped(config, force: force)
        guard fm.createFile(atPath: keyRestoring, contents: Data((Hex.encode(seed) + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw BackupRefusal("cannot write \(keyRestoring)")
        }
        // The old store's companions would be read with the new file: a stale -wal replayed onto it.
        for stale in [config.databasePath + "-wal", config.databasePath + "-shm", config.databasePath + "-journal", config.operatorInvitePath] {
            try? fm.removeItem(atPath: stale)
        }
        try BackupCommands.replace(config.relayKeyPath, with: keyRestoring)
        try BackupCommands.replace(config.databasePath, with: restoring)
        try BackupCommands.syncFolder(of: config.databasePath)
        placed = true
        say("restored into \(folder) (store and relay key \(header.relayKey), 0600)")
        say(BackupCommands.describe(header))
        say("the log now has \(summary.auditLogSize) entries: devices that verified a later checkpoint will report a rollback; tell the auditor and the organisations")
    }
}

/// What the two commands share.
enum BackupCommands {
    /// The seed in `relay-key` (hex, one line).
    static func relaySeed(_ path: String) throws -> [UInt8] {
        guard let text = FileManager.default.contents(atPath: path),
              let seed = Hex.decode(String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)), seed.count == 32 else {
            throw BackupRefusal("cannot read the relay key \(path): check --data")
        }
        return seed
    }

    /// How the relay names a key in its refusals: the first 8 bytes of its SHA-256, in hex.
    static func keyName(_ publicKey: [UInt8]) -> String { Hex.encode(Array(SHA256.hash(publicKey).prefix(8))) }

    /// Refuses a folder whose store a relay has open, and one holding a store or a relay key without `force`.
    static func requireStopped(_ config: RelayConfiguration, force: Bool) throws {
        if try SQLiteRelayStore.isInUse(path: config.databasePath) {
            throw BackupRefusal("a relay has the store in \(config.dataDirectory) open: stop it first (systemctl stop relais-server)")
        }
        let present = [config.databasePath, config.relayKeyPath].filter { FileManager.default.fileExists(atPath: $0) }
        if !force, !present.isEmpty {
            throw BackupRefusal("\(config.dataDirectory) already holds \(present.map { ($0 as NSString).lastPathComponent }.joined(separator: " and ")): --force replaces them (they are lost)")
        }
    }

    /// rename(2): the old file, if any, is replaced at once.
    static func replace(_ path: String, with new: String) throws {
        guard rename(new, path) == 0 else { throw BackupRefusal("cannot put \(path) in place (errno \(errno))") }
    }

    /// fsync of the folder holding `path`, so that a rename survives a power loss.
    static func syncFolder(of path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let fd = Glibc.open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = fsync(fd)
    }

    /// `30`, `30d` or `12h` in seconds.
    static func seconds(_ text: String) -> Int64? {
        let unit: Int64 = text.hasSuffix("h") ? 3_600 : 86_400
        guard let n = Int64(text.hasSuffix("h") || text.hasSuffix("d") ? String(text.dropLast()) : text), n >= 0, n < 100_000 else { return nil }
        return n * unit
    }

    static func date(_ seconds: UInt64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }

    /// The backup's content and how long to keep it, for the operator.
    static func describe(_ header: BackupFile.Header) -> String {
        let expiries = header.oldestExpiry.map { oldest in
            "oldest expiry \(date(oldest)), latest expiry \(date(header.latestExpiry ?? oldest)): keep this backup no later than the latest expiry (docs/operating.md)"
        } ?? "no envelope held"
        return "taken \(date(header.created)) by relais-server \(header.release); \(header.envelopes) envelopes, \(expiries); audit log \(header.logSize) entries"
    }
}
