import Foundation
import RelaisCore
import RelaisCrypto
import RelaisStore
import RelaisStoreSQLite
import Testing

@Suite("ConsentStore conformance (SQLite file, PostgreSQL server)")
struct ConsentStoreTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    static func consent(_ n: Int, org: Int = 1) -> StoredConsent {
        StoredConsent(id: Fixture.consentID(n), organisationID: Fixture.org(org), recordedBy: Fixture.device(1), signed: Fixture.signed("consent \(n)"),
                      grantedAt: 900, validUntil: 9_000)
    }

    @Test(arguments: StoreKind.available) func putReadAndRefuseADuplicate(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        try await store.putConsent(Self.consent(1))
        #expect(try await store.consent(Fixture.consentID(1)) == Self.consent(1))
        await expectStoreError(.conflict) { try await store.putConsent(Self.consent(1)) }
        #expect(try await store.consent(Fixture.consentID(2)) == nil)
    }

    @Test(arguments: StoreKind.available) func withdrawalDeletesEnvelopesUnderItAndNotifiesRecipients(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        try await store.putConsent(Self.consent(1))
        // Envelope 1 under consent 1 to devices 2 (org 12) and 3 (org 13); envelope 2 under another consent.
        var e1 = Fixture.envelope(1, to: [2, 3])
        e1.consent = ConsentReference(kind: .consent, id: Fixture.consentID(1))
        _ = try await store.submit(e1)
        let e2 = Fixture.envelope(2, to: [2])
        _ = try await store.submit(e2)
        _ = try await store.acknowledge(e1.id, device: Fixture.device(2), now: 1_100)
        let withdrawal = Fixture.signed("withdrawal 1")
        let outcome = try await store.withdrawConsent(Fixture.consentID(1), withdrawal: withdrawal, at: 1_200)
        #expect(outcome.deletedEnvelopes == [e1.id])
        #expect(outcome.notifiedOrganisations == [Fixture.org(12), Fixture.org(13)].sorted())
        #expect(try await store.envelope(e1.id, for: Fixture.device(3), now: 1_200) == nil)
        #expect(try await store.envelope(e2.id, for: Fixture.device(2), now: 1_200) != nil, "other consents are untouched")
        #expect(try await store.notices(organisation: Fixture.org(12)) == [withdrawal])
        #expect(try await store.notices(organisation: Fixture.org(99)).isEmpty)
        #expect(try await store.consent(Fixture.consentID(1))?.withdrawnAt == 1_200)
        // Twice: a conflict that changes nothing; unknown: not found.
        await expectStoreError(.conflict) { _ = try await store.withdrawConsent(Fixture.consentID(1), withdrawal: withdrawal, at: 1_300) }
        await expectStoreError(.notFound) { _ = try await store.withdrawConsent(Fixture.consentID(7), withdrawal: withdrawal, at: 1_300) }
        // No new envelope under it, even one that passed the relay's checks before the withdrawal.
        var late = Fixture.envelope(3, to: [2])
        late.consent = ConsentReference(kind: .consent, id: Fixture.consentID(1))
        let before = try await store.statistics()
        await expectStoreError(.conflict) { _ = try await store.submit(late) }
        #expect(try await store.statistics() == before)
    }

    @Test(arguments: StoreKind.available) func declarations(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        let d = StoredDeclaration(id: Fixture.consentID(5), organisationID: Fixture.org(1), declaredBy: Fixture.device(1),
                                  signed: Fixture.signed("declaration"), declaredAt: 1_000)
        try await store.putDeclaration(d)
        #expect(try await store.declaration(d.id) == d)
        await expectStoreError(.conflict) { try await store.putDeclaration(d) }
    }
}
