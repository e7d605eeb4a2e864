public import RelaisCore

/// Where a device stands in enrolment.
public enum DeviceStatus: String, Sendable, Codable, CaseIterable {
    /// Redeemed an invite; waits for its enroller to sign its record.
    case pending
    case active
    case revoked
}

/// An organisation as stored: the operator-signed record and the fields the relay searches on.
/// A national organisation (record version 2, `nationalScope`) lists no département and matches
/// every one in `organisations(category:departement:)`.
public struct StoredOrganisation: Sendable, Equatable {
    public var id: OrganisationID
    public var signed: SignedObject
    public var category: PartnerCategory
    public var departements: [String]
    public var sequence: UInt64
    /// The latest end of its exit-programme accreditations (`OrganisationRecord.latestAccreditationEnd`):
    /// what the audit entry records. Whether it is accredited in a département at a time is the
    /// signed record's to say (`OrganisationRecord.isAccreditedForExitProgramme(departement:at:)`).
    public var exitProgrammeAccreditedUntil: UInt64?

    public init(id: OrganisationID, signed: SignedObject, category: PartnerCategory, departements: [String], sequence: UInt64,
                exitProgrammeAccreditedUntil: UInt64?) {
        self.id = id
        self.signed = signed
        self.category = category
        self.departements = departements
        self.sequence = sequence
        self.exitProgrammeAccreditedUntil = exitProgrammeAccreditedUntil
    }

    /// From a record the caller has already verified.
    public init(record: OrganisationRecord, signed: SignedObject) {
        self.init(id: record.id, signed: signed, category: record.category, departements: record.departements,
                  sequence: record.sequence, exitProgrammeAccreditedUntil: record.latestAccreditationEnd)
    }
}

/// A device as stored.
public struct StoredDevice: Sendable, Equatable {
    public var id: DeviceID
    /// Ed25519 public key (32 bytes).
    public var publicKey: [UInt8]
    public var organisationID: OrganisationID?
    public var role: DeviceRole
    public var status: DeviceStatus
    public var inviteID: InviteID
    /// Who must sign (or signed) the record: the invite's issuer, or the device itself for the operator.
    public var enroller: DeviceID
    /// The enroller-signed record, once active.
    public var record: SignedObject?
    /// The signed revocation, once revoked.
    public var revocation: SignedObject?
    public var createdAt: UInt64

    public init(id: DeviceID, publicKey: [UInt8], organisationID: OrganisationID?, role: DeviceRole, status: DeviceStatus,
                inviteID: InviteID, enroller: DeviceID, record: SignedObject? = nil, revocation: SignedObject? = nil, createdAt: UInt64) {
        self.id = id
        self.publicKey = publicKey
        self.organisationID = organisationID
        self.role = role
        self.status = status
        self.inviteID = inviteID
        self.enroller = enroller
        self.record = record
        self.revocation = revocation
        self.createdAt = createdAt
    }
}

/// A one-time invite. The secret itself is never stored, only its hash.
public struct StoredInvite: Sendable, Equatable {
    public var id: InviteID
    public var secretHash: [UInt8]
    public var organisationID: OrganisationID?
    public var role: DeviceRole
    /// The device that issued it; nil for the operator invite the relay creates on first start.
    public var issuedBy: DeviceID?
    public var createdAt: UInt64
    public var expiresAt: UInt64
    public var redeemedBy: DeviceID?

    public init(id: InviteID, secretHash: [UInt8], organisationID: OrganisationID?, role: DeviceRole, issuedBy: DeviceID?,
                createdAt: UInt64, expiresAt: UInt64, redeemedBy: DeviceID? = nil) {
        self.id = id
        self.secretHash = secretHash
        self.organisationID = organisationID
        self.role = role
        self.issuedBy = issuedBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.redeemedBy = redeemedBy
    }
}

/// A device's signed prekey as stored.
public struct StoredPrekey: Sendable, Equatable {
    public var deviceID: DeviceID
    public var prekeyID: PrekeyID
    /// The 137-byte signed prekey record.
    public var record: [UInt8]
    public var createdAt: UInt64
    public var notAfter: UInt64

    public init(deviceID: DeviceID, prekeyID: PrekeyID, record: [UInt8], createdAt: UInt64, notAfter: UInt64) {
        self.deviceID = deviceID
        self.prekeyID = prekeyID
        self.record = record
        self.createdAt = createdAt
        self.notAfter = notAfter
    }

    public init(_ prekey: SignedPrekey) {
        self.init(deviceID: prekey.deviceID, prekeyID: prekey.prekeyID, record: prekey.encoded, createdAt: prekey.createdAt,
                  notAfter: prekey.notAfter)
    }
}

/// One addressed device of an envelope.
public struct Delivery: Sendable, Equatable, Hashable {
    public var deviceID: DeviceID
    public var organisationID: OrganisationID
    public init(deviceID: DeviceID, organisationID: OrganisationID) {
        self.deviceID = deviceID
        self.organisationID = organisationID
    }
}

/// An envelope the relay has accepted.
public struct StoredEnvelope: Sendable, Equatable {
    public var id: EnvelopeID
    public var senderDevice: DeviceID
    public var senderOrganisation: OrganisationID
    /// The whole envelope (header ‖ body), opaque to the store.
    public var bytes: [UInt8]
    /// SHA-256 of `bytes`: a retried submit is a duplicate only if the bytes are the same.
    public var digest: [UInt8]
    public var sizeClass: UInt8
    public var consent: ConsentReference
    public var submittedAt: UInt64
    public var expiresAt: UInt64
    public var deliveries: [Delivery]

    public init(id: EnvelopeID, senderDevice: DeviceID, senderOrganisation: OrganisationID, bytes: [UInt8], digest: [UInt8],
                sizeClass: UInt8, consent: ConsentReference, submittedAt: UInt64, expiresAt: UInt64, deliveries: [Delivery]) {
        self.id = id
        self.senderDevice = senderDevice
        self.senderOrganisation = senderOrganisation
        self.bytes = bytes
        self.digest = digest
        self.sizeClass = sizeClass
        self.consent = consent
        self.submittedAt = submittedAt
        self.expiresAt = expiresAt
        self.deliveries = deliveries
    }
}

/// An inbox line: what a device needs to decide to fetch, never the content.
public struct InboxEntry: Sendable, Equatable {
    public var envelopeID: EnvelopeID
    public var senderDevice: DeviceID
    public var senderOrganisation: OrganisationID
    public var byteCount: Int
    public var submittedAt: UInt64
    public var expiresAt: UInt64
    /// What covers it, from the cleartext header (a consent, a child-protection declaration, an
    /// exit-programme consent): nil for a byte this version does not know.
    public var coverKind: ConsentReference.Kind?

    public init(envelopeID: EnvelopeID, senderDevice: DeviceID, senderOrganisation: OrganisationID, byteCount: Int,
                submittedAt: UInt64, expiresAt: UInt64, coverKind: ConsentReference.Kind? = nil) {
        self.envelopeID = envelopeID
        self.senderDevice = senderDevice
        self.senderOrganisation = senderOrganisation
        self.byteCount = byteCount
        self.submittedAt = submittedAt
        self.expiresAt = expiresAt
        self.coverKind = coverKind
    }
}

public enum SubmitOutcome: Sendable, Equatable {
    /// Stored now.
    case stored
    /// The same sender already submitted the same bytes under this id: nothing was written.
    case duplicate
}

public enum AcknowledgeOutcome: Sendable, Equatable {
    /// Recorded; `deleted` when this was the last addressed device and the envelope is gone.
    case acknowledged(deleted: Bool)
    /// This device had already acknowledged.
    case alreadyAcknowledged
}

/// Row counts, for tests that check a refused request changed nothing.
public struct StoreStatistics: Sendable, Equatable {
    public var organisations: Int
    public var devices: Int
    public var invites: Int
    public var prekeys: Int
    public var envelopes: Int
    public var deliveries: Int

    public init(organisations: Int, devices: Int, invites: Int, prekeys: Int, envelopes: Int, deliveries: Int) {
        self.organisations = organisations
        self.devices = devices
        self.invites = invites
        self.prekeys = prekeys
        self.envelopes = envelopes
        self.deliveries = deliveries
    }
}

// MARK: Rules every store checks before it writes

extension StoredOrganisation {
    /// `conflict` when a département code is listed twice.
    public func refuseRepeatedDepartements() throws {
        var seen = Set<String>()
        for d in departements where !seen.insert(d).inserted {
            throw StoreError.conflict("organisation \(id) lists département \(d) more than once")
        }
    }
}

extension StoredEnvelope {
    /// `conflict` when a device is addressed twice.
    public func refuseRepeatedDevices() throws {
        var seen = Set<DeviceID>()
        for d in deliveries where !seen.insert(d.deviceID).inserted {
            throw StoreError.conflict("envelope \(id) addresses device \(d.deviceID) more than once")
        }
    }
}
