import RelaisCore
import RelaisStore

/// Organisation key packages (SPEC.md, "Organisation key"). The relay cannot read a package; it
/// checks what it can (the caller signed it, giver and target are active devices of the package's
/// organisation, `OrganisationKeyRules.mayGive`) and keeps it for its target.
extension Relay {
    func putKeyPackage(_ bytes: [UInt8]) async throws -> (StoredKeyPackage, KeyPackageOutcome) {
        let caller = try Caller.require(Caller.receivers, to: "give the organisation key")
        let package = try verifiedFromCaller(caller, "package") { try OrganisationKeyPackage(verifying: bytes, giver: $0) }
        guard let target = try await storeCall({ try await store.device(package.targetDeviceID) }), target.status == .active,
              OrganisationKeyRules.mayGive(giver: .init(role: caller.role, organisation: caller.organisationID),
                                           target: .init(role: target.role, organisation: target.organisationID),
                                           organisation: package.organisationID, toItself: target.id == caller.id) else {
            throw RelayError.forbidden("key_package_target", """
                a key package goes from an admin or member to an active admin or member of its own organisation \
                (to itself only from an admin making the key)
                """)
        }
        let stored = StoredKeyPackage(organisationID: package.organisationID, target: target.id, giver: caller.id, keyID: package.keyID,
                                      bytes: bytes, storedAt: clock.now())
        let outcome = try await storeCall { try await store.putKeyPackage(stored) }
        return (stored, outcome)
    }

    func keyPackages() async throws -> [StoredKeyPackage] {
        let caller = try Caller.require(Caller.receivers, to: "receive the organisation key")
        return try await storeCall { try await store.keyPackages(target: caller.id) }
    }

    /// The active admins and members of the caller's organisation, each with the key ids given to
    /// it by a device that is not revoked (an empty list: it lacks the key).
    func keyHolders() async throws -> [(DeviceID, [OrganisationKeyID])] {
        let caller = try Caller.require(Caller.receivers, to: "read its organisation's key holders")
        guard let org = caller.organisationID else { return [] }
        let devices = try await storeCall { try await store.devices(organisation: org) }
        let revoked = Set(devices.filter { $0.status == .revoked }.map(\.id))
        let packages = try await storeCall { try await store.keyPackages(organisation: org) }.filter { !revoked.contains($0.giver) }
        return devices.filter { $0.status == .active && ($0.role == .admin || $0.role == .member) }.map { d in
            var ids: [OrganisationKeyID] = []
            for p in packages where p.target == d.id && !ids.contains(p.keyID) { ids.append(p.keyID) }
            return (d.id, ids)
        }
    }
}
