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
///
/// Version 1 names the category, the départements and one exit-programme accreditation end.
/// Version 2 (issue 15, "a directory that helps choose") adds the public served, the languages
/// spoken, the services, a public phone and opening hours, national scope, and the exit-programme
/// accreditations per département with their dates; it has no `exitProgrammeAccreditedUntil`.
/// Both versions verify; the fields of the other version must be absent (SPEC.md, "Directory records").
public struct OrganisationRecord: Codable, Hashable, Sendable {
    /// The version `init(id:name:category:departements:exitProgrammeAccreditedUntil:sequence:issuedAt:)` writes.
    public static let version = 1
    /// The version the full initialiser writes.
    public static let currentVersion = 2
    public var version: Int
    public var id: OrganisationID
    public var name: String
    public var category: PartnerCategory
    /// Département codes ("75", "93", "2A", "971"); empty exactly when `nationalScope` (version 2).
    public var departements: [String]
    /// Version 1 only: end of the accreditation for the exit programme (parcours de sortie), Unix seconds, if any.
    public var exitProgrammeAccreditedUntil: UInt64?
    /// Version 2: whom the organisation receives.
    public var publicServed: PublicServed?
    /// Version 2: languages spoken, lowercase ISO 639 codes ("fr", "en", "ro", "bin").
    public var languages: [String]?
    /// Version 2: what it offers, in the referral's words.
    public var services: [Referral.Need]?
    /// Version 2: a public phone number ("01 42 82 17 00"), never a worker's own.
    public var phone: String?
    /// Version 2: opening hours, short French text ("lundi au vendredi, 9h à 17h").
    public var openingHours: String?
    /// Version 2: serves the whole country (then it lists no département).
    public var nationalScope: Bool?
    /// Version 2: the exit-programme accreditations (agrément préfectoral, per département), if any.
    public var exitProgrammeAccreditations: [ExitProgrammeAccreditation]?
    public var sequence: UInt64
    public var issuedAt: UInt64

    /// Whom an organisation receives. Ages are in years, both ends included.
    public struct PublicServed: Codable, Hashable, Sendable {
        public var women: Bool
        public var men: Bool
        public var transPeople: Bool
        public var minAge: Int?
        public var maxAge: Int?
        public var minorsAccepted: Bool
        /// Only victims of trafficking in human beings (traite des êtres humains), as AcSé.
        public var traffickingVictimsOnly: Bool

        public init(women: Bool, men: Bool, transPeople: Bool, minAge: Int? = nil, maxAge: Int? = nil, minorsAccepted: Bool,
                    traffickingVictimsOnly: Bool = false) {
            self.women = women
            self.men = men
            self.transPeople = transPeople
            self.minAge = minAge
            self.maxAge = maxAge
            self.minorsAccepted = minorsAccepted
            self.traffickingVictimsOnly = traffickingVictimsOnly
        }

        /// Whether it receives `group`.
        public func serves(_ group: ServedGroup) -> Bool {
            switch group {
            case .women: women
            case .men: men
            case .trans: transPeople
            case .minors: minorsAccepted
            }
        }
    }

    /// The groups `relais directory --public` filters on.
    public enum ServedGroup: String, Sendable, CaseIterable {
        case women, men, trans, minors
    }

    /// An accreditation for the exit programme in one département, valid from `from` (included)
    /// to `until` (excluded), Unix seconds. The guide: « l'une des associations de son département
    /// qui aura été agréée à cet effet ».
    public struct ExitProgrammeAccreditation: Codable, Hashable, Sendable {
        public var departement: String
        public var from: UInt64
        public var until: UInt64

        public init(departement: String, from: UInt64, until: UInt64) {
            self.departement = departement
            self.from = from
            self.until = until
        }
    }

    /// Limits of a record, checked by `validate()`.
    public enum Limits {
        public static let name = 200
        public static let departements = 101
        public static let languages = 20
        public static let phone = 25
        public static let openingHours = 200
        public static let accreditations = 200
        public static let age = 120
    }

    /// A version 1 record (as before issue 15).
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

    /// A version 2 record. A national organisation lists no département.
    public init(id: OrganisationID, name: String, category: PartnerCategory, departements: [String], nationalScope: Bool = false,
                publicServed: PublicServed, languages: [String], services: [Referral.Need], phone: String? = nil,
                openingHours: String? = nil, exitProgrammeAccreditations: [ExitProgrammeAccreditation] = [],
                sequence: UInt64 = 1, issuedAt: UInt64) {
        self.version = Self.currentVersion
        self.id = id
        self.name = name
        self.category = category
        self.departements = departements
        self.nationalScope = nationalScope
        self.publicServed = publicServed
        self.languages = languages
        self.services = services
        self.phone = phone
        self.openingHours = openingHours
        self.exitProgrammeAccreditations = exitProgrammeAccreditations
        self.sequence = sequence
        self.issuedAt = issuedAt
    }

    public func validate() throws(DirectoryError) {
        let n = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !n.isEmpty, name.count <= Limits.name else { throw .malformed("organisation name must be 1 to \(Limits.name) characters") }
        guard departements.count <= Limits.departements, Set(departements).count == departements.count,
              departements.allSatisfy(Self.isDepartement) else {
            throw .malformed("départements must be distinct codes such as 75, 2A or 971")
        }
        guard sequence >= 1 else { throw .malformed("sequence starts at 1") }
        switch version {
        case 1:
            guard publicServed == nil, languages == nil, services == nil, phone == nil, openingHours == nil, nationalScope == nil,
                  exitProgrammeAccreditations == nil else {
                throw .malformed("a version 1 organisation record has none of the version 2 fields")
            }
            guard !departements.isEmpty else { throw .malformed("a version 1 organisation record lists at least one département") }
        case 2:
            try validateVersion2()
        default:
            throw .malformed("organisation record version \(version)")
        }
    }

    private func validateVersion2() throws(DirectoryError) {
        guard exitProgrammeAccreditedUntil == nil else {
            throw .malformed("version 2 has exitProgrammeAccreditations (per département) instead of exitProgrammeAccreditedUntil")
        }
        guard let publicServed, let languages, let services, let nationalScope, let exitProgrammeAccreditations else {
            throw .malformed("version 2 needs publicServed, languages, services, nationalScope and exitProgrammeAccreditations")
        }
        guard nationalScope == departements.isEmpty else {
            throw .malformed(nationalScope ? "a national organisation lists no département" : "list at least one département, or give national scope")
        }
        try Self.validate(publicServed)
        guard (1...Limits.languages).contains(languages.count), Set(languages).count == languages.count,
              languages.allSatisfy(Self.isLanguage) else {
            throw .malformed("languages: 1 to \(Limits.languages) distinct lowercase ISO 639 codes such as fr, en, ro")
        }
        guard Set(services).count == services.count else { throw .malformed("services: each need at most once") }
        if let phone, !Self.isPhone(phone) {
            throw .malformed("phone: a public number of 3 to 15 digits, with spaces, dots or a leading +")
        }
        if let openingHours {
            guard !openingHours.trimmingCharacters(in: .whitespaces).isEmpty, openingHours.count <= Limits.openingHours,
                  !openingHours.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw .malformed("openingHours: 1 to \(Limits.openingHours) characters on one line")
            }
        }
        try validate(exitProgrammeAccreditations, nationalScope: nationalScope)
    }

    private static func validate(_ p: PublicServed) throws(DirectoryError) {
        guard p.women || p.men || p.transPeople else { throw .malformed("publicServed: at least one of women, men, transPeople") }
        for age in [p.minAge, p.maxAge].compactMap(\.self) where !(0...Limits.age).contains(age) {
            throw .malformed("publicServed: ages are 0 to \(Limits.age)")
        }
        if let lo = p.minAge, let hi = p.maxAge, lo > hi { throw .malformed("publicServed: minAge is above maxAge") }
        // The age range and minorsAccepted say the same thing: minors are under 18.
        if p.minorsAccepted {
            guard (p.minAge ?? 0) < 18 else { throw .malformed("publicServed: minorsAccepted, yet minAge is 18 or more") }
        } else {
            guard (p.minAge ?? 18) >= 18 else { throw .malformed("publicServed: minAge under 18, yet minors are not accepted") }
        }
    }

    private func validate(_ list: [ExitProgrammeAccreditation], nationalScope: Bool) throws(DirectoryError) {
        guard list.count <= Limits.accreditations else { throw .malformed("at most \(Limits.accreditations) exit-programme accreditations") }
        guard list.isEmpty || category.mayBeAccreditedForExitProgramme else {
            throw .malformed("only an association (accreditedAssociation, specialisedAssociation) is accredited for the exit programme")
        }
        for a in list {
            guard Self.isDepartement(a.departement), nationalScope || departements.contains(a.departement) else {
                throw .malformed("an exit-programme accreditation names a département the organisation serves")
            }
            guard a.from < a.until else { throw .malformed("an exit-programme accreditation ends after it begins") }
        }
        for (i, a) in list.enumerated() {
            for b in list[(i + 1)...] where a.departement == b.departement && a.from < b.until && b.from < a.until {
                throw .malformed("two exit-programme accreditations overlap in département \(a.departement)")
            }
        }
    }

    /// A département code: 2 or 3 characters of `0-9AB` ("75", "2A", "971").
    public static func isDepartement(_ code: String) -> Bool {
        let valid = Set("0123456789AB")
        return (2...3).contains(code.count) && code.allSatisfy { valid.contains($0) }
    }

    /// A lowercase ISO 639 code: 2 or 3 ASCII letters.
    public static func isLanguage(_ code: String) -> Bool {
        (2...3).contains(code.count) && code.allSatisfy { $0.isASCII && $0.isLetter && $0.isLowercase }
    }

    /// A public phone number: digits, spaces, dots, an optional leading `+`; 3 to 15 digits.
    static func isPhone(_ text: String) -> Bool {
        guard text.count <= Limits.phone, let first = text.first, first.isASCII && (first.isNumber || first == "+") else { return false }
        let digits = text.filter { $0.isASCII && $0.isNumber }.count
        return (3...15).contains(digits) && text.dropFirst().allSatisfy { ($0.isASCII && $0.isNumber) || $0 == " " || $0 == "." }
    }

    // MARK: Reading a record

    /// Whether it serves `departement`: a national organisation serves every one.
    public func serves(departement: String) -> Bool { nationalScope == true || departements.contains(departement) }

    /// The latest end of its exit-programme accreditations (version 1: its one end), if any: what
    /// the relay's audit entry `accreditedUntil` records.
    public var latestAccreditationEnd: UInt64? {
        version == 1 ? exitProgrammeAccreditedUntil : exitProgrammeAccreditations?.map(\.until).max()
    }

    /// Whether it is an association accredited for the exit programme in `departement` at `time`
    /// (version 1: in any département it serves, before `exitProgrammeAccreditedUntil`; version 2:
    /// an accreditation for that département with `from <= time < until`). The rule the relay, the
    /// clients and the auditor apply (`DirectoryRules.isAccreditedForExitProgramme`).
    public func isAccreditedForExitProgramme(departement: String, at time: UInt64) -> Bool {
        if version == 1 {
            return departements.contains(departement)
                && DirectoryRules.isAccreditedForExitProgramme(category: category, accreditedUntil: exitProgrammeAccreditedUntil, at: time)
        }
        return (exitProgrammeAccreditations ?? []).contains {
            $0.departement == departement && $0.from <= time
                && DirectoryRules.isAccreditedForExitProgramme(category: category, accreditedUntil: $0.until, at: time)
        }
    }

    /// Whether it is accredited for the exit programme in some département at `time`.
    public func isAccreditedForExitProgramme(at time: UInt64) -> Bool {
        !accreditedDepartements(at: time).isEmpty
    }

    /// The départements where it is accredited for the exit programme at `time`, sorted.
    public func accreditedDepartements(at time: UInt64) -> [String] {
        let candidates = version == 1 ? departements : (exitProgrammeAccreditations ?? []).map(\.departement)
        return Set(candidates).filter { isAccreditedForExitProgramme(departement: $0, at: time) }.sorted()
    }

    public func signed(by operatorIdentity: DeviceIdentity) throws(DirectoryError) -> SignedObject {
        try validate()
        return .sign(CanonicalJSON.encode(self), context: .organisationRecord, by: operatorIdentity)
    }

    /// Verifies the operator's signature, then parses and validates.
    public static func verify(_ object: SignedObject, operatorKey: Ed25519PublicKey) throws(DirectoryError) -> OrganisationRecord {
        guard object.isSigned(by: operatorKey, context: .organisationRecord) else { throw .badSignature("organisation record") }
        return try parse(object.bytes)
    }

    /// Parses and validates a record the caller verified earlier, such as the relay's store (which
    /// verified it at `putOrganisation`): no signature check here.
    public static func parseVerified(_ object: SignedObject) throws(DirectoryError) -> OrganisationRecord {
        try parse(object.bytes)
    }

    private static func parse(_ bytes: [UInt8]) throws(DirectoryError) -> OrganisationRecord {
        let r = try CanonicalJSON.decode(OrganisationRecord.self, from: bytes)
        try refuseUnknownMembers(bytes)
        try r.validate()
        return r
    }

    /// Strict parsing: a member this version does not define is refused rather than dropped, so
    /// every reader sees what the operator signed.
    private static func refuseUnknownMembers(_ bytes: [UInt8]) throws(DirectoryError) {
        func check(_ object: Any?, _ allowed: Set<String>, _ place: String) throws(DirectoryError) {
            guard let dict = object as? [String: Any] else { return }
            if let unknown = dict.keys.sorted().first(where: { !allowed.contains($0) }) {
                throw .malformed("\(place): unknown member \"\(unknown)\"")
            }
        }
        let top = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
        try check(top, knownMembers, "organisation record")
        try check(top?["publicServed"], knownPublicServedMembers, "publicServed")
        for a in top?["exitProgrammeAccreditations"] as? [Any] ?? [] { try check(a, knownAccreditationMembers, "exitProgrammeAccreditations") }
    }

    static let knownMembers: Set<String> = [
        "version", "id", "name", "category", "departements", "exitProgrammeAccreditedUntil", "publicServed", "languages", "services",
        "phone", "openingHours", "nationalScope", "exitProgrammeAccreditations", "sequence", "issuedAt",
    ]
    static let knownPublicServedMembers: Set<String> = ["women", "men", "transPeople", "minAge", "maxAge", "minorsAccepted", "traffickingVictimsOnly"]
    static let knownAccreditationMembers: Set<String> = ["departement", "from", "until"]
}

/// What `relais directory` asks for; `nil` means no filter. A version 1 record says nothing of
/// needs, languages or public, so it matches no such filter.
public struct DirectoryQuery: Sendable, Equatable {
    public var category: PartnerCategory?
    public var departement: String?
    public var need: Referral.Need?
    public var language: String?
    public var group: OrganisationRecord.ServedGroup?
    /// Only organisations accredited for the exit programme at this time (in `departement` when given).
    public var accreditedAt: UInt64?

    public init(category: PartnerCategory? = nil, departement: String? = nil, need: Referral.Need? = nil, language: String? = nil,
                group: OrganisationRecord.ServedGroup? = nil, accreditedAt: UInt64? = nil) {
        self.category = category
        self.departement = departement
        self.need = need
        self.language = language
        self.group = group
        self.accreditedAt = accreditedAt
    }

    public func matches(_ r: OrganisationRecord) -> Bool {
        if let category, r.category != category { return false }
        if let departement, !r.serves(departement: departement) { return false }
        if let need, !(r.services ?? []).contains(need) { return false }
        if let language, !(r.languages ?? []).contains(language) { return false }
        if let group, !(r.publicServed?.serves(group) ?? false) { return false }
        if let accreditedAt {
            let accredited = departement.map { r.isAccreditedForExitProgramme(departement: $0, at: accreditedAt) }
                ?? r.isAccreditedForExitProgramme(at: accreditedAt)
            if !accredited { return false }
        }
        return true
    }
}

extension PartnerCategory {
    /// Associations are what a prefect accredits for the exit programme.
    public var mayBeAccreditedForExitProgramme: Bool { self == .accreditedAssociation || self == .specialisedAssociation }
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
