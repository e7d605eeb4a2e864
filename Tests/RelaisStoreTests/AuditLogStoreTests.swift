import Foundation
import RelaisCore
import RelaisCrypto
import RelaisStore
import RelaisStoreSQLite
import Testing

/// Every state change appends its entry in the same transaction; a refused change appends nothing.
@Suite("Audit log in the store")
struct AuditLogStoreTests {
    let directory: TemporaryDirectory
    init() throws { directory = try TemporaryDirectory() }

    func kinds(_ store: any RelayStore) async throws -> [AuditEvent.Kind] {
        try await store.auditEntries(from: 0, count: 1_000).map { try AuditEvent.decode($0).kind }
    }

    @Test(arguments: StoreKind.available) func changesAndTheirEntriesCommitTogether(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind, clock: FixedClock(1_000))
        #expect(try await store.auditLogSize() == 0)
        try await store.putOrganisation(Fixture.organisation(1))
        let e = Fixture.envelope(1, to: [2, 3])
        _ = try await store.submit(e)
        _ = try await store.submit(e)  // a duplicate writes nothing, logs nothing
        _ = try await store.acknowledge(e.id, device: Fixture.device(2), now: 1_100)
        _ = try await store.acknowledge(e.id, device: Fixture.device(3), now: 1_200)
        #expect(try await kinds(store) == [.organisationPut, .envelopeSubmitted, .envelopeAcknowledged, .envelopeAcknowledged, .envelopeDeleted])
        // Refused changes log nothing.
        let size = try await store.auditLogSize()
        await expectStoreError(.conflict) { try await store.putOrganisation(Fixture.organisation(1)) }
        var clash = Fixture.envelope(1, to: [2], bytes: Array("other".utf8))
        clash.submittedAt = 1_300
        await expectStoreError(.conflict) { _ = try await store.submit(clash) }
        #expect(try await store.auditLogSize() == size)
        // Expiry is logged by the purge.
        _ = try await store.submit(Fixture.envelope(2, to: [2], expiresAt: 2_000))
        _ = try await store.purgeExpired(now: 2_000)
        #expect(try await kinds(store).suffix(2) == [.envelopeSubmitted, .envelopeExpired])
    }

    @Test(arguments: StoreKind.available) func entriesCarryNoEnvelopeBytesAndLeafHashesMatch(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        let marker = Array("PLAINTEXT-OR-CIPHERTEXT-MUST-NOT-BE-LOGGED".utf8)
        _ = try await store.submit(Fixture.envelope(1, to: [2], bytes: marker + marker))
        let entries = try await store.auditEntries(from: 0, count: 10)
        let leaves = try await store.auditLeafHashes(from: 0, count: 10)
        #expect(entries.count == 1 && leaves.count == 1)
        #expect(!String(decoding: entries[0], as: UTF8.self).contains("PLAINTEXT"))
        #expect(leaves[0] == SHA256.hash([0x00] + entries[0]))
        let event = try AuditEvent.decode(entries[0])
        #expect(event.envelope == Fixture.envelopeID(1) && event.recipientOrganisations == [Fixture.org(12)])
    }

    @Test(arguments: StoreKind.available) func concurrentSubmitsGiveAGaplessLog(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<200 { group.addTask { _ = try await store.submit(Fixture.envelope(n, to: [2])) } }
            try await group.waitForAll()
        }
        #expect(try await store.auditLogSize() == 200)
        let entries = try await store.auditEntries(from: 0, count: 500)
        #expect(entries.count == 200)
        #expect(Set(try entries.map { try AuditEvent.decode($0).envelope }).count == 200)
    }
}
