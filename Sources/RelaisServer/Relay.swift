import HTTPTypes
public import Logging
public import RelaisCore
public import RelaisCrypto
public import RelaisStore

/// The relay's rules, independent of HTTP: who may do what, what is valid, what is stored.
/// `RelayAPI` adapts it to the generated OpenAPI interface.
public struct Relay: Sendable {
    public let configuration: RelayConfiguration
    public let store: any RelayStore
    public let clock: any RelaisClock
    let rng: any RandomSource
    public let logger: Logger
    let replayGuard: ReplayGuard
    let rateLimiter: RateLimiter
    /// Requests signed before this second are refused: the replay guard lives in memory
    /// (`relais-server` starts on a fresh second, so none signed earlier shares it).
    let startedAt: UInt64
    let auditLog: AuditLogView
    /// The witnesses' cosignatures of the log's checkpoints (`Relay+Witnesses`).
    let cosignatures: CosignatureCollector
    let parsedConsents = ParsedConsents()
    let sessions = SessionTable()
    /// Requests waiting for their device's inbox (`GET /v1/inbox?wait=`), woken by submits.
    public let inboxWaits: InboxWaits
    /// Counts and times for `relais-server --metrics` (never an id, a key, a name or a payload).
    public let metrics: RelayMetrics

    public init(configuration: RelayConfiguration, store: any RelayStore, logKey: Ed25519PrivateKey, clock: any RelaisClock = SystemClock(),
                rng: any RandomSource = SystemRandom(), logger: Logger) {
        self.auditLog = AuditLogView(store: store, key: logKey)
        self.cosignatures = CosignatureCollector(witnesses: configuration.witnesses, timeoutSeconds: configuration.witnessTimeoutSeconds, logger: logger)
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.rng = rng
        self.logger = logger
        self.replayGuard = ReplayGuard(window: configuration.clockSkewSeconds)
        self.rateLimiter = RateLimiter(rate: configuration.requestsPerSecond, burst: configuration.burst)
        self.inboxWaits = InboxWaits(perDevice: configuration.maxInboxWaitsPerDevice, total: configuration.maxInboxWaits)
        // Not `now − skew`: a request signed before this start could have been received by the
        // previous process, whose nonces died with it (issue 14, finding 3).
        self.startedAt = clock.now()
        self.metrics = RelayMetrics(startedAt: clock.now())
    }

    /// Runs a store call; a store failure becomes a logged 503 (or the store's refusal).
    func storeCall<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            switch error.code {
            case .conflict: throw RelayError.conflict("conflict", error.message)
            case .notFound: throw RelayError.notFound("object")
            case .database:
                logger.error("store failure", metadata: ["error": .string("database"), "kind": .string((error.failure ?? .other).rawValue)])
                metrics.storeFailed(error.failure ?? .other)
                throw RelayError(.serviceUnavailable, "unavailable", "the relay cannot write to its store; retry later")
            }
        }
    }

    /// Verifies an object signed by the calling device; a failure is a 400 with `code`.
    func verifiedFromCaller<T>(_ caller: Caller, _ code: String, _ verify: (DevicePublicIdentity) throws -> T) throws -> T {
        guard let identity = caller.device.identity else { throw RelayError.forbidden("role", "this device has no usable key") }
        do {
            return try verify(identity)
        } catch {
            throw RelayError.badRequest(code, "\(error)")
        }
    }

    /// The operator device, once enrolled.
    func operatorDevice() async throws -> StoredDevice? {
        try await storeCall { try await store.devicesWithoutOrganisation() }.first { $0.role == .operator && $0.status == .active }
    }

    /// Creates the operator invite if the relay has neither an operator nor an unused operator invite.
    /// Returns the code to show once, or nil.
    public func ensureOperatorInvite() async throws -> InviteCode? {
        let existing = try await storeCall { try await store.devicesWithoutOrganisation() }
        if existing.contains(where: { $0.role == .operator }) {
            removeOperatorInviteFile()
            return nil
        }
        let code = InviteCode.generate(anchor: try await inviteAnchor(), using: rng)
        let now = clock.now()
        try await storeCall {
            try await store.createInvite(StoredInvite(id: code.id, secretHash: code.secretHash, organisationID: nil, role: .operator,
                                                      issuedBy: nil, createdAt: now, expiresAt: now + configuration.inviteLifetimeSeconds))
        }
        return code
    }
}

extension StoredDevice {
    var identity: DevicePublicIdentity? {
        (try? Ed25519PublicKey(bytes: publicKey)).map(DevicePublicIdentity.init(signingKey:))
    }
}
