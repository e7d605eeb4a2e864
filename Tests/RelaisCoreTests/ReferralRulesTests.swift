import RelaisCore
import RelaisCrypto
import Testing

/// Issue 15: child-protection declarations of version 2 (a case, an end, a bound), and the rules
/// only the sender's client can apply, since they read the sealed referral (`ReferralRules`).
@Suite("Declarations v2 and the client's referral rules")
struct ReferralRulesTests {
    static let org = OrganisationID(bytes: Array(repeating: 0x5C, count: 16))!
    static let subject = String(repeating: "ab", count: 32)

    static func declaration(validity: UInt64 = ChildProtectionDeclaration.maximumValidity, maxReports: Int = 3,
                            subject: String = subject, by device: DeviceIdentity) -> ChildProtectionDeclaration {
        ChildProtectionDeclaration(declarationId: .random(using: SystemRandom()), organisationId: org, declaredBy: device.deviceID,
                                   article: .casfL226_2_1, minorStatus: .minor, subjectPseudonym: subject, declaredAt: 1_000,
                                   validUntil: 1_000 + validity, maxReports: maxReports)
    }

    @Test func aVersion2DeclarationNamesItsCaseExpiresAndIsBounded() throws {
        let device = DeviceIdentity.generate()
        let good = Self.declaration(by: device)
        let parsed = try ChildProtectionDeclaration.verify(try good.signed(by: device), signer: device.publicIdentity)
        #expect(parsed == good && parsed.version == 2)
        #expect(parsed.limits.validUntil == 1_000 + ChildProtectionDeclaration.maximumValidity && parsed.limits.maxReports == 3)
        let refused = [
            Self.declaration(validity: ChildProtectionDeclaration.maximumValidity + 1, by: device),  // past 30 days
            Self.declaration(validity: 0, by: device),                                              // ends when made
            Self.declaration(maxReports: 0, by: device),
            Self.declaration(maxReports: ChildProtectionDeclaration.maximumReports + 1, by: device),
            Self.declaration(subject: "CASE-42", by: device),                                        // a case id, not its pseudonym
        ]
        for d in refused { #expect(throws: ConsentError.self) { _ = try d.signed(by: device) } }
        // A version 1 declaration still verifies, and gets the maximum limits from its declaredAt.
        let v1 = ChildProtectionDeclaration(declarationId: .random(using: SystemRandom()), organisationId: Self.org, declaredBy: device.deviceID,
                                            article: .casfL226_2_2, minorStatus: .allegedMinor, declaredAt: 500)
        let old = try ChildProtectionDeclaration.verify(try v1.signed(by: device), signer: device.publicIdentity)
        #expect(old.version == 1 && old.limits.validUntil == 500 + ChildProtectionDeclaration.maximumValidity
                && old.limits.maxReports == ChildProtectionDeclaration.maximumReports)
        // Version 1 with a field of version 2 is neither.
        var mixed = v1
        mixed.maxReports = 2
        #expect(throws: ConsentError.self) { _ = try mixed.signed(by: device) }
    }

    @Test func safeAccommodationRequestsGoToTheSchemeOnly() {
        let acse = ReferralRules.Recipient(id: Self.org, category: .safeAccommodationScheme)
        let shelter = ReferralRules.Recipient(id: .random(using: SystemRandom()), category: .accommodation)
        #expect(ReferralRules.checkRecipients(kind: .safeAccommodationRequest, minorStatus: .adult, recipients: [acse]) == nil)
        #expect(ReferralRules.checkRecipients(kind: .safeAccommodationRequest, minorStatus: .adult, recipients: [acse, shelter])?.code
                == .safeAccommodationRecipients)
        #expect(ReferralRules.checkRecipients(kind: .orientation, minorStatus: .adult, recipients: [shelter]) == nil)
    }

    @Test func exitProgrammeRequestsAreForAdultsThroughAnAssociationOfTheirDepartement() {
        let accredited = ReferralRules.Recipient(id: Self.org, category: .accreditedAssociation, accreditedForExitProgramme: true)
        let elsewhere = ReferralRules.Recipient(id: .random(using: SystemRandom()), category: .accreditedAssociation, accreditedForExitProgramme: false)
        #expect(ReferralRules.checkRecipients(kind: .exitProgrammeRequest, minorStatus: .adult, recipients: [accredited]) == nil)
        #expect(ReferralRules.checkRecipients(kind: .exitProgrammeRequest, minorStatus: .adult, recipients: [accredited, elsewhere])?.code
                == .exitProgrammeNotAccredited)
        // From an association accredited there, to anyone.
        #expect(ReferralRules.checkRecipients(kind: .exitProgrammeRequest, minorStatus: .adult, senderAccreditedInDepartement: true,
                                              recipients: [elsewhere]) == nil)
        for status in [Referral.MinorStatus.minor, .allegedMinor, .unknown] {
            #expect(ReferralRules.checkRecipients(kind: .exitProgrammeRequest, minorStatus: status, recipients: [accredited])?.code
                    == .exitProgrammeAdultsOnly)
        }
    }

    @Test func aReferralAboutAMinorStopsUntilTheReportIsMade() {
        let s = Self.subject, other = String(repeating: "cd", count: 32)
        #expect(ReferralRules.minorPath(kind: .orientation, minorStatus: .adult, subjectPseudonym: s, declaredSubjects: [], outsideReportRecorded: false) == .proceed)
        #expect(ReferralRules.minorPath(kind: .orientation, minorStatus: .unknown, subjectPseudonym: s, declaredSubjects: [], outsideReportRecorded: false) == .proceed)
        #expect(ReferralRules.minorPath(kind: .childProtectionReport, minorStatus: .minor, subjectPseudonym: s, declaredSubjects: [],
                                        outsideReportRecorded: false) == .proceed)
        for status in [Referral.MinorStatus.minor, .allegedMinor] {
            for kind in [Referral.Kind.orientation, .safeAccommodationRequest, .exitProgrammeRequest] {
                #expect(ReferralRules.minorPath(kind: kind, minorStatus: status, subjectPseudonym: s, declaredSubjects: [other],
                                                outsideReportRecorded: false) == .stopAndReport(status))
                #expect(ReferralRules.minorPath(kind: kind, minorStatus: status, subjectPseudonym: s, declaredSubjects: [other, s],
                                                outsideReportRecorded: false) == .proceedReported(.declaration))
                #expect(ReferralRules.minorPath(kind: kind, minorStatus: status, subjectPseudonym: nil, declaredSubjects: [s],
                                                outsideReportRecorded: true) == .proceedReported(.outsideReport))
            }
        }
    }
}
