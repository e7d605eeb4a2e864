import Foundation
public import RelaisCrypto

/// The organisation's pseudonym key (SPEC.md, "Organisation key"): 32 random bytes made once by
/// the organisation's first admin and given, sealed, to each of its devices, so that every device
/// of one organisation computes the same subject pseudonym for the same case, and nobody else can.
public struct OrganisationKey: Sendable, Equatable {
    public static let byteCount = 32
    public let organisation: OrganisationID
    public let secret: SecretBytes

    public init(organisation: OrganisationID, secret: SecretBytes) throws(OrganisationKeyError) {
        guard secret.count == Self.byteCount else { throw .malformed("an organisation key is 32 bytes, got \(secret.count)") }
        self.organisation = organisation
        self.secret = secret
    }

    public static func generate(organisation: OrganisationID, using rng: some RandomSource) -> OrganisationKey {
        var bytes = rng.bytes(byteCount)
        defer { wipe(&bytes) }
        return try! OrganisationKey(organisation: organisation, secret: SecretBytes(bytes, memory: .guarded))
    }

    /// `SHA-256("relais/v1/organisation-key-id" ‖ 0x00 ‖ organisation_id ‖ key)[0..<16]`: names the
    /// key without revealing it, so that two devices (and the relay) can tell whether they hold the same one.
    public var id: OrganisationKeyID {
        OrganisationKeyID(unchecked: secret.withUnsafeBytes { key in
            Array(SHA256.hash(domainSeparated(.organisationKeyID, organisation.bytes + Array(key)))[0..<16])
        })
    }

    /// The case id as it is hashed: surrounding white space removed, Unicode NFC (the same
    /// letters typed on two systems give the same bytes). Nil when nothing is left.
    public static func normalisedCaseID(_ caseID: String) -> String? {
        let trimmed = caseID.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The subject pseudonym of a case: `ConsentRecord.pseudonym` of the normalised case id under
    /// this key, 64 hex digits. The same for every device of the organisation.
    public func pseudonym(caseID: String) throws(OrganisationKeyError) -> String {
        guard let normalised = Self.normalisedCaseID(caseID) else { throw .emptyCaseID }
        return ConsentRecord.pseudonym(caseID: normalised, key: secret.bytes)
    }
}

/// The 16-byte id of an organisation key (hex in JSON).
public struct OrganisationKeyID: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]
    init(unchecked bytes: [UInt8]) { self.bytes = bytes }
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }
    public init?(hex: String) {
        guard let b = Hex.decode(hex), b.count == 16 else { return nil }
        bytes = b
    }
    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }
}

/// Who may give the organisation key to whom, as the relay and the receiving client both check it:
/// an admin or member of the package's organisation gives to an admin or member of the same one.
/// A device gives to itself only when it makes the key (an admin: the first of its organisation).
public enum OrganisationKeyRules {
    public static func mayGive(giver: DirectoryRules.Enroller, target: DirectoryRules.Enroller, organisation: OrganisationID,
                               toItself: Bool) -> Bool {
        let members: Set<DeviceRole> = [.admin, .member]
        guard members.contains(giver.role), members.contains(target.role),
              giver.organisation == organisation, target.organisation == organisation else { return false }
        return !toItself || giver.role == .admin
    }
}

public enum OrganisationKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case badSignature
    /// The package is for another device than the one opening it.
    case wrongTarget
    /// The wrapped key does not open (altered, or sealed to another key).
    case unwrapFailed
    /// The key inside does not match the package's `key_id`.
    case keyIDMismatch
    case emptyCaseID

    /// The class name used in the vectors' `expect`.
    public var className: String {
        switch self {
        case .malformed: "malformed"
        case .badSignature: "badSignature"
        case .wrongTarget: "wrongTarget"
        case .unwrapFailed: "unwrapFailed"
        case .keyIDMismatch: "keyIdMismatch"
        case .emptyCaseID: "emptyCaseId"
        }
    }

    public var description: String {
        switch self {
        case let .malformed(why): "organisation key package is malformed: \(why)"
        case .badSignature: "organisation key package signature does not verify against its giver's key"
        case .wrongTarget: "organisation key package is for another device"
        case .unwrapFailed: "organisation key package does not open with this device's key"
        case .keyIDMismatch: "the key inside the organisation key package does not match its key id"
        case .emptyCaseID: "the case id is empty"
        }
    }
}
