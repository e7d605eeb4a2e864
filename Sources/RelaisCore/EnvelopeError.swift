/// Why an envelope did not open (or could not be sealed). The opening checks run in the order of
/// SPEC.md, "Opening", and the first failure is reported; the cases are listed in that order.
public enum EnvelopeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1. The cleartext header is not a canonical v1 header.
    case malformedHeader(String)
    /// 2. No stanza names this device.
    case noStanzaForDevice(DeviceID)
    /// 3a. The stanza names a prekey this device no longer (or never) had: erased after rotation.
    case prekeyUnavailable(PrekeyID)
    /// 3b. The wrapped content key did not open with this device's prekey.
    case unwrapFailed
    /// 4. The body did not decrypt with the header as associated data (altered header or body,
    ///    truncated tag, wrong length).
    case bodyDecryptionFailed
    /// 5. The decrypted plaintext is not a canonical signed referral.
    case malformedPayload(String)
    /// 6a. The sender device is not among the keys the opener knows.
    case unknownSender(DeviceID)
    /// 6b. The sender's signature does not verify.
    case badSignature
    /// 6c. The signature is valid but was made for another envelope id or header (re-wrapped).
    case headerMismatch
    /// 7. This device is not among the recipients the sender signed (surreptitious forwarding).
    case notASignedRecipient(DeviceID)
    /// 8. The envelope's expiry has passed.
    case expired(expiresAt: UInt64, now: UInt64)
    /// The referral inside a verified envelope is valid under none of the schema versions this
    /// code reads (`Referral.readableVersions`).
    case malformedReferral(String)
    /// Sealing refused its inputs.
    case invalidSealInput(String)

    /// A stable name for each failure class, as used by the `expect` field of test vectors.
    public var className: String {
        switch self {
        case .malformedHeader: "malformedHeader"
        case .noStanzaForDevice: "noStanzaForDevice"
        case .prekeyUnavailable: "prekeyUnavailable"
        case .unwrapFailed: "unwrapFailed"
        case .bodyDecryptionFailed: "bodyDecryptionFailed"
        case .malformedPayload: "malformedPayload"
        case .unknownSender: "unknownSender"
        case .badSignature: "badSignature"
        case .headerMismatch: "headerMismatch"
        case .notASignedRecipient: "notASignedRecipient"
        case .expired: "expired"
        case .malformedReferral: "malformedReferral"
        case .invalidSealInput: "invalidSealInput"
        }
    }

    public var description: String {
        switch self {
        case let .malformedHeader(why): "envelope header is malformed: \(why)"
        case let .noStanzaForDevice(d): "envelope is not addressed to this device (\(d))"
        case let .prekeyUnavailable(p): "envelope was sealed to prekey \(p), which this device no longer holds (erased after rotation, or never had)"
        case .unwrapFailed: "envelope key did not unwrap with this device's prekey"
        case .bodyDecryptionFailed: "envelope body did not decrypt: the header or body was altered or truncated"
        case let .malformedPayload(why): "decrypted envelope content is malformed: \(why)"
        case let .unknownSender(d): "sender device \(d) is unknown: fetch and verify its directory entry first"
        case .badSignature: "sender signature does not verify: the envelope is forged or corrupted"
        case .headerMismatch: "sender signed another envelope: this one was re-wrapped by someone else"
        case let .notASignedRecipient(d): "the sender did not address this device (\(d)): the envelope was forwarded"
        case let .expired(e, n): "envelope expired at \(e) (now \(n))"
        case let .malformedReferral(why):
            "referral does not match referral schema version \(Referral.readableVersions.map(String.init).joined(separator: " or ")): \(why)"
        case let .invalidSealInput(why): "cannot seal: \(why)"
        }
    }
}
