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

    /// The first fetch of an envelope by each addressed device is logged (`envelopeDelivered`, with
    /// the device and the time), once, even when it races itself; a later fetch, and a fetch that
    /// gets nothing (another device, after expiry, after acknowledging), log nothing.
    @Test(arguments: StoreKind.available) func theFirstFetchByEachDeviceIsLoggedOnce(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind, clock: FixedClock(1_000))
        let e = Fixture.envelope(1, to: [2, 3], expiresAt: 5_000)
        _ = try await store.submit(e)
        #expect(try await store.envelope(e.id, for: Fixture.device(2), now: 1_050) == e.bytes)
        let delivered = try AuditEvent.decode(try #require(try await store.auditEntries(from: 1, count: 1).first))
        #expect(delivered.kind == .envelopeDelivered && delivered.envelope == e.id && delivered.device == Fixture.device(2) && delivered.time == 1_050)
        let size = try await store.auditLogSize()
        #expect(try await store.envelope(e.id, for: Fixture.device(2), now: 1_060) == e.bytes, "fetched again")
        #expect(try await store.envelope(e.id, for: Fixture.device(4), now: 1_060) == nil, "not addressed to device 4")
        #expect(try await store.envelope(e.id, for: Fixture.device(3), now: 5_000) == nil, "expired")
        _ = try await store.acknowledge(e.id, device: Fixture.device(2), now: 1_100)
        #expect(try await store.envelope(e.id, for: Fixture.device(2), now: 1_110) == nil, "acknowledged")
        #expect(try await kinds(store).count == size + 1, "only the acknowledgement was logged")
        // Twenty first fetches at once by device 3: one delivery logged.
        let fetched = try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            for _ in 0..<20 { group.addTask { try await store.envelope(e.id, for: Fixture.device(3), now: 1_200) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(fetched.allSatisfy { $0 == e.bytes })
        #expect(try await kinds(store).filter { $0 == .envelopeDelivered }.count == 2)
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
