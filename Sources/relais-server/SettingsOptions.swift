import ArgumentParser

/// The flags every subcommand that opens the relay's configuration takes. Each one has no default
/// here: a flag not given leaves the key to `RELAIS_*`, then the file, then the default
/// (`ServerSettings`).
struct SettingsOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Configuration file (JSON object whose keys are these flags' names without the dashes). Also RELAIS_CONFIG.",
                               discussion: "Precedence: a flag, then RELAIS_<KEY> (RELAIS_DATA, RELAIS_LOG_FORMAT, ...), then the file, then the default. An unknown key in the file is refused."))
    var config: String?

    @Option(help: "Data directory: relais.sqlite, relay-key, operator-invite. Created if missing. Default: $STATE_DIRECTORY (systemd), else /var/lib/relais.")
    var data: String?

    @Option(help: ArgumentHelp("Store on PostgreSQL instead of the embedded SQLite file: postgres://USER@HOST:PORT/DATABASE.",
                               discussion: "Never with a password (a command line is visible to every user): --postgres-password-file, the systemd credential postgres-password, or PGPASSWORD. ?host=/socket/folder for a Unix socket, ?sslmode=disable|prefer|require (default: require unless local), ?schema=NAME. Several relays may share one database; each keeps its own --data folder with a copy of the same relay-key."))
    var postgres: String?

    @Option(help: "File whose first line is the PostgreSQL password (default: $CREDENTIALS_DIRECTORY/postgres-password when systemd passes it).")
    var postgresPasswordFile: String?

    @Option(help: "Address to listen on, HOST:PORT (default 127.0.0.1:8443).")
    var listen: String?

    @Option(help: "PEM certificate chain for TLS (with --tls-key). Without it, plain HTTP: put a TLS proxy in front. Default: the systemd credentials tls-cert and tls-key.")
    var tlsCert: String?

    @Option(help: "PEM private key file for TLS.")
    var tlsKey: String?

    @Option(help: "Requests per second allowed per device (default 50).")
    var rate: String?

    @Option(help: "Seconds after which a connection that sends nothing is closed (default 30).")
    var idleTimeout: String?

    @Option(help: "Seconds a request may take to arrive whole, from its first byte; a slower one is closed (default 60).")
    var requestTimeout: String?

    @Option(help: "Connections held at once, more wait to be accepted (default 1024).")
    var maxConnections: String?

    @Option(help: ArgumentHelp("A reverse proxy's address (repeatable): its X-Forwarded-For names the client for rate limiting.",
                               discussion: "Without it, every client behind a proxy shares the proxy's address, and so the per-address limit of anonymous enrolments. RELAIS_TRUSTED_PROXY takes a comma-separated list."))
    var trustedProxy: [String] = []

    @Option(help: ArgumentHelp("A witness that cosigns the log's checkpoints, URL=KEY (repeatable): its add-checkpoint prefix and its verifier key (relais-witness key).",
                               discussion: "After each new checkpoint the relay sends it with a consistency proof to every witness, in the background, and serves it with the cosignatures it got. RELAIS_WITNESS takes a comma-separated list."))
    var witness: [String] = []

    @Option(help: "Seconds between purges of expired envelopes (default 60).")
    var purgeInterval: String?

    @Option(help: "HTTP event-loop threads (default: one fewer than the cores, at least 1).")
    var eventLoops: String?

    @Option(help: ArgumentHelp("Also serve GET /metrics (Prometheus text format) on this address, HOST:PORT. Off by default.",
                               discussion: "Counts and times only, no identifier or personal data; keep it on a private address (127.0.0.1 or the monitoring network): it tells how busy the network is."))
    var metrics: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (default info).")
    var logLevel: String?

    @Option(help: "Log format: text, or json (one object a line, for journald or a log collector).")
    var logFormat: String?

    @Option(help: "GET /readyz answers 503 while the data folder has less free space than this: bytes, or with K, M, G (default 256M; 0: not checked; SQLite only).")
    var minFreeSpace: String?

    /// The settings from the flags given, the environment and the file.
    func resolve() throws -> ServerSettings {
        let given: [(String, String?)] = [
            ("data", data), ("postgres", postgres), ("postgres-password-file", postgresPasswordFile), ("listen", listen),
            ("tls-cert", tlsCert), ("tls-key", tlsKey), ("rate", rate), ("idle-timeout", idleTimeout), ("request-timeout", requestTimeout),
            ("max-connections", maxConnections), ("purge-interval", purgeInterval), ("event-loops", eventLoops), ("metrics", metrics),
            ("log-level", logLevel), ("log-format", logFormat), ("min-free-space", minFreeSpace),
        ]
        var flags = Dictionary(uniqueKeysWithValues: given.compactMap { key, value in value.map { (key, [$0]) } })
        if !trustedProxy.isEmpty { flags["trusted-proxy"] = trustedProxy }
        if !witness.isEmpty { flags["witness"] = witness }
        do { return try ServerSettings.resolve(flags: flags, configFile: config) } catch let error as ServerSettings.Invalid {
            throw ValidationError(error.description)
        }
    }
}
