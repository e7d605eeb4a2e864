import Foundation
@testable import RelaisCore
import RelaisCrypto
import Testing

/// Issue 15: the record of a report made outside Relais, its rules and its signature.
@Suite("Outside report record")
struct OutsideReportRecordTests {
    let device = DeviceIdentity.generate()
    static let org = OrganisationID(bytes: Array(repeating: 0x0A, count: 16))!
    static let subject = String(repeating: "0f", count: 32)

    func record(reportedAt: UInt64 = 1_000_000, recordedAt: UInt64 = 1_000_000 + 86_400) -> OutsideReportRecord {
        OutsideReportRecord(reportId: OutsideReportID(bytes: Array(repeating: 1, count: 16))!, organisationId: Self.org, recordedBy: device.deviceID,
                            subjectPseudonym: Self.subject, reportedTo: .justice, reportedAt: reportedAt, recordedAt: recordedAt)
    }

    @Test func theDatesAreBounded() throws {
        let day: UInt64 = 86_400
        try record().check(at: 1_000_000 + day)
        try record(reportedAt: 1_000_000, recordedAt: 1_000_000 + 30 * day).check(at: 1_000_000 + 30 * day)
        // Made after it was recorded, more than 30 days before, or recorded in the future of the checker.
        #expect(throws: ConsentError.self) { try record(reportedAt: 2_000_000, recordedAt: 1_000_000).validate() }
        #expect(throws: ConsentError.self) { try record(recordedAt: 1_000_000 + 30 * day + 1).validate() }
        #expect(throws: ConsentError.self) { try record().check(at: 1_000_000 + day - CoverPolicy.defaultSkew - 1) }
        try record().check(at: 1_000_000 + day - CoverPolicy.defaultSkew)
        // Checked later than 30 days (and the skew) after the report: too old.
        #expect(throws: ConsentError.self) { try record().check(at: 1_000_000 + 30 * day + CoverPolicy.defaultSkew + 1) }
        #expect(record().covers(at: 1_000_000 + 30 * day - 1) && !record().covers(at: 1_000_000 + 30 * day))
        var bad = record()
        bad.subjectPseudonym = String(repeating: "0F", count: 32)
        #expect(throws: ConsentError.self) { try bad.validate() }
        bad = record()
        bad.version = 2
        #expect(throws: ConsentError.self) { try bad.validate() }
    }

    @Test func itVerifiesOnlyCanonicalAndSignedByItsRecorder() throws {
        let signed = try record().signed(by: device)
        #expect(try OutsideReportRecord.verify(signed, signer: device.publicIdentity) == record())
        let other = DeviceIdentity.generate()
        #expect(throws: ConsentError.badSignature("outside report")) { try OutsideReportRecord.verify(signed, signer: other.publicIdentity) }
        // Signed by another device while naming this one as its recorder.
        #expect(throws: ConsentError.self) {
            try OutsideReportRecord.verify(SignedObject.sign(signed.bytes, context: .outsideReport, by: other), signer: other.publicIdentity)
        }
        // The same bytes under another context do not verify.
        #expect(throws: ConsentError.badSignature("outside report")) {
            try OutsideReportRecord.verify(SignedObject.sign(signed.bytes, context: .childProtectionDeclaration, by: device), signer: device.publicIdentity)
        }
        // Not canonical (whitespace), or with a member it does not have (a name): refused, even signed.
        let text = String(decoding: signed.bytes, as: UTF8.self)
        for changed in [text.replacingOccurrences(of: ",", with: ", "), text.replacingOccurrences(of: "{", with: #"{"firstName":"Léa","#)] {
            #expect(throws: ConsentError.self) {
                try OutsideReportRecord.verify(SignedObject.sign(Array(changed.utf8), context: .outsideReport, by: device), signer: device.publicIdentity)
            }
        }
    }
}
