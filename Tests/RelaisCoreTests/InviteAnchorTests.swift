import Foundation
import RelaisCore
import RelaisCrypto
import RelaisVectors
import Testing

/// Invite codes and their trust anchors (SPEC.md, "Invites and enrolment"), and the directory
/// rules the relay, the client and the auditor share.
@Suite("Invite anchors and directory rules")
struct InviteAnchorTests {
    @Test func inviteVectorsRecomputeFromTheirInputs() throws {
        let v = try JSONDecoder().decode(InviteVector.self, from: Data(contentsOf: protocolVectors.appendingPathComponent("invite.json")))
        for invite in [v.operatorInvite, v.invite] {
            // The anchor input spelled out byte by byte, then hashed and cut here, not by InviteAnchor.
            let key = invite.operatorPublicKey.map { Hex.decode($0)! }
            let input = Array("relais/v1/invite-anchor".utf8) + [0x00] + (key.map { [0x01] + $0 } ?? [0x00]) + Array(v.logVerifierKey.utf8)
            #expect(Hex.encode(input) == invite.anchorInput)
            #expect(Hex.encode(Array(SHA256.hash(input).prefix(16))) == invite.anchor)
            let computed = InviteAnchor(operatorKey: try key.map { try Ed25519PublicKey(bytes: $0) }, logVerifierKey: v.logVerifierKey)
            #expect(computed.hex == invite.anchor)
            let code = try #require(InviteCode(invite.code))
            #expect(code.anchor == computed && code.id.hex == invite.inviteId && Hex.encode(code.secret) == invite.secret)
            #expect(Hex.encode(code.secretHash) == invite.secretHash)
            #expect(code.description == invite.code && invite.code.hasPrefix("ri2_"))
        }
        #expect(v.operatorInvite.anchor != v.invite.anchor)
    }

    @Test func codesParseStrictly() throws {
        let id = String(repeating: "ab", count: 16), secret = String(repeating: "cd", count: 32), anchor = String(repeating: "ef", count: 16)
        let old = try #require(InviteCode("ri1_\(id)_\(secret)"))
        #expect(old.anchor == nil && old.description == "ri1_\(id)_\(secret)")
        #expect(try #require(InviteCode("ri2_\(id)_\(secret)_\(anchor)\n")).anchor?.hex == anchor)
        for bad in ["ri2_\(id)_\(secret)", "ri1_\(id)_\(secret)_\(anchor)", "ri2_\(id)_\(secret)_\(anchor.dropLast(2))",
                    "ri2_\(id)_\(secret)_\(anchor.uppercased())", "ri2_\(id)_\(secret)_\(anchor)_", "ri3_\(id)_\(secret)_\(anchor)"] {
            #expect(InviteCode(bad) == nil, "\(bad)")
        }
    }

    @Test func whoMayEnrolAndRevokeWhom() {
        let a = OrganisationID(bytes: Array(repeating: 0xA1, count: 16))!, b = OrganisationID(bytes: Array(repeating: 0xB1, count: 16))!
        let op = DirectoryRules.Enroller(role: .operator, organisation: nil)
        let adminA = DirectoryRules.Enroller(role: .admin, organisation: a), memberA = DirectoryRules.Enroller(role: .member, organisation: a)
        #expect(DirectoryRules.mayEnrol(nil, role: .operator, organisation: nil))
        #expect(!DirectoryRules.mayEnrol(nil, role: .admin, organisation: a))
        #expect(DirectoryRules.mayEnrol(op, role: .admin, organisation: a) && DirectoryRules.mayEnrol(op, role: .auditor, organisation: nil))
        #expect(!DirectoryRules.mayEnrol(op, role: .member, organisation: a) && !DirectoryRules.mayEnrol(op, role: .auditor, organisation: a))
        #expect(!DirectoryRules.mayEnrol(op, role: .admin, organisation: nil) && !DirectoryRules.mayEnrol(op, role: .operator, organisation: nil))
        #expect(DirectoryRules.mayEnrol(adminA, role: .member, organisation: a) && DirectoryRules.mayEnrol(adminA, role: .admin, organisation: a))
        #expect(!DirectoryRules.mayEnrol(adminA, role: .member, organisation: b) && !DirectoryRules.mayEnrol(adminA, role: .auditor, organisation: nil))
        #expect(!DirectoryRules.mayEnrol(memberA, role: .member, organisation: a))
        #expect(DirectoryRules.mayRevoke(op, role: .member, organisation: b) && !DirectoryRules.mayRevoke(op, role: .operator, organisation: nil))
        #expect(DirectoryRules.mayRevoke(adminA, role: .member, organisation: a) && !DirectoryRules.mayRevoke(adminA, role: .member, organisation: b))
        #expect(!DirectoryRules.mayRevoke(adminA, role: .auditor, organisation: nil) && !DirectoryRules.mayRevoke(memberA, role: .member, organisation: a))
        #expect(DirectoryRules.isAccreditedForExitProgramme(category: .accreditedAssociation, accreditedUntil: 100, at: 99))
        #expect(!DirectoryRules.isAccreditedForExitProgramme(category: .accreditedAssociation, accreditedUntil: 100, at: 100))
        #expect(!DirectoryRules.isAccreditedForExitProgramme(category: .health, accreditedUntil: 100, at: 1))
        #expect(DirectoryRules.mayExchangeExitProgramme(senderAccredited: false, recipientsAccredited: [true, true]))
        #expect(!DirectoryRules.mayExchangeExitProgramme(senderAccredited: false, recipientsAccredited: [true, false]))
    }
}
