import Foundation
public import RelaisCrypto

/// Partner categories of the Île-de-France guide.
public enum PartnerCategory: String, Codable, Sendable, CaseIterable {
    case specialisedAssociation, accreditedAssociation, socialServices, accommodation, childProtection, health, legal
    case police, prosecutor, employmentInsertion, safeAccommodationScheme, prefectureWomensRights
}

/// What a device may do (DESIGN.md, "Who uses it").
public enum DeviceRole: String, Codable, Sendable, CaseIterable {
    case `operator`, admin, member, auditor

    /// Roles that belong to an organisation.
    public var hasOrganisation: Bool { self == .admin || self == .member }
}

/// An organisation as the operator signs it (context `relais/v1/organisation-record`).
/// A change is a new record with a higher `sequence`.
public struct OrganisationRecord: Codable, Hashable, Sendable {
    public static let version = 1
    public var version: Int
    public var id: OrganisationID
    public var name: String
    public var category: PartnerCategory
    /// Département codes ("75", "93", "2A", "971").
    public var departements: [String]
    /// End of the accreditation for the exit programme (parcours de sortie), Unix seconds, if any.
    public var exitProgrammeAccreditedUntil: UInt64?
    public var sequence: UInt64
    public var issuedAt: UInt64

    public init(id: OrganisationID, name: String, category: PartnerCategory, departements: [String],
                exitProgrammeAccreditedUntil: UInt64? = nil, sequence: UInt64 = 1, issuedAt: UInt64) {
        self.version = Self.version
        self.id = id
        self.name = name
        self.category = category
        self.departements = departements
        self.exitProgrammeAccreditedUntil = exitProgrammeAccreditedUntil
        self.sequence = sequence
        self.issuedAt = issuedAt
    }

    public func validate() throws(DirectoryError) {
        guard version == Self.version else { throw .malformed("organisation record version \(version)") }
        let n = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !n.isEmpty, name.count <= 200 else { throw .malformed("organisation name must be 1 to 200 characters") }
        guard !departements.isEmpty, departements.count <= 101, Set(departements).count == departements.count,
              departements.allSatisfy(Self.isDepartement) else {
            throw .malformed("départements must be distinct codes such as 75, 2A or 971")
        }
        guard sequence >= 1 else { throw .malformed("sequence starts at 1") }
    }

    static func isDepartement(_ code: String) -> Bool {
        let valid = Set("0123456789AB")
        return (2...3).contains(code.count) && code.allSatisfy { valid.contains($0) }
    }

    public func isAccreditedForExitProgramme(at time: UInt64) -> Bool {
        guard let until = exitProgrammeAccreditedUntil else { return false }
        return time < until
    }

    public func signed(by operatorIdentity: DeviceIdentity) throws(DirectoryError) -> SignedObject {
        try validate()
        return .sign(CanonicalJSON.encode(self), context: .organisationRecord, by: operatorIdentity)
    }

    /// Verifies the operator's signature, then parses and validates.
    public static func verify(_ object: SignedObject, operatorKey: Ed25519PublicKey) throws(DirectoryError) -> OrganisationRecord {
        guard object.isSigned(by: operatorKey, context: .organisationRecord) else { throw .badSignature("organisation record") }
        let r = try CanonicalJSON.decode(OrganisationRecord.self, from: object.bytes)
        try r.validate()
        return r
    }
}

/// A device's directory entry, signed by whoever enrolled it (context `relais/v1/device-record`):
/// the operator signs its own (the root), the operator signs admins and auditors, an organisation's
/// admin signs its members and further admins.
public struct DeviceRecord: Codable, Hashable, Sendable {
    public static let version = 1
    public var version: Int
    public var deviceId: DeviceID
    /// Ed25519 public key, lowercase hex.
    public var publicKey: String
    public var organisationId: OrganisationID?
    public var role: DeviceRole
    public var enrolledBy: DeviceID
    public var inviteId: InviteID
    public var issuedAt: UInt64

    public init(identity: DevicePublicIdentity, organisationId: OrganisationID?, role: DeviceRole, enrolledBy: DeviceID,
                inviteId: InviteID, issuedAt: UInt64) {
        self.version = Self.version
        self.deviceId = identity.deviceID
        self.publicKey = Hex.encode(identity.signingKey.bytes)
        self.organisationId = organisationId
        self.role = role
        self.enrolledBy = enrolledBy
        self.inviteId = inviteId
        self.issuedAt = issuedAt
    }

    public var identity: DevicePublicIdentity? {
        guard let b = Hex.decode(publicKey), let k = try? Ed25519PublicKey(bytes: b) else { return nil }
        return DevicePublicIdentity(signingKey: k)
    }

    public func validate() throws(DirectoryError) {
        guard version == Self.version else { throw .malformed("device record version \(version)") }
        guard let id = identity else { throw .malformed("device record public key") }
        guard id.deviceID == deviceId else { throw .malformed("device id does not match the public key") }
        guard role.hasOrganisation == (organisationId != nil) else {
            throw .malformed("role \(role.rawValue) \(role.hasOrganisation ? "needs" : "takes no") organisation")
        }
        if role == .operator, enrolledBy != deviceId { throw .malformed("the operator record is self-signed") }
    }

    public func signed(by enroller: DeviceIdentity) throws(DirectoryError) -> SignedObject {
        try validate()
        guard enroller.deviceID == enrolledBy else { throw .malformed("enrolledBy must be the signer") }
        return .sign(CanonicalJSON.encode(self), context: .deviceRecord, by: enroller)
    }

    /// Verifies the signature by `signer` (the device named in `enrolledBy`), then parses.
    public static func verify(_ object: SignedObject, signer: DevicePublicIdentity) throws(DirectoryError) -> DeviceRecord {
        guard object.isSigned(by: signer.signingKey, context: .deviceRecord) else { throw .badSignature("device record") }
        let r = try CanonicalJSON.decode(DeviceRecord.self, from: object.bytes)
        try r.validate()
        guard r.enrolledBy == signer.deviceID else { throw .malformed("device record names another enroller than its signer") }
        return r
    }

    /// True when this device may be sealed for as a device of `organisation`: its signed record
    /// names that organisation (so also a role that belongs to one: admin or member). A relay
    /// listing another organisation's device among `organisation`'s is lying.
    public func mayReceive(for organisation: OrganisationID) -> Bool {
        role.hasOrganisation && organisationId == organisation
    }

    /// Parses without verifying: only to learn who must have signed it (`enrolledBy`).
    public static func unverifiedSigner(of object: SignedObject) throws(DirectoryError) -> DeviceID {
        try CanonicalJSON.decode(DeviceRecord.self, from: object.bytes).enrolledBy
    }
}

/// Revocation of a device by the operator or an admin of its organisation
/// (context `relais/v1/device-revocation`).
public struct DeviceRevocation: Codable, Hashable, Sendable {
    public var version: Int
    public var deviceId: DeviceID
    public var revokedBy: DeviceID
    public var revokedAt: UInt64

    public init(deviceId: DeviceID, revokedBy: DeviceID, revokedAt: UInt64) {
        self.version = 1
        self.deviceId = deviceId
        self.revokedBy = revokedBy
        self.revokedAt = revokedAt
    }

    public func signed(by identity: DeviceIdentity) -> SignedObject {
        .sign(CanonicalJSON.encode(self), context: .deviceRevocation, by: identity)
    }

    public static func verify(_ object: SignedObject, signer: DevicePublicIdentity) throws(DirectoryError) -> DeviceRevocation {
        guard object.isSigned(by: signer.signingKey, context: .deviceRevocation) else { throw .badSignature("device revocation") }
        let r = try CanonicalJSON.decode(DeviceRevocation.self, from: object.bytes)
        guard r.version == 1 else { throw .malformed("device revocation version \(r.version)") }
        guard r.revokedBy == signer.deviceID else { throw .malformed("revocation names another signer") }
        return r
    }

    public static func unverifiedSigner(of object: SignedObject) throws(DirectoryError) -> DeviceID {
        try CanonicalJSON.decode(DeviceRevocation.self, from: object.bytes).revokedBy
    }

    /// True when the device was revoked at or before `time`: what it signed then (a referral
    /// sealed, a withdrawal) is refused, since its key may be in someone else's hands.
    public func isEffective(at time: UInt64) -> Bool { revokedAt <= time }
}

public enum InviteKind {}
public typealias InviteID = Identifier<InviteKind>

/// A one-time enrolment invite: `ri2_` ‖ hex(invite id) ‖ `_` ‖ hex(32-byte secret) ‖ `_` ‖
/// hex(16-byte trust anchor) (SPEC.md, "Invites and enrolment"). The relay stores only
/// `SHA-256("relais/v1/invite-secret" ‖ 0x00 ‖ secret)`; the anchor is no secret: it commits to the
/// keys the new device will pin (`InviteAnchor`). The older `ri1_` form has no anchor: the relay
/// still redeems it, a client refuses to enrol with it.
public struct InviteCode: Hashable, Sendable, CustomStringConvertible {
    public let id: InviteID
    public let secret: [UInt8]
    public let anchor: InviteAnchor?

    public init(id: InviteID, secret: [UInt8], anchor: InviteAnchor?) {
        self.id = id
        self.secret = secret
        self.anchor = anchor
    }

    public static func generate(anchor: InviteAnchor, using rng: some RandomSource) -> InviteCode {
        InviteCode(id: .random(using: rng), secret: rng.bytes(32), anchor: anchor)
    }

    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == (parts.first == "ri2" ? 4 : 3), parts[0] == "ri1" || parts[0] == "ri2",
              let id = InviteID(hex: String(parts[1])), let s = Hex.decode(String(parts[2])), s.count == 32 else { return nil }
        var anchor: InviteAnchor?
        if parts.count == 4 {
            guard let a = InviteAnchor(hex: String(parts[3])) else { return nil }
            anchor = a
        }
        self.init(id: id, secret: s, anchor: anchor)
    }

    public var description: String {
        guard let anchor else { return "ri1_\(id.hex)_\(Hex.encode(secret))" }
        return "ri2_\(id.hex)_\(Hex.encode(secret))_\(anchor.hex)"
    }
    public var secretHash: [UInt8] { Self.hash(secret: secret) }
    public static func hash(secret: [UInt8]) -> [UInt8] { SHA256.hash(domainSeparated(.inviteSecret, secret)) }
}

/// Proof that the enrolling device holds its key: a signature over
/// `"relais/v1/enrolment" ‖ 0x00 ‖ invite_id ‖ public_key`.
public enum EnrolmentProof {
    public static func message(invite: InviteID, publicKey: Ed25519PublicKey) -> [UInt8] { invite.bytes + publicKey.bytes }
    public static func sign(invite: InviteID, identity: DeviceIdentity) -> [UInt8] {
        identity.sign(.enrolment, message(invite: invite, publicKey: identity.privateKey.publicKey))
    }
    public static func isValid(_ signature: [UInt8], invite: InviteID, publicKey: Ed25519PublicKey) -> Bool {
        publicKey.isValidSignature(signature, context: .enrolment, message: message(invite: invite, publicKey: publicKey))
    }
}

public enum DirectoryError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case badSignature(String)

    public var description: String {
        switch self {
        case let .malformed(why): "directory record is malformed: \(why)"
        case let .badSignature(what): "\(what) signature does not verify against the expected signer"
        }
    }
}
