import Foundation
import RelaisCore
import RelaisCrypto
import RelaisStore
import Testing

/// Issue 14, finding 7: an invite issued is logged in the transaction that stores it (issuer,
/// role, organisation, expiry; never the secret or its hash), the enrolment that redeems it names
/// it, and a refused issue logs nothing. Same bytes on every store (`StoreAuditEvents`).
@Suite("Invites in the audit log")
struct InviteAuditStoreTests {
    let directory: TemporaryDirectory
    init() throws { directory = try TemporaryDirectory() }

    @Test(arguments: StoreKind.available) func anInviteAndItsRedemptionAreLogged(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind, clock: FixedClock(1_000))
        try await store.putOrganisation(Fixture.organisation(1))
        let invite = Fixture.invite(1, role: .member, issuedBy: Fixture.device(100), createdAt: 1_010, expiresAt: 2_000)
        try await store.createInvite(invite)
        let entries = try await store.auditEntries(from: 0, count: 100)
        #expect(entries.count == 2)
        let issued = try AuditEvent.decode(entries[1])
        #expect(issued.kind == .inviteIssued && issued.invite == invite.id && issued.actor == Fixture.device(100))
        #expect(issued.role == .member && issued.organisation == Fixture.org(1) && issued.expiresAt == 2_000 && issued.time == 1_010)
        #expect(entries[1] == StoreAuditEvents.inviteIssued(invite).encoded, "the shared builder's bytes")
        let text = String(decoding: entries[1], as: UTF8.self)
        #expect(!text.contains(Hex.encode(invite.secretHash)) && !text.contains(Base64.encode(invite.secretHash)), "no secret hash in the log")
        // The relay's own operator invite has no issuer.
        try await store.createInvite(Fixture.invite(2, organisation: nil, role: .operator, issuedBy: nil))
        let operatorInvite = try AuditEvent.decode(try await store.auditEntries(from: 2, count: 1)[0])
        #expect(operatorInvite.kind == .inviteIssued && operatorInvite.actor == nil && operatorInvite.role == .operator)
        // A refused issue (the same id again) logs nothing.
        await expectStoreError(.conflict) { try await store.createInvite(invite) }
        #expect(try await store.auditLogSize() == 3)
        // The enrolment names the invite it redeemed.
        try await store.redeemInvite(invite.id, device: Fixture.storedDevice(5, invite: 1), at: 1_100)
        let enrolled = try AuditEvent.decode(try await store.auditEntries(from: 3, count: 1)[0])
        #expect(enrolled.kind == .deviceEnrolled && enrolled.invite == invite.id && enrolled.device == Fixture.device(5))
    }
}
