public import Foundation

/// The referral ("orientation", "fiche de liaison"): the plaintext a professional seals for a
/// partner organisation. Schema v2 (`Protocol/referral.schema.json`, SPEC.md "Referral schema v2");
/// schema v1 referrals still decode and validate unchanged. Travels as UTF-8 JSON inside the
/// signed, sealed body, and is parsed only after the signature has been verified.
///
/// The version follows the person: a `Person(subjectPseudonym:…)` (the consent's keyed pseudonym)
/// makes a v2 referral, a `Person(casePseudonym:…)` (v1's free text) a v1 referral. New referrals
/// are written as v2; v1 is kept so that the referrals and vectors written before stay readable.
public struct Referral: Codable, Hashable, Sendable {
    /// The version new referrals are written in.
    public static let schemaVersion = 2
    /// The versions `decode` reads.
    public static let readableVersions: ClosedRange<Int> = 1...2
    /// Shown whenever a referral has danger level 3.
    public static let emergencyNotice =
        "Danger level 3: Relais is not an emergency channel. In immediate danger call 17 or 112 (police, emergencies); for a child at risk call 119."

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case orientation
        case exitProgrammeRequest
        case childProtectionReport
        case safeAccommodationRequest
        case reply
    }

    /// What the person needs. In v2 the array's order is the priority: the first need is the most
    /// urgent.
    public enum Need: String, Codable, Sendable, CaseIterable {
        case emergencyShelter, housing, distantShelter, health, sexualHealth, mentalHealth, legalHelp
        case residenceRights, complaintSupport, exitProgramme, employmentTraining, frenchLessons, income
        case childProtection
        // Schema v2.
        case addictions, harmReduction
        /// Health cover: AME, PUMa.
        case healthCover
        /// A postal address («domiciliation administrative»).
        case domiciliation
        /// «biens de première nécessité».
        case basicNecessities
        /// Being accompanied to appointments («accompagnement physique»).
        case accompaniment
        /// Support as a parent («soutenir la parentalité»).
        case parenting
        /// The exit programme's «autorisation provisoire de séjour» (APS).
        case provisionalResidenceAuthorisation
        /// The exit programme's «aide financière pour l'insertion sociale et professionnelle» (AFIS).
        case afisAllowance

        /// The needs of schema v1; the others are v2 only.
        public static let v1Cases: Set<Need> = [.emergencyShelter, .housing, .distantShelter, .health, .sexualHealth, .mentalHealth,
                                                .legalHelp, .residenceRights, .complaintSupport, .exitProgramme, .employmentTraining,
                                                .frenchLessons, .income, .childProtection]
    }

    public enum AgeBand: String, Codable, Sendable, CaseIterable {
        case under15, from15to17, from18to24, from25to34, from35to49, from50, unknown

        /// Under 18: `under15`, `from15to17`.
        public var isMinorBand: Bool { self == .under15 || self == .from15to17 }
        /// 18 or over: `from18to24` and older.
        public var isAdultBand: Bool { self != .unknown && !isMinorBand }
    }

    /// `unknown` is schema v1 only: in v2 a doubt about the age is `allegedMinor`.
    public enum MinorStatus: String, Codable, Sendable, CaseIterable {
        case adult, minor, allegedMinor, unknown

        /// `minor` or `allegedMinor`.
        public var isMinorOrAlleged: Bool { self == .minor || self == .allegedMinor }
    }

    public enum AdministrativeStatus: String, Codable, Sendable, CaseIterable {
        case frenchOrEU, residencePermit, asylumSeeker, refugeeOrSubsidiaryProtection, undocumented, other, unknown
        /// Schema v2: holds the exit programme's «autorisation provisoire de séjour» (APS).
        case provisionalResidenceAuthorisation
    }

    public struct Person: Codable, Hashable, Sendable {
        /// Schema v2: the consent's `subjectPseudonym` (64 lowercase hex digits, the keyed hash of
        /// the organisation's case id, `ConsentRecord.pseudonym`). The raw case id never travels.
        public var subjectPseudonym: String?
        /// Schema v1 only: the sender organisation's free-text case pseudonym.
        public var v1CasePseudonym: String?
        public var firstName: String?
        public var ageBand: AgeBand
        public var minorStatus: MinorStatus
        /// Lowercase ISO 639 codes ("fr", "en", "ro", "bin").
        public var languages: [String]
        public var interpreterNeeded: Bool
        public var administrativeStatus: AdministrativeStatus

        /// A schema v1 person, named by the sender's free-text case pseudonym.
        public init(casePseudonym: String, firstName: String? = nil, ageBand: AgeBand, minorStatus: MinorStatus,
                    languages: [String], interpreterNeeded: Bool, administrativeStatus: AdministrativeStatus) {
            self.v1CasePseudonym = casePseudonym
            self.firstName = firstName
            self.ageBand = ageBand
            self.minorStatus = minorStatus
            self.languages = languages
            self.interpreterNeeded = interpreterNeeded
            self.administrativeStatus = administrativeStatus
        }

        /// A schema v2 person, named by the consent's subject pseudonym.
        public init(subjectPseudonym: String, firstName: String? = nil, ageBand: AgeBand, minorStatus: MinorStatus,
                    languages: [String], interpreterNeeded: Bool, administrativeStatus: AdministrativeStatus) {
            self.init(casePseudonym: "", firstName: firstName, ageBand: ageBand, minorStatus: minorStatus, languages: languages,
                      interpreterNeeded: interpreterNeeded, administrativeStatus: administrativeStatus)
            self.v1CasePseudonym = nil
            self.subjectPseudonym = subjectPseudonym
        }

        /// Who the referral is about, in either version: v2's `subjectPseudonym`, v1's `casePseudonym`.
        public var subject: String { subjectPseudonym ?? v1CasePseudonym ?? "" }

        /// `subject`, under its v1 name (kept for existing callers). Setting it sets the v1 field.
        public var casePseudonym: String {
            get { subject }
            set { v1CasePseudonym = newValue }
        }

        enum CodingKeys: String, CodingKey {
            case subjectPseudonym
            case v1CasePseudonym = "casePseudonym"
            case firstName, ageBand, minorStatus, languages, interpreterNeeded, administrativeStatus
        }
    }

    public struct Safety: Codable, Hashable, Sendable {
        /// 0 none known, 1 low, 2 high, 3 immediate danger.
        public var dangerLevel: Int
        public var safeContactInstructions: String?
        public var safeToCall: Bool
        public var codeWord: String?

        public init(dangerLevel: Int, safeContactInstructions: String? = nil, safeToCall: Bool, codeWord: String? = nil) {
            self.dangerLevel = dangerLevel
            self.safeContactInstructions = safeContactInstructions
            self.safeToCall = safeToCall
            self.codeWord = codeWord
        }
    }

    public struct Attachment: Codable, Hashable, Sendable {
        public var filename: String
        public var mediaType: String
        /// The attachment's bytes (base64 in JSON).
        public var data: Data

        public init(filename: String, mediaType: String, data: Data) {
            self.filename = filename
            self.mediaType = mediaType
            self.data = data
        }
    }

    public struct SenderContact: Codable, Hashable, Sendable {
        public var name: String
        public var role: String
        public var phone: String?
        public var email: String?

        public init(name: String, role: String, phone: String? = nil, email: String? = nil) {
            self.name = name
            self.role = role
            self.phone = phone
            self.email = email
        }
    }

    public var schemaVersion: Int
    public var kind: Kind
    /// For a reply: the envelope id of the referral it answers.
    public var inReplyTo: EnvelopeID?
    public var needs: [Need]
    public var person: Person
    public var safety: Safety
    public var freeText: String?
    public var attachments: [Attachment]
    public var consent: ConsentReference
    public var sender: SenderContact
    /// Unix seconds.
    public var createdAt: UInt64
    // Schema v2 (nil in v1).
    public var situation: Situation?
    /// The professional who coordinates the person's path («professionnel.le référent.e de parcours»).
    public var leadProfessional: LeadProfessional?
    /// Only for a `minor` or `allegedMinor`.
    public var minor: MinorDetails?
    /// Exactly for `kind: exitProgrammeRequest`.
    public var exitProgramme: ExitProgramme?
    /// Exactly for `kind: reply`.
    public var outcome: Outcome?
    /// A referral under a consent (not a reply, not under a declaration): the sender's signed
    /// consent record (`{"bytes", "signature"}`, base64), so that the recipient checks the referral
    /// against the consent it travels under (SPEC.md, "Consent records": where the consent travels).
    public var consentRecord: SignedObject?

    /// The version is the person's: v2 for `Person(subjectPseudonym:…)`, v1 for `Person(casePseudonym:…)`.
    public init(kind: Kind, inReplyTo: EnvelopeID? = nil, needs: [Need], person: Person, safety: Safety,
                freeText: String? = nil, attachments: [Attachment] = [], consent: ConsentReference,
                sender: SenderContact, createdAt: UInt64, situation: Situation? = nil, leadProfessional: LeadProfessional? = nil,
                minor: MinorDetails? = nil, exitProgramme: ExitProgramme? = nil, outcome: Outcome? = nil,
                consentRecord: SignedObject? = nil) {
        self.consentRecord = consentRecord
        self.schemaVersion = person.subjectPseudonym != nil || person.v1CasePseudonym == nil ? 2 : 1
        self.situation = situation
        self.leadProfessional = leadProfessional
        self.minor = minor
        self.exitProgramme = exitProgramme
        self.outcome = outcome
        self.kind = kind
        self.inReplyTo = inReplyTo
        self.needs = needs
        self.person = person
        self.safety = safety
        self.freeText = freeText
        self.attachments = attachments
        self.consent = consent
        self.sender = sender
        self.createdAt = createdAt
    }

    /// Limits (mirrored in referral.schema.json).
    public enum Limits {
        public static let shortText = 200
        public static let freeText = 20_000
        public static let attachments = 10
        public static let languages = 10
        /// v2: an outcome's `reason` and `note`.
        public static let outcomeText = 2_000
        /// v2: `situation.children.count`.
        public static let children = 20
        /// v2: `situation.areasToAvoid` (there are 101 départements).
        public static let departements = 101
        /// v2: the bytes of `consentRecord` (a consent record is about 1 KB).
        public static let consentRecordBytes = 16_384
    }

    /// True when the CLI must show `emergencyNotice`.
    public var needsEmergencyNotice: Bool { safety.dangerLevel >= 3 }

    /// Canonical JSON: sorted keys, no escaped slashes. Validates first.
    public func encoded() throws(ReferralError) -> [UInt8] {
        try validate()
        do {
            return Array(try Self.encoder.encode(self))
        } catch {
            throw .invalid("cannot encode: \(error)")
        }
    }

    /// Decodes and validates. Unknown fields and repeated member names are refused, so that nothing
    /// the sender wrote is silently dropped and every reader sees the same content.
    public static func decode(_ bytes: [UInt8]) throws(ReferralError) -> Referral {
        let r: Referral
        do {
            guard String(validating: bytes, as: UTF8.self) != nil else { throw ReferralError.invalid("not UTF-8") }
            let object = try JSONSerialization.jsonObject(with: Data(bytes))
            do {
                try DuplicateKeyCheck.check(bytes)
            } catch {
                throw ReferralError.invalid("member \"\(error.name)\" appears twice")
            }
            try checkKnownKeys(object)
            r = try JSONDecoder().decode(Referral.self, from: Data(bytes))
        } catch let e as ReferralError {
            throw e
        } catch let DecodingError.dataCorrupted(ctx) {
            throw .invalid("\(path(ctx.codingPath)): \(ctx.debugDescription)")
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw .invalid("missing \(path(ctx.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw .invalid("\(path(ctx.codingPath)): wrong type")
        } catch let DecodingError.valueNotFound(_, ctx) {
            throw .invalid("\(path(ctx.codingPath)): missing value")
        } catch {
            throw .invalid("not JSON")
        }
        try r.validate()
        return r
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "referral" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private static let knownKeysV1: [String: Set<String>] = [
        "": ["schemaVersion", "kind", "inReplyTo", "needs", "person", "safety", "freeText", "attachments", "consent", "sender", "createdAt"],
        "person": ["casePseudonym", "firstName", "ageBand", "minorStatus", "languages", "interpreterNeeded", "administrativeStatus"],
        "safety": ["dangerLevel", "safeContactInstructions", "safeToCall", "codeWord"],
        "consent": ["kind", "id"],
        "sender": ["name", "role", "phone", "email"],
        "attachments": ["filename", "mediaType", "data"],
    ]

    private static let knownKeysV2: [String: Set<String>] = knownKeysV1.merging([
        "": knownKeysV1[""]!.union(["situation", "leadProfessional", "minor", "exitProgramme", "outcome", "consentRecord"]),
        "person": knownKeysV1["person"]!.subtracting(["casePseudonym"]).union(["subjectPseudonym"]),
        "situation": ["exploitationTypes", "inDangerLocally", "needsToMoveAway", "currentDepartement", "areasToAvoid", "children",
                      "threatsToRelatives", "debt", "identityDocumentsHeldByOthers", "complaintFiled", "pregnancy", "interview"],
        "situation.children": ["count", "withThePerson", "atRisk"],
        "leadProfessional": ["name", "organisation", "phone", "email"],
        "minor": ["unaccompaniedForeign", "aged16OrMoreWithComplaint"],
        "exitProgramme": ["request", "monthsAlreadyUsed", "departement"],
        "outcome": ["status", "appointmentAt", "reason", "reorientedTo", "opinion", "decision", "note"],
        "consentRecord": ["bytes", "signature"],
    ]) { $1 }

    /// Refuses members the referral's version does not define (so a v1 referral cannot carry a v2 field).
    private static func checkKnownKeys(_ object: Any) throws(ReferralError) {
        guard let top = object as? [String: Any] else { throw .invalid("referral is not a JSON object") }
        let known = (top["schemaVersion"] as? Int) == 2 ? knownKeysV2 : knownKeysV1
        try check(top, allowed: known[""]!, at: "referral")
        for (section, allowed) in known.sorted(by: { $0.key < $1.key }) where !section.isEmpty && section != "attachments" {
            let parts = section.split(separator: ".").map(String.init)
            var node: Any? = top
            for p in parts { node = (node as? [String: Any])?[p] }
            if let sub = node as? [String: Any] { try check(sub, allowed: allowed, at: section) }
        }
        if let list = top["attachments"] as? [Any] {
            for case let a as [String: Any] in list { try check(a, allowed: known["attachments"]!, at: "attachments") }
        }
    }

    private static func check(_ dict: [String: Any], allowed: Set<String>, at place: String) throws(ReferralError) {
        if let unknown = dict.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .invalid("\(place): unknown field \"\(unknown)\"")
        }
    }
}

public enum ReferralError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self {
        case let .invalid(why): why
        }
    }
}
