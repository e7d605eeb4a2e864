import Foundation
public import RelaisCore
import RelaisCrypto

/// What a profile keeps in clear (`profile.json`, 0600): where the relay is and this device's
/// public facts. No secret, no name, no referral, and no pin: nothing authenticates this file, so
/// the keys that root this device's trust live in the keystore (`VaultContents`).
public struct ProfileSettings: Codable, Sendable, Equatable {
    public var relay: String
    /// Only in profiles written before pins moved into the keystore: `LocalDevice.open` moves it
    /// there and drops it from this file.
    public var operatorKey: String?
    public var deviceId: DeviceID
    public var role: DeviceRole?
    public var organisationId: OrganisationID?
    public var status: String
    /// Days an opened referral stays in the local store.
    public var retentionDays: Int
    /// Only in profiles written before pins moved into the keystore (as `operatorKey`).
    public var logVerifierKey: String?
    /// The interface language chosen with `relais config --lang` (`fr`, `en`); nil: the locale's.
    public var language: String? = nil

    /// The settings of the profile in `directory`, read without its passphrase (they are in
    /// clear): nil when there is none or it does not decode. `relais` reads the language there
    /// before parsing its arguments.
    public static func read(directory: String) -> ProfileSettings? {
        guard let data = FileManager.default.contents(atPath: LocalDevice.settingsPath(directory)) else { return nil }
        return try? JSONDecoder().decode(ProfileSettings.self, from: data)
    }
}

/// The encrypted part of a profile: keys, pinned contacts and opened referrals (these in their own
/// file, `ReferralStore`, in the profile's data directory).
public struct VaultContents: Codable, Sendable {
    public struct Prekey: Codable, Sendable {
        public var prekeyId: String
        public var x25519Secret: String
        public var createdAt: UInt64
        public var notAfter: UInt64
        public var published: Bool
    }
    /// A contact's key as first seen through a verified directory chain (trust on first use).
    public struct Pin: Codable, Sendable, Equatable {
        public var publicKey: String
        public var organisationId: OrganisationID?
        public var firstSeenAt: UInt64
    }
    public struct OpenedReferral: Codable, Sendable {
        public var envelopeId: EnvelopeID
        public var senderDeviceId: DeviceID
        public var senderOrganisationId: OrganisationID?
        public var openedAt: UInt64
        public var expiresAt: UInt64
        /// The referral JSON exactly as signed.
        public var referral: String
        public var acknowledged: Bool
        public var consentId: ConsentID?
        /// The organisation that recorded the consent: the sender's, or this device's own for a
        /// reply. Only its withdrawal notice erases this referral. Nil in stores written before.
        public var consentOrganisationId: OrganisationID?
        /// What the consent check found when the referral was opened (`LocalDevice.consentFlags`):
        /// empty when the carried consent covers it. Nil in stores written before.
        public var consentFlags: [ConsentFlag]?
    }

    /// A referral this device sent (or a reply): what `relais cases` follows. No content: the
    /// kind, whom it is about (the subject as the referral names it), the cover and the recipients.
    public struct SentReferral: Codable, Sendable {
        public var envelopeId: EnvelopeID
        public var kind: String
        public var subject: String
        public var consentId: ConsentID
        public var recipients: [OrganisationID]
        public var inReplyTo: EnvelopeID?
        public var sentAt: UInt64
        public var expiresAt: UInt64
        /// What the relay last said of it (informative), and when it was asked.
        public var lastState: EnvelopeStatus?
        public var checkedAt: UInt64?
    }

    /// An invite this device issued: `admin approve` signs only what matches one (SPEC.md,
    /// "Clients against a lying relay").
    public struct IssuedInvite: Codable, Sendable, Equatable {
        public var inviteId: InviteID
        public var role: DeviceRole
        public var organisationId: OrganisationID?
        public var expiresAt: UInt64
    }

    /// A consent recorded on this device: the full signed record, kept here (it travels only
    /// inside envelopes); only its public part went to the relay.
    public struct Consent: Codable, Sendable {
        public var record: SignedObject
        public var withdrawnAt: UInt64?
    }

    public var identitySeed: String
    /// The key of the opened referrals' file (hex, 32 bytes; `ReferralStore`), made at the first write.
    public var referralsKey: String?
    /// The operator's key (hex), pinned at enrolment after the relay's keys matched the invite's
    /// anchor (or this device's own key, for the operator): the root of every directory chain.
    public var operatorKey: String?
    /// The relay's checkpoint verifier key (C2SP text form), pinned with the operator key.
    public var logVerifierKey: String?
    /// The witnesses whose cosignatures each checkpoint needs (`relais config --witness`; SPEC.md,
    /// "Witnesses"): their verifier keys, and how many must have cosigned (k of n). A trust root,
    /// so in the keystore.
    public var witnesses: [String]?
    public var witnessesRequired: Int?
    /// The per-device key of the subject pseudonyms before the organisation key: kept only to
    /// check consents recorded here before this device held the organisation key.
    public var caseKey: String = ""
    /// The organisation's pseudonym key, pinned at its first verified package (SPEC.md, "Organisation key").
    public var organisationKey: HeldOrganisationKey?
    public var consents: [Consent] = []
    /// Child-protection declarations made on this device.
    public var declarations: [ConsentID] = []
    /// The declarations of version 2 made on this device, by id, and the reports this device sent
    /// under each: the client checks their limits before sealing (`CoverPolicy`; the relay counts
    /// every device's).
    public var declarationRecords: [ConsentID: ChildProtectionDeclaration]?
    public var declarationReports: [ConsentID: Int]?
    public var prekeys: [Prekey] = []
    public var pins: [DeviceID: Pin] = [:]
    /// The devices of each organisation this device has sent to, as the user accepted them.
    public var organisationPins: [OrganisationID: [DeviceID]] = [:]
    public var opened: [OpenedReferral] = []
    /// Invites issued here and not yet approved (optional: stores written before lack it).
    public var issuedInvites: [IssuedInvite]?
    /// The highest `sequence` seen of each organisation record: a lower one is an old record replayed.
    public var organisationSequences: [OrganisationID: UInt64]?
    /// Directory records this device found in the log (SPEC.md, "Directory records", "In the
    /// log"): the hex SHA-256 of a record's bytes and signature, and the index of the entry that
    /// carries it. A record already found is not asked for again.
    public var loggedRecords: [String: UInt64]?
    /// `relais monitor`: where its next run starts in the log.
    public var monitor: MonitorState?
    /// Envelopes erased on a withdrawal notice, until their expiry: never opened or stored again.
    public var erasedEnvelopes: [EnvelopeID: UInt64]?
    /// Referrals sent from this device, kept `retentionDays` after their expiry (`relais cases`).
    public var sent: [SentReferral]?
    /// The local label of each case (the case id typed at `consent grant`), by subject pseudonym:
    /// only on this device, never sent.
    public var caseLabels: [String: String]?
    /// Child-protection reports made outside Relais and recorded here (`relais outside-report`),
    /// as sent to the relay: the minor path of their case goes on (`requireMinorPath`).
    public var outsideReports: [OutsideReportRecord]?
}

/// Why a client operation stopped before or after talking to the relay.
public enum LocalError: Error, Sendable, CustomStringConvertible {
    case noProfile(String)
    case profileExists(String)
    case notActive(String)
    case keyChanged(device: DeviceID, pinned: String, now: String)
    case newDevices(organisation: String, OrganisationID, [(DeviceID, String)])
    case verification(String)
    case notFound(String)
    case usage(String)
    /// A refusal of the consent rules, to read in the user's language.
    case consent(Message)

    /// In the interface language (`Messages.language`); the texts of `verification`, `notFound`
    /// and `usage` are the caller's, read from the catalogue.
    public var description: String {
        switch self {
        case let .noProfile(path): Message.noProfile(path: path).text
        case let .profileExists(path): Message.profileExists(path: path).text
        case let .notActive(status): Message.notActive(status: status).text
        case let .keyChanged(device, pinned, now): Message.keyChanged(device: device.hex, pinned: pinned, now: now).text
        case let .newDevices(name, org, devices):
            Message.newDevices(organisation: name, id: org.hex, devices: devices.map { "\($0.0)  \($0.1)" }).text
        case let .verification(why): Message.verificationFailed(why).text
        case let .notFound(what): what
        case let .usage(why): why
        case let .consent(why): Message.consentRefusal(why.text).text
        }
    }
}
