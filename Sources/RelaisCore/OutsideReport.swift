internal import RelaisCrypto

public enum OutsideReportKind {}
/// The id of a report made outside Relais and recorded (`OutsideReportRecord`).
public typealias OutsideReportID = Identifier<OutsideReportKind>

/// A child-protection report about a minor (or an alleged minor) made outside Relais, recorded by
/// the professional who made it (SPEC.md, "Report made outside Relais"; `relais/v1/outside-report`,
/// signed by the recording device, sent to the relay and logged whole in its
/// `outsideReportRecorded` entry). The guide: «Tout·e professionnel·le qui a connaissance d'une
/// situation de prostitution de mineur·e·s a le devoir d'agir : signaler la personne aux autorités
/// locales (services sociaux départementaux […], forces de l'ordre, institution judiciaire) ou au
/// 119». A referral about that minor goes on once the report is recorded (`ReferralRules.minorPath`).
///
/// Pseudonymous: the case is its keyed pseudonym (`ConsentRecord.pseudonym`, the organisation
/// key), never a name or the case label; the record says to whom and when, nothing of what.
public struct OutsideReportRecord: Codable, Hashable, Sendable {
    /// To whom the report was made: the four ways the guide names.
    public enum Recipient: String, Codable, Sendable, CaseIterable {
        /// The département's child protection: the CRIP (cellule de recueil des informations préoccupantes).
        case crip
        /// Police or gendarmerie.
        case police
        /// The public prosecutor (the courts).
        case justice
        /// 119, Allô Enfance en Danger.
        case hotline119 = "119"
    }

    public static let currentVersion = 1
    /// 30 days, as a declaration's validity: a report older than that was about an earlier
    /// situation (a new fact is a new evaluation and a new report), and it stops covering the
    /// minor path 30 days after it was made (`covers(at:)`).
    public static let maximumAge: UInt64 = 30 * 86_400

    public var version: Int
    public var reportId: OutsideReportID
    public var organisationId: OrganisationID
    public var recordedBy: DeviceID
    /// The case (keyed pseudonym, 64 lowercase hex digits, as a consent's).
    public var subjectPseudonym: String
    public var reportedTo: Recipient
    /// When the report was made (Unix seconds; the CLI takes the start of the day given, in Paris).
    public var reportedAt: UInt64
    /// When it was recorded on the device.
    public var recordedAt: UInt64

    public init(reportId: OutsideReportID, organisationId: OrganisationID, recordedBy: DeviceID, subjectPseudonym: String,
                reportedTo: Recipient, reportedAt: UInt64, recordedAt: UInt64) {
        self.version = Self.currentVersion
        self.reportId = reportId
        self.organisationId = organisationId
        self.recordedBy = recordedBy
        self.subjectPseudonym = subjectPseudonym
        self.reportedTo = reportedTo
        self.reportedAt = reportedAt
        self.recordedAt = recordedAt
    }

    /// The record's own rules: version 1, a 64-hex-digit pseudonym, `reportedAt ≤ recordedAt ≤
    /// reportedAt + 30 days`.
    public func validate() throws(ConsentError) {
        guard version == Self.currentVersion else { throw .invalid("outside report version \(version)") }
        guard subjectPseudonym.count == 64, subjectPseudonym == subjectPseudonym.lowercased(), Hex.decode(subjectPseudonym) != nil else {
            throw .invalid("an outside report names its case: subjectPseudonym must be 64 lowercase hex digits")
        }
        guard reportedAt <= recordedAt else { throw .invalid("an outside report is recorded after it was made (reportedAt ≤ recordedAt)") }
        guard recordedAt - reportedAt <= Self.maximumAge else {
            throw .invalid("an outside report is recorded at most \(Self.maximumAge / 86_400) days after it was made")
        }
    }

    /// What the relay (at publication) and the auditor (at the entry's time) check: the record's
    /// rules, that it was not recorded in the future at `time`, and that the report is not older
    /// than 30 days at `time` (both with `skew`).
    public func check(at time: UInt64, skew: UInt64 = CoverPolicy.defaultSkew) throws(ConsentError) {
        try validate()
        guard recordedAt <= time + skew else { throw .invalid("an outside report cannot be recorded in the future") }
        guard time <= reportedAt + Self.maximumAge + skew else {
            throw .invalid("an outside report is recorded at most \(Self.maximumAge / 86_400) days after it was made")
        }
    }

    /// Whether it still stands for the minor path at `time`: made less than 30 days ago.
    public func covers(at time: UInt64) -> Bool { time < reportedAt + Self.maximumAge }

    public func signed(by device: DeviceIdentity) throws(ConsentError) -> SignedObject {
        try validate()
        return .sign(CanonicalJSON.encode(self), context: .outsideReport, by: device)
    }

    /// Verifies the signature by `signer`, then parses and validates; the record must be in
    /// canonical form and name its signer.
    public static func verify(_ object: SignedObject, signer: DevicePublicIdentity) throws(ConsentError) -> OutsideReportRecord {
        guard object.isSigned(by: signer.signingKey, context: .outsideReport) else { throw .badSignature("outside report") }
        let r: OutsideReportRecord
        do { r = try CanonicalJSON.decode(OutsideReportRecord.self, from: object.bytes) } catch { throw .invalid("\(error)") }
        // Logged whole: its exact canonical form and nothing else (no member the record does not
        // have, such as a name, can reach the audit log).
        guard CanonicalJSON.encode(r) == object.bytes else {
            throw .invalid("an outside report is the canonical JSON of its fields only (sorted keys, no whitespace, no other member)")
        }
        try r.validate()
        guard r.recordedBy == signer.deviceID else { throw .invalid("the outside report names another device than its signer") }
        return r
    }
}
