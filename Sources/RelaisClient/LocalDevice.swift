public import Foundation
public import RelaisCore
public import RelaisCrypto

/// A device's profile on disk and everything the CLI does with it. The executable only parses,
/// calls and prints: every rule is here.
public final class LocalDevice {
    public let directory: String
    /// Where the opened referrals are kept (`ProfileLocation.data`); `directory` unless told otherwise.
    public let dataDirectory: String
    public private(set) var settings: ProfileSettings
    var vault: VaultContents
    private(set) var key: Keystore.Key
    public let identity: DeviceIdentity
    let clock: any RelaisClock
    let rng: any RandomSource

    public static let prekeyLifetime: UInt64 = 7 * 86_400
    /// Referrals erased at the last `refresh` because their consent was withdrawn.
    public internal(set) var lastErasedByWithdrawal = 0
    /// What the last `refresh` did with the organisation key (received, made, given, warnings), for `whoami` to show.
    public internal(set) var lastOrganisationKeySync = OrganisationKeySync()

    static func settingsPath(_ dir: String) -> String { dir + "/profile.json" }
    static func keystorePath(_ dir: String) -> String { dir + "/keystore" }

    init(directory: String, dataDirectory: String? = nil, settings: ProfileSettings, vault: VaultContents, key: Keystore.Key,
         clock: any RelaisClock, rng: any RandomSource) throws {
        self.directory = directory
        self.dataDirectory = dataDirectory ?? directory
        self.settings = settings
        self.vault = vault
        self.key = key
        self.clock = clock
        self.rng = rng
        guard let seed = Hex.decode(vault.identitySeed) else { throw LocalError.verification(Message.damaged(.identityKey).text) }
        identity = DeviceIdentity(privateKey: try Ed25519PrivateKey(seed: seed))
    }

    // MARK: profile lifecycle

    /// Creates the device keys and the profile. Nothing is pinned: the relay is met through the
    /// network, so the keys that root this device's trust come with the invite (`enrol`).
    /// `parameters` are the keystore's Argon2id costs; the CLI always uses `.moderate` (tests pass less).
    public static func create(directory: String, dataDirectory: String? = nil, relay: URL, passphrase: SecretBytes, parameters: Argon2id.Parameters = .moderate,
                              clock: any RelaisClock = SystemClock(), rng: any RandomSource = SystemRandom()) async throws -> LocalDevice {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: keystorePath(directory)) else { throw LocalError.profileExists(directory) }
        try checkRelayURL(relay)
        _ = try await RelayClient(relay: relay, identity: nil, clock: clock, rng: rng).relayInfo()  // a Relais relay answers there
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var seed = rng.bytes(32)
        defer { wipe(&seed) }
        let identity = DeviceIdentity(privateKey: try Ed25519PrivateKey(seed: seed))
        let settings = ProfileSettings(relay: relay.absoluteString, operatorKey: nil, deviceId: identity.deviceID, role: nil, organisationId: nil,
                                       status: "not enrolled", retentionDays: 90, logVerifierKey: nil)
        var vault = VaultContents(identitySeed: Hex.encode(seed))
        vault.caseKey = Hex.encode(rng.bytes(32))
        let device = try LocalDevice(directory: directory, dataDirectory: dataDirectory, settings: settings, vault: vault,
                                     key: try Keystore.Key.derive(passphrase: passphrase, parameters: parameters, rng: AnyRandom(base: rng)),
                                     clock: clock, rng: rng)
        try device.save()
        return device
    }

    /// Refuses a relay URL that is not `https`, or plain `http` to another host than this machine
    /// (127.0.0.0/8, ::1, localhost): requests are signed, but on plain HTTP anyone on the path
    /// reads the metadata and can answer in the relay's place.
    public static func checkRelayURL(_ url: URL) throws {
        guard url.scheme == "https" || url.scheme == "http", let host = url.host, !host.isEmpty else {
            throw LocalError.usage(Message.relayURLFormat(url.absoluteString).text)
        }
        guard url.scheme == "http" else { return }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        let ipv4Loopback = octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
        guard bare == "localhost" || bare == "::1" || ipv4Loopback else {
            throw LocalError.usage(Message.plainHTTPRefused(host: host).text)
        }
    }

    /// Opens an existing profile; a wrong passphrase throws `KeystoreError.wrongPassphrase`.
    /// A keystore derived with weaker costs than `minimumParameters` is re-keyed with them under a
    /// fresh salt (the CLI passes `.moderate`). Pins left in `profile.json` by an older version are
    /// moved into the keystore.
    public static func open(directory: String, dataDirectory: String? = nil, passphrase: SecretBytes, minimumParameters: Argon2id.Parameters? = nil,
                            clock: any RelaisClock = SystemClock(), rng: any RandomSource = SystemRandom()) throws -> LocalDevice {
        let fm = FileManager.default
        guard let sealed = fm.contents(atPath: keystorePath(directory)), let clear = fm.contents(atPath: settingsPath(directory)) else {
            throw LocalError.noProfile(directory)
        }
        var (plaintext, key) = try Keystore.open(Array(sealed), passphrase: passphrase)
        defer { wipe(&plaintext) }
        let decoder = JSONDecoder()
        var vault = try decoder.decode(VaultContents.self, from: Data(plaintext))
        var settings = try decoder.decode(ProfileSettings.self, from: clear)
        guard let url = URL(string: settings.relay) else { throw LocalError.verification(Message.damaged(.profileRelayURL).text) }
        try checkRelayURL(url)
        var changed = false
        if settings.operatorKey != nil || settings.logVerifierKey != nil {
            // Pins of an older profile: they were taken from the relay on first use, and are kept
            // (nothing better is known now), but from here on only the keystore holds them.
            if vault.operatorKey == nil { vault.operatorKey = settings.operatorKey }
            if vault.logVerifierKey == nil { vault.logVerifierKey = settings.logVerifierKey }
            settings.operatorKey = nil
            settings.logVerifierKey = nil
            changed = true
        }
        if let minimumParameters, key.parameters.opsLimit < minimumParameters.opsLimit || key.parameters.memLimit < minimumParameters.memLimit {
            key = try Keystore.Key.derive(passphrase: passphrase, parameters: minimumParameters, rng: AnyRandom(base: rng))
            changed = true
        }
        let device = try LocalDevice(directory: directory, dataDirectory: dataDirectory, settings: settings, vault: vault, key: key, clock: clock, rng: rng)
        guard device.identity.deviceID == settings.deviceId else { throw LocalError.verification(Message.damaged(.profileOtherDevice).text) }
        try device.loadReferrals()
        // Opened referrals of an older profile, kept in the keystore: moved to the data directory.
        if !vault.opened.isEmpty { changed = true }
        if changed { try device.save() }
        return device
    }

    /// Re-encrypts the keystore under a new passphrase, a fresh salt and `parameters` (the CLI
    /// checks the new passphrase's strength first). Older copies of the file still open with the
    /// old passphrase (SPEC.md, "Keystore (client)").
    public func changePassphrase(to passphrase: SecretBytes, parameters: Argon2id.Parameters = .moderate) throws {
        key = try Keystore.Key.derive(passphrase: passphrase, parameters: parameters, rng: AnyRandom(base: rng))
        try save()
    }

    /// Writes the three files (0600), each atomically under a fresh nonce: the opened referrals
    /// (`ReferralStore`, in the data directory) first, then the keystore without them, then the settings.
    public func save() throws {
        try saveReferrals()
        var kept = vault
        kept.opened = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        var plaintext = Array(try encoder.encode(kept))
        defer { wipe(&plaintext) }
        try Keystore.writeAtomically(try Keystore.seal(plaintext, key: key, rng: AnyRandom(base: rng)), to: Self.keystorePath(directory))
        try Keystore.writeAtomically(Array(try encoder.encode(settings)), to: Self.settingsPath(directory))
    }

    public var relayURL: URL { URL(string: settings.relay)! }
    public var client: RelayClient { RelayClient(relay: relayURL, identity: identity, clock: clock, rng: rng) }
    public var fingerprint: Fingerprint { identity.publicIdentity.fingerprint }

    /// The pinned operator key (in the keystore), nil before enrolment.
    var operatorKey: Ed25519PublicKey? {
        vault.operatorKey.flatMap(Hex.decode).flatMap { try? Ed25519PublicKey(bytes: $0) }
    }

    /// The pinned operator key's fingerprint, to compare with the operator out of band.
    public var operatorFingerprint: Fingerprint? { operatorKey.map { Fingerprint(of: $0) } }

    /// The pinned checkpoint verifier key (in the keystore), nil before enrolment.
    var logVerifierKey: String? { vault.logVerifierKey }

    // MARK: enrolment

    /// Redeems an invite. Before anything is sent or pinned, the keys the relay reports must hash
    /// to the invite's anchor, which came out of band with the code: the operator's key and the
    /// log's verifier key; for the operator invite (`asOperator`), the log's key alone, and the
    /// operator then pins its own key. Both are then pinned in the keystore.
    public func enrol(invite: InviteCode, asOperator: Bool) async throws -> RelayClient.DeviceStatus {
        guard let anchor = invite.anchor else {
            throw LocalError.verification(Message.inviteWithoutAnchor.text)
        }
        let anonymous = RelayClient(relay: relayURL, identity: nil, clock: clock, rng: rng)
        let info = try await anonymous.relayInfo()
        guard let logKey = info.logVerifierKey, (try? CheckpointVerifierKey(parsing: logKey)) != nil else {
            throw LocalError.verification(Message.relayNoLogKey.text)
        }
        if asOperator, info.operatorPublicKey != nil {
            throw LocalError.usage(Message.operatorAlreadyExists.text)
        }
        let reported = InviteAnchor(operatorKey: asOperator ? nil : info.operatorPublicKey, logVerifierKey: logKey)
        if !asOperator, info.operatorPublicKey == nil, InviteAnchor(operatorKey: nil, logVerifierKey: logKey).matches(anchor) {
            throw LocalError.usage(Message.operatorInviteGiven.text)
        }
        guard asOperator || info.operatorPublicKey != nil, reported.matches(anchor) else {
throw LocalError.verification(Message.inviteAnchorMismatch(anchor: "\(anchor)", reported: "\(reported)").text)
        }
        let pinnedOperator = asOperator ? identity.privateKey.publicKey : info.operatorPublicKey!
        if let held = operatorKey, held != pinnedOperator {
            throw LocalError.verification(Message.otherOperatorPinned.text)
        }
        var record: SignedObject?
        if asOperator {
            record = try DeviceRecord(identity: identity.publicIdentity, organisationId: nil, role: .operator, enrolledBy: identity.deviceID,
                                      inviteId: invite.id, issuedAt: clock.now()).signed(by: identity)
        }
        let status = try await anonymous.enrol(invite: invite, device: identity, record: record)
        vault.operatorKey = Hex.encode(pinnedOperator.bytes)
        vault.logVerifierKey = logKey
        settings.status = status.status
        settings.role = status.role
        settings.organisationId = status.organisationID
        try save()
        return status
    }

    /// Checks an invite the relay issued for this device: its anchor must be the one of this
    /// device's own pins, or the new user would pin keys this device never trusted.
    func checkIssuedInvite(_ code: InviteCode) throws {
        guard let operatorKey, let logVerifierKey else { throw LocalError.verification(Message.noOperatorPinned(relayHasNone: false).text) }
        let expected = InviteAnchor(operatorKey: operatorKey, logVerifierKey: logVerifierKey)
        guard let anchor = code.anchor, anchor.matches(expected) else {
            throw LocalError.verification(Message.issuedInviteAnchorMismatch.text)
        }
    }

    /// Asks the relay for this device's status; once active, publishes a prekey if none is current.
    public func refresh() async throws -> RelayClient.DeviceEntry {
        let me = try await client.whoAmI()
        settings.status = me.status
        settings.role = me.role
        settings.organisationId = me.organisationID
        if me.status == "active" { try await checkLog() }  // the log state (LocalDevice+LogCheck.swift)
        if me.status == "active", me.role == .admin || me.role == .member {
            try await rotatePrekeys()
            lastOrganisationKeySync = try await syncOrganisationKey()
        }
        _ = try purgeLocal()
        lastErasedByWithdrawal = try await syncNotices()
        return me
    }

    /// How long a prekey is offered to senders (its `not_after` - `created_at`).
    public static let prekeyRotationPeriod: UInt64 = 7 * 86_400

    /// Publishes a new signed prekey when forced or when the newest one leaves senders less than a
    /// day (so senders always find a valid one), then erases every private prekey that no living
    /// envelope can need any more. Returns whether a new prekey was published.
    @discardableResult
    public func rotatePrekeys(force: Bool = false) async throws -> Bool {
        let now = clock.now()
        let newest = vault.prekeys.filter(\.published).max { $0.createdAt < $1.createdAt }
        var rotated = false
        if force || newest.map({ $0.notAfter <= now + 86_400 }) ?? true {
            let key = X25519PrivateKey.generate(using: rng)
            let signed = SignedPrekey.sign(publicKey: key.publicKey, identity: identity, createdAt: now, notAfter: now + Self.prekeyRotationPeriod)
            vault.prekeys.append(.init(prekeyId: signed.prekeyID.description, x25519Secret: Hex.encode(key.secret.bytes),
                                       createdAt: now, notAfter: signed.notAfter, published: false))
            try save()  // keep the private key before the relay can hand the public one out
            try await client.publishPrekey(signed)
            if let i = vault.prekeys.firstIndex(where: { $0.prekeyId == signed.prekeyID.description }) { vault.prekeys[i].published = true }
            rotated = true
        }
        erasePrekeys(now: now)
        try save()
        return rotated
    }

    /// Drops private prekeys past `not_after` + the longest envelope lifetime: no envelope sealed
    /// to them can still be alive, and from now on a captured one is noise even with the identity key.
    /// The keystore is rewritten under a fresh nonce by the caller's `save()`.
    func erasePrekeys(now: UInt64) {
        vault.prekeys.removeAll { $0.notAfter + Envelope.maximumLifetime <= now }
    }

    /// The ids of the private prekeys this device still holds.
    public var heldPrekeys: [String] { vault.prekeys.map(\.prekeyId) }

    /// Erases opened referrals kept longer than the retention period. Returns how many.
    @discardableResult
    public func purgeLocal() throws -> Int {
        let now = clock.now()
        let horizon = UInt64(max(0, settings.retentionDays)) * 86_400
        let before = vault.opened.count
        vault.opened.removeAll { $0.openedAt + horizon <= now }
        vault.erasedEnvelopes = vault.erasedEnvelopes?.filter { $0.value > now }  // an expired envelope no longer opens anyway
        erasePrekeys(now: now)
        try save()
        return before - vault.opened.count
    }

    /// Points the profile at the relay's new address (same relay, same keys).
    public func setRelay(_ url: URL) throws {
        try Self.checkRelayURL(url)
        settings.relay = url.absoluteString
        try save()
    }

    /// Sets the interface language of this profile (`relais config --lang`); nil: the locale's.
    public func setLanguage(_ language: Language?) throws {
        settings.language = language?.rawValue
        try save()
    }

    /// Sets how many days opened referrals stay in this profile's encrypted store.
    public func setRetention(days: Int) throws {
        guard (0...3650).contains(days) else { throw LocalError.usage(Message.retentionRange(max: 3650).text) }
        settings.retentionDays = days
        try save()
    }

    /// Requires an active device, asking the relay first when the profile does not know it yet
    /// (the enroller may have approved it since).
    func requireActive() async throws {
        if settings.status != "active" { _ = try await refresh() }
        guard settings.status == "active" else { throw LocalError.notActive(settings.status) }
    }

    // MARK: directory

    /// Organisations, each verified against the pinned operator key and not older than the
    /// newest version of it this device has seen (the highest `sequence` is pinned in the keystore:
    /// a relay cannot serve a record the operator has replaced, such as a lapsed accreditation).
    /// The relay filters by category and département; every filter of `query` is applied again
    /// here, on the verified records (national organisations match every département).
    public func organisations(category: PartnerCategory? = nil, departement: String? = nil) async throws -> [OrganisationRecord] {
        try await organisations(matching: DirectoryQuery(category: category, departement: departement))
    }

    public func organisations(matching query: DirectoryQuery) async throws -> [OrganisationRecord] {
        let (category, departement) = (query.category, query.departement)
        guard let operatorKey else { throw LocalError.verification(Message.noOperatorPinned(relayHasNone: true).text) }
        var records: [OrganisationRecord] = []
        for served in try await client.organisations(category: category, departement: departement) {
            let record: OrganisationRecord
            do {
                record = try OrganisationRecord.verify(served.signed, operatorKey: operatorKey)
            } catch {
                throw LocalError.verification(Message.organisationRecordUnsigned(detail: "\(error)").text)
            }
            try await requireLogged(served.signed, .organisation(record.id), index: served.logIndex)
            records.append(record)
        }
        var seen = vault.organisationSequences ?? [:]
        for r in records {
            if let highest = seen[r.id], r.sequence < highest {
                throw LocalError.verification(Message.organisationRolledBack(id: r.id.hex, served: r.sequence, seen: highest).text)
            }
            seen[r.id] = max(seen[r.id] ?? 0, r.sequence)
        }
        if seen != vault.organisationSequences ?? [:] {
            vault.organisationSequences = seen
            try save()
        }
        return records.filter(query.matches).sorted { $0.name < $1.name }
    }

    public func organisation(_ id: OrganisationID) async throws -> OrganisationRecord {
        guard let record = try await organisations().first(where: { $0.id == id }) else {
            throw LocalError.notFound(Message.organisationUnknown(id: id.hex).text)
        }
        return record
    }

    /// A device whose record chain verifies up to the pinned operator key.
    public struct VerifiedDevice: Sendable {
        public let identity: DevicePublicIdentity
        public let record: DeviceRecord
        /// Its current prekey; nil when none is published or the published one is unusable.
        public let prekey: SignedPrekey?
        /// The relay's word, unsigned: shown, never relied on (`revocation` is what counts).
        public let status: String
        /// Its revocation, verified: signed by a device whose chain verifies and that may revoke it.
        public let revocation: DeviceRevocation?
        /// Why its validly signed prekey cannot be sealed to (a key of small order), if so.
        public let unusablePrekey: String?
    }

    /// Verifies a device entry's chain: its record is signed by its enroller, whose record is
    /// signed by its own enroller, up to the self-signed operator whose key must be the pinned one;
    /// admins and auditors are enrolled by the operator, members and admins by an admin of the
    /// same organisation.
    public func verify(_ entry: RelayClient.DeviceEntry, depth: Int = 0) async throws -> VerifiedDevice {
        guard depth < 8 else { throw LocalError.verification(Message.deviceChainTooLong.text) }
        if let pin = vault.pins[entry.deviceID], Hex.decode(pin.publicKey) != entry.publicKey {
            let old = (Hex.decode(pin.publicKey).flatMap { try? Ed25519PublicKey(bytes: $0) }).map { Fingerprint(of: $0).description } ?? "?"
            let new = (try? Ed25519PublicKey(bytes: entry.publicKey)).map { Fingerprint(of: $0).description } ?? Message.relayMalformed(.deviceEntry).text
            throw LocalError.keyChanged(device: entry.deviceID, pinned: old, now: new)
        }
        guard let signed = entry.record else { throw LocalError.verification(Message.deviceRecordMissing(device: entry.deviceID.hex).text) }
        guard let key = try? Ed25519PublicKey(bytes: entry.publicKey) else { throw LocalError.verification(Message.deviceKeyMalformed(device: entry.deviceID.hex).text) }
        let identity = DevicePublicIdentity(signingKey: key)
        guard identity.deviceID == entry.deviceID else { throw LocalError.verification(Message.deviceIdMismatch.text) }
        let signerID = try DeviceRecord.unverifiedSigner(of: signed)
        let signer: VerifiedDevice?
        let signerIdentity: DevicePublicIdentity
        if signerID == entry.deviceID {
            guard let operatorKey, key == operatorKey else {
                throw LocalError.verification(Message.deviceSelfSignedNotOperator(device: entry.deviceID.hex).text)
            }
            signer = nil
            signerIdentity = identity
        } else {
            let s = try await verify(try await client.device(signerID), depth: depth + 1)
            signer = s
            signerIdentity = s.identity
        }
        let record: DeviceRecord
        do {
            record = try DeviceRecord.verify(signed, signer: signerIdentity)
        } catch {
            throw LocalError.verification(Message.deviceRecordInvalid(device: entry.deviceID.hex, detail: "\(error)").text)
        }
        guard record.deviceId == entry.deviceID, record.role == entry.role, record.organisationId == entry.organisationID else {
            throw LocalError.verification(Message.deviceDescriptionDiffers(device: entry.deviceID.hex).text)
        }
        let enroller = signer.map { DirectoryRules.Enroller(role: $0.record.role, organisation: $0.record.organisationId) }
        guard DirectoryRules.mayEnrol(enroller, role: record.role, organisation: record.organisationId) else {
            throw LocalError.verification(Message.deviceEnrolledWrongly(device: entry.deviceID.hex, role: record.role.label(Messages.language)).text)
        }
        try await requireLogged(signed, .deviceRecord(entry.deviceID), index: entry.recordLogIndex)
        var prekey: SignedPrekey?
        var unusable: String?
        if let bytes = entry.signedPrekey {
            let verified = Result { () throws(PrekeyError) in try SignedPrekey(verifying: bytes, signer: identity) }
            switch verified {
            case let .success(p): prekey = p
            case .failure(.lowOrderKey): unusable = PrekeyError.lowOrderKey.description  // its owner's fault, not the relay's: skip it
            case let .failure(error): throw error
            }
            try await requireLogged(SignedObject(bytes: Array(bytes.prefix(SignedPrekey.bodyByteCount)),
                                                 signature: Array(bytes.dropFirst(SignedPrekey.bodyByteCount))),
                                    .prekey(entry.deviceID), index: entry.signedPrekeyLogIndex)
        }
        var revocation: DeviceRevocation?
        if let signed = entry.revocation {
            revocation = try await verifyRevocation(signed, of: record, depth: depth)
            try await requireLogged(signed, .revocation(entry.deviceID), index: entry.revocationLogIndex)
        }
        return VerifiedDevice(identity: identity, record: record, prekey: prekey, status: entry.status, revocation: revocation,
                              unusablePrekey: unusable)
    }

    /// A revocation shown with a device: signed by a device whose own chain verifies and that may
    /// revoke this one (`DirectoryRules.mayRevoke`). Anything else is a relay that lies.
    func verifyRevocation(_ signed: SignedObject, of target: DeviceRecord, depth: Int) async throws -> DeviceRevocation {
        do {
            let revoker = try await verify(try await client.device(try DeviceRevocation.unverifiedSigner(of: signed)), depth: depth + 1)
            let revocation = try DeviceRevocation.verify(signed, signer: revoker.identity)
            guard revocation.deviceId == target.deviceId,
                  DirectoryRules.mayRevoke(.init(role: revoker.record.role, organisation: revoker.record.organisationId),
                                           role: target.role, organisation: target.organisationId) else {
                throw LocalError.verification(Message.revocationNamesOther.text)
            }
            return revocation
        } catch {
            throw LocalError.verification(Message.revocationInvalid(device: target.deviceId.hex, detail: "\(error)").text)
        }
    }

    /// Trust on first use: the first verified key of a device is pinned (`verify` refuses a
    /// different key for a pinned device).
    func checkPin(_ device: VerifiedDevice) throws {
        if vault.pins[device.identity.deviceID] == nil {
            vault.pins[device.identity.deviceID] = .init(publicKey: Hex.encode(device.identity.signingKey.bytes),
                                                         organisationId: device.record.organisationId, firstSeenAt: clock.now())
        }
    }

    /// The current devices of an organisation, verified and pinned: every listed device's signed
    /// record must name this organisation (another organisation's device in the list is a relay
    /// that lies, and stops everything), and a device with a verified revocation is left out,
    /// whatever status the relay shows. Pending devices have no record yet and are not listed.
    public func devices(of organisation: OrganisationID) async throws -> [VerifiedDevice] {
        var out: [VerifiedDevice] = []
        for entry in try await client.devices(organisation: organisation) where entry.record != nil || entry.status != "pending" {
            let d = try await verify(entry)
            guard d.record.mayReceive(for: organisation) else {
                throw LocalError.verification(Message.deviceNotOfOrganisation(device: d.identity.deviceID.hex, organisation: organisation.hex,
                                                                              role: d.record.role.label(Messages.language),
                                                                              actual: d.record.organisationId?.hex, isOther: true).text)
            }
            guard d.revocation == nil else { continue }
            try checkPin(d)
            out.append(d)
        }
        try save()
        return out
    }

    /// Accepts an organisation's current devices after the user compared their fingerprints out
    /// of band; the next send to it goes through.
    public func trust(organisation: OrganisationID) async throws -> [VerifiedDevice] {
        let devices = try await self.devices(of: organisation)
        vault.organisationPins[organisation] = devices.map(\.identity.deviceID).sorted()
        try save()
        return devices
    }

    // MARK: sending

    public struct SendPlan: Sendable {
        public let organisations: [OrganisationRecord]
        public let devices: [VerifiedDevice]
        public let referral: Referral
        public let expiresAt: UInt64
        /// Devices of the recipients that nothing is sealed for, each with the reason (no current
        /// prekey: never came online since approval; or an unusable one). The send goes to the others.
        public let skipped: [(device: DeviceID, reason: String)]
    }

    /// Resolves every current device of the recipient organisations through the verified, pinned
    /// directory. Nothing is sealed or sent yet: the CLI shows the plan first.
    public func plan(referral: Referral, to organisations: [OrganisationID], lifetime: UInt64) async throws -> SendPlan {
        try await requireActive()
        guard !organisations.isEmpty else { throw LocalError.usage(Message.noRecipient.text) }
        try referral.validate()
        try requireMinorPath(referral)
        let consent = try coveringConsent(for: referral)
        let now = clock.now()
        var records: [OrganisationRecord] = []
        var devices: [VerifiedDevice] = []
        var skipped: [(device: DeviceID, reason: String)] = []
        let all = try await self.organisations()
        try requireCoverage(by: consent, for: referral, of: organisations.map { id in
            guard let record = all.first(where: { $0.id == id }) else { throw LocalError.notFound(Message.organisationUnknown(id: id.hex).text) }
            return record
        }, directory: all)
        for id in organisations {
            guard let record = all.first(where: { $0.id == id }) else { throw LocalError.notFound(Message.organisationUnknown(id: id.hex).text) }
            let members = try await self.devices(of: id)
            let receivers = members.filter { $0.prekey?.isUsable(at: now) == true }
            skipped += members.filter { $0.prekey?.isUsable(at: now) != true }.map {
                ($0.identity.deviceID, $0.unusablePrekey ?? Message.noCurrentPrekey.text)
            }
            guard !receivers.isEmpty else { throw LocalError.notFound(Message.noReceivingDevice(organisation: record.name).text) }
            // Trust on first use of the organisation; afterwards a device the user has not accepted stops the send.
            if let pinned = vault.organisationPins[id] {
                let unknown = receivers.filter { !pinned.contains($0.identity.deviceID) }
                guard unknown.isEmpty else {
                    throw LocalError.newDevices(organisation: record.name, id, unknown.map { ($0.identity.deviceID, $0.identity.fingerprint.description) })
                }
            } else {
                vault.organisationPins[id] = receivers.map(\.identity.deviceID).sorted()
            }
            records.append(record)
            devices += receivers
        }
        try save()
        return SendPlan(organisations: records, devices: devices, referral: referral, expiresAt: now + lifetime, skipped: skipped)
    }

    /// Seals the plan's referral for every planned device and submits it. Checked again first,
    /// since the envelope header's organisations come from the devices' records: each device is
    /// a current device of a planned organisation, and the consent covers every one of them.
    public func send(_ plan: SendPlan) async throws -> SealedEnvelope {
        let planned = Set(plan.organisations.map(\.id))
        let recipients = try plan.devices.map { d in
            guard let org = d.record.organisationId, planned.contains(org), d.record.mayReceive(for: org), d.revocation == nil,
                  let prekey = d.prekey else {
                throw LocalError.verification(Message.deviceNotRecipient(device: d.identity.deviceID.hex).text)
            }
            return RecipientDevice(organisationID: org, prekey: prekey)
        }
        guard Set(recipients.map(\.organisationID)) == planned else {
            throw LocalError.verification(Message.noDeviceToSeal.text)
        }
        let consent = try coveringConsent(for: plan.referral)
        let kind = plan.referral.consent.kind
        try requireCoverage(by: consent, for: plan.referral, of: plan.organisations, directory: kind == .exitProgrammeConsent ? try await organisations() : [])
        let sealed = try Envelope.seal(referral: try carryingConsentRecord(plan.referral, cover: consent).encoded(), from: identity, to: recipients, consent: plan.referral.consent,
                                       expiresAt: plan.expiresAt, clock: FixedClock(clock.now()), rng: AnyRandom(base: rng))
        _ = try await client.submit(sealed.bytes)
        if case let .declaration(declaration?) = consent {
            vault.declarationReports = (vault.declarationReports ?? [:]).merging([declaration.declarationId: 1]) { $0 + $1 }
            try save()
        }
        try recordSent(plan, envelope: sealed.header.envelopeID)
        return sealed
    }

    // MARK: receiving

    /// The envelopes waiting for this device, less those erased here on a withdrawal notice.
    public func inbox() async throws -> [RelayClient.InboxItem] {
        try await requireActive()
        let erased = vault.erasedEnvelopes ?? [:]
        return try await client.inbox().filter { erased[$0.envelopeID] == nil }
    }

    /// Fetches, verifies and opens an envelope, and keeps the referral in the encrypted store.
    public func open(_ id: EnvelopeID) async throws -> (referral: Referral, sender: VerifiedDevice, stored: VaultContents.OpenedReferral) {
        try await requireActive()
        if let kept = vault.opened.first(where: { $0.envelopeId == id }) {
            let sender = try await verify(try await client.device(kept.senderDeviceId))
            return (try Referral.decode(Array(kept.referral.utf8)), sender, kept)
        }
        guard let item = try await client.inbox().first(where: { $0.envelopeID == id }) else {
            throw LocalError.notFound(Message.envelopeNotInInbox(id: id.hex).text)
        }
        if vault.erasedEnvelopes?[id] != nil {
            throw LocalError.verification(Message.envelopeErasedDeliveredAgain(id: id.hex).text)
        }
        let bytes = try await client.fetch(id)
        let sender = try await verify(try await client.device(item.senderDeviceID))
        try checkPin(sender)
        let opened = try open(bytes: bytes, from: sender)
        let referral = try opened.referral()
        // Sealed by a device already revoked: its key may be someone else's since. The sealing
        // time is the signed `createdAt`; the relay's `submittedAt` can only make this stricter.
        if let revocation = sender.revocation, revocation.isEffective(at: max(referral.createdAt, item.submittedAt)) {
            throw LocalError.verification(Message.envelopeFromRevoked(id: id.hex, device: sender.identity.deviceID.hex,
                                                                      revokedAt: LocalTime.date(revocation.revokedAt),
                                                                      createdAt: LocalTime.date(referral.createdAt)).text)
        }
        let stored = VaultContents.OpenedReferral(envelopeId: id, senderDeviceId: sender.identity.deviceID,
                                                  senderOrganisationId: sender.record.organisationId, openedAt: clock.now(),
                                                  expiresAt: opened.header.expiresAt, referral: String(decoding: opened.referralBytes, as: UTF8.self),
                                                  acknowledged: false, consentId: referral.consent.id,
                                                  consentOrganisationId: referral.kind == .reply ? settings.organisationId : sender.record.organisationId,
                                                  consentFlags: await consentFlags(for: referral, sender: sender))
        vault.opened.append(stored)
        try save()
        return (referral, sender, stored)
    }

    /// Opens envelope bytes from a verified sender with the private prekeys this device still holds.
    public func open(bytes: [UInt8], from sender: VerifiedDevice) throws -> OpenedEnvelope {
        let prekeys = try vault.prekeys.map { p -> (PrekeyID, X25519PrivateKey) in
            guard let pid = PrekeyID(hex: p.prekeyId), let s = Hex.decode(p.x25519Secret) else { throw LocalError.verification(Message.damaged(.prekey).text) }
            return (pid, try X25519PrivateKey(scalar: s))
        }
        return try Envelope.open(bytes, as: identity.deviceID, prekeys: { id in prekeys.first { $0.0 == id }?.1 },
                                 senders: { $0 == sender.identity.deviceID ? sender.identity : nil }, clock: FixedClock(clock.now()))
    }

    /// Tells the relay this device has the envelope; returns whether the relay deleted it.
    public func acknowledge(_ id: EnvelopeID) async throws -> Bool {
        try await requireActive()
        guard let i = vault.opened.firstIndex(where: { $0.envelopeId == id }) else {
            throw LocalError.usage(Message.openBeforeAck(id: id.hex).text)
        }
        let deleted = try await client.acknowledge(id)
        vault.opened[i].acknowledged = true
        try save()
        return deleted
    }

    /// The referrals kept in the encrypted local store.
    public var openedReferrals: [VaultContents.OpenedReferral] { vault.opened }

    /// A reply to an opened referral, addressed to the sender's organisation, under the same consent.
    /// A reply is in the version of the referral it answers: to a v2 referral it names the same
    /// subject pseudonym and carries `outcome` (required); to a v1 referral it carries none (v1 has
    /// no outcome) and says what happened in `text` (required then).
    public func replyPlan(to id: EnvelopeID, text: String?, outcome: Referral.Outcome?, contact: Referral.SenderContact,
                          lifetime: UInt64) async throws -> SendPlan {
        guard let kept = vault.opened.first(where: { $0.envelopeId == id }), let org = kept.senderOrganisationId else {
            throw LocalError.usage(Message.openBeforeReply(id: id.hex).text)
        }
        let original = try Referral.decode(Array(kept.referral.utf8))
        if original.schemaVersion >= 2 {
            guard outcome != nil else {
                throw LocalError.usage(Message.replyNeedsOutcome.text)
            }
        } else {
            guard outcome == nil else {
                throw LocalError.usage(Message.replyV1NoOutcome(id: id.hex).text)
            }
            guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw LocalError.usage(Message.replyV1NeedsText(id: id.hex).text)
            }
        }
        let reply = Referral(kind: .reply, inReplyTo: id, needs: original.needs, person: original.person, safety: original.safety,
                             freeText: text, consent: original.consent, sender: contact, createdAt: clock.now(), outcome: outcome)
        return try await plan(referral: reply, to: [org], lifetime: lifetime)
    }
}

/// Lets an existential random source be passed where a generic one is expected.
struct AnyRandom: RandomSource {
    let base: any RandomSource
    func bytes(_ count: Int) -> [UInt8] { base.bytes(count) }
}
