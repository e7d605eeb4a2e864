import Foundation
import RelaisClient
import RelaisCrypto
#if canImport(Glibc)
import Glibc
#endif

/// Reads the keystore passphrase (issue 16): from `--passphrase-file FILE` for scripts (refused
/// when group or others may read it), else from RELAIS_PASSPHRASE (for tests and demos only: the
/// environment of a process can be read by others and ends up in shell histories), else from the
/// terminal device `/dev/tty` with echo off, even when standard input is a pipe or a file; echo is
/// restored if the user presses Ctrl-C (or the process is told to stop) at the prompt. Never
/// printed, never logged. A new passphrase (`new: true`, at `init`) must pass `PassphraseStrength`,
/// whichever way it came.
enum Passphrase {
    /// `variable` is the environment variable that may hold it (RELAIS_NEW_PASSPHRASE for a change).
    static func read(prompt: String, new: Bool = false, variable: String = "RELAIS_PASSPHRASE", file: String? = nil) throws -> SecretBytes {
        if let file {
            var bytes = try fromFile(file)
            defer { wipe(&bytes) }
            if new { try requireStrong(String(decoding: bytes, as: UTF8.self), source: "\(file): ") }
            return SecretBytes(bytes)
        }
        if let env = ProcessInfo.processInfo.environment[variable] {
            guard !env.isEmpty else { throw LocalError.usage(Message.passphraseEmpty(variable: variable).text) }
            if new { try requireStrong(env, source: "\(variable): ") }
            return SecretBytes(Array(env.utf8))
        }
        let tty = Glibc.open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard tty >= 0 else { throw LocalError.usage(Message.passphraseNoTerminal(variable: variable).text) }
        defer { close(tty) }
        var first = try readHidden(prompt, tty: tty)
        defer { wipe(&first) }
        if new {
            try requireStrong(String(decoding: first, as: UTF8.self), source: "")
            var second = try readHidden(Message.passphraseRepeatPrompt.text, tty: tty)
            defer { wipe(&second) }
            guard constantTimeEqual(first, second) else { throw LocalError.usage(Message.passphrasesDiffer.text) }
        }
        return SecretBytes(first)
    }

    /// The passphrase in `path`, without its final line break. Refused, before reading, when the
    /// file may be read by its group or by others (mode 0600 or 0400 expected).
    static func fromFile(_ path: String) throws -> [UInt8] {
        // FileManager rather than stat(2): which Clang module owns `struct stat` varies between
        // builds on Linux, and member import visibility then refuses its members in some of them.
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let permissions = (attributes[.posixPermissions] as? NSNumber)?.uint16Value else {
            throw LocalError.notFound(Message.passphraseFileUnreadable(path: path).text)
        }
        let mode = permissions & 0o777
        guard mode & 0o077 == 0 else {
            throw LocalError.usage(Message.passphraseFileExposed(path: path, mode: String(mode, radix: 8)).text)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LocalError.notFound(Message.passphraseFileUnreadable(path: path).text)
        }
        var bytes = Array(data)
        if bytes.last == 0x0a { bytes.removeLast() }
        if bytes.last == 0x0d { bytes.removeLast() }
        guard !bytes.isEmpty else { throw LocalError.usage(Message.passphraseEmpty(variable: path).text) }
        return bytes
    }

    private static func requireStrong(_ passphrase: String, source: String) throws {
        if let why = PassphraseStrength.weakness(passphrase) { throw LocalError.usage(source + why) }
    }

    /// Asks on the terminal `tty` with echo off. Ctrl-C (or SIGTERM, SIGHUP, SIGQUIT) at the prompt
    /// restores the terminal's settings before the process ends as the signal says.
    private static func readHidden(_ prompt: String, tty: Int32) throws -> [UInt8] {
        _ = prompt.utf8CString.withUnsafeBufferPointer { Glibc.write(tty, $0.baseAddress, $0.count - 1) }
        var old = termios()
        guard tcgetattr(tty, &old) == 0 else { throw LocalError.usage(Message.passphraseNoTerminal(variable: "RELAIS_PASSPHRASE").text) }
        var silent = old
        silent.c_lflag &= ~tcflag_t(ECHO)
        TerminalRestore.arm(tty: tty, settings: old)
        tcsetattr(tty, TCSAFLUSH, &silent)
        defer {
            tcsetattr(tty, TCSAFLUSH, &old)
            TerminalRestore.disarm()
            _ = Glibc.write(tty, "\n", 1)
        }
        var bytes: [UInt8] = []
        var c: UInt8 = 0
        while Glibc.read(tty, &c, 1) == 1, c != 0x0a, c != 0x0d {
            bytes.append(c)
        }
        return bytes
    }
}

/// The terminal settings to put back if a signal ends the process while echo is off. Signal
/// handlers cannot capture context: the descriptor and settings are globals, written only while
/// no handler is installed, read only by the handler (tcsetattr is async-signal-safe).
private enum TerminalRestore {
    nonisolated(unsafe) static var tty: Int32 = -1
    nonisolated(unsafe) static var settings = termios()
    static let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    static func arm(tty: Int32, settings: termios) {
        Self.tty = tty
        Self.settings = settings
        for s in signals {
            signal(s) { received in
                tcsetattr(TerminalRestore.tty, TCSANOW, &TerminalRestore.settings)
                _ = Glibc.write(TerminalRestore.tty, "\n", 1)
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    static func disarm() {
        for s in signals { signal(s, SIG_DFL) }
    }
}

/// The Argon2id costs of the CLI's keystores: libsodium's MODERATE (3 passes, 256 MiB, about a
/// second on a 2-core machine), at creation, at a passphrase change, and as the floor under which
/// an opened keystore is re-keyed.
///
/// A debug build, and only a debug build, takes libsodium's minimum instead when
/// RELAIS_INSECURE_TEST_KEYSTORE=1: the test suite runs the binary thousands of times, and two
/// cores spent deriving 256 MiB keys are what made it outgrow CI's time. A keystore made that way
/// is re-keyed to MODERATE the first time it is opened without the variable; a release build
/// (what `packaging/` and the Dockerfile install) ignores it. KeystoreHardeningTests run without it.
enum KeystoreCost {
    static var parameters: Argon2id.Parameters {
        #if DEBUG
        if ProcessInfo.processInfo.environment["RELAIS_INSECURE_TEST_KEYSTORE"] == "1" { return .minimum }
        #endif
        return .moderate
    }
}
