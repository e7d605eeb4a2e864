import ArgumentParser
import Foundation
import Hummingbird
import Logging
import RelaisCore
import RelaisServer
import RelaisStore
import RelaisStorePostgres
import RelaisStoreSQLite
import ServiceLifecycle
import UnixSignals

/// `relais-server [serve] --data DIR`: the relay on an embedded SQLite file, 127.0.0.1 by default;
/// `config check`, `migrate`, `backup` and `restore` for its operator.
@main
struct RelaisServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relais-server",
        abstract: "Relais relay: stores sealed envelopes and the signed directory, on SQLite (default) or PostgreSQL.",
        version: RelaisVersion.description,
        subcommands: [Serve.self, ConfigCommand.self, Migrate.self, Backup.self, Restore.self],
        defaultSubcommand: Serve.self)
}

/// The relay itself (the default subcommand).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the relay (the default: `relais-server --data DIR` is `relais-server serve --data DIR`).")

    @OptionGroup var options: SettingsOptions

    func validate() throws { _ = try options.resolve() }

    func run() async throws {
        let settings = try options.resolve()
        // Everything this process creates (the data folder, relay-key, the SQLite file and its
        // -wal and -shm companions) is for its user only, whatever the folder's mode.
        umask(0o077)
        // Requests signed before this process started are refused, to the second (the nonces the
        // previous process saw died with it): start on a fresh second, so that no request signed
        // before the start shares the second the relay starts in.
        let now = Date().timeIntervalSince1970
        try await Task.sleep(for: .seconds(now.rounded(.down) + 1 - now))
        settings.logFormat.bootstrap()
        var logger = Logger(label: "relais-server")
        logger.logLevel = settings.logLevel
        let config = settings.relayConfiguration
        let prepared = try await RelayApplication.open(configuration: config, logger: logger)
        if let invite = prepared.newOperatorInvite {
            // Shown once; also in DATA/operator-invite (0600) until it is used.
            say("Operator invite (one use, valid 7 days; also saved 0600 in \(config.operatorInvitePath)):")
            say("  \(invite)")
            say("It enrols the operator's device, whose key becomes the root of the directory.")
        }
        let scheme = config.tlsCertificatePath == nil ? "http" : "https", host = config.host
        let app = try RelayApplication.application(relay: prepared.relay) { port in
            say("relais-server listening on \(scheme)://\(host):\(port)")
        }
        var services: [any Service] = [app, PurgeService(relay: prepared.relay)]
        if let metrics = settings.metrics, let (metricsHost, metricsPort) = ServerSettings.hostPort(metrics) {
            services.append(RelayApplication.metricsApplication(relay: prepared.relay, host: metricsHost, port: metricsPort) { port in
                say("relais-server metrics on http://\(metricsHost):\(port)/metrics")
            })
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        if let store = prepared.relay.store as? SQLiteRelayStore {
            // Counts and times only: how group commit batched this run's submits and acknowledgements.
            logger.notice("group commit", metadata: ["statistics": .string(store.groupCommitStatistics.summary)])
        }
        // The store closed cleanly: SQLite's WAL checkpointed into the file, PostgreSQL's pool stopped.
        try prepared.relay.store.close()
    }
}

/// `relais-server config check`: the effective configuration, validated, secrets masked.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Check the relay's configuration.",
                                                    subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the configuration (flags, RELAIS_* variables, --config FILE) and print it, secrets masked.",
            discussion: "Exit 0 and the effective configuration with the source of each value; exit 64 and the reason otherwise. Creates nothing.")

        @OptionGroup var options: SettingsOptions

        func run() throws {
            say(try options.resolve().described)
        }
    }
}

/// Unbuffered, so the invite and the address appear at once even when stdout is a pipe or a file.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
