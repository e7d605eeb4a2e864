import RelaisCore
import RelaisStore

/// The directory in the log (SPEC.md, "Directory records", "In the log"): directory answers carry
/// the index of the audit entry behind each record, a device asks for that entry and its
/// inclusion proof, and an organisation's admins read the entries about their organisation.
extension Relay {
    /// A device as the directory serves it, with the log indexes of its records.
    struct DirectoryDevice {
        var device: StoredDevice
        var prekey: StoredPrekey?
        var logIndexes: DeviceLogIndexes
        var prekeyLogIndex: UInt64? = nil
    }

    func logIndexed(_ organisations: [StoredOrganisation]) async throws -> [(StoredOrganisation, UInt64?)] {
        let indexes = try await storeCall { try await store.organisationLogIndexes(organisations.map(\.id)) }
        return organisations.map { ($0, indexes[$0.id]) }
    }

    func logIndexed(_ devices: [(StoredDevice, StoredPrekey?)]) async throws -> [DirectoryDevice] {
        let indexes = try await storeCall { try await store.deviceLogIndexes(devices.map(\.0.id)) }
        var out: [DirectoryDevice] = []
        for (device, prekey) in devices {
            var prekeyIndex: UInt64?
            if let p = prekey { prekeyIndex = try await storeCall { try await store.prekeyLogIndex(device: p.deviceID, prekey: p.prekeyID) } }
            out.append(DirectoryDevice(device: device, prekey: prekey, logIndexes: indexes[device.id] ?? .init(record: nil, revocation: nil),
                                       prekeyLogIndex: prekeyIndex))
        }
        return out
    }

    /// The entry at `index` and its inclusion proof in the tree of `size`. Auditors read any entry;
    /// other active devices only directory entries (what they rely on is public directory matter;
    /// the other entries are the auditors').
    func inclusion(index: UInt64, size: UInt64) async throws -> (proof: [[UInt8]], entry: [UInt8]) {
        let caller = try Caller.require(Caller.everyone, to: "read audit-log proofs")
        let proof: [[UInt8]]
        do {
            proof = try await auditLog.inclusionProof(index: index, size: size)
        } catch let e as AuditLogError {
            throw RelayError.badRequest("range", "\(e)")
        }
        guard let entry = try await storeCall({ try await store.auditEntries(from: index, count: 1) }).first else {
            throw RelayError.badRequest("range", "no entry at index \(index)")
        }
        if caller.role != .auditor {
            guard let event = try? AuditEvent.decode(entry), DirectoryInclusion.kinds.contains(event.kind) else {
                throw RelayError.forbidden("role", "a device with role \(caller.role.rawValue) may read directory entries only (auditors read the others)")
            }
        }
        return (proof, entry)
    }

    public static let directoryEntriesPageLimit = 1_000

    /// The directory entries about the caller's own organisation from index `from`: for its admins
    /// (`relais monitor`).
    func directoryEntries(organisation text: String, from: UInt64) async throws -> [IndexedAuditEntry] {
        let caller = try Caller.require([.admin], to: "read the log's entries about an organisation (its admins only)")
        guard let id = OrganisationID(hex: text) else { throw RelayError.badRequest("organisation_id", "organisation ids are 32 lowercase hex digits") }
        guard caller.organisationID == id else {
            throw RelayError.forbidden("organisation", "an admin reads the log's entries about its own organisation only")
        }
        return try await storeCall { try await store.directoryEntries(organisation: id, from: from, limit: Self.directoryEntriesPageLimit) }
    }
}
