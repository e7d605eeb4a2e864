/// The rule by which a client accepts a directory record only if the relay logged it (SPEC.md,
/// "Directory records", "In the log"), and by which an organisation's monitor reads the log's
/// directory entries: an entry is in the log when its inclusion proof links it to the root of a
/// checkpoint the caller has verified (`Checkpoint.verify`, then `verifyExtended`), and a record is
/// in the log when such an entry, of the record's kind and about its subject, carries its exact
/// signed bytes and signature. A relay that serves a record it did not log (a substituted key, a
/// record inserted behind the log's back) is refused; one that logged it is seen by every monitor.
public enum DirectoryInclusion {
    /// What a directory record is, and so which entry must carry it.
    public enum Subject: Sendable, Equatable, CustomStringConvertible {
        /// An organisation record: an `organisationPut` entry naming the organisation.
        case organisation(OrganisationID)
        /// A device record: a `deviceActivated` entry naming the device.
        case deviceRecord(DeviceID)
        /// A device revocation: a `deviceRevoked` entry naming the revoked device.
        case revocation(DeviceID)
        /// A signed prekey (its 73-byte body and signature): a `prekeyPublished` entry naming its device.
        case prekey(DeviceID)

        public var kind: AuditEvent.Kind {
            switch self {
            case .organisation: .organisationPut
            case .deviceRecord: .deviceActivated
            case .revocation: .deviceRevoked
            case .prekey: .prekeyPublished
            }
        }

        public var description: String {
            switch self {
            case let .organisation(id): "the record of organisation \(id)"
            case let .deviceRecord(id): "the record of device \(id)"
            case let .revocation(id): "the revocation of device \(id)"
            case let .prekey(id): "the prekey of device \(id)"
            }
        }

        /// Whether `event` names this subject (the organisation, or the device).
        func isNamed(by event: AuditEvent) -> Bool {
            switch self {
            case let .organisation(id): event.organisation == id
            case let .deviceRecord(id), let .revocation(id), let .prekey(id): event.device == id
            }
        }
    }

    /// The directory kinds: the entries an organisation's monitor reads.
    public static let kinds: Set<AuditEvent.Kind> = [.organisationPut, .deviceEnrolled, .deviceActivated, .deviceRevoked, .prekeyPublished]

    /// Verifies that `entry` is the entry at `index` of the log whose verified checkpoint is
    /// `checkpoint` (`proof`: its RFC 9162 inclusion proof in a tree of `checkpoint.size`), and
    /// decodes it (canonical form only).
    ///
    /// - Throws: `.notInLog` with the Merkle verifier's error (an index beyond the checkpoint, a
    ///   proof that does not reach its root); `.malformedEntry` for an entry that is not canonical.
    public static func verifyEntry(_ entry: [UInt8], index: UInt64, proof: [[UInt8]],
                                   checkpoint: Checkpoint) throws(DirectoryInclusionError) -> AuditEvent {
        do {
            try MerkleTree.verifyInclusion(leafHash: MerkleHashing.leafHash(entry), index: index, size: checkpoint.size,
                                           proof: proof, root: checkpoint.root)
        } catch {
            throw .notInLog(index: index, size: checkpoint.size, error)
        }
        do {
            return try AuditEvent.decode(entry)
        } catch {
            throw .malformedEntry(index: index, error.description)
        }
    }

    /// Verifies that the entry at `index` is in the log of `checkpoint` (`verifyEntry`) and carries
    /// `signed` exactly (bytes and signature, byte for byte), in an entry of `subject`'s kind that
    /// names `subject`. Returns the entry.
    ///
    /// - Throws: the errors of `verifyEntry`; `.otherEntry` when the entry is of another kind, names
    ///   another organisation or device, or carries other bytes or another signature.
    @discardableResult
    public static func verify(_ signed: SignedObject, subject: Subject, entry: [UInt8], index: UInt64, proof: [[UInt8]],
                              checkpoint: Checkpoint) throws(DirectoryInclusionError) -> AuditEvent {
        let event = try verifyEntry(entry, index: index, proof: proof, checkpoint: checkpoint)
        guard event.kind == subject.kind, subject.isNamed(by: event), let carried = event.signedRecord,
              carried.bytes == signed.bytes, carried.signature == signed.signature else {
            throw .otherEntry(index: index, expected: subject.description, found: event.kind)
        }
        return event
    }
}

/// Why a directory record or entry is not accepted as logged.
public enum DirectoryInclusionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The relay gave no log index for the record.
    case noIndex(String)
    /// The inclusion proof does not put the entry at `index` in the verified checkpoint of `size`.
    case notInLog(index: UInt64, size: UInt64, AuditLogError)
    /// The entry at `index` is not canonical.
    case malformedEntry(index: UInt64, String)
    /// The entry at `index` is a `found` entry that does not carry `expected`.
    case otherEntry(index: UInt64, expected: String, found: AuditEvent.Kind)

    public var description: String {
        switch self {
        case let .noIndex(what): "\(what) comes without the index of its audit-log entry"
        case let .notInLog(index, size, error): "entry \(index) is not in the verified log of \(size) entries: \(error)"
        case let .malformedEntry(index, why): "entry \(index) is malformed: \(why)"
        case let .otherEntry(index, expected, found): "entry \(index) is a \(found.rawValue) entry that does not carry \(expected)"
        }
    }
}
