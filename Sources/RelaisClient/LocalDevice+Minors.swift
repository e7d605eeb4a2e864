import Foundation
public import RelaisCore

/// The guide's minor path on this device: a referral about a minor or an alleged minor goes on
/// only when the child-protection report was made (a declaration here for the same case, or a
/// report made outside Relais and recorded).
extension LocalDevice {
    /// `ReferralRules.minorPath` with what this device knows; throws the guide's notice when the
    /// sender must report first. `plan` calls it before anything is resolved or sealed.
    ///
    /// A declaration counts while it is valid (version 2: until its `validUntil`), an outside
    /// report for 30 days after it was made (`OutsideReportRecord.covers(at:)`): a later fact is a
    /// new evaluation, and a new report.
    func requireMinorPath(_ referral: Referral) throws {
        let now = clock.now()
        let subject = referral.person.subjectPseudonym
        let reported = subject.map { s in (vault.outsideReports ?? []).contains { $0.subjectPseudonym == s && $0.covers(at: now) } } ?? false
        let path = ReferralRules.minorPath(kind: referral.kind, minorStatus: referral.person.minorStatus, subjectPseudonym: subject,
                                           declaredSubjects: declaredSubjects, outsideReportRecorded: reported)
        if case .stopAndReport = path {
            throw LocalError.consent(.minorStopAndReport)
        }
    }

    /// Records that a child-protection report about the case `caseID` was made outside Relais, to
    /// `to`, at `reportedAt` (Unix seconds): signed, sent to the relay (which logs it with the case's
    /// pseudonym only), then kept here for the minor path. Nothing is kept if the relay refuses.
    public func recordOutsideReport(caseID: String, to: OutsideReportRecord.Recipient, reportedAt: UInt64) async throws -> OutsideReportRecord {
        try await requireActive()
        guard let org = settings.organisationId, settings.role == .admin || settings.role == .member else {
            throw LocalError.usage(Message.organisationDeviceOnly.text)
        }
        if try heldOrganisationKey() == nil { try await syncOrganisationKey() }
        let pseudonym = try subjectPseudonym(caseID: caseID)
        let record = OutsideReportRecord(reportId: .random(using: rng), organisationId: org, recordedBy: identity.deviceID,
                                         subjectPseudonym: pseudonym, reportedTo: to, reportedAt: reportedAt, recordedAt: clock.now())
        let signed: SignedObject
        do {
            try record.check(at: record.recordedAt)
            signed = try record.signed(by: identity)
        } catch {
            throw LocalError.usage(Self.outsideReportRefusal(record, at: record.recordedAt))
        }
        try await client.putOutsideReport(signed)
        vault.outsideReports = (vault.outsideReports ?? []) + [record]
        try save()
        try rememberCase(label: caseID, subject: pseudonym)
        return record
    }

    /// The outside reports recorded on this device, newest first.
    public var outsideReports: [OutsideReportRecord] {
        (vault.outsideReports ?? []).sorted { $0.recordedAt > $1.recordedAt }
    }

    /// Why `record` cannot be recorded at `time`, in the user's language.
    static func outsideReportRefusal(_ record: OutsideReportRecord, at time: UInt64) -> String {
        record.reportedAt > time ? Message.outsideReportFuture.text : Message.outsideReportTooOld(days: Int(OutsideReportRecord.maximumAge / 86_400)).text
    }
}
