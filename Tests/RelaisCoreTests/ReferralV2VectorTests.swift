import Foundation
import RelaisCore
import Testing

/// The schema v2 referrals of Protocol/vectors decode in their version, and the v1 ones still do.
@Suite("Referral schema v2 vectors")
struct ReferralV2VectorTests {
    @Test func everyVectorReferralDecodesInItsVersion() throws {
        let v1 = ["success-one-recipient", "success-child-protection-report", "success-exit-programme-request", "success-size-class-2"]
        for name in v1 {
            let r = try ReferralV2Tests.vectorReferral(name)
            #expect(r.schemaVersion == 1, "\(name)")
            #expect(r.person.subjectPseudonym == nil && !r.person.subject.isEmpty)
        }
        let v2 = try ["success-v2-orientation", "success-v2-exit-programme-renewal", "success-v2-reply", "success-v2-child-protection-report"]
            .map(ReferralV2Tests.vectorReferral)
        #expect(v2.allSatisfy { $0.schemaVersion == 2 && Referral.isSubjectPseudonym($0.person.subject) })
        #expect(v2.map(\.kind) == [.orientation, .exitProgrammeRequest, .reply, .childProtectionReport])
        #expect(v2[1].exitProgramme == .init(request: .renewal, monthsAlreadyUsed: 6, departement: "75"))
        #expect(v2[2].outcome?.status == .appointmentOffered)
        #expect(v2[3].minor == .init(unaccompaniedForeign: true, aged16OrMoreWithComplaint: true))
        #expect(v2[0].person.subject == ConsentRecord.pseudonym(caseID: "CASE-2027-0045", key: [UInt8](repeating: 0x42, count: 32)))
    }
}
