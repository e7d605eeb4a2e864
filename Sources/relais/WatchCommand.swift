import ArgumentParser
import Dispatch
import Foundation
import RelaisClient
import RelaisCore
#if canImport(Glibc)
import Glibc
#endif

/// `relais watch`: one line per new envelope (the sending organisation, the kind when known, the
/// expiry in local time), never its content; `--exec` runs a command per arrival that learns
/// nothing of it; the relay is asked again with backoff when it cannot be reached; SIGINT and
/// SIGTERM stop it cleanly (exit 0).
struct Watch: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.watchAbstract.text) }
    @OptionGroup var options: ProfileOptions

    @Option(name: .long, help: ArgumentHelp(Message.watchExecHelp.text, valueName: "CMD"))
    var exec: String?

    @Flag(name: .long, help: ArgumentHelp(Message.watchOnceHelp.text))
    var once = false

    /// The command's whole environment: nothing of the envelope, nothing of the profile, no passphrase.
    static func execEnvironment(_ parent: [String: String]) -> [String: String] {
        var env = ["RELAIS_EVENT": "arrival", "PATH": parent["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"]
        for name in ["HOME", "LANG"] { if let value = parent[name] { env[name] = value } }
        return env
    }

    /// One JSON line per arrival (`--json`).
    struct ArrivalLine: Encodable {
        let event = "arrival"
        let envelopeId, organisationId: String
        let organisation: String?
        /// The cover's identifier (`consent`, `childProtectionDeclaration`, `exitProgrammeConsent`) when the relay says it.
        let kind: String?
        let submittedAt, expiresAt: String
    }

    func run() async throws {
        try await guarded {
            let device = UncheckedDevice(device: try options.open())
            let (json, once, exec) = (options.json, once, exec)
            let stopped = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await device.device.watch { event in try await Self.show(event, json: json, once: once, exec: exec) }
                    return false
                }
                group.addTask {
                    await StopSignals.next()
                    return true
                }
                let first = try await group.next() ?? false
                group.cancelAll()
                while !group.isEmpty { _ = try? await group.next() }  // the watch ends on cancellation, whatever it was doing
                return first
            }
            if stopped { Self.note(Message.watchStopped.text) }
        }
    }

    /// Shows one event; false ends the watch (after the first arrival with `--once`).
    static func show(_ event: LocalDevice.WatchEvent, json: Bool, once: Bool, exec: String?) async throws -> Bool {
        switch event {
        case let .watching(waiting):
            note(Message.watchWatching(waiting: waiting).text)
        case let .unreachable(_, retryIn):
            note(Message.watchUnreachable(retryInSeconds: Int(retryIn.components.seconds) + (retryIn.components.attoseconds > 0 ? 1 : 0)).text)
        case .reachable:
            note(Message.watchReachable.text)
        case let .arrival(a):
            if json {
                let line = ArrivalLine(envelopeId: a.envelopeID.hex, organisationId: a.organisationID.hex, organisation: a.organisationName,
                                       kind: a.coverKind?.identifier, submittedAt: LocalTime.iso(a.submittedAt), expiresAt: LocalTime.iso(a.expiresAt))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                FileHandle.standardOutput.write(try encoder.encode(line) + Data("\n".utf8))
            } else {
                let now = UInt64(max(0, Date().timeIntervalSince1970))
                let text = Message.watchArrival(organisation: a.organisationName, kind: a.coverKind?.label(Messages.language), expires: LocalTime.date(a.expiresAt),
                                                expiresIn: LocalTime.expiry(a.expiresAt, now: now)).text
                FileHandle.standardOutput.write(Data((text + "\n").utf8))
            }
            if let exec {
                let status = try await run(exec)
                if status != 0 { note(Message.watchExecFailed(status: status).text) }
            }
            return !once
        }
        return true
    }

    /// Runs `command` by /bin/sh -c, with `execEnvironment` only, no input, its output on stderr; returns its status.
    static func run(_ command: String) async throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.environment = execEnvironment(ProcessInfo.processInfo.environment)
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.standardError
        return try await withCheckedThrowingContinuation { continuation in
            p.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try p.run() } catch { continuation.resume(throwing: error) }
        }
    }

    /// A status line on stderr (stdout keeps the arrivals, for scripts).
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// The profile, handed to the one task that watches while this one waits for it: never used by
/// two tasks at once.
private struct UncheckedDevice: @unchecked Sendable {
    let device: LocalDevice
}

/// SIGINT and SIGTERM, as an event instead of the default end of the process.
enum StopSignals {
    /// Returns at the first SIGINT or SIGTERM, or when the task is cancelled.
    static func next() async {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        for await _ in stream { return }
    }
}
