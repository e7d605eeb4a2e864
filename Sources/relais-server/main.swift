import ArgumentParser
import Foundation

/// The relay server. The HTTP relay (enrolment, directory, envelopes, audit log) is not built yet:
/// this executable says so instead of pretending to listen.
@main
struct RelaisServer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relais-server",
        abstract: "Relais relay server (not yet implemented in this version).",
        version: "0.1.0 (protocol v1)")

    @Option(help: "Data directory (SQLite database, relay keys).")
    var data: String = "./relais-data"

    func run() throws {
        printError("relais-server 0.1.0: the relay is not implemented yet; only the envelope format (Protocol/SPEC.md) exists.")
        printError("Try `relais demo` to seal and open a referral locally.")
        throw ExitCode(2)
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
