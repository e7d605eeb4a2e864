public import RelaisCore

/// An organisation key package as the relay keeps it: opaque to the relay (sealed to its target),
/// stored per (target, giver), with the cleartext fields the relay routes on.
public struct StoredKeyPackage: Sendable, Equatable {
    public var organisationID: OrganisationID
    public var target: DeviceID
    public var giver: DeviceID
    public var keyID: OrganisationKeyID
    /// The package's exact bytes (`OrganisationKeyPackage.encoded`).
    public var bytes: [UInt8]
    /// When the relay stored it.
    public var storedAt: UInt64

    public init(organisationID: OrganisationID, target: DeviceID, giver: DeviceID, keyID: OrganisationKeyID, bytes: [UInt8], storedAt: UInt64) {
        self.organisationID = organisationID
        self.target = target
        self.giver = giver
        self.keyID = keyID
        self.bytes = bytes
        self.storedAt = storedAt
    }
}

/// Whether a put stored a package or found the same one.
public enum KeyPackageOutcome: Sendable, Equatable { case stored, duplicate }

/// The organisation key packages (SPEC.md, "Organisation key"). Every method is atomic.
public protocol OrganisationKeyStore: Sendable {
    /// Stores a package. The same bytes for the same (target, giver) again: `.duplicate`, nothing
    /// written. Throws `conflict` when (target, giver) already holds other bytes, or when the
    /// package is a device's own (giver = target: a new key) and a package already targets an
    /// active device of the organisation: one key per organisation, decided inside the transaction.
    func putKeyPackage(_ package: StoredKeyPackage) async throws -> KeyPackageOutcome
    /// The packages given to `target`, oldest first.
    func keyPackages(target: DeviceID) async throws -> [StoredKeyPackage]
    /// The packages given to devices of `organisation`, ordered by target then giver.
    func keyPackages(organisation: OrganisationID) async throws -> [StoredKeyPackage]
}
