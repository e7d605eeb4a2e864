import Foundation
import RelaisCore
import RelaisStore
import Testing

/// `relais cases` (issue 15): the sender's organisation may ask what became of an envelope it
/// sent: how many devices it was sealed for, fetched it and acknowledged it, and when it was
/// deleted; any other organisation gets nil, as for an envelope that does not exist.
@Suite("What became of a sent envelope (SQLite file, PostgreSQL server)")
struct EnvelopeStatusStoreTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    @Test(arguments: StoreKind.available) func countsFollowDeliveryAndAcknowledgement(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        let sent = Fixture.envelope(1, from: 1, senderOrg: 1, to: [2, 3], submittedAt: 1_000, expiresAt: 5_000)
        #expect(try await store.submit(sent) == .stored)
        #expect(try await store.envelopeStatus(sent.id, senderOrganisation: Fixture.org(1))
                == EnvelopeStatus(addressed: 2, delivered: 0, acknowledged: 0, deletedAt: nil, expiresAt: 5_000))
        // Another organisation, a recipient's included, learns nothing; nor does anyone of an unknown id.
        #expect(try await store.envelopeStatus(sent.id, senderOrganisation: Fixture.org(12)) == nil)
        #expect(try await store.envelopeStatus(Fixture.envelopeID(9), senderOrganisation: Fixture.org(1)) == nil)

        #expect(try await store.envelope(sent.id, for: Fixture.device(2), now: 1_100) != nil)
        // A second fetch by the same device is not a second delivery.
        #expect(try await store.envelope(sent.id, for: Fixture.device(2), now: 1_150) != nil)
        #expect(try await store.envelopeStatus(sent.id, senderOrganisation: Fixture.org(1))
                == EnvelopeStatus(addressed: 2, delivered: 1, acknowledged: 0, deletedAt: nil, expiresAt: 5_000))
        #expect(try await store.acknowledge(sent.id, device: Fixture.device(2), now: 1_200) != nil)
        #expect(try await store.envelopeStatus(sent.id, senderOrganisation: Fixture.org(1))
                == EnvelopeStatus(addressed: 2, delivered: 1, acknowledged: 1, deletedAt: nil, expiresAt: 5_000))

        // The last acknowledgement deletes the envelope: the status says when, until its expiry.
        _ = try await store.envelope(sent.id, for: Fixture.device(3), now: 1_300)
        #expect(try await store.acknowledge(sent.id, device: Fixture.device(3), now: 1_400) != nil)
        let deleted = try #require(try await store.envelopeStatus(sent.id, senderOrganisation: Fixture.org(1)))
        #expect(deleted.deletedAt != nil && deleted.expiresAt == 5_000)
        // Purged after its expiry: unknown.
        _ = try await store.purgeExpired(now: 5_000)
        #expect(try await store.envelopeStatus(sent.id, senderOrganisation: Fixture.org(1)) == nil)
    }
}
