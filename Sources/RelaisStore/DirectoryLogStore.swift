public import RelaisCore

/// Where the directory is in the audit log (SPEC.md, "Directory records", "In the log"). Every
/// store keeps, with each organisation record, device record, revocation and prekey, the leaf hash
/// of the audit entry it appended with it in the same transaction; these reads give that entry's
/// index, which the relay serves with the record so that a client can ask for its inclusion
/// proof. A record without an index (one written behind the log's back) is served without one,
/// and clients refuse it.
public protocol DirectoryLogStore: Sendable {
    /// The log index of the entry that carries each organisation's current record; an organisation
    /// whose record has no entry in the log is absent.
    func organisationLogIndexes(_ ids: [OrganisationID]) async throws -> [OrganisationID: UInt64]
    /// The log indexes of the entries that carry each device's record and revocation.
    func deviceLogIndexes(_ ids: [DeviceID]) async throws -> [DeviceID: DeviceLogIndexes]
    /// The log index of the entry that carries the prekey, nil when none does.
    func prekeyLogIndex(device: DeviceID, prekey: PrekeyID) async throws -> UInt64?
    /// The directory entries about `organisation` (its record, its devices' enrolments,
    /// activations, revocations and prekeys) at index `from` or later, in index order, at most
    /// `limit`: what the organisation's monitor reads (`relais monitor`).
    func directoryEntries(organisation: OrganisationID, from: UInt64, limit: Int) async throws -> [IndexedAuditEntry]
}

public struct DeviceLogIndexes: Sendable, Equatable {
    public var record: UInt64?
    public var revocation: UInt64?
    public init(record: UInt64?, revocation: UInt64?) {
        self.record = record
        self.revocation = revocation
    }
}

/// An audit entry's exact bytes and its index in the log.
public struct IndexedAuditEntry: Sendable, Equatable {
    public var index: UInt64
    public var bytes: [UInt8]
    public init(index: UInt64, bytes: [UInt8]) {
        self.index = index
        self.bytes = bytes
    }
}
