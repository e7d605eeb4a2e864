public import RelaisCore

/// A consent's public part as stored, with its withdrawal once withdrawn.
public struct StoredConsent: Sendable, Equatable {
    public var id: ConsentID
    public var organisationID: OrganisationID
    public var recordedBy: DeviceID
    /// The recording device's signed public part (`ConsentPublic`).
    public var signed: SignedObject
    public var grantedAt: UInt64
    public var validUntil: UInt64
    public var withdrawal: SignedObject?
    public var withdrawnAt: UInt64?

    public init(id: ConsentID, organisationID: OrganisationID, recordedBy: DeviceID, signed: SignedObject, grantedAt: UInt64,
                validUntil: UInt64, withdrawal: SignedObject? = nil, withdrawnAt: UInt64? = nil) {
        self.id = id
        self.organisationID = organisationID
        self.recordedBy = recordedBy
        self.signed = signed
        self.grantedAt = grantedAt
        self.validUntil = validUntil
        self.withdrawal = withdrawal
        self.withdrawnAt = withdrawnAt
    }
}

/// A child-protection declaration as stored.
public struct StoredDeclaration: Sendable, Equatable {
    public var id: ConsentID
    public var organisationID: OrganisationID
    public var declaredBy: DeviceID
    public var signed: SignedObject
    public var declaredAt: UInt64
    /// The declaration's bound (`ChildProtectionDeclaration.limits`): `submit` refuses, inside its
    /// transaction, a report by the declaring organisation past it.
    public var maxReports: Int

    public init(id: ConsentID, organisationID: OrganisationID, declaredBy: DeviceID, signed: SignedObject, declaredAt: UInt64,
                maxReports: Int = ChildProtectionDeclaration.maximumReports) {
        self.id = id
        self.organisationID = organisationID
        self.declaredBy = declaredBy
        self.signed = signed
        self.declaredAt = declaredAt
        self.maxReports = maxReports
    }
}

/// What `withdrawConsent` did.
public struct WithdrawalOutcome: Sendable, Equatable {
    /// Envelopes under the consent still on the relay, now deleted.
    public var deletedEnvelopes: [EnvelopeID]
    /// Organisations that were sent referrals under the consent: each gets the signed withdrawal.
    public var notifiedOrganisations: [OrganisationID]

    public init(deletedEnvelopes: [EnvelopeID], notifiedOrganisations: [OrganisationID]) {
        self.deletedEnvelopes = deletedEnvelopes
        self.notifiedOrganisations = notifiedOrganisations
    }
}

/// Consents, declarations and withdrawal notices. Atomic like the other stores.
public protocol ConsentStore: Sendable {
    /// Throws `conflict` if the id exists.
    func putConsent(_ consent: StoredConsent) async throws
    func consent(_ id: ConsentID) async throws -> StoredConsent?
    /// In one transaction: marks the consent withdrawn, deletes every envelope under it still on
    /// the relay, and queues the signed withdrawal for every organisation that was sent a referral
    /// under it. Throws `notFound`, or `conflict` if already withdrawn. A submit under a withdrawn
    /// consent is refused by `submit` itself (`conflict`), so none can slip in afterwards.
    func withdrawConsent(_ id: ConsentID, withdrawal: SignedObject, at time: UInt64) async throws -> WithdrawalOutcome
    /// Throws `conflict` if the id exists.
    func putDeclaration(_ declaration: StoredDeclaration) async throws
    func declaration(_ id: ConsentID) async throws -> StoredDeclaration?
    /// How many envelopes the declaring organisation submitted under the declaration (answers by
    /// other organisations are not reports). `submit` counts them in its transaction and throws
    /// `conflict` ("… is exhausted") for one past `maxReports`; kept after the envelopes expire.
    func reportsSent(declaration: ConsentID) async throws -> Int
    /// The organisations that were sent referrals under the consent, ordered by id.
    func organisationsSent(consent: ConsentID) async throws -> [OrganisationID]
    /// The signed withdrawals queued for `organisation`, oldest first.
    func notices(organisation: OrganisationID) async throws -> [SignedObject]
}
