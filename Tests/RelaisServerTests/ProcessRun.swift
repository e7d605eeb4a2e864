import Foundation
import Testing

/// What a program run to its end gave: its exit status, standard output and standard error.
struct ProcessOutput: Sendable {
    let status: Int32
    let out: String
    let err: String

    func json() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], "not a JSON object: \(out)")
    }

    func string(_ key: String) throws -> String { try #require(try json()[key] as? String, "no \(key) in \(out)") }
}

/// Runs `executable` with `arguments` to its end, standard input empty, and returns what it gave.
/// The two outputs are read side by side (standard error on its own thread), so that a program
/// filling one pipe while the test reads the other cannot block both. `environment` nil inherits
/// the test's; `errorsIntoOutput` sends standard error into `out` (`err` stays empty). Blocking:
/// call it from `offCooperativePool` in async code.
func runProcess(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                errorsIntoOutput: Bool = false) throws -> ProcessOutput {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    if let environment { p.environment = environment }
    let out = Pipe()
    // Only a pipe the child was given is closed by Foundation after the spawn: a second pipe
    // created for standard error but not handed over would never reach its end (2cf0a17 did that
    // with `errorsIntoOutput`, and CI waited on it until its 90 minutes ran out).
    let err: Pipe? = errorsIntoOutput ? nil : Pipe()
    p.standardOutput = out
    p.standardError = err ?? out
    p.standardInput = FileHandle.nullDevice
    try p.run()  // Foundation closes the parent's write ends: each read ends at the child's exit.
    let errors = ErrorsReader()
    if let err {
        Thread { errors.finish(err.fileHandleForReading.readDataToEndOfFile()) }.start()
    } else {
        errors.finish(Data())
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return ProcessOutput(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: errors.wait(), as: UTF8.self))
}

/// Standard error, read on its own thread, handed over once.
private final class ErrorsReader: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()  // written once before `done` is signalled, read after

    func finish(_ bytes: Data) {
        data = bytes
        done.signal()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
