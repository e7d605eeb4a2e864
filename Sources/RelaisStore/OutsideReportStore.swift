public import RelaisCore

/// A child-protection report made outside Relais, as stored (`OutsideReportRecord`, verified by
/// the relay before it is stored).
public struct StoredOutsideReport: Sendable, Equatable {
    public var id: OutsideReportID
    public var organisationID: OrganisationID
    public var recordedBy: DeviceID
    /// The recording device's signed `OutsideReportRecord`.
    public var signed: SignedObject
    public var reportedAt: UInt64
    public var recordedAt: UInt64

    public init(id: OutsideReportID, organisationID: OrganisationID, recordedBy: DeviceID, signed: SignedObject,
                reportedAt: UInt64, recordedAt: UInt64) {
        self.id = id
        self.organisationID = organisationID
        self.recordedBy = recordedBy
        self.signed = signed
        self.reportedAt = reportedAt
        self.recordedAt = recordedAt
    }
}

/// Reports made outside Relais. Atomic like the other stores.
public protocol OutsideReportStore: Sendable {
    /// In one transaction: stores the report and appends its `outsideReportRecorded` entry.
    /// Throws `conflict` (and writes nothing) if the id exists.
    func putOutsideReport(_ report: StoredOutsideReport) async throws
}

extension StoreAuditEvents {
    /// Pseudonymous: the organisation, the recording device and the signed record (the case's
    /// keyed pseudonym, to whom, when); no name, no case label, nothing of what was reported.
    public static func outsideReportRecorded(_ r: StoredOutsideReport, at time: UInt64) -> AuditEvent {
        event(.outsideReportRecorded, time) {
            $0.organisation = r.organisationID
            $0.actor = r.recordedBy
            $0.attach(r.signed)
        }
    }
}
