import Foundation
import RelaisCore
import RelaisCrypto

/// `outside-report.json` (SPEC.md, "Report made outside Relais"): a signed `OutsideReportRecord`,
/// the audit entry the relay logs for it, and records a verifier must refuse.
public struct OutsideReportVector: Codable, Equatable, Sendable {
    /// Exact signed bytes (UTF-8 JSON) and the hex Ed25519 signature over `relais/v1/outside-report ‖ 0x00 ‖ bytes`.
    public typealias Signed = ConsentVector.Signed
    public struct Refused: Codable, Equatable, Sendable {
        public var label: String
        public var record: Signed
        /// `badSignature` (the signature does not verify), `invalid` (the record's own rules or its
        /// form), or `check` (valid alone, refused by `check` at `now`).
        public var expect: String
    }
    public var description: String
    public var context: String
    public var signerDeviceId: String
    public var signerPublicKey: String
    /// The pseudonym key (hex) and the case label it is computed from: the label never leaves the device.
    public var organisationKey: String
    public var caseId: String
    public var subjectPseudonym: String
    /// The relay's time when it accepts the record (and logs it).
    public var now: UInt64
    public var record: Signed
    /// The `outsideReportRecorded` entry, exact bytes (canonical JSON).
    public var auditEntry: String
    public var refused: [Refused]
}

extension VectorGenerator {
    /// Signed by device 0 of identity.json (the social service's), for the case CASE-2027-0045 under
    /// the pseudonym key 0x45 × 32: reported to the CRIP two days before `sealTime`, recorded at it.
    static func outsideReportFile(signer s: Actor) -> VectorFile {
        let key = Array(repeating: UInt8(0x45), count: 32), caseID = "CASE-2027-0045"
        let pseudonym = ConsentRecord.pseudonym(caseID: caseID, key: key)
        func make(_ id: UInt8, reportedAt: UInt64 = sealTime - 2 * day, recordedAt: UInt64 = sealTime) -> OutsideReportRecord {
            OutsideReportRecord(reportId: OutsideReportID(bytes: Array(repeating: id, count: 16))!, organisationId: s.organisation,
                                recordedBy: s.identity.deviceID, subjectPseudonym: pseudonym, reportedTo: .crip,
                                reportedAt: reportedAt, recordedAt: recordedAt)
        }
        func sign(_ bytes: [UInt8], context: DomainSeparation = .outsideReport) -> OutsideReportVector.Signed {
            .init(bytes: String(decoding: bytes, as: UTF8.self), signature: Hex.encode(s.identity.sign(context, bytes)))
        }
        func encoded(_ r: OutsideReportRecord) -> [UInt8] {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return Array(try! e.encode(r))
        }
        let record = make(0x0E)
        let signed = try! record.signed(by: s.identity)
        var entry = AuditEvent(kind: .outsideReportRecorded, time: sealTime)
        entry.organisation = s.organisation
        entry.actor = s.identity.deviceID
        entry.attach(signed)
        let text = String(decoding: signed.bytes, as: UTF8.self)
        var badSignature = sign(signed.bytes)
        badSignature.signature = Hex.encode(s.identity.sign(.childProtectionDeclaration, signed.bytes))
        let refused: [OutsideReportVector.Refused] = [
            .init(label: "signed under the child-protection declaration's context", record: badSignature, expect: "badSignature"),
            .init(label: "not canonical: a space after a comma", record: sign(Array(text.replacingOccurrences(of: ",", with: ", ").utf8)), expect: "invalid"),
            .init(label: "a member the record does not have (a first name)",
                  record: sign(Array(text.replacingOccurrences(of: "{", with: #"{"firstName":"Léa","#).utf8)), expect: "invalid"),
            .init(label: "reportedTo not one of crip, police, justice, 119",
                  record: sign(Array(text.replacingOccurrences(of: #""crip""#, with: #""neighbour""#).utf8)), expect: "invalid"),
            .init(label: "made after it was recorded", record: sign(encoded(make(0x11, reportedAt: sealTime + 60))), expect: "invalid"),
            .init(label: "recorded 31 days after it was made", record: sign(encoded(make(0x12, reportedAt: sealTime - 31 * day))), expect: "invalid"),
            .init(label: "recorded in the future of the relay (more than the 120 s skew)",
                  record: sign(encoded(make(0x13, reportedAt: sealTime, recordedAt: sealTime + 121))), expect: "check"),
            .init(label: "made more than 30 days (and the skew) before the relay's time",
                  record: sign(encoded(make(0x14, reportedAt: sealTime - 40 * day, recordedAt: sealTime - 39 * day))), expect: "check"),
        ]
        let v = OutsideReportVector(
            description: "A report made outside Relais (SPEC.md, \"Report made outside Relais\"), signed by device 0 of identity.json; its audit entry; records to refuse.",
            context: DomainSeparation.outsideReport.rawValue, signerDeviceId: s.identity.deviceID.hex,
            signerPublicKey: Hex.encode(s.identity.publicIdentity.signingKey.bytes), organisationKey: Hex.encode(key), caseId: caseID,
            subjectPseudonym: pseudonym, now: sealTime, record: .init(bytes: text, signature: Hex.encode(signed.signature)),
            auditEntry: String(decoding: entry.encoded, as: UTF8.self), refused: refused)
        return VectorFile(name: "outside-report.json", contents: json(v))
    }
}
