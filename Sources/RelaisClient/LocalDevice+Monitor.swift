import Foundation
import RelaisCore
import RelaisCrypto

/// `relais monitor` (SPEC.md, "The client's log state", "Monitoring an organisation"): an admin
/// reads the log's directory entries about its own organisation since its last run, each proved in
/// the checkpoint this device has just verified (`DirectoryInclusion.verifyEntry`), and reports every
/// device added, approved or revoked, and by whom. An approval that no admin of the organisation
/// signed (the operator's, or a key that is no admin of it) is an alert: a relay can show a
/// substituted key only by logging it, and it is seen here.
public struct MonitorState: Codable, Sendable, Equatable {
    /// The index from which the next run reads.
    public var next: UInt64
}

public struct MonitorReport: Sendable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        case organisationChanged, deviceAdded, deviceApproved, deviceRevoked
    }

    public struct Item: Sendable, Encodable {
        public let index: UInt64
        public let kind: Kind
        public let time: UInt64
        /// The device concerned (hex); nil for an organisation record.
        public let device: String?
        public let role: String?
        /// Who did it (hex): the enroller, approver or revoker.
        public let by: String?
        /// The doer's role and organisation name, from the verified directory (nil: not found there).
        public let byRole: String?
        public let byOrganisation: String?
        /// Set when no admin of this organisation approved the device: why.
        public let alert: String?
    }

    public let organisation: String
    public let organisationName: String?
    public let from: UInt64
    /// The index the next run starts at.
    public let next: UInt64
    /// The size of the verified checkpoint the entries were proved in.
    public let checkpointSize: UInt64
    public let items: [Item]
    /// Prekeys the organisation's devices published in the range (not listed one by one).
    public let prekeysPublished: Int
    public var alerts: [Item] { items.filter { $0.alert != nil } }
}

extension LocalDevice {
    /// Reads, proves and reports the directory entries about this admin's organisation since the
    /// last run; keeps where it stopped.
    public func monitor() async throws -> MonitorReport {
        _ = try await refresh()  // checks the log: the checkpoint the entries are proved in
        guard settings.status == "active" else { throw LocalError.notActive(settings.status) }
        guard settings.role == .admin, let organisation = settings.organisationId else {
            throw LocalError.usage(Message.monitorAdminsOnly.text)
        }
        guard let checkpoint = keptCheckpoint else { throw LocalError.verification(Message.monitorNoCheckpoint.text) }
        let from = vault.monitor?.next ?? 0
        var next = from
        var items: [MonitorReport.Item] = []
        var prekeys = 0
        let actors = VerifiedDeviceCache()
        let name = try? await self.organisation(organisation).name
        pages: while next < checkpoint.size {
            let page = try await client.directoryEntries(organisation: organisation, from: next)
            for (index, listed) in page {
                guard index >= next else { throw LocalError.verification(Message.monitorOutOfOrder(index: index).text) }
                guard index < checkpoint.size else { break pages }
                let (entry, proof) = try await client.logEntry(index: index, size: checkpoint.size)
                let event: AuditEvent
                do {
                    guard entry == listed else { throw DirectoryInclusionError.otherEntry(index: index, expected: "the listed entry", found: .organisationPut) }
                    event = try DirectoryInclusion.verifyEntry(entry, index: index, proof: proof, checkpoint: checkpoint)
                } catch let error as DirectoryInclusionError {
                    throw LocalError.verification(Message.monitorEntryNotInLog(index: index, why: error.description).text)
                }
                next = index + 1
                if let item = await monitorItem(event, index: index, organisation: organisation, name: name, actors: actors) {
                    items.append(item)
                } else if event.kind == .prekeyPublished {
                    prekeys += 1
                }
            }
            if page.count < 1_000 { next = max(next, checkpoint.size); break }
        }
        vault.monitor = MonitorState(next: next)
        try save()
        return MonitorReport(organisation: organisation.hex, organisationName: name, from: from, next: next, checkpointSize: checkpoint.size,
                             items: items, prekeysPublished: prekeys)
    }

    private func monitorItem(_ e: AuditEvent, index: UInt64, organisation: OrganisationID, name: String?,
                             actors: VerifiedDeviceCache) async -> MonitorReport.Item? {
        func actor(_ id: DeviceID?) async -> VerifiedDevice? {
            guard let id else { return nil }
            if let known = actors.devices[id] { return known }
            let found = try? await verify(try await client.device(id))
            actors.devices[id] = found
            return found
        }
        func item(_ kind: MonitorReport.Kind, by: DeviceID?, alert: String?) async -> MonitorReport.Item {
            let doer = await actor(by)
            let doerOrganisation = doer?.record.organisationId
            return .init(index: index, kind: kind, time: e.time, device: e.device?.hex, role: e.role?.rawValue, by: by?.hex,
                         byRole: doer?.record.role.rawValue,
                         byOrganisation: doerOrganisation == organisation ? name ?? organisation.hex : doerOrganisation?.hex,
                         alert: alert)
        }
        switch e.kind {
        case .organisationPut:
            return await item(.organisationChanged, by: nil, alert: nil)
        case .deviceEnrolled:
            return await item(.deviceAdded, by: e.actor, alert: nil)
        case .deviceActivated:
            // The approval is the signed record: its signer must be an admin of this organisation
            // (this device's own approval excepted: it knows how it was enrolled).
            let signer = e.signedRecord.flatMap { try? DeviceRecord.unverifiedSigner(of: $0) }
            var alert: String?
            if e.device != identity.deviceID {
                let doer = await actor(signer)
                let verified = doer.flatMap { d in e.signedRecord.flatMap { try? DeviceRecord.verify($0, signer: d.identity) } }
                if doer == nil || verified == nil {
                    alert = Message.monitorAlertUnverified.text
                } else if let d = doer, !(d.record.role == .admin && d.record.organisationId == organisation) {
                    alert = Message.monitorAlertNotAnAdmin(role: d.record.role.label(Messages.language)).text
                }
            }
            return await item(.deviceApproved, by: signer, alert: alert)
        case .deviceRevoked:
            let revoker = e.signedRecord.flatMap { try? DeviceRevocation.unverifiedSigner(of: $0) }
            return await item(.deviceRevoked, by: revoker, alert: nil)
        default:
            return nil
        }
    }
}

/// The doers the monitor has looked up in the verified directory during one run (nil: not found).
final class VerifiedDeviceCache {
    var devices: [DeviceID: LocalDevice.VerifiedDevice?] = [:]
}
