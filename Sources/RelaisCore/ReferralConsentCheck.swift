/// What the recipient's client checks of the consent a referral travels under (SPEC.md, "Consent
/// records", "Where the consent travels"). A v2 referral under a consent carries the sender's
/// signed consent record (`Referral.consentRecord`); the recipient verifies its signature against
/// the recording device (the client's part: it needs the directory), then applies
/// `Referral.consentFlags(record:senderOrganisation:)`. These are flags, not refusals: the data
/// already arrived, and the recipient keeps it and tells the professional what is wrong.
public struct ConsentFlag: Codable, Hashable, Sendable {
    public enum Code: String, Codable, Sendable, CaseIterable {
        /// A v2 referral under a consent without its record (a sender before this rule, or one that hides it).
        case recordMissing = "consent_record_missing"
        /// The record's signature does not verify against a device of the sender's organisation, or the record is invalid.
        case recordUnverified = "consent_record_unverified"
        /// The record is not the consent the referral names, or was recorded by another organisation than the sender's.
        case otherConsent = "consent_record_other"
        /// The referral carries data categories the consent does not list.
        case dataCategories = "consent_data_categories"
        /// The referral's needs are not all among the consent's purposes.
        case purposes = "consent_purposes"
        /// The referral is about another person than the consent's subject.
        case subject = "consent_subject"
        /// The consent was not valid at the referral's `createdAt`.
        case period = "consent_period"
        /// An exit-programme request for another département than the consent's.
        case departement = "consent_departement"
        /// An exit-programme request about a person not stated to be of age, or under a consent
        /// that does not attest it («toute personne majeure»).
        case adultsOnly = "exit_programme_adults_only"
    }

    public var code: Code
    /// In French, for the professional (the CLI prefixes «Attention :»).
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public static let missing = ConsentFlag(.recordMissing, "accord non joint : l'orientation ne porte pas le consentement de la personne, ce qu'elle couvre n'a pas pu être vérifié")

    /// The record does not verify (`why`: a technical reason, for the log of the CLI).
    public static func unverified(_ why: String) -> ConsentFlag {
        ConsentFlag(.recordUnverified, "le consentement joint ne se vérifie pas (\(why)) : ce qu'il couvre n'a pas pu être vérifié")
    }
}

extension Referral {
    /// Whether this referral should carry its consent record: schema v2, under a consent, not a reply.
    public var expectsConsentRecord: Bool {
        schemaVersion >= 2 && kind != .reply && consent.kind != .childProtectionDeclaration
    }

    /// The flags of a referral against the consent record it carries, whose signature the caller
    /// verified (`ConsentRecord.verify`) against a device of `senderOrganisation`: the record is the
    /// referenced consent of the sender's organisation, lists every data category the referral
    /// carries and every need among its purposes, names the referral's subject, and was valid at
    /// `createdAt` (`grantedAt ≤ createdAt < validUntil`); for an exit-programme request, that the
    /// request's département is the consent's and that both say the person is of age. Empty when all hold.
    public func consentFlags(record: ConsentRecord, senderOrganisation: OrganisationID?) -> [ConsentFlag] {
        guard record.consentId == consent.id, record.organisationId == senderOrganisation else {
            return [ConsentFlag(.otherConsent, "le consentement joint n'est pas celui que l'orientation cite, ou une autre structure que l'expéditrice l'a recueilli")]
        }
        var flags: [ConsentFlag] = []
        let outside = categoriesOutside(record.dataCategories)
        if !outside.isEmpty {
            flags.append(ConsentFlag(.dataCategories, "l'orientation contient des informations que la personne n'a pas accepté de partager : \(DataCategory.frenchList(outside))"))
        }
        let needs = self.needs.filter { !record.purposes.contains($0) }
        if !needs.isEmpty {
            flags.append(ConsentFlag(.purposes, "le consentement ne couvre pas ces besoins : \(needs.map(\.rawValue).joined(separator: ", "))"))
        }
        if record.subjectPseudonym != person.subject {
            flags.append(ConsentFlag(.subject, "l'orientation ne désigne pas la personne du consentement"))
        }
        if !(record.grantedAt <= createdAt && createdAt < record.validUntil) {
            flags.append(ConsentFlag(.period, "le consentement n'était pas valide à la date de l'orientation"))
        }
        if kind == .exitProgrammeRequest {
            if let requested = exitProgramme?.departement, requested != record.departement {
                flags.append(ConsentFlag(.departement, "la demande de parcours de sortie est pour le département \(requested), "
                                         + "mais la personne a consenti \(record.departement.map { "pour le département \($0)" } ?? "sans nommer de département")"))
            }
            if person.minorStatus != .adult || record.adult != true {
                flags.append(ConsentFlag(.adultsOnly, "le parcours de sortie est pour « toute personne majeure » : "
                                         + (person.minorStatus != .adult ? "l'orientation ne dit pas la personne majeure" : "le consentement n'atteste pas que la personne est majeure")))
            }
        }
        return flags
    }
}

extension ConsentRecord {
    /// The device a carried record names as its recorder, read before its signature is verified:
    /// only to find the key to verify it with (`verify` then checks that it names its signer).
    public static func unverifiedRecorder(of object: SignedObject) throws(ConsentError) -> DeviceID {
        do { return try CanonicalJSON.decode(ConsentRecord.self, from: object.bytes).recordedBy } catch { throw .invalid("\(error)") }
    }
}
