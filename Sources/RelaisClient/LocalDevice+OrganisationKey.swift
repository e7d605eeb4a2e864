import Foundation
public import RelaisCore
import RelaisCrypto

/// The organisation's pseudonym key as this device holds it, pinned in the keystore: the first
/// verified package wins, a different key offered later is refused (SPEC.md, "Organisation key").
public struct HeldOrganisationKey: Codable, Sendable, Equatable {
    public var organisationId: OrganisationID
    public var keyId: String
    /// The 32 key bytes, hex (only ever inside the encrypted keystore).
    public var key: String
    /// The device whose package gave it; this device itself when it made the key.
    public var giverDeviceId: DeviceID
    public var installedAt: UInt64
}

/// The organisation key: received, made by the first admin, given to the organisation's other
/// devices; and the subject pseudonyms computed with it.
extension LocalDevice {
    /// What one `syncOrganisationKey` did.
    public struct OrganisationKeySync: Sendable, Equatable {
        /// The key installed by this call (received or made), if any.
        public var installed: OrganisationKeyID?
        /// This device made the organisation's key (its first admin, no device held one).
        public var made = false
        /// Devices of the organisation this device gave the key to.
        public var gaveTo: [DeviceID] = []
        /// Packages left aside and what the relay reported that does not add up, for the user to see.
        public var warnings: [String] = []
    }

    /// The id of the organisation key this device holds, nil before it has one.
    public var organisationKeyID: OrganisationKeyID? { vault.organisationKey.flatMap { OrganisationKeyID(hex: $0.keyId) } }

    /// The key held here, for this device's current organisation.
    func heldOrganisationKey() throws -> OrganisationKey? {
        guard let held = vault.organisationKey, held.organisationId == settings.organisationId else { return nil }
        guard let bytes = Hex.decode(held.key), let key = try? OrganisationKey(organisation: held.organisationId, secret: SecretBytes(bytes, memory: .guarded)),
              key.id.hex == held.keyId else {
            throw LocalError.verification(Message.damaged(.organisationKey).text)
        }
        return key
    }

    /// The subject pseudonym of a case under the organisation key (SPEC.md, "Organisation key"): the
    /// same on every device of the organisation. Throws, in French, when this device has no key yet.
    public func subjectPseudonym(caseID: String) throws -> String {
        guard let key = try heldOrganisationKey() else { throw LocalError.usage(Message.noOrganisationKey.text) }
        do {
            return try key.pseudonym(caseID: caseID)
        } catch {
            throw LocalError.usage(Message.caseNumberEmpty.text)
        }
    }

    /// Checks that `caseID` names the person of `consent` before anything is sent under it, and
    /// returns the pseudonym the referral carries (the consent's own). A consent recorded on this
    /// device before it held the organisation key was made with the old per-device key: it is
    /// checked with that key, and only for such a consent.
    @discardableResult
    public func requireSameSubject(caseID: String, consent: ConsentRecord) throws -> String {
        let installedAt = vault.organisationKey?.installedAt ?? .max
        if consent.recordedBy == identity.deviceID, consent.grantedAt < installedAt, let legacy = Hex.decode(vault.caseKey), legacy.count == 32,
           constantTimeEqual(Array(ConsentRecord.pseudonym(caseID: caseID, key: legacy).utf8), Array(consent.subjectPseudonym.utf8)) {
            return consent.subjectPseudonym
        }
        let pseudonym = try subjectPseudonym(caseID: caseID)
        guard constantTimeEqual(Array(pseudonym.utf8), Array(consent.subjectPseudonym.utf8)) else {
            throw LocalError.consent(.caseNotConsentSubject(consent: consent.consentId.hex))
        }
        return pseudonym
    }

    /// A referral under a consent is about the consent's person: its `subjectPseudonym` (schema v2)
    /// must be the consent's. `plan` and `send` both check it, through `coveringConsent`.
    func requireReferralSubject(_ referral: Referral, consent: ConsentRecord) throws {
        guard let subject = referral.person.subjectPseudonym else { return }
        guard constantTimeEqual(Array(subject.utf8), Array(consent.subjectPseudonym.utf8)) else {
            throw LocalError.consent(.referralNotConsentSubject(consent: consent.consentId.hex))
        }
    }

    /// Receives, makes and gives the organisation key; called by `refresh` once the device is an
    /// active admin or member. Throws (and installs nothing) on a package that a lying relay made
    /// up or moved: not signed by its giver, given by a device of another organisation, for another
    /// device, or carrying another key than the one pinned here.
    @discardableResult
    public func syncOrganisationKey() async throws -> OrganisationKeySync {
        var sync = OrganisationKeySync()
        guard settings.status == "active", settings.role == .admin || settings.role == .member, let org = settings.organisationId else { return sync }
        for bytes in try await client.keyPackages() { try await receive(bytes, organisation: org, into: &sync) }
        var holders = try await client.keyHolders()
        if vault.organisationKey == nil, settings.role == .admin, holders.allSatisfy({ $0.keyIDs.isEmpty }), try await isFirstAdmin() {
            let key = OrganisationKey.generate(organisation: org, using: AnyRandom(base: rng))
            let own = try OrganisationKeyPackage.seal(key, from: identity, to: identity.publicIdentity, createdAt: clock.now(), rng: AnyRandom(base: rng))
            do {
                try await client.putKeyPackage(own)
                try install(key, giver: identity.deviceID)
                sync.installed = key.id
                sync.made = true
                holders = try await client.keyHolders()
            } catch ClientError.refused(409, _, _) {
                sync.warnings.append("the relay says the organisation already has a key: it will come from the device that holds it")
            }
        }
        guard let key = try heldOrganisationKey() else { return sync }
        for other in holders where other.device != identity.deviceID && !other.keyIDs.isEmpty && !other.keyIDs.contains(key.id) {
            sync.warnings.append("the relay reports that device \(other.device) of this organisation holds another organisation key (\(other.keyIDs.map(\.hex).joined(separator: ", "))): tell the organisation's admin")
        }
        let lacking = Set(holders.filter { $0.keyIDs.isEmpty && $0.device != identity.deviceID }.map(\.device))
        guard !lacking.isEmpty else { return sync }
        for device in try await devices(of: org) where lacking.contains(device.identity.deviceID) {
            if try await give(key, to: device.identity) { sync.gaveTo.append(device.identity.deviceID) }
        }
        return sync
    }

    /// Gives the key to a device this admin has just approved (`approve`): its key is the one the
    /// admin compared and signed. Nothing is given for another organisation, or without a key here.
    func giveOrganisationKeyOnApproval(_ invite: VaultContents.IssuedInvite, key publicKey: Ed25519PublicKey) async throws -> Bool {
        guard invite.role == .admin || invite.role == .member, invite.organisationId == settings.organisationId,
              let key = try heldOrganisationKey() else { return false }
        return try await give(key, to: DevicePublicIdentity(signingKey: publicKey))
    }

    /// Seals and puts a package for `target`; false when the relay already had one from this device.
    func give(_ key: OrganisationKey, to target: DevicePublicIdentity) async throws -> Bool {
        let package = try OrganisationKeyPackage.seal(key, from: identity, to: target, createdAt: clock.now(), rng: AnyRandom(base: rng))
        do {
            return try await client.putKeyPackage(package)
        } catch ClientError.refused(409, _, _) {
            return false  // this device gave it one before (another ephemeral key, hence other bytes)
        }
    }

    /// Verifies and opens one package; installs its key when none is pinned here.
    func receive(_ bytes: [UInt8], organisation org: OrganisationID, into sync: inout OrganisationKeySync) async throws {
        // A package carrying the pinned key's id changes nothing: no need to verify it again.
        if let held = vault.organisationKey, bytes.count == OrganisationKeyPackage.byteCount, Hex.encode(Array(bytes[49..<65])) == held.keyId {
            return
        }
        let package: OrganisationKeyPackage
        let giver: VerifiedDevice
        do {
            giver = try await verify(try await client.device(try OrganisationKeyPackage.unverifiedGiver(of: bytes)))
            package = try OrganisationKeyPackage(verifying: bytes, giver: giver.identity)
        } catch {
            throw LocalError.verification(Message.keyPackageInvalid(detail: "\(error)").text)
        }
        let me = try await verify(try await client.device(identity.deviceID))
        guard package.organisationID == org, me.record.organisationId == org,
              OrganisationKeyRules.mayGive(giver: .init(role: giver.record.role, organisation: giver.record.organisationId),
                                           target: .init(role: me.record.role, organisation: me.record.organisationId),
                                           organisation: org, toItself: package.giverDeviceID == identity.deviceID) else {
            throw LocalError.verification(Message.keyPackageWrongGiver(giver: package.giverDeviceID.hex, role: giver.record.role.label(Messages.language),
                                                                       giverOrganisation: giver.record.organisationId?.hex,
                                                                       isThisOrganisation: giver.record.organisationId == org,
                                                                       organisation: package.organisationID.hex).text)
        }
        guard giver.revocation == nil else {
            sync.warnings.append("a key package from device \(package.giverDeviceID), which is revoked, was left aside")
            return
        }
        let key: OrganisationKey
        do {
            key = try package.open(as: identity)
        } catch {
            throw LocalError.verification(Message.keyPackageUnopenable(giver: package.giverDeviceID.hex, detail: "\(error)").text)
        }
        if let held = vault.organisationKey {
            guard held.keyId == key.id.hex else {
                throw LocalError.verification(Message.otherOrganisationKey(offered: key.id.hex, giver: package.giverDeviceID.hex, held: held.keyId,
                                                                           heldGiver: "\(held.giverDeviceId)").text)
            }
            return
        }
        try install(key, giver: package.giverDeviceID)
        sync.installed = key.id
    }

    func install(_ key: OrganisationKey, giver: DeviceID) throws {
        vault.organisationKey = HeldOrganisationKey(organisationId: key.organisation, keyId: key.id.hex, key: Hex.encode(key.secret.bytes),
                                                    giverDeviceId: giver, installedAt: clock.now())
        try save()
    }

    /// Whether this device is an admin whose record the operator signed: the one who makes the key.
    func isFirstAdmin() async throws -> Bool {
        guard let operatorKey else { return false }
        let me = try await verify(try await client.device(identity.deviceID))
        return me.record.role == .admin && me.record.enrolledBy == DevicePublicIdentity(signingKey: operatorKey).deviceID
    }
}
