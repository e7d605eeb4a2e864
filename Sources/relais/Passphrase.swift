import Foundation
import RelaisClient
import RelaisCrypto
#if canImport(Glibc)
import Glibc
#endif

/// Reads the keystore passphrase: from RELAIS_PASSPHRASE for automation, otherwise from the
/// terminal with echo off. Never printed, never logged. A new passphrase (`new: true`, at `init`)
/// must pass `PassphraseStrength`, whichever way it came.
enum Passphrase {
    /// `variable` is the environment variable that may hold it (RELAIS_NEW_PASSPHRASE for a change).
    static func read(prompt: String, new: Bool = false, variable: String = "RELAIS_PASSPHRASE") throws -> SecretBytes {
        if let env = ProcessInfo.processInfo.environment[variable] {
            guard !env.isEmpty else { throw LocalError.usage("\(variable) is empty") }
            if new { try requireStrong(env, source: "\(variable): ") }
            return SecretBytes(Array(env.utf8))
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw LocalError.usage("no terminal to ask for the passphrase: set \(variable)")
        }
        var first = try readHidden(prompt)
        defer { wipe(&first) }
        if new {
            try requireStrong(String(decoding: first, as: UTF8.self), source: "")
            var second = try readHidden("Repeat passphrase: ")
            defer { wipe(&second) }
            guard constantTimeEqual(first, second) else { throw LocalError.usage("the two passphrases differ") }
        }
        return SecretBytes(first)
    }

    private static func requireStrong(_ passphrase: String, source: String) throws {
        if let why = PassphraseStrength.weakness(passphrase) { throw LocalError.usage(source + why) }
    }

    private static func readHidden(_ prompt: String) throws -> [UInt8] {
        FileHandle.standardError.write(Data(prompt.utf8))
        var old = termios()
        tcgetattr(STDIN_FILENO, &old)
        var silent = old
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &old)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        var bytes: [UInt8] = []
        var c: UInt8 = 0
        while Foundation.read(STDIN_FILENO, &c, 1) == 1, c != 0x0a, c != 0x0d {
            bytes.append(c)
        }
        return bytes
    }
}
