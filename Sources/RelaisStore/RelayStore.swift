public import RelaisCore

/// The directory: organisations, devices, invites, prekeys. Every method is atomic; a method that
/// throws has changed nothing.
public protocol DirectoryStore: Sendable {
    /// Inserts an organisation, or replaces it when `organisation.sequence` is higher than the
    /// stored one. Throws `conflict` when the sequence is not higher.
    func putOrganisation(_ organisation: StoredOrganisation) async throws
    func organisation(_ id: OrganisationID) async throws -> StoredOrganisation?
    /// Organisations, optionally filtered by category and/or département, ordered by id.
    func organisations(category: PartnerCategory?, departement: String?) async throws -> [StoredOrganisation]

    /// Throws `conflict` if the id exists.
    func createInvite(_ invite: StoredInvite) async throws
    func invite(_ id: InviteID) async throws -> StoredInvite?

    /// In one transaction: marks the invite redeemed by `device.id` and inserts the device.
    /// Throws `notFound` if the invite does not exist, `conflict` if it was already redeemed, the
    /// device id exists, or the device is an operator and the relay already has one (a relay
    /// restarted before its operator enrolled has printed several operator invites: only one may
    /// ever make an operator). Expiry and the secret are the caller's to check.
    func redeemInvite(_ invite: InviteID, device: StoredDevice, at time: UInt64) async throws

    func device(_ id: DeviceID) async throws -> StoredDevice?
    /// Devices of an organisation (any status), ordered by id.
    func devices(organisation: OrganisationID) async throws -> [StoredDevice]
    /// Pending devices whose record `enroller` must sign, ordered by creation.
    func pendingDevices(enroller: DeviceID) async throws -> [StoredDevice]
    /// Devices without an organisation (operator, auditors), ordered by id.
    func devicesWithoutOrganisation() async throws -> [StoredDevice]

    /// pending → active with its signed record. Throws `notFound`, or `conflict` if not pending.
    func activateDevice(_ id: DeviceID, record: SignedObject, at time: UInt64) async throws
    /// active or pending → revoked. Throws `notFound`, or `conflict` if already revoked. Also
    /// deletes the device's undelivered deliveries (a revoked device receives nothing more).
    func revokeDevice(_ id: DeviceID, revocation: SignedObject, at time: UInt64) async throws

    /// Stores a signed prekey. Idempotent for the same (device, prekey id).
    func putPrekey(_ prekey: StoredPrekey) async throws
    /// The device's newest prekey (greatest `createdAt`), if any.
    func currentPrekey(device: DeviceID) async throws -> StoredPrekey?
    func prekey(device: DeviceID, id: PrekeyID) async throws -> StoredPrekey?
}

/// Sealed envelopes and their per-device deliveries.
public protocol EnvelopeStore: Sendable {
    /// Stores the envelope and its deliveries in one transaction, durable before it returns
    /// (synced to disk). Idempotent by envelope id until the envelope's expiry, even after it was
    /// acknowledged and deleted: the same sender with the same digest gets `.duplicate` and nothing
    /// is written; any other reuse of the id throws `conflict`.
    func submit(_ envelope: StoredEnvelope) async throws -> SubmitOutcome
    /// Envelopes addressed to `device`, not yet acknowledged by it, not expired at `now`, oldest
    /// first, at most `limit`.
    func inbox(device: DeviceID, now: UInt64, limit: Int) async throws -> [InboxEntry]
    /// The envelope bytes, only if addressed to `device`, not acknowledged by it and not expired.
    /// The first time `device` gets them, the store records the delivery and logs
    /// `envelopeDelivered` in the same transaction (a later fetch by the same device writes nothing);
    /// a fetch that returns nil changes nothing.
    func envelope(_ id: EnvelopeID, for device: DeviceID, now: UInt64) async throws -> [UInt8]?
    /// Records the device's acknowledgement; deletes the envelope when every addressed device has
    /// acknowledged. Returns nil (and changes nothing) when the envelope is not addressed to the
    /// device, is expired, or does not exist — the caller cannot tell which.
    func acknowledge(_ id: EnvelopeID, device: DeviceID, now: UInt64) async throws -> AcknowledgeOutcome?
    /// Deletes every envelope with `expiresAt <= now` (and the receipts that kept submit
    /// idempotent); returns the envelopes' ids.
    func purgeExpired(now: UInt64) async throws -> [EnvelopeID]
    /// What became of an envelope, for its sender's organisation only: nil when the envelope does
    /// not exist, was purged after its expiry, or was sent by another organisation (the caller
    /// cannot tell which). Reads only; the counts never say which device did what.
    func envelopeStatus(_ id: EnvelopeID, senderOrganisation: OrganisationID) async throws -> EnvelopeStatus?
}

public protocol RelayStore: DirectoryStore, EnvelopeStore, ConsentStore, OutsideReportStore, AuditLogStore, OrganisationKeyStore,
    DirectoryLogStore {
    func statistics() async throws -> StoreStatistics
    /// Closes the store at the relay's shutdown (SQLite: checkpoints and closes the file; PostgreSQL:
    /// stops the connection pool). Calls made afterwards fail.
    func close() throws
    /// Returns once the store has answered one small read of its own tables, and throws otherwise
    /// (the relay's readiness, `GET /readyz`). Writes nothing.
    func ping() async throws
    /// The relay's log public key (Ed25519, 32 bytes) the store belongs to: `publicKey` if the
    /// store had none (it is kept), otherwise the one kept at its first start. A relay whose key
    /// differs must not serve the store: its checkpoints would sign someone else's log.
    func pinRelayKey(_ publicKey: [UInt8]) async throws -> [UInt8]
    /// Makes deleted rows unrecoverable from the store's files (SQLite: `secure_delete` is on, and
    /// this empties the WAL with `wal_checkpoint(TRUNCATE)`). Called after each purge.
    func compact() async throws
}

/// Request nonces shared by every relay process on one store (PostgreSQL): a signed request
/// replayed to another relay behind the same load balancer is refused there too. (On SQLite the
/// store belongs to one process, whose memory is enough.)
public protocol SharedNonceStore: Sendable {
    /// True the first time `(device, nonce)` is claimed while an earlier claim has not expired;
    /// the claim lasts until `expiresAt`.
    func claimNonce(device: DeviceID, nonce: String, expiresAt: UInt64, now: UInt64) async throws -> Bool
}
