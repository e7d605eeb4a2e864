/// The JSON shapes of `Protocol/vectors/` (SPEC.md, "Test vectors"). Byte strings are lowercase hex.
public struct EnvelopeVector: Codable, Equatable, Sendable {
    public struct Opener: Codable, Equatable, Sendable {
        public var deviceId: String
        public var prekeys: [PrekeySecret]
    }
    public struct PrekeySecret: Codable, Equatable, Sendable {
        public var prekeyId: String
        /// The raw X25519 private scalar.
        public var x25519Secret: String
    }
    public struct Sender: Codable, Equatable, Sendable {
        public var deviceId: String
        public var ed25519Public: String
    }

    public var name: String
    public var description: String
    /// "success" or an `EnvelopeError.className`.
    public var expect: String
    /// Unix seconds at which the vector is opened.
    public var now: UInt64
    public var opener: Opener
    /// The identities the opener knows.
    public var senders: [Sender]
    public var envelope: String
    /// On success: the referral bytes as a UTF-8 string, and the signed recipients.
    public var referral: String?
    public var signedRecipients: [String]?
    public var senderDeviceId: String?
    /// Only in vectors whose referral carries its consent record: the sender's organisation (as
    /// the reader's directory gives it) and the codes of `Referral.consentFlags`, in order.
    public var senderOrganisationId: String?
    public var consentFlags: [String]?
    /// Only in vectors whose referral carries attachments: what a reader makes of each, in order.
    public var attachments: [AttachmentExpectation]?

    /// An attachment as a reader sees it (SPEC.md, "Attachments"): its size and SHA-256, the type
    /// its bytes are (nil when none of the accepted types), whether it mismatches the declared
    /// type, and the sanitised name it is saved under in an empty folder.
    public struct AttachmentExpectation: Codable, Equatable, Sendable {
        public var size: Int
        public var sha256: String
        public var detectedType: String?
        public var typeMismatch: Bool
        public var savedAs: String
    }
}

public struct IdentityVector: Codable, Equatable, Sendable {
    public struct Device: Codable, Equatable, Sendable {
        public var label: String
        public var ed25519Seed: String
        public var ed25519Public: String
        public var deviceId: String
        public var fingerprint: String
        public var x25519Secret: String
        public var x25519Public: String
        public var prekeyId: String
        public var prekeyCreatedAt: UInt64
        public var prekeyNotAfter: UInt64
        public var signedPrekey: String
    }
    /// The safety number of devices[first] and devices[second], for every ordered pair.
    public struct SafetyNumber: Codable, Equatable, Sendable {
        public var first: Int
        public var second: Int
        public var number: String
    }
    /// A signed prekey a verifier must refuse although its signature verifies (SPEC.md, "Signed
    /// prekeys"): one on each X25519 point of small order, signed by devices[signer].
    public struct RefusedPrekey: Codable, Equatable, Sendable {
        public var label: String
        public var signer: Int
        public var signedPrekey: String
        /// The error class: `lowOrderKey`.
        public var expect: String
    }
    public var description: String
    public var devices: [Device]
    public var safetyNumbers: [SafetyNumber]
    public var refusedPrekeys: [RefusedPrekey]
}

/// One file to write under `Protocol/vectors/`: its name and exact bytes.
public struct VectorFile: Sendable {
    public let name: String
    public let contents: [UInt8]
}

public struct ConsentVector: Codable, Equatable, Sendable {
    /// Exact signed bytes (UTF-8 JSON) and the hex Ed25519 signature over `context ‖ 0x00 ‖ bytes`.
    public struct Signed: Codable, Equatable, Sendable {
        public var bytes: String
        public var signature: String
    }
    public var description: String
    public var signerDeviceId: String
    public var record: Signed
    public var publicPart: Signed
    public var withdrawal: Signed
    /// Version 1 (no case, no end, no bound): still verifies.
    public var declaration: Signed
    /// Version 2: the consent's case, valid 30 days, 3 reports.
    public var declarationV2: Signed
}

public struct AuditVector: Codable, Equatable, Sendable {
    public var description: String
    public var entries: [String]
    public var leafHashes: [String]
    public var root: String
    public var logPublicKey: String
    public var verifierKey: String
    public var checkpoint: String
}

/// `invite.json`: invite codes and their trust anchors (SPEC.md, "Invites and enrolment").
public struct InviteVector: Codable, Equatable, Sendable {
    public struct Invite: Codable, Equatable, Sendable {
        /// Absent for the operator invite: the relay has no operator yet.
        public var operatorPublicKey: String?
        /// "relais/v1/invite-anchor" ‖ 0x00 ‖ (0x01 ‖ operator key, or 0x00) ‖ UTF-8 log verifier key.
        public var anchorInput: String
        public var anchor: String
        public var code: String
        public var inviteId: String
        public var secret: String
        public var secretHash: String
    }
    public var description: String
    public var logVerifierKey: String
    public var operatorInvite: Invite
    public var invite: Invite
}

/// `request.json`: a signed request (SPEC.md, "Request authentication") and a request session
/// with a MAC-authenticated request (SPEC.md, "Request sessions"). Byte strings are hex, the
/// signature and the MAC as sent in their headers (base64).
public struct RequestVector: Codable, Equatable, Sendable {
    public struct Request: Codable, Equatable, Sendable {
        public var method: String
        public var target: String
        public var timestamp: UInt64
        public var nonce: String
        public var body: String
        public var bodySha256: String
    }
    public struct Signed: Codable, Equatable, Sendable {
        public var request: Request
        /// The signed bytes: context label, 0x00, the canonical request.
        public var signedMessage: String
        public var signature: String
    }
    public struct Session: Codable, Equatable, Sendable {
        public var deviceEphemeralSecret: String
        public var deviceEphemeralPublic: String
        public var relayEphemeralSecret: String
        public var relayEphemeralPublic: String
        public var sessionId: String
        public var sharedSecret: String
        public var sessionKey: String
        public var request: Request
        public var macMessage: String
        public var mac: String
    }

    public var description: String
    public var deviceEd25519Seed: String
    public var deviceId: String
    public var signed: Signed
    public var session: Session
}

/// `organisation.json`: organisation records of both versions, as exact signed bytes with the
/// operator's signature (SPEC.md, "Directory records").
public struct OrganisationVector: Codable, Equatable, Sendable {
    public struct Record: Codable, Equatable, Sendable {
        public var label: String
        /// The exact signed UTF-8 JSON.
        public var bytes: String
        /// Hex Ed25519 over `"relais/v1/organisation-record" ‖ 0x00 ‖ bytes`.
        public var signature: String
    }
    public var description: String
    public var operatorEd25519Seed: String
    public var operatorPublicKey: String
    public var records: [Record]
}

/// `organisation-key.json` (SPEC.md, "Organisation key"): an organisation key, its id, subject
/// pseudonyms of case ids as typed (spaces, decomposed letters), a key package with every
/// intermediate value, and packages a receiver must refuse, each with the error class.
public struct OrganisationKeyVector: Codable, Equatable, Sendable {
    public struct Device: Codable, Equatable, Sendable {
        public var ed25519Seed: String
        public var ed25519Public: String
        public var deviceId: String
        /// `crypto_sign_ed25519_pk_to_curve25519` / `_sk_to_curve25519` of the identity key.
        public var x25519Public: String
        public var x25519Secret: String
    }
    public struct Pseudonym: Codable, Equatable, Sendable {
        /// The case id as typed (JSON escapes keep its exact code points).
        public var caseId: String
        /// Its UTF-8 bytes after trimming and NFC, hex: what is hashed.
        public var normalised: String
        public var pseudonym: String
    }
    public struct Refused: Codable, Equatable, Sendable {
        public var label: String
        public var package: String
        /// Which device opens it: "target" or "giver".
        public var opener: String
        /// `OrganisationKeyError.className`.
        public var expect: String
    }
    public var description: String
    public var organisationId: String
    public var key: String
    public var keyId: String
    public var giver: Device
    public var target: Device
    public var createdAt: UInt64
    public var ephemeralSecret: String
    public var ephemeralPublic: String
    public var sharedSecret: String
    public var wrapKey: String
    /// The 217 bytes: body (153) then the giver's signature.
    public var package: String
    public var pseudonyms: [Pseudonym]
    public var refused: [Refused]
}

/// `enrolment.json`: a device redeems the invite of `invite.json` (SPEC.md, "Invites and
/// enrolment"), and the fingerprint its user reads to the issuer (SPEC.md, "Fingerprints").
public struct EnrolmentVector: Codable, Equatable, Sendable {
    /// The JSON body of `POST /v1/enrolments` (member order and spacing do not matter).
    public struct Request: Codable, Equatable, Sendable {
        public var invite: String
        public var publicKey: String
        public var proof: String
    }
    /// A proof over other bytes than the protocol's, which the relay refuses (`expect`: the code
    /// of its 400).
    public struct Refused: Codable, Equatable, Sendable {
        public var label: String
        /// Base64, as sent.
        public var proof: String
        public var expect: String
    }
    public var description: String
    public var inviteCode: String
    public var inviteId: String
    public var deviceEd25519Seed: String
    public var publicKey: String
    public var deviceId: String
    /// invite id (16 bytes) ‖ public key (32 bytes), hex.
    public var proofMessage: String
    /// "relais/v1/enrolment" ‖ 0x00 ‖ proofMessage: what Ed25519 signs, hex.
    public var signedBytes: String
    /// Base64 of the 64-byte Ed25519 signature, as sent.
    public var proof: String
    public var request: Request
    public var refused: [Refused]
    /// The 30 digits.
    public var fingerprint: String
    /// As written and read aloud: six groups of five digits separated by one space (U+0020).
    public var fingerprintText: String
}

/// `verifier-key.json`: checkpoint verifier keys to parse, and to refuse (SPEC.md, "Signed notes").
public struct VerifierKeyVector: Codable, Equatable, Sendable {
    public struct Valid: Codable, Equatable, Sendable {
        public var text: String
        public var name: String
        /// 8 lowercase hex digits.
        public var keyId: String
        /// The 32-byte Ed25519 key, hex.
        public var publicKey: String
    }
    public struct Refused: Codable, Equatable, Sendable {
        public var label: String
        public var text: String
        /// `AuditLogError` case: `malformedVerifierKey`.
        public var expect: String
    }
    public var description: String
    public var valid: [Valid]
    public var refused: [Refused]
}
