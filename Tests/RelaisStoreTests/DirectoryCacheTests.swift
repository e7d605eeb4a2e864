import Foundation
import GRDB
import RelaisCore
import RelaisStore
@testable import RelaisStoreSQLite
import Testing

/// The SQLite store answers the hot directory reads from memory (`DirectoryCache`): a change must
/// be seen by the very next read although the old record was read (and kept) just before.
@Suite("Directory cache of the SQLite store")
struct DirectoryCacheTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    @Test func everyChangeIsSeenByTheNextReadOfACachedRecord() async throws {
        let store = try SQLiteRelayStore(path: directory.databasePath)
        // Device: pending → active → revoked, each read in between (so each state was cached).
        try await store.createInvite(Fixture.invite(1))
        try await store.redeemInvite(Fixture.inviteID(1), device: Fixture.storedDevice(1), at: 1_000)
        #expect(try await store.device(Fixture.device(1))?.status == .pending)
        #expect(store.cache.count == 1, "the read record is kept")
        try await store.activateDevice(Fixture.device(1), record: Fixture.signed("record 1"), at: 1_100)
        #expect(try await store.device(Fixture.device(1))?.status == .active)
        try await store.revokeDevice(Fixture.device(1), revocation: Fixture.signed("revoke 1"), at: 1_200)
        #expect(try await store.device(Fixture.device(1))?.status == .revoked)

        // Organisation: replaced by a higher sequence.
        try await store.putOrganisation(Fixture.organisation(1, category: .health, sequence: 1, accreditedUntil: nil))
        #expect(try await store.organisation(Fixture.org(1))?.sequence == 1)
        let renewed = Fixture.organisation(1, category: .health, sequence: 2, accreditedUntil: 5_000)
        try await store.putOrganisation(renewed)
        #expect(try await store.organisation(Fixture.org(1)) == renewed)

        // Consent: withdrawn.
        let consent = StoredConsent(id: Fixture.consentID(1), organisationID: Fixture.org(1), recordedBy: Fixture.device(1),
                                    signed: Fixture.signed("consent 1"), grantedAt: 900, validUntil: 9_000)
        try await store.putConsent(consent)
        #expect(try await store.consent(consent.id)?.withdrawnAt == nil)
        _ = try await store.withdrawConsent(consent.id, withdrawal: Fixture.signed("withdrawal 1"), at: 1_300)
        #expect(try await store.consent(consent.id)?.withdrawnAt == 1_300)

        // Prekey: unknown (a miss, not kept), then published.
        #expect(try await store.prekey(device: Fixture.device(1), id: Fixture.prekeyID(1)) == nil)
        let prekey = Fixture.prekey(device: 1, 1, createdAt: 1_000)
        try await store.putPrekey(prekey)
        #expect(try await store.prekey(device: Fixture.device(1), id: Fixture.prekeyID(1)) == prekey)

        // Current prekey: replaced by a newer one.
        #expect(try await store.currentPrekey(device: Fixture.device(1)) == prekey)
        let rotated = Fixture.prekey(device: 1, 2, createdAt: 1_500)
        try await store.putPrekey(rotated)
        #expect(try await store.currentPrekey(device: Fixture.device(1)) == rotated)
    }

    @Test func aCachedRecordIsServedWithoutTheFile() async throws {
        let store = try SQLiteRelayStore(path: directory.databasePath)
        try await store.putOrganisation(Fixture.organisation(1))
        try await store.putPrekey(Fixture.prekey(device: 1, 1, createdAt: 1_000))
        let organisation = try await store.organisation(Fixture.org(1))
        let current = try await store.currentPrekey(device: Fixture.device(1))
        // Behind the store's back (never done by the relay): the cache still answers…
        try await store.pool.write { db in try db.execute(sql: "DELETE FROM organisation_departements; DELETE FROM organisations; DELETE FROM prekeys") }
        #expect(try await store.organisation(Fixture.org(1)) == organisation)
        #expect(try await store.currentPrekey(device: Fixture.device(1)) == current)
        // …until a write through the store empties it.
        try await store.createInvite(Fixture.invite(1))
        #expect(try await store.organisation(Fixture.org(1)) == nil)
        #expect(try await store.currentPrekey(device: Fixture.device(1)) == nil)
    }

    @Test func aValueReadWhileAWriteCompletesIsNotKept() throws {
        let cache = DirectoryCache()
        // The write (and its invalidation) completes between the read's start and its end.
        let stale = Fixture.organisation(1, sequence: 1)
        let read = cache.value(\.organisations, Fixture.org(1)) { () -> StoredOrganisation? in
            cache.invalidate()
            return stale
        }
        #expect(read == stale, "the reader gets what it read")
        #expect(cache.count == 0, "but it is not kept for the next reader")
        var loads = 0
        let fresh = Fixture.organisation(1, sequence: 2)
        for _ in 0..<3 {
            #expect(cache.value(\.organisations, Fixture.org(1)) { loads += 1; return fresh } == fresh)
        }
        #expect(loads == 1, "kept after a read no write overlapped")
    }

    @Test func missesAreNotKeptAndCapacityBoundsMemory() throws {
        let cache = DirectoryCache(capacity: 3)
        var loads = 0
        for _ in 0..<2 { #expect(cache.value(\.devices, Fixture.device(1)) { loads += 1; return nil } == nil) }
        #expect(loads == 2)
        #expect(cache.count == 0)
        for n in 1...10 {
            _ = cache.value(\.organisations, Fixture.org(n)) { Fixture.organisation(n) }
            #expect(cache.count <= 3)
        }
        #expect(cache.count >= 1)
    }
}
