import ArgumentParser
import Foundation
import Hummingbird
import Logging
import RelaisCore
import RelaisServer
import RelaisStorePostgres
import RelaisStoreSQLite
import ServiceLifecycle
import UnixSignals

/// `relais-server --data DIR`: the relay on an embedded SQLite file, 127.0.0.1 by default.
@main
struct RelaisServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relais-server",
        abstract: "Relais relay: stores sealed envelopes and the signed directory, on SQLite (default) or PostgreSQL.",
        version: "0.2.0 (protocol v1)")

    @Option(help: "Data directory: relais.sqlite, relay-key, operator-invite. Created if missing.")
    var data: String = "./relais-data"

    @Option(help: ArgumentHelp("Store on PostgreSQL instead of the embedded SQLite file: postgres://USER@HOST:PORT/DATABASE.",
                               discussion: "The password comes from PGPASSWORD (a URL on a command line is visible to every user). ?host=/socket/folder for a Unix socket, ?sslmode=disable|prefer|require (default: require unless local), ?schema=NAME. Several relays may share one database; each keeps its own --data folder with a copy of the same relay-key."))
    var postgres: String?

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen: String = "127.0.0.1:8443"

    @Option(help: "PEM certificate chain for TLS (with --tls-key). Without it, plain HTTP: put a TLS proxy in front.")
    var tlsCert: String?

    @Option(help: "PEM private key for TLS.")
    var tlsKey: String?

    @Option(help: "Requests per second allowed per device.")
    var rate: Double = 50

    @Option(help: "Seconds after which a connection that sends nothing is closed.")
    var idleTimeout: Double = 30

    @Option(help: "Seconds a request may take to arrive whole, from its first byte; a slower one is closed.")
    var requestTimeout: Double = 60

    @Option(help: "Connections held at once (more wait to be accepted).")
    var maxConnections: Int = 1024

    @Option(help: ArgumentHelp("A reverse proxy's address (repeatable): its X-Forwarded-For names the client for rate limiting.",
                               discussion: "Without it, every client behind a proxy shares the proxy's address, and so the per-address limit of anonymous enrolments."))
    var trustedProxy: [String] = []

    @Option(help: "Seconds between purges of expired envelopes.")
    var purgeInterval: UInt64 = 60

    @Option(help: "HTTP event-loop threads (default: one fewer than the cores, at least 1).")
    var eventLoops: Int?

    @Option(help: ArgumentHelp("Also serve GET /metrics (Prometheus text format) on this address, HOST:PORT. Off by default.",
                               discussion: "Counts and times only, no identifier or personal data; keep it on a private address (127.0.0.1 or the monitoring network): it tells how busy the network is."))
    var metrics: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard Self.hostPort(listen) != nil else { throw ValidationError("--listen must be HOST:PORT, for example 127.0.0.1:8443") }
        if let metrics, Self.hostPort(metrics) == nil { throw ValidationError("--metrics must be HOST:PORT, for example 127.0.0.1:9464") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard rate > 0, rate.isFinite else { throw ValidationError("--rate must be a positive number of requests per second") }
        guard (0.1...86_400).contains(idleTimeout), (0.1...86_400).contains(requestTimeout) else {
            throw ValidationError("--idle-timeout and --request-timeout must be 0.1 to 86400 seconds")
        }
        guard (1...1_000_000).contains(maxConnections) else { throw ValidationError("--max-connections must be 1 to 1000000") }
        if let bad = trustedProxy.first(where: { !RelayConfiguration.isIPAddress($0) }) {
            throw ValidationError("--trusted-proxy takes an IP address, not \(bad)")
        }
        guard purgeInterval <= 86_400 else { throw ValidationError("--purge-interval must be at most 86400 seconds") }
        if let eventLoops, !(1...256).contains(eventLoops) { throw ValidationError("--event-loops must be 1 to 256") }
        if let postgres {
            do { _ = try PostgresEndpoint(url: postgres) } catch { throw ValidationError("--postgres: \(error)") }
        }
    }

    static func hostPort(_ address: String) -> (String, Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        let host = String(address[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host.isEmpty ? nil : (host, port)
    }

    func run() async throws {
        // Everything this process creates (the data folder, relay-key, the SQLite file and its
        // -wal and -shm companions) is for its user only, whatever the folder's mode.
        umask(0o077)
        // Requests signed before this process started are refused, to the second (the nonces the
        // previous process saw died with it): start on a fresh second, so that no request signed
        // before the start shares the second the relay starts in.
        let now = Date().timeIntervalSince1970
        try await Task.sleep(for: .seconds(now.rounded(.down) + 1 - now))
        var logger = Logger(label: "relais-server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var config = RelayConfiguration(dataDirectory: data)
        (config.host, config.port) = Self.hostPort(listen)!
        config.tlsCertificatePath = tlsCert
        config.tlsKeyPath = tlsKey
        config.requestsPerSecond = rate
        config.idleTimeoutSeconds = idleTimeout
        config.requestReadTimeoutSeconds = requestTimeout
        config.maxConnections = maxConnections
        config.trustedProxies = Set(trustedProxy)
        config.purgeIntervalSeconds = max(1, purgeInterval)
        config.eventLoopThreads = eventLoops
        config.postgresURL = postgres
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
        if let metrics, let (metricsHost, metricsPort) = Self.hostPort(metrics) {
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
        (prepared.relay.store as? PostgresRelayStore)?.close()
    }
}

/// Unbuffered, so the invite and the address appear at once even when stdout is a pipe or a file.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
