import ArgumentParser
import Foundation
import Hummingbird
import Logging
import RelaisCore
import RelaisCrypto
import RelaisServer
import ServiceLifecycle
import UnixSignals

/// `relais-witness`: a witness for Relais logs (c2sp.org/tlog-witness; SPEC.md, "Witnesses";
/// docs/operating.md). It cosigns a log's checkpoint only once it verified the log's signature and
/// the consistency with the last checkpoint it cosigned, and keeps the forks it is shown.
@main
struct RelaisWitnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relais-witness",
        abstract: "Witness for Relais audit logs: cosigns checkpoints that extend the last one it cosigned (C2SP tlog-witness).",
        version: RelaisVersion.description,
        subcommands: [Serve.self, Key.self, EvidenceCommand.self],
        defaultSubcommand: Serve.self)
}

struct WitnessOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Data folder: witness-key (0600), witness-state.json, witness-evidence.json.", valueName: "DIR"))
    var data: String
    @Option(help: ArgumentHelp("The witness's name, e.g. witness.example.org/w1 (its cosignatures' key name).", valueName: "NAME"))
    var name: String

    func validate() throws {
        guard CheckpointVerifierKey.isValidName(name) else { throw ValidationError("--name \"\(name)\": a key name has no space, '+' or control character") }
    }
}

/// Serves `POST /add-checkpoint` (the default subcommand).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the witness.")
    @OptionGroup var options: WitnessOptions
    @Option(name: .customLong("log"), help: ArgumentHelp("A log's verifier key (relais-server prints it; /v1/relay's logVerifierKey). Repeat for several logs.", valueName: "KEY"))
    var logs: [String] = []
    @Option(help: ArgumentHelp("Address to listen on.", valueName: "HOST:PORT"))
    var listen = "127.0.0.1:7380"

    func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("name at least one log with --log KEY") }
        for key in logs {
            do { _ = try CheckpointVerifierKey(parsing: key) } catch { throw ValidationError("--log: \(error)") }
        }
        guard hostPort != nil else { throw ValidationError("--listen \"\(listen)\" is not HOST:PORT") }
    }

    var hostPort: (String, Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        return (String(listen[..<colon]), port)
    }

    func run() async throws {
        umask(0o077)
        let witness = try Witness(directory: options.data, name: options.name, logs: try logs.map { try CheckpointVerifierKey(parsing: $0) })
        let logger = Logger(label: "relais-witness")
        say("relais-witness \(witness.cosigner)")
        let (host, port) = hostPort!
        let app = WitnessApplication.application(witness: witness, host: host, port: port, logger: logger) { port in
            say("relais-witness listening on http://\(host):\(port)")
        }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Prints the witness's verifier key (made on first use), for the relay's and the clients' configuration.
struct Key: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the witness's verifier key (creating its key on first use).")
    @OptionGroup var options: WitnessOptions

    func run() throws {
        umask(0o077)
        let key = try Witness.loadOrCreateKey(directory: options.data)
        say(try CosignerKey(name: options.name, publicKey: key.publicKey).encoded)
    }
}

/// Prints the forks and rollbacks the witness refused (JSON), or nothing.
struct EvidenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evidence", abstract: "Print the evidence of forks and rollbacks this witness refused (JSON).")
    @Option(help: ArgumentHelp("Data folder.", valueName: "DIR")) var data: String

    func run() throws {
        guard FileManager.default.fileExists(atPath: Witness.evidencePath(data)) else { return }
        FileHandle.standardOutput.write(try Data(contentsOf: URL(fileURLWithPath: Witness.evidencePath(data))))
    }
}

/// Unbuffered, so the key and the address appear at once even when stdout is a pipe.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
