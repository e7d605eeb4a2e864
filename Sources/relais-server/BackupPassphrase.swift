import Foundation
import RelaisCrypto
#if canImport(Glibc)
import Glibc
#endif

/// The passphrase that seals a backup: from `--passphrase-file FILE` (0600 or 0400: refused when
/// its group or others may read it), else the systemd credential `backup-passphrase`
/// (`LoadCredential=`, for a timer), else typed at the terminal with echo off. Never an argument or
/// an environment variable (both are visible to other users), never printed or logged.
enum BackupPassphrase {
    static let minimumLength = 12

    /// `new`: a backup's passphrase, typed twice at a terminal and at least `minimumLength` characters.
    static func read(file: String?, new: Bool) throws -> SecretBytes {
        var bytes = try source(file: file, new: new)
        defer { wipe(&bytes) }
        guard !bytes.isEmpty else { throw BackupRefusal("the backup passphrase is empty") }
        if new, String(decoding: bytes, as: UTF8.self).count < minimumLength {
            throw BackupRefusal("the backup passphrase must have at least \(minimumLength) characters")
        }
        return SecretBytes(bytes)
    }

    private static func source(file: String?, new: Bool) throws -> [UInt8] {
        let credential = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"].map { $0 + "/backup-passphrase" }
        if let path = file ?? credential.flatMap({ FileManager.default.fileExists(atPath: $0) ? $0 : nil }) {
            return try fromFile(path)
        }
        let tty = Glibc.open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard tty >= 0 else { throw BackupRefusal("no terminal to ask the backup passphrase: give --passphrase-file FILE (mode 0600)") }
        close(tty)
        var first = typed("Backup passphrase: ")
        if new {
            var second = typed("Again: ")
            defer { wipe(&second) }
            guard constantTimeEqual(first, second) else {
                wipe(&first)
                throw BackupRefusal("the two passphrases differ")
            }
        }
        return first
    }

    /// glibc's getpass: the terminal device, echo off and back on.
    private static func typed(_ prompt: String) -> [UInt8] {
        guard let line = getpass(prompt) else { return [] }
        let count = strlen(line)
        let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(line).assumingMemoryBound(to: UInt8.self), count: count))
        memset(line, 0, count)
        return bytes
    }

    private static func fromFile(_ path: String) throws -> [UInt8] {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let permissions = (attributes[.posixPermissions] as? NSNumber)?.uint16Value,
              let data = FileManager.default.contents(atPath: path) else {
            throw BackupRefusal("cannot read the passphrase file \(path)")
        }
        guard permissions & 0o077 == 0 else {
            throw BackupRefusal("\(path) may be read by others (mode \(String(permissions & 0o777, radix: 8))): chmod 600 \(path)")
        }
        var bytes = Array(data)
        while bytes.last == 0x0a || bytes.last == 0x0d { bytes.removeLast() }
        return bytes
    }
}
