public import Foundation

/// The referral ("orientation", "fiche de liaison"): the plaintext a professional seals for a
/// partner organisation. Schema v1, `Protocol/referral.schema.json`; travels as UTF-8 JSON inside
/// the signed, sealed body, and is parsed only after the signature has been verified.
public struct Referral: Codable, Hashable, Sendable {
    public static let schemaVersion = 1
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

    public enum Need: String, Codable, Sendable, CaseIterable {
        case emergencyShelter, housing, distantShelter, health, sexualHealth, mentalHealth, legalHelp
        case residenceRights, complaintSupport, exitProgramme, employmentTraining, frenchLessons, income
        case childProtection
    }

    public enum AgeBand: String, Codable, Sendable, CaseIterable {
        case under15, from15to17, from18to24, from25to34, from35to49, from50, unknown
    }

    public enum MinorStatus: String, Codable, Sendable, CaseIterable {
        case adult, minor, allegedMinor, unknown
    }

    public enum AdministrativeStatus: String, Codable, Sendable, CaseIterable {
        case frenchOrEU, residencePermit, asylumSeeker, refugeeOrSubsidiaryProtection, undocumented, other, unknown
    }

    public struct Person: Codable, Hashable, Sendable {
        /// The sender organisation's own case pseudonym: never a real name.
        public var casePseudonym: String
        public var firstName: String?
        public var ageBand: AgeBand
        public var minorStatus: MinorStatus
        /// Lowercase ISO 639 codes ("fr", "en", "ro", "bin").
        public var languages: [String]
        public var interpreterNeeded: Bool
        public var administrativeStatus: AdministrativeStatus

        public init(casePseudonym: String, firstName: String? = nil, ageBand: AgeBand, minorStatus: MinorStatus,
                    languages: [String], interpreterNeeded: Bool, administrativeStatus: AdministrativeStatus) {
            self.casePseudonym = casePseudonym
            self.firstName = firstName
            self.ageBand = ageBand
            self.minorStatus = minorStatus
            self.languages = languages
            self.interpreterNeeded = interpreterNeeded
            self.administrativeStatus = administrativeStatus
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

    public init(kind: Kind, inReplyTo: EnvelopeID? = nil, needs: [Need], person: Person, safety: Safety,
                freeText: String? = nil, attachments: [Attachment] = [], consent: ConsentReference,
                sender: SenderContact, createdAt: UInt64) {
        self.schemaVersion = Self.schemaVersion
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

    /// Limits of schema v1 (mirrored in referral.schema.json).
    public enum Limits {
        public static let shortText = 200
        public static let freeText = 20_000
        public static let attachments = 10
        public static let languages = 10
    }

    /// Checks the rules JSON decoding alone cannot: ranges, lengths, and the rules tying the kind
    /// to the person and to the consent reference.
    public func validate() throws(ReferralError) {
        guard schemaVersion == Self.schemaVersion else { throw .invalid("schemaVersion must be 1, got \(schemaVersion)") }
        guard !needs.isEmpty else { throw .invalid("needs: at least one need") }
        guard Set(needs).count == needs.count else { throw .invalid("needs: listed twice") }
        guard (0...3).contains(safety.dangerLevel) else { throw .invalid("safety.dangerLevel must be 0 to 3, got \(safety.dangerLevel)") }
        let trimmed = person.casePseudonym.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalid("person.casePseudonym is empty") }
        for (name, text) in [("person.casePseudonym", person.casePseudonym), ("person.firstName", person.firstName ?? ""),
                             ("safety.codeWord", safety.codeWord ?? ""), ("sender.name", sender.name), ("sender.role", sender.role),
                             ("sender.phone", sender.phone ?? ""), ("sender.email", sender.email ?? "")] {
            guard text.count <= Limits.shortText else { throw .invalid("\(name) longer than \(Limits.shortText) characters") }
        }
        guard (safety.safeContactInstructions ?? "").count <= Limits.freeText, (freeText ?? "").count <= Limits.freeText else {
            throw .invalid("free text longer than \(Limits.freeText) characters")
        }
        guard !sender.name.isEmpty, !sender.role.isEmpty else { throw .invalid("sender.name and sender.role are required") }
        guard (1...Limits.languages).contains(person.languages.count) else { throw .invalid("person.languages: 1 to \(Limits.languages) codes") }
        for l in person.languages {
            guard (2...3).contains(l.count), l.allSatisfy({ $0.isASCII && $0.isLowercase }) else {
                throw .invalid("person.languages: \"\(l)\" is not a lowercase ISO 639 code")
            }
        }
        guard attachments.count <= Limits.attachments else { throw .invalid("more than \(Limits.attachments) attachments") }
        switch kind {
        case .reply:
            guard inReplyTo != nil else { throw .invalid("a reply needs inReplyTo") }
        default:
            guard inReplyTo == nil else { throw .invalid("inReplyTo is only for replies") }
        }
        switch kind {
        case .childProtectionReport:
            guard person.minorStatus == .minor || person.minorStatus == .allegedMinor else {
                throw .invalid("a child-protection report is for a minor or alleged minor")
            }
            guard consent.kind == .childProtectionDeclaration else {
                throw .invalid("a child-protection report is covered by a child-protection declaration")
            }
        case .exitProgrammeRequest:
            guard consent.kind == .exitProgrammeConsent else {
                throw .invalid("an exit-programme request rests on a consent of kind exitProgrammeConsent")
            }
            guard needs.contains(.exitProgramme) else { throw .invalid("an exit-programme request lists the exitProgramme need") }
        default:
            guard consent.kind == .consent else {
                throw .invalid("this kind of referral rests on a consent of kind consent")
            }
        }
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

    private static let knownKeys: [String: Set<String>] = [
        "": ["schemaVersion", "kind", "inReplyTo", "needs", "person", "safety", "freeText", "attachments", "consent", "sender", "createdAt"],
        "person": ["casePseudonym", "firstName", "ageBand", "minorStatus", "languages", "interpreterNeeded", "administrativeStatus"],
        "safety": ["dangerLevel", "safeContactInstructions", "safeToCall", "codeWord"],
        "consent": ["kind", "id"],
        "sender": ["name", "role", "phone", "email"],
        "attachments": ["filename", "mediaType", "data"],
    ]

    private static func checkKnownKeys(_ object: Any) throws(ReferralError) {
        guard let top = object as? [String: Any] else { throw .invalid("referral is not a JSON object") }
        try check(top, allowed: knownKeys[""]!, at: "referral")
        for section in ["person", "safety", "consent", "sender"] {
            if let sub = top[section] as? [String: Any] { try check(sub, allowed: knownKeys[section]!, at: section) }
        }
        if let list = top["attachments"] as? [Any] {
            for case let a as [String: Any] in list { try check(a, allowed: knownKeys["attachments"]!, at: "attachments") }
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
