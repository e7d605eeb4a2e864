public import RelaisCrypto

/// The trust anchor an invite code carries (SPEC.md, "Invites and enrolment"): a short hash of the
/// keys a new device must pin, handed over out of band with the code, so that the relay, which a
/// device first meets through the network, cannot choose them.
///
///     anchor = SHA-256("relais/v1/invite-anchor" ‖ 0x00 ‖ 0x01 ‖ operator public key [32] ‖ log verifier key)[0..<16]
///     (before the relay has an operator, for the operator invite only:)
///     anchor = SHA-256("relais/v1/invite-anchor" ‖ 0x00 ‖ 0x00 ‖ log verifier key)[0..<16]
///
/// where "log verifier key" is the UTF-8 text of the relay's checkpoint verifier key
/// (`CheckpointVerifierKey`, `name+keyid+base64`). It is last and the one variable-length part,
/// so the input has one reading.
public struct InviteAnchor: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 16
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    public init?(hex: String) {
        guard hex.utf8.count == 2 * Self.byteCount, let b = Hex.decode(hex) else { return nil }
        self.init(bytes: b)
    }

    /// The anchor of a relay whose operator has `operatorKey` (nil before the operator enrolled)
    /// and whose checkpoints verify with `logVerifierKey` (its text form).
    public init(operatorKey: Ed25519PublicKey?, logVerifierKey: String) {
        let keys = (operatorKey.map { [0x01] + $0.bytes } ?? [0x00]) + Array(logVerifierKey.utf8)
        bytes = Array(SHA256.hash(domainSeparated(.inviteAnchor, keys)).prefix(Self.byteCount))
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    /// Whether `other` is this anchor (constant time: the comparison is no secret, but it costs nothing).
    public func matches(_ other: InviteAnchor) -> Bool { constantTimeEqual(bytes, other.bytes) }
}
