import Foundation
import RelaisCore
import RelaisCrypto

extension VectorGenerator {
    /// `enrolment.json` (SPEC.md, "Invites and enrolment" and "Fingerprints"): a device redeems the
    /// invite of `invite.json`. The proof of possession is over raw bytes, the 16-byte invite id then
    /// the 32-byte public key, never their hex; the proofs an implementer could make by guessing
    /// otherwise are listed to be refused. Its own key, so that the other files do not change.
    static func enrolmentFile(invite: InviteVector.Invite) -> VectorFile {
        let seed = SHA256.hash(Array("relais/v1 enrolment vectors".utf8))
        let device = DeviceIdentity(privateKey: try! Ed25519PrivateKey(seed: seed))
        let key = device.publicIdentity.signingKey
        let id = InviteID(hex: invite.inviteId)!
        let message = EnrolmentProof.message(invite: id, publicKey: key)
        let proof = EnrolmentProof.sign(invite: id, identity: device)
        func refused(_ label: String, _ signature: [UInt8]) -> EnrolmentVector.Refused {
            .init(label: label, proof: Base64.encode(signature), expect: "proof")
        }
        let otherID = InviteID(bytes: id.bytes.map { $0 ^ 0xFF })!
        let fingerprint = device.publicIdentity.fingerprint
        let v = EnrolmentVector(
            description: "A device redeems the invite of invite.json: POST /v1/enrolments with its public key and the proof, Ed25519 over \"relais/v1/enrolment\" ‖ 0x00 ‖ invite id (16 raw bytes) ‖ public key (32 raw bytes), sent as base64. Proofs made over other bytes are refused (400 proof). The fingerprint the new user reads to the issuer, in digits and as written.",
            inviteCode: invite.code, inviteId: invite.inviteId, deviceEd25519Seed: Hex.encode(seed), publicKey: Hex.encode(key.bytes),
            deviceId: device.deviceID.hex, proofMessage: Hex.encode(message), signedBytes: Hex.encode(domainSeparated(.enrolment, message)),
            proof: Base64.encode(proof),
            request: .init(invite: invite.code, publicKey: Hex.encode(key.bytes), proof: Base64.encode(proof)),
            refused: [
                refused("over-hex-text", device.sign(.enrolment, Array((invite.inviteId + Hex.encode(key.bytes)).utf8))),
                refused("key-before-invite", device.sign(.enrolment, key.bytes + id.bytes)),
                refused("without-context", device.privateKey.signature(for: message)),
                refused("another-invite", EnrolmentProof.sign(invite: otherID, identity: device)),
            ],
            fingerprint: fingerprint.digits, fingerprintText: fingerprint.description)
        return VectorFile(name: "enrolment.json", contents: json(v))
    }
}
