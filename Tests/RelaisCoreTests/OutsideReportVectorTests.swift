import Foundation
import RelaisCore
import RelaisCrypto
import RelaisVectors
import Testing

/// `Protocol/vectors/outside-report.json`, read from the committed file (the generator's output
/// is compared byte for byte by `VectorTests`): the record verifies and re-signs byte for byte,
/// its pseudonym is the case's under the key, the audit entry is the relay's bytes, and each
/// refused record is refused as the vector says.
@Suite("Outside report vector")
struct OutsideReportVectorTests {
    let v: OutsideReportVector

    init() throws {
        v = try JSONDecoder().decode(OutsideReportVector.self, from: Data(contentsOf: protocolVectors.appendingPathComponent("outside-report.json")))
    }

    var signer: DevicePublicIdentity { DevicePublicIdentity(signingKey: try! Ed25519PublicKey(bytes: Hex.decode(v.signerPublicKey)!)) }

    static func object(_ s: OutsideReportVector.Signed) -> SignedObject { SignedObject(bytes: Array(s.bytes.utf8), signature: Hex.decode(s.signature)!) }

    @Test func theRecordVerifiesAndItsEntryIsTheRelays() throws {
        #expect(v.context == "relais/v1/outside-report" && v.context == DomainSeparation.outsideReport.rawValue)
        #expect(signer.deviceID.hex == v.signerDeviceId)
        let record = try OutsideReportRecord.verify(Self.object(v.record), signer: signer)
        try record.check(at: v.now)
        #expect(record.subjectPseudonym == v.subjectPseudonym)
        #expect(ConsentRecord.pseudonym(caseID: v.caseId, key: Hex.decode(v.organisationKey)!) == v.subjectPseudonym)
        #expect(!v.record.bytes.contains(v.caseId) && !v.auditEntry.contains(v.caseId), "the case label is in no signed or logged byte")
        #expect(record.reportedTo == .crip && record.recordedAt == v.now && record.reportedAt == v.now - 2 * 86_400)
        // Canonical: the record's own encoding is its signed bytes.
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(String(decoding: try e.encode(record), as: UTF8.self) == v.record.bytes)
        // The entry: decoded canonically, with the record attached, the organisation and the device.
        let entry = try AuditEvent.decode(Array(v.auditEntry.utf8))
        #expect(entry.kind == .outsideReportRecorded && entry.time == v.now && entry.organisation == record.organisationId
                    && entry.actor == record.recordedBy && entry.signedRecord == Self.object(v.record))
        var rebuilt = AuditEvent(kind: .outsideReportRecorded, time: v.now)
        rebuilt.organisation = record.organisationId
        rebuilt.actor = record.recordedBy
        rebuilt.attach(Self.object(v.record))
        #expect(String(decoding: rebuilt.encoded, as: UTF8.self) == v.auditEntry)
    }

    @Test func eachRefusedRecordIsRefusedAsSaid() throws {
        #expect(v.refused.count == 8)
        for r in v.refused {
            let got: String
            do {
                try OutsideReportRecord.verify(Self.object(r.record), signer: signer).check(at: v.now)
                got = "accepted"
            } catch {
                if case .badSignature = error { got = "badSignature" } else {
                    // Valid alone (verify passed) but refused at `now`: `check`.
                    got = (try? OutsideReportRecord.verify(Self.object(r.record), signer: signer)) == nil ? "invalid" : "check"
                }
            }
            #expect(got == r.expect, "\(r.label)")
        }
    }
}
