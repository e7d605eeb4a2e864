public import AsyncHTTPClient
import NIOCore
public import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import RelaisAPI
public import RelaisCore
public import RelaisCrypto

/// A typed client of the relay API. With an identity, every request is signed; without, only the
/// public operations (relay info, invite redemption) work.
public struct RelayClient: Sendable {
    let client: Client
    public let identity: DeviceIdentity?
    let maxEnvelopeBytes = 4 * 1024 * 1024 + 64 * 1024
    let session = SessionHolder()
    let rng: any RandomSource

    /// `timeoutSeconds` bounds each request, connecting included: AsyncHTTPClient tries again to
    /// connect to a relay that refuses until then.
    public init(relay: URL, identity: DeviceIdentity?, clock: any RelaisClock = SystemClock(), rng: any RandomSource = SystemRandom(),
                httpClient: HTTPClient = .shared, timeoutSeconds: Int64 = 60) {
        self.identity = identity
        self.rng = rng
        var middlewares: [any ClientMiddleware] = []
        if let identity {
            middlewares.append(SigningMiddleware(identity: identity, clock: clock, rng: rng, maxBodyBytes: 4 * 1024 * 1024 + 64 * 1024,
                                                 session: session))
        }
        client = Client(serverURL: relay, transport: AsyncHTTPClientTransport(configuration: .init(client: httpClient, timeout: .seconds(timeoutSeconds))),
                        middlewares: middlewares)
    }

    // MARK: public

    public struct RelayInfo: Sendable, Equatable {
        public let operatorPublicKey: Ed25519PublicKey?
        public let time: UInt64
        public let maxEnvelopeBytes: Int
        public let maxRecipients: Int
        public let defaultLifetimeSeconds: UInt64
        public let maxLifetimeSeconds: UInt64
        /// The C2SP verifier key of the audit-log checkpoints.
        public let logVerifierKey: String?
    }

    public func relayInfo() async throws -> RelayInfo {
        switch try await client.getRelayInfo() {
        case let .ok(ok):
            let b = try ok.body.json
            let key = try b.operatorPublicKey.map { hex in
                guard let bytes = Hex.decode(hex), let k = try? Ed25519PublicKey(bytes: bytes) else {
                    throw ClientError.verification(Message.relayMalformed(.operatorKey).text)
                }
                return k
            }
            return RelayInfo(operatorPublicKey: key, time: UInt64(max(0, b.time)), maxEnvelopeBytes: Int(b.limits.maxEnvelopeBytes),
                             maxRecipients: b.limits.maxRecipients, defaultLifetimeSeconds: UInt64(b.limits.defaultLifetimeSeconds),
                             maxLifetimeSeconds: UInt64(b.limits.maxLifetimeSeconds), logVerifierKey: b.logVerifierKey)
        case let other: throw Self.failure(other)
        }
    }

    /// Opens a request session (SPEC.md, "Request sessions"): the requests that follow are
    /// authenticated by a MAC under the session key instead of an Ed25519 signature, until the
    /// session nears its end or the relay forgets it; then they are signed again. Returns the
    /// session (for tools that build their own requests, such as `relais-load`).
    @discardableResult
    public func openSession() async throws -> OpenedSession {
        guard let identity else { throw ClientError.verification(Message.demoCheck(.sessionNeedsIdentity).text) }
        let ephemeral = X25519PrivateKey.generate(using: rng)
        switch try await client.createSession(body: .json(.init(ephemeralPublicKey: Hex.encode(ephemeral.publicKey.bytes)))) {
        case let .created(created):
            let b = try created.body.json
            guard let id = SessionID(hex: b.sessionId), let bytes = Hex.decode(b.relayEphemeralPublicKey),
                  let relayPublic = try? X25519PublicKey(bytes: bytes), let shared = try? ephemeral.sharedSecret(with: relayPublic) else {
                throw ClientError.verification(Message.relayMalformed(.sessionAnswer).text)
            }
            let key = try RequestSession.deriveKey(sharedSecret: shared, sessionID: id, device: identity.deviceID,
                                                   devicePublicKey: ephemeral.publicKey, relayPublicKey: relayPublic)
            let opened = OpenedSession(id: id, key: key, expiresAt: UInt64(max(0, b.expiresAt)))
            session.set(opened)
            return opened
        case let other: throw Self.failure(other)
        }
    }

    public struct DeviceStatus: Sendable, Equatable {
        public let deviceID: DeviceID
        public let status: String
        public let role: DeviceRole
        public let organisationID: OrganisationID?
    }

    /// Redeems `invite` for `device` (a fresh identity). For the operator invite, pass the
    /// self-signed operator record.
    public func enrol(invite: InviteCode, device: DeviceIdentity, record: SignedObject? = nil) async throws -> DeviceStatus {
        let body = Components.Schemas.EnrolmentRequest(
            invite: invite.description, publicKey: Hex.encode(device.privateKey.publicKey.bytes),
            proof: Base64.encode(EnrolmentProof.sign(invite: invite.id, identity: device)), record: record.map(Self.schema))
        switch try await client.redeemInvite(body: .json(body)) {
        case let .created(r): return try Self.status(r.body.json)
        case let other: throw Self.failure(other)
        }
    }

    // MARK: signed

    public struct DeviceEntry: Sendable, Equatable {
        public let deviceID: DeviceID
        public let status: String
        public let role: DeviceRole
        public let organisationID: OrganisationID?
        public let publicKey: [UInt8]
        public let record: SignedObject?
        public let revocation: SignedObject?
        public let signedPrekey: [UInt8]?
        /// The log indexes of the audit entries carrying `record`, `revocation` and `signedPrekey`,
        /// as the relay says (SPEC.md, "Directory records"): the client checks each.
        public var recordLogIndex: UInt64? = nil
        public var revocationLogIndex: UInt64? = nil
        public var signedPrekeyLogIndex: UInt64? = nil
    }

    public func whoAmI() async throws -> DeviceEntry {
        switch try await client.whoAmI() {
        case let .ok(r): return try Self.entry(r.body.json)
        case let other: throw Self.failure(other)
        }
    }

    public func putOrganisation(_ signed: SignedObject) async throws {
        switch try await client.putOrganisation(body: .json(Self.schema(signed))) {
        case .created: return
        case let other: throw Self.failure(other)
        }
    }

    /// Organisation records, each with the log index of its audit entry as the relay says.
    public func organisations(category: PartnerCategory? = nil, departement: String? = nil) async throws -> [(signed: SignedObject, logIndex: UInt64?)] {
        switch try await client.listOrganisations(query: .init(category: category.flatMap { Components.Schemas.PartnerCategory(rawValue: $0.rawValue) }, departement: departement)) {
        case let .ok(r): return try r.body.json.organisations.map { (try Self.signedObject($0), $0.logIndex.flatMap(UInt64.init(exactly:))) }
        case let other: throw Self.failure(other)
        }
    }

    public func devices(organisation: OrganisationID) async throws -> [DeviceEntry] {
        switch try await client.listDevices(path: .init(organisationId: organisation.hex)) {
        case let .ok(r): return try r.body.json.devices.map(Self.entry)
        case let other: throw Self.failure(other)
        }
    }

    public func device(_ id: DeviceID) async throws -> DeviceEntry {
        switch try await client.getDevice(path: .init(deviceId: id.hex)) {
        case let .ok(r): return try Self.entry(r.body.json)
        case let other: throw Self.failure(other)
        }
    }

    public func createInvite(role: DeviceRole, organisation: OrganisationID? = nil, lifetimeSeconds: UInt64? = nil) async throws -> (code: InviteCode, expiresAt: UInt64) {
        guard let r = Components.Schemas.InviteRequest.RolePayload(rawValue: role.rawValue) else {
            throw ClientError.verification(Message.demoCheck(.inviteRole).text)
        }
        let body = Components.Schemas.InviteRequest(role: r, organisationId: organisation?.hex, lifetimeSeconds: lifetimeSeconds.map { Int64($0) })
        switch try await client.createInvite(body: .json(body)) {
        case let .created(c):
            let b = try c.body.json
            guard let code = InviteCode(b.invite) else { throw ClientError.verification(Message.relayMalformed(.invite).text) }
            return (code, UInt64(max(0, b.expiresAt)))
        case let other: throw Self.failure(other)
        }
    }

    public struct PendingEnrolment: Sendable, Equatable {
        public let deviceID: DeviceID
        public let publicKey: Ed25519PublicKey
        public let role: DeviceRole
        public let organisationID: OrganisationID?
        public let inviteID: InviteID
        public let requestedAt: UInt64
    }

    public func pendingEnrolments() async throws -> [PendingEnrolment] {
        switch try await client.listPendingEnrolments() {
        case let .ok(r):
            return try r.body.json.enrolments.map { e in
                guard let d = DeviceID(hex: e.deviceId), let kb = Hex.decode(e.publicKey), let k = try? Ed25519PublicKey(bytes: kb),
                      let role = DeviceRole(rawValue: e.role.rawValue), let invite = InviteID(hex: e.inviteId),
                      DevicePublicIdentity(signingKey: k).deviceID == d else {
                    throw ClientError.verification(Message.relayMalformed(.pendingEnrolment).text)
                }
                return PendingEnrolment(deviceID: d, publicKey: k, role: role, organisationID: e.organisationId.flatMap(OrganisationID.init(hex:)),
                                        inviteID: invite, requestedAt: UInt64(max(0, e.requestedAt)))
            }
        case let other: throw Self.failure(other)
        }
    }

    public func approve(_ device: DeviceID, record: SignedObject) async throws -> DeviceStatus {
        switch try await client.approveDevice(path: .init(deviceId: device.hex), body: .json(Self.schema(record))) {
        case let .ok(r): return try Self.status(r.body.json)
        case let other: throw Self.failure(other)
        }
    }

    public func revoke(_ device: DeviceID, revocation: SignedObject) async throws -> DeviceStatus {
        switch try await client.revokeDevice(path: .init(deviceId: device.hex), body: .json(Self.schema(revocation))) {
        case let .ok(r): return try Self.status(r.body.json)
        case let other: throw Self.failure(other)
        }
    }

    public func publishPrekey(_ prekey: SignedPrekey) async throws {
        switch try await client.publishPrekey(body: .json(.init(signedPrekey: Base64.encode(prekey.encoded)))) {
        case .noContent: return
        case let other: throw Self.failure(other)
        }
    }

    /// Submits an envelope; `duplicate` when the relay already had exactly these bytes (a retry).
    public func submit(_ envelope: [UInt8]) async throws -> (envelopeID: EnvelopeID, duplicate: Bool) {
        func result(_ r: Components.Schemas.SubmitResponse) throws -> (EnvelopeID, Bool) {
            guard let id = EnvelopeID(hex: r.envelopeId) else { throw ClientError.verification(Message.relayMalformed(.envelopeID).text) }
            return (id, r.duplicate)
        }
        switch try await client.submitEnvelope(body: .binary(HTTPBody(envelope))) {
        case let .created(r): return try result(r.body.json)
        case let .ok(r): return try result(r.body.json)
        case let other: throw Self.failure(other)
        }
    }

    public struct InboxItem: Sendable, Equatable {
        public let envelopeID: EnvelopeID
        public let senderDeviceID: DeviceID
        public let senderOrganisationID: OrganisationID
        public let size: Int
        public let submittedAt: UInt64
        public let expiresAt: UInt64
        /// What the relay says covers it (from the cleartext header): informative only, the
        /// sealed referral is checked on opening; nil when the relay does not say or names a kind
        /// this version does not know.
        public var coverKind: ConsentReference.Kind? = nil
    }

    public func inbox(limit: Int? = nil) async throws -> [InboxItem] {
        try await inboxPage(limit: limit).items
    }

    public func fetch(_ id: EnvelopeID) async throws -> [UInt8] {
        switch try await client.fetchEnvelope(path: .init(envelopeId: id.hex)) {
        case let .ok(r): return try await [UInt8](collecting: r.body.binary, upTo: maxEnvelopeBytes)
        case let other: throw Self.failure(other)
        }
    }

    /// Returns whether the relay deleted the envelope (every addressed device acknowledged).
    public func acknowledge(_ id: EnvelopeID) async throws -> Bool {
        switch try await client.acknowledgeEnvelope(path: .init(envelopeId: id.hex)) {
        case let .ok(r): return try r.body.json.deleted
        case let other: throw Self.failure(other)
        }
    }

    /// What the relay says became of an envelope this organisation sent (informative only: the
    /// relay could lie about it, and nothing is decided on it). Nil when the relay no longer knows
    /// the envelope (purged after expiry) or it is another organisation's.
    public func envelopeStatus(_ id: EnvelopeID) async throws -> EnvelopeStatus? {
        switch try await client.getEnvelopeStatus(path: .init(envelopeId: id.hex)) {
        case let .ok(r):
            let b = try r.body.json
            return EnvelopeStatus(addressed: b.addressed, delivered: b.delivered, acknowledged: b.acknowledged,
                                 deletedAt: b.deletedAt.map { UInt64(max(0, $0)) }, expiresAt: UInt64(max(0, b.expiresAt)))
        case .notFound: return nil
        case let other: throw Self.failure(other)
        }
    }

    // MARK: consent

    public func putConsent(_ signed: SignedObject) async throws {
        switch try await client.putConsent(body: .json(Self.schema(signed))) {
        case .created: return
        case let other: throw Self.failure(other)
        }
    }

    /// Returns how many envelopes the relay deleted and how many organisations it notified.
    public func withdrawConsent(_ id: ConsentID, withdrawal: SignedObject) async throws -> (deleted: Int, notified: Int) {
        switch try await client.withdrawConsent(path: .init(consentId: id.hex), body: .json(Self.schema(withdrawal))) {
        case let .ok(r):
            let b = try r.body.json
            return (b.deletedEnvelopes, b.notifiedOrganisations)
        case let other: throw Self.failure(other)
        }
    }

    public func putDeclaration(_ signed: SignedObject) async throws {
        switch try await client.putDeclaration(body: .json(Self.schema(signed))) {
        case .created: return
        case let other: throw Self.failure(other)
        }
    }

    public func notices() async throws -> [SignedObject] {
        switch try await client.listNotices() {
        case let .ok(r): return try r.body.json.withdrawals.map(Self.signedObject)
        case let other: throw Self.failure(other)
        }
    }

    // MARK: audit log

    /// The latest signed checkpoint note (not yet verified).
    public func checkpoint() async throws -> String {
        switch try await client.getCheckpoint() {
        case let .ok(r):
            return String(decoding: try await [UInt8](collecting: r.body.plainText, upTo: 64 * 1024), as: UTF8.self)
        case let other: throw Self.failure(other)
        }
    }

    public func logEntries(start: UInt64, end: UInt64) async throws -> [[UInt8]] {
        switch try await client.getLogEntries(query: .init(start: Int64(start), end: Int64(end))) {
        case let .ok(r):
            return try r.body.json.entries.map { e in
                guard let b = Base64.decode(e) else { throw ClientError.verification(Message.relayMalformed(.logEntry).text) }
                return b
            }
        case let other: throw Self.failure(other)
        }
    }

    public func consistencyProof(first: UInt64, second: UInt64) async throws -> [[UInt8]] {
        switch try await client.getConsistencyProof(query: .init(first: Int64(first), second: Int64(second))) {
        case let .ok(r): return try Self.hashes(r.body.json.proof)
        case let other: throw Self.failure(other)
        }
    }

    public func inclusionProof(index: UInt64, size: UInt64) async throws -> [[UInt8]] {
        try await logEntry(index: index, size: size).proof
    }

    /// The entry at `index` (its exact bytes) and its inclusion proof in the tree of `size`.
    public func logEntry(index: UInt64, size: UInt64) async throws -> (entry: [UInt8], proof: [[UInt8]]) {
        switch try await client.getInclusionProof(query: .init(index: Int64(index), size: Int64(size))) {
        case let .ok(r):
            let body = try r.body.json
            guard let entry = Base64.decode(body.entry) else { throw ClientError.verification("malformed log entry from the relay") }
            return (entry, try Self.hashes(body.proof))
        case let other: throw Self.failure(other)
        }
    }

    /// The directory entries about `organisation` from index `from` (its admins only), at most a page.
    public func directoryEntries(organisation: OrganisationID, from: UInt64) async throws -> [(index: UInt64, entry: [UInt8])] {
        switch try await client.getDirectoryEntries(path: .init(organisationId: organisation.hex), query: .init(from: Int64(from))) {
        case let .ok(r):
            return try r.body.json.entries.map { e in
                guard let bytes = Base64.decode(e.entry), let index = UInt64(exactly: e.index) else {
                    throw ClientError.verification("malformed log entry from the relay")
                }
                return (index, bytes)
            }
        case let other: throw Self.failure(other)
        }
    }

    static func hashes(_ list: [String]) throws -> [[UInt8]] {
        try list.map { h in
            guard let b = Base64.decode(h), b.count == 32 else { throw ClientError.verification(Message.relayMalformed(.proofHash).text) }
            return b
        }
    }

    // MARK: conversions

    static func schema(_ s: SignedObject) -> Components.Schemas.SignedObject {
        .init(bytes: Base64.encode(s.bytes), signature: Base64.encode(s.signature))
    }

    static func signedObject(_ s: Components.Schemas.SignedObject) throws -> SignedObject {
        guard let b = Base64.decode(s.bytes), let sig = Base64.decode(s.signature), sig.count == 64 else {
            throw ClientError.verification(Message.relayMalformed(.signedObject).text)
        }
        return SignedObject(bytes: b, signature: sig)
    }

    static func status(_ s: Components.Schemas.DeviceStatusResponse) throws -> DeviceStatus {
        guard let d = DeviceID(hex: s.deviceId), let role = DeviceRole(rawValue: s.role.rawValue) else {
            throw ClientError.verification(Message.relayMalformed(.deviceStatus).text)
        }
        return DeviceStatus(deviceID: d, status: s.status.rawValue, role: role, organisationID: s.organisationId.flatMap(OrganisationID.init(hex:)))
    }

    static func entry(_ e: Components.Schemas.DeviceEntry) throws -> DeviceEntry {
        guard let d = DeviceID(hex: e.deviceId), let role = DeviceRole(rawValue: e.role.rawValue), let key = Hex.decode(e.publicKey) else {
            throw ClientError.verification(Message.relayMalformed(.deviceEntry).text)
        }
        return DeviceEntry(deviceID: d, status: e.status.rawValue, role: role, organisationID: e.organisationId.flatMap(OrganisationID.init(hex:)),
                           publicKey: key, record: try e.record.map(signedObject), revocation: try e.revocation.map(signedObject),
                           signedPrekey: try e.signedPrekey.map { s in
                               guard let b = Base64.decode(s) else { throw ClientError.verification(Message.relayMalformed(.prekey).text) }
                               return b
                           }, recordLogIndex: e.record?.logIndex.flatMap(UInt64.init(exactly:)),
                           revocationLogIndex: e.revocation?.logIndex.flatMap(UInt64.init(exactly:)),
                           signedPrekeyLogIndex: e.signedPrekeyLogIndex.flatMap(UInt64.init(exactly:)))
    }
}
