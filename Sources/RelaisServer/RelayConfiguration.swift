import RelaisCore

/// Everything an operator can tune, with the defaults of DESIGN.md.
public struct RelayConfiguration: Sendable {
    /// Folder holding `relais.sqlite` (unless `postgresURL` is set), `relay-key` and, until used,
    /// `operator-invite`.
    public var dataDirectory: String
    public var host: String = "127.0.0.1"
    /// 0 picks a free port (tests).
    public var port: Int = 8443
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?

    /// Largest JSON request body.
    public var maxJSONBodyBytes = 64 * 1024
    /// Largest envelope (header ‖ body): the 4 MiB size class plus headers for many recipients.
    public var maxEnvelopeBytes = 4 * 1024 * 1024 + 64 * 1024
    public var maxRecipients = 64
    /// Largest body of a route without a device signature (`POST /v1/enrolments`: a few hundred bytes).
    public var maxPublicBodyBytes = 16 * 1024
    /// Bytes of bodies being read before their signature or MAC could be checked, all requests
    /// together (`UnverifiedBodyBudget`): past it, a request is answered 503 instead of being read.
    public var maxUnverifiedBodyBytes = 64 * 1024 * 1024
    /// Connections held at once; more wait in the listen backlog.
    public var maxConnections = 1024
    /// A connection that sends nothing for this long (no request started, or none after the last
    /// answer) is closed.
    public var idleTimeoutSeconds: Double = 30
    /// A request must arrive whole within this long of its first byte (`RequestReadTimeoutHandler`):
    /// a slow or half-sent request is closed then. Long enough for a 4 MiB envelope on a slow link.
    public var requestReadTimeoutSeconds: Double = 60
    public var defaultLifetimeSeconds: UInt64 = 14 * 86_400
    public var maxLifetimeSeconds: UInt64 = 30 * 86_400
    public var inviteLifetimeSeconds: UInt64 = 7 * 86_400
    /// Token bucket per device; per device and client address before a request is verified; per
    /// client address for unauthenticated enrolment requests.
    public var requestsPerSecond: Double = 50
    public var burst: Int = 100
    /// Addresses of reverse proxies whose `X-Forwarded-For` names the client for rate limiting
    /// (`--trusted-proxy`); without one, every client behind a proxy shares the proxy's address.
    public var trustedProxies: Set<String> = []
    /// How far a request timestamp may be from the relay clock.
    public var clockSkewSeconds: UInt64 = 120
    /// Lifetime of a request session (SPEC.md, "Request sessions").
    public var sessionLifetimeSeconds: UInt64 = 900
    public var inboxPageLimit = 500
    /// The longest inbox wait (`GET /v1/inbox?wait=`); the relay also keeps it 5 s under
    /// `requestReadTimeoutSeconds`, whose deadline runs until the answer starts (`inboxWaitBoundSeconds`).
    public var maxInboxWaitSeconds: Double = 50
    /// Inbox waits held at once per device (429 `too_many_waiters` beyond) and in all (503 `busy` beyond).
    public var maxInboxWaitsPerDevice = 4
    public var maxInboxWaits = 512
    /// `/readyz` answers 503 while the data folder's file system has less free space than this
    /// (SQLite only; 0: not checked). The default leaves room for a few thousand 4 MiB envelopes'
    /// worth of write-ahead log before SQLite itself runs out.
    public var minFreeSpaceBytes: Int64 = 256 * 1024 * 1024
    /// Witnesses asked to cosign each new checkpoint (`--witness URL=KEY`; SPEC.md, "Witnesses"),
    /// and how long one may take to answer.
    public var witnesses: [WitnessEndpoint] = []
    public var witnessTimeoutSeconds: Double = 5
    /// How often expired envelopes are purged (and the database compacted).
    public var purgeIntervalSeconds: UInt64 = 60
    /// Threads of the HTTP event loops; nil: one fewer than the cores, at least one, so that the
    /// single SQLite writer of group commit keeps a core (BENCHMARKS.md: on 2 cores, one loop gave
    /// +15 % fetch+ack and fewer context switches per request than two).
    public var eventLoopThreads: Int?

    /// The PostgreSQL store's URL (`PostgresEndpoint`); nil: the embedded SQLite file in
    /// `dataDirectory`, which then holds only the relay key and the operator invite.
    public var postgresURL: String?
    /// The PostgreSQL password when it comes from a file or a systemd credential (`relais-server
    /// --postgres-password-file`); nil: the URL's, else `PGPASSWORD`.
    public var postgresPassword: String?

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    public var databasePath: String { dataDirectory + "/relais.sqlite" }
    public var relayKeyPath: String { dataDirectory + "/relay-key" }
    public var operatorInvitePath: String { dataDirectory + "/operator-invite" }

    /// True when `text` is an IPv4 or IPv6 address (what `trustedProxies` holds).
    public static func isIPAddress(_ text: String) -> Bool { RelayRequestContext.clientKey(address: text) != nil }

    /// How long an inbox wait may last at most on this relay.
    public var inboxWaitBoundSeconds: Double { max(0, min(maxInboxWaitSeconds, requestReadTimeoutSeconds - 5)) }

    /// `eventLoopThreads`, or its default for `cores`.
    public func eventLoopThreadCount(cores: Int) -> Int { eventLoopThreads ?? max(1, cores - 1) }
}
