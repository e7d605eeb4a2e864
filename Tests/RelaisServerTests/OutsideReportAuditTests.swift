import Foundation
@testable import RelaisClient
@testable import RelaisCore
import RelaisCrypto
import Testing

/// Issue 15: the auditor checks each `outsideReportRecorded` entry as the relay checks the record
/// (`OutsideReportRecord.verify` and `check`, one rule): signed by the entry's device, of the
/// entry's organisation, valid at the entry's time, with an id used once. Hand-made logs.
@Suite("Audit compliance: outside reports")
struct OutsideReportAuditTests {
    static let a = OrganisationID(bytes: Array(repeating: 0xA1, count: 16))!, b = OrganisationID(bytes: Array(repeating: 0xB1, count: 16))!
    static let subject = String(repeating: "ab", count: 32)

    static func record(_ device: DeviceIdentity, org: OrganisationID, id: UInt8, reportedAt: UInt64 = 9_000, recordedAt: UInt64 = 10_000) -> OutsideReportRecord {
        OutsideReportRecord(reportId: OutsideReportID(bytes: Array(repeating: id, count: 16))!, organisationId: org, recordedBy: device.deviceID,
                            subjectPseudonym: subject, reportedTo: .crip, reportedAt: reportedAt, recordedAt: recordedAt)
    }

    static func entry(_ signed: SignedObject, org: OrganisationID?, actor: DeviceIdentity, at time: UInt64 = 10_000) -> AuditEvent {
        var e = AuditEvent(kind: .outsideReportRecorded, time: time)
        e.organisation = org
        e.actor = actor.deviceID
        e.attach(signed)
        return e
    }

    @Test func eachEntryIsCheckedAsTheRelayChecksTheRecord() throws {
        let op = DeviceIdentity.generate(), proA = DeviceIdentity.generate(), proB = DeviceIdentity.generate()
        let adminA = DeviceIdentity.generate(), formerA = DeviceIdentity.generate()
        let enrolled = [(op, DeviceRole.operator, nil as OrganisationID?), (proA, .member, Self.a), (proB, .member, Self.b),
                        (adminA, .admin, Self.a), (formerA, .member, Self.a)].map { d, role, org in
            AuditDirectoryComplianceTests.enrolled(d, role: role, org: org, invite: nil, by: op.deviceID)
        }
        let good = try Self.record(proA, org: Self.a, id: 1).signed(by: proA)
        var flipped = try Self.record(proA, org: Self.a, id: 2).signed(by: proA)
        flipped = SignedObject(bytes: flipped.bytes, signature: flipped.signature.enumerated().map { $0 == 0 ? $1 ^ 1 : $1 })
        let log: [AuditEvent] = enrolled + [
            Self.entry(good, org: Self.a, actor: proA),                                                             // 5: fine
            Self.entry(flipped, org: Self.a, actor: proA),                                                          // 6: bad signature
            Self.entry(try Self.record(proB, org: Self.a, id: 3).signed(by: proB), org: Self.a, actor: proB),       // 7: another organisation's device
            Self.entry(try Self.record(proA, org: Self.a, id: 4).signed(by: proA), org: Self.b, actor: proA),       // 8: entry and record disagree
            Self.entry(try Self.record(proA, org: Self.a, id: 5, reportedAt: 20_000, recordedAt: 20_000).signed(by: proA), org: Self.a, actor: proA), // 9: future
            Self.entry(try Self.record(proA, org: Self.a, id: 6).signed(by: proA), org: Self.a, actor: proA, at: 9_000 + 31 * 86_400), // 10: too old at its time
            Self.entry(good, org: Self.a, actor: proA, at: 10_500),                                                 // 11: id reused
            Self.entry(try Self.record(proA, org: Self.a, id: 7).signed(by: proA), org: Self.a, actor: proB),       // 12: signed by another device than the actor
            { var e = AuditEvent(kind: .outsideReportRecorded, time: 10_000); e.organisation = Self.a; e.actor = proA.deviceID; return e }(), // 13: no record
            Self.entry(try Self.record(proA, org: Self.a, id: 8, reportedAt: 10_000, recordedAt: 10_100).signed(by: proA), org: Self.a, actor: proA), // 14: fine, within the skew
            Self.entry(try Self.record(formerA, org: Self.a, id: 9).signed(by: formerA), org: Self.a, actor: formerA),   // 15: fine, before its revocation
            { var e = AuditEvent(kind: .deviceRevoked, time: 10_200); e.device = formerA.deviceID
              e.attach(DeviceRevocation(deviceId: formerA.deviceID, revokedBy: adminA.deviceID, revokedAt: 10_200).signed(by: adminA)); return e }(), // 16
            Self.entry(try Self.record(formerA, org: Self.a, id: 10).signed(by: formerA), org: Self.a, actor: formerA, at: 10_300), // 17: a revoked device
        ]
        let report = try LocalDevice.compliance(entries: log.map(\.encoded), purgeInterval: 60, now: 20_000)
        #expect(report.findings.filter { $0.rule == "outside-reports" }.map(\.index) == [6, 7, 8, 9, 10, 11, 12, 13, 17])
        #expect(report.findings.allSatisfy { $0.rule == "outside-reports" }, "\(report.findings)")
        #expect(report.checksByRule["outside-reports"] == 12 && report.eventsByKind["outsideReportRecorded"] == 12)
    }
}
