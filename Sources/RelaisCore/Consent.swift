import Foundation
import RelaisCrypto

/// How the person gave consent.
public enum ConsentMethod: String, Codable, Sendable, CaseIterable { case oral, written, electronic }

/// The legal ground for sharing.
public enum LegalBasis: String, Codable, Sendable, CaseIterable {
    /// The person's agreement (RGPD art. 6.1.a and 9.2.a).
    case consent
    /// Child protection: CASF L.226-2-1 (information préoccupante) and L.226-2-2.
    case childProtection
    /// Sharing within a care team: CSP L.1110-4.
    case healthTeam
}

/// Kinds of personal data a consent lets the professional share.
public enum DataCategory: String, Codable, Sendable, CaseIterable {
    case identity, contact, situation, health, legal, administrative, safety
}

/// A consent record, made by the professional with the person present (SPEC.md, "Consent
/// records"). The full record stays with the sender (and travels inside envelopes); its public
/// part goes to the relay. Signed by the recording device (`relais/v1/consent-record`).
///
/// Version 2 (issue 15, the exit programme) is an exit-programme consent that names the person's
/// département (`departement`), so that the relay and the auditor can check each organisation's
/// accreditation there, and in which the recording professional attests that the person is of age
/// (`adult`, always true: the programme is for «toute personne majeure»). Every other consent is still written as version 1 (byte for byte as
/// before); a version 1 consent with the exit programme among its purposes, recorded before,
/// still verifies (SPEC.md, "Consent records").
public struct ConsentRecord: Codable, Hashable, Sendable {
    /// The version written for a consent without a département.
    public static let version = 1
    /// The version written for an exit-programme consent, which names the département.
    public static let currentVersion = 2
    /// Default validity, as a duration (DESIGN.md: 6 months by default). The CLI counts calendar months.
    public static let defaultValidity: UInt64 = 183 * 86_400
    /// The longest validity, in calendar months (DESIGN.md: 24 at most): what the person is told.
    public static let maximumMonths = 24

    /// `grantedAt` plus `months` calendar months (Gregorian, UTC; a day missing from the last month
    /// gives that month's last day): «Votre accord vaut N mois» means exactly this instant.
    public static func validUntil(grantedAt: UInt64, months: Int) -> UInt64 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = Date(timeIntervalSince1970: TimeInterval(grantedAt))
        guard let end = calendar.date(byAdding: .month, value: months, to: start) else { return grantedAt }
        return UInt64(end.timeIntervalSince1970)
    }

    /// The validity rule the client, the relay and the auditor share: after the grant, and at most
    /// 24 calendar months later.
    public static func isValidPeriod(grantedAt: UInt64, validUntil: UInt64) -> Bool {
        grantedAt < validUntil && validUntil <= Self.validUntil(grantedAt: grantedAt, months: maximumMonths)
    }

    public var version: Int
    public var consentId: ConsentID
    /// Keyed hash of the organisation's own case id: stable for the organisation, opaque to others.
    public var subjectPseudonym: String
    public var recordedBy: DeviceID
    public var organisationId: OrganisationID
    public var method: ConsentMethod
    /// The language the person was informed in (ISO 639).
    public var language: String
    public var interpreter: Bool
    /// What the sharing is for.
    public var purposes: [Referral.Need]
    public var recipientOrganisations: [OrganisationID]
    public var recipientCategories: [PartnerCategory]
    public var dataCategories: [DataCategory]
    public var legalBasis: LegalBasis
    public var grantedAt: UInt64
    public var validUntil: UInt64
    /// Version 2: the person's département, for an exit-programme consent («l'une des associations
    /// de son département qui aura été agréée à cet effet»): a code of `DirectoryRules.isDepartementCode`.
    public var departement: String?
    /// Version 2: the recording professional attests that the person is of age (18 or over): the
    /// exit programme is for «toute personne majeure». Always true in version 2, absent in version 1.
    public var adult: Bool?

    /// Version 1 without `departement`, version 2 with it (then the purposes include the exit
    /// programme, and the record attests that the person is of age).
    public init(consentId: ConsentID, subjectPseudonym: String, recordedBy: DeviceID, organisationId: OrganisationID, method: ConsentMethod,
                language: String, interpreter: Bool, purposes: [Referral.Need], recipientOrganisations: [OrganisationID],
                recipientCategories: [PartnerCategory], dataCategories: [DataCategory], legalBasis: LegalBasis = .consent,
                grantedAt: UInt64, validUntil: UInt64, departement: String? = nil) {
        self.version = departement == nil ? Self.version : Self.currentVersion
        self.departement = departement
        self.adult = departement == nil ? nil : true
        self.consentId = consentId
        self.subjectPseudonym = subjectPseudonym
        self.recordedBy = recordedBy
        self.organisationId = organisationId
        self.method = method
        self.language = language
        self.interpreter = interpreter
        self.purposes = purposes
        self.recipientOrganisations = recipientOrganisations
        self.recipientCategories = recipientCategories
        self.dataCategories = dataCategories
        self.legalBasis = legalBasis
        self.grantedAt = grantedAt
        self.validUntil = validUntil
    }

    /// `HMAC-SHA-256(key, "relais/v1/subject" ‖ 0x00 ‖ case id)`, hex: the same case gives the
    /// same pseudonym under the same key, and nothing about the case id without it.
    public static func pseudonym(caseID: String, key: [UInt8]) -> String {
        Hex.encode(HMACSHA256.authenticate(domainSeparated(.subjectPseudonym, Array(caseID.utf8)), key: key))
    }

    public func validate() throws(ConsentError) {
        try Self.validateVersion(version, departement: departement, adult: adult, exitProgramme: purposes.contains(.exitProgramme))
        guard Self.isValidPeriod(grantedAt: grantedAt, validUntil: validUntil) else {
            throw .invalid("a consent is valid for at most 24 months")
        }
        guard !purposes.isEmpty, Set(purposes).count == purposes.count else { throw .invalid("purposes: at least one, no repeats") }
        guard !recipientOrganisations.isEmpty || !recipientCategories.isEmpty else {
            throw .invalid("name the recipient organisations or partner categories the person agreed to")
        }
        guard !dataCategories.isEmpty else { throw .invalid("name the kinds of data the person agreed to share") }
        guard legalBasis != .childProtection else { throw .invalid("child protection rests on a declaration, not on a consent record") }
        guard subjectPseudonym.count == 64, Hex.decode(subjectPseudonym) != nil else { throw .invalid("subject pseudonym must be 64 hex digits") }
    }

    /// The rule of both versions, for the record and its public part: version 1 names no
    /// département and attests nothing about age; version 2 is an exit-programme consent, names one
    /// département (`isDepartementCode`) and attests that the person is of age.
    static func validateVersion(_ version: Int, departement: String?, adult: Bool?, exitProgramme: Bool) throws(ConsentError) {
        switch version {
        case Self.version:
            guard departement == nil else { throw .invalid("a version 1 consent names no département") }
            guard adult == nil else { throw .invalid("a version 1 consent attests nothing about the person's age") }
        case Self.currentVersion:
            guard exitProgramme else { throw .invalid("a version 2 consent is an exit-programme consent: its purposes include exitProgramme") }
            guard let departement, DirectoryRules.isDepartementCode(departement) else {
                throw .invalid("an exit-programme consent names the person's département: 01 to 95, 2A, 2B or 971 to 976")
            }
            guard adult == true else {
                throw .invalid("an exit-programme consent attests that the person is of age (adult: true): the programme is for «toute personne majeure»")
            }
        default:
            throw .invalid("consent version \(version)")
        }
    }

    /// Whether the consent lets `organisation` (of `category`) receive.
    public func covers(organisation: OrganisationID, category: PartnerCategory) -> Bool {
        recipientOrganisations.contains(organisation) || recipientCategories.contains(category)
    }

    /// The part the relay sees: no pseudonym, no purposes, no data categories, no language; the
    /// département of an exit-programme consent (version 2, as the record's).
    public var publicPart: ConsentPublic {
        ConsentPublic(version: version, consentId: consentId, organisationId: organisationId, recordedBy: recordedBy,
                      recipientOrganisations: recipientOrganisations, recipientCategories: recipientCategories,
                      exitProgramme: purposes.contains(.exitProgramme), legalBasis: legalBasis, grantedAt: grantedAt, validUntil: validUntil,
                      departement: departement, adult: adult)
    }

    public func signed(by device: DeviceIdentity) throws(ConsentError) -> SignedObject {
        try validate()
        return .sign(CanonicalJSON.encode(self), context: .consentRecord, by: device)
    }

    public static func verify(_ object: SignedObject, signer: DevicePublicIdentity) throws(ConsentError) -> ConsentRecord {
        guard object.isSigned(by: signer.signingKey, context: .consentRecord) else { throw .badSignature("consent record") }
        let r: ConsentRecord
        do { r = try CanonicalJSON.decode(ConsentRecord.self, from: object.bytes) } catch { throw .invalid("\(error)") }
        try r.validate()
        guard r.recordedBy == signer.deviceID else { throw .invalid("the consent names another device than its signer") }
        return r
    }
}

/// The public part of a consent, signed by the recording device (`relais/v1/consent-public`).
/// Version 2 carries the département of an exit-programme consent, as the record's version 2.
public struct ConsentPublic: Codable, Hashable, Sendable {
    public var version: Int = ConsentRecord.version
    public var consentId: ConsentID
    public var organisationId: OrganisationID
    public var recordedBy: DeviceID
    public var recipientOrganisations: [OrganisationID]
    public var recipientCategories: [PartnerCategory]
    /// Whether the consent covers an exit-programme request (the relay enforces accreditation).
    public var exitProgramme: Bool
    public var legalBasis: LegalBasis
    public var grantedAt: UInt64
    public var validUntil: UInt64
    /// Version 2: the person's département (the exit-programme consent's).
    public var departement: String? = nil
    /// Version 2: the record's attestation that the person is of age (always true in version 2).
    public var adult: Bool? = nil

    public func covers(organisation: OrganisationID, category: PartnerCategory) -> Bool {
        recipientOrganisations.contains(organisation) || recipientCategories.contains(category)
    }

    public func signed(by device: DeviceIdentity) -> SignedObject {
        .sign(CanonicalJSON.encode(self), context: .consentPublic, by: device)
    }

    public static func verify(_ object: SignedObject, signer: DevicePublicIdentity) throws(ConsentError) -> ConsentPublic {
        guard object.isSigned(by: signer.signingKey, context: .consentPublic) else { throw .badSignature("consent") }
        let r = try parse(object)
        guard r.recordedBy == signer.deviceID else { throw .invalid("the consent names another device than its signer") }
        return r
    }

    /// Parses and validates a public part whose signature was already verified (the relay verifies
    /// it once, when the consent is published, and stores only what verified).
    public static func parse(_ object: SignedObject) throws(ConsentError) -> ConsentPublic {
        let r: ConsentPublic
        do { r = try CanonicalJSON.decode(ConsentPublic.self, from: object.bytes) } catch { throw .invalid("\(error)") }
        try ConsentRecord.validateVersion(r.version, departement: r.departement, adult: r.adult, exitProgramme: r.exitProgramme)
        guard ConsentRecord.isValidPeriod(grantedAt: r.grantedAt, validUntil: r.validUntil) else {
            throw .invalid("a consent is valid for at most 24 months")
        }
        guard !r.recipientOrganisations.isEmpty || !r.recipientCategories.isEmpty else { throw .invalid("a consent names its recipients") }
        guard r.legalBasis != .childProtection else { throw .invalid("child protection rests on a declaration") }
        return r
    }
}

/// Withdrawal of a consent by a device of the organisation that recorded it
/// (`relais/v1/consent-withdrawal`).
public struct ConsentWithdrawal: Codable, Hashable, Sendable {
    public var version: Int = 1
    public var consentId: ConsentID
    public var organisationId: OrganisationID
    public var withdrawnBy: DeviceID
    public var withdrawnAt: UInt64

    public init(consentId: ConsentID, organisationId: OrganisationID, withdrawnBy: DeviceID, withdrawnAt: UInt64) {
        self.consentId = consentId
        self.organisationId = organisationId
        self.withdrawnBy = withdrawnBy
        self.withdrawnAt = withdrawnAt
    }

    public func signed(by device: DeviceIdentity) -> SignedObject {
        .sign(CanonicalJSON.encode(self), context: .consentWithdrawal, by: device)
    }

    public static func verify(_ object: SignedObject, signer: DevicePublicIdentity) throws(ConsentError) -> ConsentWithdrawal {
        guard object.isSigned(by: signer.signingKey, context: .consentWithdrawal) else { throw .badSignature("consent withdrawal") }
        let r: ConsentWithdrawal
        do { r = try CanonicalJSON.decode(ConsentWithdrawal.self, from: object.bytes) } catch { throw .invalid("\(error)") }
        guard r.version == 1, r.withdrawnBy == signer.deviceID else { throw .invalid("the withdrawal names another device than its signer") }
        return r
    }

    /// Parses without verifying, to learn who must have signed.
    public static func unverifiedSigner(of object: SignedObject) throws(ConsentError) -> DeviceID {
        do { return try CanonicalJSON.decode(ConsentWithdrawal.self, from: object.bytes).withdrawnBy } catch { throw .invalid("\(error)") }
    }
}

/// The signed legal-basis declaration a child-protection report rests on instead of consent
/// (`relais/v1/child-protection-declaration`): every professional must act for a minor in danger,
/// even against the minor's wish (CASF L.226-2-1, L.226-2-2).
///
/// Version 2 (issue 15) ties the declaration to one case (`subjectPseudonym`, the keyed pseudonym
/// of the organisation's case id, as in a consent record), makes it expire (`validUntil`, at most
/// `maximumValidity` after `declaredAt`) and bounds the reports sent under it (`maxReports`,
/// 1…`maximumReports`). Version 1 declarations (none of the three) still verify; the rules read
/// them through `limits`, which gives them the maximum validity and report count.
public struct ChildProtectionDeclaration: Codable, Hashable, Sendable {
    public enum Article: String, Codable, Sendable, CaseIterable {
        case casfL226_2_1 = "CASF L.226-2-1"
        case casfL226_2_2 = "CASF L.226-2-2"
    }

    public static let currentVersion = 2
    /// 30 days. A declaration covers one situation of danger: the information préoccupante goes
    /// to the CRIP «sans délai», the signalement to the prosecutor with it or soon after; a later
    /// fact is a new evaluation, and a new declaration. Past a month the grounds stated are stale.
    public static let maximumValidity: UInt64 = 30 * 86_400
    /// At most 5 reports (envelopes) per declaration: the CRIP, the prosecutor, the police and a
    /// complement or two. Enough for one situation, too few for a declaration to become a blanket
    /// basis for sharing a minor's situation.
    public static let maximumReports = 5
    /// What the CLI proposes: the report to the CRIP, a signalement, one complement.
    public static let defaultReports = 3

    public var version: Int
    public var declarationId: ConsentID
    public var organisationId: OrganisationID
    public var declaredBy: DeviceID
    public var article: Article
    /// minor or allegedMinor.
    public var minorStatus: Referral.MinorStatus
    public var declaredAt: UInt64
    /// Version 2: the case (keyed pseudonym, 64 hex digits, `ConsentRecord.pseudonym`).
    public var subjectPseudonym: String?
    /// Version 2: nothing may be reported under the declaration from this instant.
    public var validUntil: UInt64?
    /// Version 2: how many envelopes the declaring organisation may send under it.
    public var maxReports: Int?

    /// A version 1 declaration (no case, no end, no bound): kept so that old logs and vectors verify.
    public init(declarationId: ConsentID, organisationId: OrganisationID, declaredBy: DeviceID, article: Article,
                minorStatus: Referral.MinorStatus, declaredAt: UInt64) {
        self.version = 1
        self.declarationId = declarationId
        self.organisationId = organisationId
        self.declaredBy = declaredBy
        self.article = article
        self.minorStatus = minorStatus
        self.declaredAt = declaredAt
    }

    /// A version 2 declaration, for the case `subjectPseudonym`.
    public init(declarationId: ConsentID, organisationId: OrganisationID, declaredBy: DeviceID, article: Article,
                minorStatus: Referral.MinorStatus, subjectPseudonym: String, declaredAt: UInt64, validUntil: UInt64,
                maxReports: Int = defaultReports) {
        self.init(declarationId: declarationId, organisationId: organisationId, declaredBy: declaredBy, article: article,
                  minorStatus: minorStatus, declaredAt: declaredAt)
        self.version = Self.currentVersion
        self.subjectPseudonym = subjectPseudonym
        self.validUntil = validUntil
        self.maxReports = maxReports
    }

    /// The end and the bound the rules apply (`CoverPolicy`): a version 1 declaration gets the
    /// maximum of version 2, counted from its `declaredAt`.
    public var limits: (validUntil: UInt64, maxReports: Int) {
        (validUntil ?? declaredAt + Self.maximumValidity, maxReports ?? Self.maximumReports)
    }

    public func validate() throws(ConsentError) {
        guard minorStatus == .minor || minorStatus == .allegedMinor else {
            throw .invalid("a child-protection declaration is for a minor or an alleged minor")
        }
        switch version {
        case 1:
            guard subjectPseudonym == nil, validUntil == nil, maxReports == nil else {
                throw .invalid("a version 1 declaration has no subjectPseudonym, validUntil or maxReports")
            }
        case 2:
            guard let subjectPseudonym, subjectPseudonym.count == 64, Hex.decode(subjectPseudonym) != nil else {
                throw .invalid("a declaration names its case: subjectPseudonym must be 64 hex digits")
            }
            guard let validUntil, declaredAt < validUntil, validUntil - declaredAt <= Self.maximumValidity else {
                throw .invalid("a declaration is valid for at most \(Self.maximumValidity / 86_400) days after it is made")
            }
            guard let maxReports, (1...Self.maximumReports).contains(maxReports) else {
                throw .invalid("a declaration serves 1 to \(Self.maximumReports) reports")
            }
        default:
            throw .invalid("declaration version \(version)")
        }
    }

    public func signed(by device: DeviceIdentity) throws(ConsentError) -> SignedObject {
        try validate()
        return .sign(CanonicalJSON.encode(self), context: .childProtectionDeclaration, by: device)
    }

    public static func verify(_ object: SignedObject, signer: DevicePublicIdentity) throws(ConsentError) -> ChildProtectionDeclaration {
        guard object.isSigned(by: signer.signingKey, context: .childProtectionDeclaration) else { throw .badSignature("declaration") }
        let r = try parse(object)
        guard r.declaredBy == signer.deviceID else { throw .invalid("the declaration names another device than its signer") }
        return r
    }

    /// Parses and validates a declaration whose signature was already verified (the relay verifies
    /// it once, at `POST /v1/declarations`, and stores only what verified).
    public static func parse(_ object: SignedObject) throws(ConsentError) -> ChildProtectionDeclaration {
        let r: ChildProtectionDeclaration
        do { r = try CanonicalJSON.decode(ChildProtectionDeclaration.self, from: object.bytes) } catch { throw .invalid("\(error)") }
        try r.validate()
        return r
    }

    /// The categories a child-protection report may go to.
    public static let allowedRecipients: Set<PartnerCategory> = [.childProtection, .prosecutor, .police]
}

public enum ConsentError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String)
    case badSignature(String)

    public var description: String {
        switch self {
        case let .invalid(why): "consent: \(why)"
        case let .badSignature(what): "the \(what) signature does not verify against the recording device"
        }
    }
}
