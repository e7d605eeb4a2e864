import Foundation
import RelaisCore
import RelaisCrypto
import RelaisVectors
import Testing

/// `Protocol/vectors/enrolment.json` (SPEC.md, "Invites and enrolment", "Fingerprints"), read from
/// the committed file: the proof of possession is over the raw invite id and key, the proofs over
/// other bytes are refused, and the fingerprint is written as SPEC says. (`VectorTests` checks the
/// file against the generator.)
@Suite("Enrolment vector")
struct EnrolmentVectorTests {
    static func vector() throws -> EnrolmentVector {
        try JSONDecoder().decode(EnrolmentVector.self, from: Data(contentsOf: protocolVectors.appendingPathComponent("enrolment.json")))
    }

    @Test func theProofIsOverTheRawInviteIdThenTheRawKey() throws {
        let v = try Self.vector()
        let device = DeviceIdentity(privateKey: try Ed25519PrivateKey(seed: try #require(Hex.decode(v.deviceEd25519Seed))))
        let key = device.publicIdentity.signingKey
        #expect(Hex.encode(key.bytes) == v.publicKey && device.deviceID.hex == v.deviceId)
        // The code is invite.json's, and its id is the one proven.
        let invite = try JSONDecoder().decode(InviteVector.self, from: Data(contentsOf: protocolVectors.appendingPathComponent("invite.json")))
        #expect(v.inviteCode == invite.invite.code && v.inviteId == invite.invite.inviteId)
        let code = try #require(InviteCode(v.inviteCode))
        #expect(code.id.hex == v.inviteId)
        // 16 + 32 raw bytes, then the context and its 0x00 in front.
        let message = code.id.bytes + key.bytes
        #expect(message.count == 48 && Hex.encode(message) == v.proofMessage)
        #expect(EnrolmentProof.message(invite: code.id, publicKey: key) == message)
        #expect(Hex.encode(Array("relais/v1/enrolment".utf8) + [0x00] + message) == v.signedBytes)
        // Ed25519 is deterministic: the proof is reproduced byte for byte, and verifies.
        let proof = try #require(Base64.decode(v.proof))
        #expect(proof == EnrolmentProof.sign(invite: code.id, identity: device))
        #expect(key.isValidSignature(proof, for: try #require(Hex.decode(v.signedBytes))))
        #expect(EnrolmentProof.isValid(proof, invite: code.id, publicKey: key))
        #expect(v.request.invite == v.inviteCode && v.request.publicKey == v.publicKey && v.request.proof == v.proof)
    }

    @Test func proofsOverOtherBytesAreRefused() throws {
        let v = try Self.vector()
        let code = try #require(InviteCode(v.inviteCode))
        let key = try Ed25519PublicKey(bytes: try #require(Hex.decode(v.publicKey)))
        #expect(Set(v.refused.map(\.label)) == ["over-hex-text", "key-before-invite", "without-context", "another-invite"])
        for r in v.refused {
            let proof = try #require(Base64.decode(r.proof))
            #expect(proof.count == 64, "\(r.label)")
            #expect(!EnrolmentProof.isValid(proof, invite: code.id, publicKey: key), "\(r.label) must be refused")
            #expect(r.expect == "proof")
        }
    }

    @Test func theFingerprintIsWrittenInSixGroupsOfFiveDigits() throws {
        let v = try Self.vector()
        let key = try Ed25519PublicKey(bytes: try #require(Hex.decode(v.publicKey)))
        let fingerprint = Fingerprint(of: key)
        #expect(fingerprint.digits == v.fingerprint)
        #expect(fingerprint.description == v.fingerprintText)
        #expect(v.fingerprintText.utf8.count == 35)
        #expect(v.fingerprintText.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            == stride(from: 0, to: 30, by: 5).map { String(Array(v.fingerprint)[$0..<$0 + 5]) })
        #expect(v.fingerprintText.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || $0 == " " })
    }
}
