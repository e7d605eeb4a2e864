import RelaisCore
import RelaisStore

extension Relay {
    /// `POST /v1/outside-reports` (SPEC.md, "Report made outside Relais"): a device of an
    /// organisation records that a child-protection report was made outside Relais. The record is
    /// signed by the caller (an active admin or member), names the caller's organisation, passes
    /// `OutsideReportRecord.check` at relay time (the rule the auditor applies too), and its id is
    /// new; it is stored and logged pseudonymously in one transaction. A refusal writes nothing.
    func putOutsideReport(_ signed: SignedObject) async throws -> OutsideReportRecord {
        let caller = try Caller.require(Caller.receivers, to: "record reports made outside Relais")
        let report = try verifiedFromCaller(caller, "outside_report") { try OutsideReportRecord.verify(signed, signer: $0) }
        guard report.organisationId == caller.organisationID else {
            throw RelayError.forbidden("outside_report_organisation", "a device records reports for its own organisation only")
        }
        do {
            try report.check(at: clock.now(), skew: configuration.clockSkewSeconds)
        } catch {
            throw RelayError.badRequest("outside_report", "\(error)")
        }
        try await storeCall {
            try await store.putOutsideReport(StoredOutsideReport(id: report.reportId, organisationID: report.organisationId, recordedBy: caller.id,
                                                                 signed: signed, reportedAt: report.reportedAt, recordedAt: report.recordedAt))
        }
        return report
    }
}
