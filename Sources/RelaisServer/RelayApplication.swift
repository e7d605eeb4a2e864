import RelaisAPI
import Foundation
public import Hummingbird
public import Logging
import HummingbirdCore
import HummingbirdTLS
import NIOCore
import NIOPosix
import NIOSSL
import OpenAPIHummingbird
public import RelaisCore
public import RelaisCrypto
import RelaisStore
import RelaisStorePostgres
import RelaisStoreSQLite
import Synchronization

private let eventLoopGroups = Mutex<[Int: MultiThreadedEventLoopGroup]>([:])

/// Builds the relay application: data directory, store, keys, router and middleware.
public enum RelayApplication {
    /// What `open` prepared: the relay's rules over its store, and the operator invite to show
    /// once when one was created.
    public struct Prepared: Sendable {
        public let relay: Relay
        public let newOperatorInvite: InviteCode?
    }

    /// Opens (or creates) the data directory and the store (SQLite in the directory, or
    /// PostgreSQL). On first start, writes the relay key and an operator invite, both 0600.
    public static func open(configuration: RelayConfiguration, clock: any RelaisClock = SystemClock(),
                            rng: any RandomSource = SystemRandom(), logger: Logger) async throws -> Prepared {
        let fm = FileManager.default
        try fm.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true,
                               attributes: [.posixPermissions: 0o700])
        let store = try await openStore(configuration: configuration, clock: clock)
        let createdKey = !fm.fileExists(atPath: configuration.relayKeyPath)
        if createdKey {
            // The relay's own Ed25519 key (it will sign audit-log checkpoints).
            var seed = rng.bytes(32)
            defer { wipe(&seed) }
            try writeSecretFile(configuration.relayKeyPath, Hex.encode(seed) + "\n")
        }
        guard let keyText = fm.contents(atPath: configuration.relayKeyPath),
              let seed = Hex.decode(String(decoding: keyText, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)), seed.count == 32 else {
            throw CocoaError(.fileReadCorruptFile)
        }
        let logKey = try Ed25519PrivateKey(seed: seed)
        // The store remembers the key of the relay that created it: another key (a lost or
        // regenerated relay-key, a second relay on the same database without a copy of it) would
        // sign checkpoints of a log it did not keep.
        let pinned = try await store.pinRelayKey(logKey.publicKey.bytes)
        guard pinned == logKey.publicKey.bytes else {
            // A key made just now for a store that already has one is of no use: leave the folder as it was.
            if createdKey { try? fm.removeItem(atPath: configuration.relayKeyPath) }
            throw StartError(description: """
                this store belongs to a relay with another key (\(Hex.encode(Array(SHA256.hash(pinned).prefix(8))))), not the one in \
                \(configuration.relayKeyPath) (\(Hex.encode(Array(SHA256.hash(logKey.publicKey.bytes).prefix(8))))): copy that relay's \
                relay-key into the data folder
                """)
        }
        let relay = Relay(configuration: configuration, store: store, logKey: logKey, clock: clock, rng: rng, logger: logger)
        // Readiness: a write that reached the file after a failure makes the relay ready again.
        (store as? SQLiteRelayStore)?.observeWrites { [metrics = relay.metrics] in metrics.storeWrote() }
        let invite = try await relay.ensureOperatorInvite()
        if let invite {
            try writeSecretFile(configuration.operatorInvitePath, invite.description + "\n")
        }
        return Prepared(relay: relay, newOperatorInvite: invite)
    }

    /// The PostgreSQL store when `postgresURL` is set, otherwise the SQLite file (created 0600,
    /// and so its -wal and -shm files: `SQLiteRelayStore.createPrivately`).
    static func openStore(configuration: RelayConfiguration, clock: any RelaisClock) async throws -> any RelayStore {
        if let url = configuration.postgresURL {
            var endpoint = try PostgresEndpoint(url: url)
            if let password = configuration.postgresPassword { endpoint.password = password }
            return try await PostgresRelayStore(endpoint: endpoint, clock: clock)
        }
        return try SQLiteRelayStore(path: configuration.databasePath, clock: clock)
    }

    /// A start refused for a reason the operator must fix.
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Creates `path` with mode 0600 before writing, so the secret is never readable by others.
    static func writeSecretFile(_ path: String, _ text: String) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) { try fm.removeItem(atPath: path) }
        guard fm.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
    }

    /// The router with every route and middleware.
    public static func router(relay: Relay) throws -> Router<RelayRequestContext> {
        let router = Router(context: RelayRequestContext.self)
        // Middleware before the handlers (STACK-NOTES 8): count, log, then authenticate.
        router.add(middleware: RequestMetricsMiddleware(metrics: relay.metrics))
        router.add(middleware: RequestLogMiddleware(logger: relay.logger))
        router.add(middleware: AuthenticationMiddleware(relay: relay,
                                                        unverifiedBodies: UnverifiedBodyBudget(capacity: relay.configuration.maxUnverifiedBodyBytes)))
        try RelayAPI(relay: relay).registerHandlers(on: router, middlewares: [OpenAPIErrorMiddleware(logger: relay.logger)])
        return router
    }

    /// One event-loop group per thread count, for the life of the process (like NIO's singleton):
    /// relays started one after the other in a process (tests) share it instead of leaking threads.
    static func eventLoopGroup(threads: Int) -> MultiThreadedEventLoopGroup {
        eventLoopGroups.withLock { groups in
            if let group = groups[threads] { return group }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
            groups[threads] = group
            return group
        }
    }

    /// HTTP/1 whose connections are closed when idle or when a request is too slow to arrive
    /// (issue 14, finding 4), with header limits far above the API's needs and far below the defaults.
    static func http1Server(_ config: RelayConfiguration) -> HTTPServerBuilder {
        let http1 = HTTP1Channel.Configuration(idleTimeout: timeAmount(config.idleTimeoutSeconds),
                                               httpDecoderConfiguration: .init(maxHeaderFieldSize: 8 * 1024, maxHeaderListSize: 32 * 1024,
                                                                               maxHeaderFieldCount: 100))
        let readTimeout = timeAmount(config.requestReadTimeoutSeconds)
        return HTTPServerBuilder { responder in
            RequestReadTimeoutChannel(base: HTTP1Channel(responder: responder, configuration: http1), timeout: readTimeout)
        }
    }

    private static func timeAmount(_ seconds: Double) -> TimeAmount {
        .milliseconds(Int64((min(max(0.001, seconds), 86_400) * 1000).rounded()))
    }

    /// The metrics listener (`relais-server --metrics HOST:PORT`): `GET /metrics` in the Prometheus
    /// text format, nothing else. Separate from the API so that it can stay on a private address:
    /// the figures are counts without personal data, but they still tell how busy a network is.
    public static func metricsApplication(relay: Relay, host: String, port: Int,
                                          onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        router.get("/metrics") { _, _ -> Response in
            let body = await relay.metrics.exposition(relay: relay)
            return Response(status: .ok, headers: [.contentType: RelayMetrics.contentType], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        return Application(router: router, server: http1Server(relay.configuration),
                           configuration: .init(address: .hostname(host, port: port), serverName: "relais-metrics",
                                                availableConnectionsDelegate: MaximumAvailableConnections(64)),
                           onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
                           eventLoopGroupProvider: .shared(eventLoopGroup(threads: relay.configuration.eventLoopThreadCount(cores: System.coreCount))),
                           logger: relay.logger)
    }

    /// The Hummingbird application; `onServerRunning` receives the bound port (port 0 picks one).
    public static func application(relay: Relay, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws -> some ApplicationProtocol {
        let config = relay.configuration
        var server = http1Server(config)
        if let certificate = config.tlsCertificatePath, let key = config.tlsKeyPath {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            server = try .tls(server, tlsConfiguration: TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))))
        }
        return Application(router: try router(relay: relay), server: server,
                           configuration: .init(address: .hostname(config.host, port: config.port), serverName: "relais",
                                                availableConnectionsDelegate: MaximumAvailableConnections(config.maxConnections)),
                           onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
                           eventLoopGroupProvider: .shared(eventLoopGroup(threads: config.eventLoopThreadCount(cores: System.coreCount))),
                           logger: relay.logger)
    }
}
