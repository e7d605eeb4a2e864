import Foundation
import RelaisCore
import RelaisCrypto
import RelaisStore
import Logging
import PostgresNIO
import RelaisStorePostgres
import Testing

/// Whether this run has a PostgreSQL server: a skip (clearly reported) without one, a failure
/// when `RELAIS_REQUIRE_POSTGRES=1` (CI).
@Suite struct PostgresAvailabilityTests {
    @Test func aPostgreSQLServerIsAvailableWhenRequired() {
        let required = ProcessInfo.processInfo.environment["RELAIS_REQUIRE_POSTGRES"] == "1"
        if StoreKind.postgresURL == nil {
            if required {
                Issue.record("RELAIS_REQUIRE_POSTGRES=1 but RELAIS_POSTGRES_URL is not set: run the tests through scripts/test.sh (scripts/with-postgres.sh)")
            } else {
                print("SKIP: the PostgreSQL store tests did not run (no RELAIS_POSTGRES_URL; scripts/test.sh starts a throwaway server)")
            }
        }
    }
}

/// The endpoint URL: what an operator types, and every mistake refused with a message.
@Suite struct PostgresEndpointTests {
    @Test func tcpAndSocketURLs() throws {
        let tcp = try PostgresEndpoint(url: "postgres://relais:secret@db.example:6543/relay?schema=Relay_1", environment: [:])
        #expect(tcp.host == "db.example" && tcp.port == 6543 && tcp.username == "relais" && tcp.password == "secret")
        #expect(tcp.database == "relay" && tcp.schema == "relay_1" && tcp.tls == .require && tcp.socketDirectory == nil)
        let local = try PostgresEndpoint(url: "postgresql://relais@127.0.0.1/relay", environment: ["PGPASSWORD": "from-env"])
        #expect(local.port == 5432 && local.tls == .disable && local.password == "from-env")
        let socket = try PostgresEndpoint(url: "postgres://relais@/relay?host=/run/postgresql&sslmode=prefer", environment: [:])
        #expect(socket.socketDirectory == "/run/postgresql" && socket.host == nil && socket.tls == .prefer)
    }

    @Test(arguments: [
        "mysql://relais@127.0.0.1/relay", "postgres://127.0.0.1/relay", "postgres://relais@127.0.0.1/", "postgres://relais@127.0.0.1/a/b",
        "postgres://relais@/relay", "postgres://relais@/relay?host=relative", "postgres://relais@127.0.0.1/relay?sslmode=maybe",
        "postgres://relais@127.0.0.1/relay?schema=x;drop", "postgres://relais@127.0.0.1/relay?schema=1abc",
        "postgres://relais@127.0.0.1/relay?user=other", "postgres://relais@127.0.0.1:0/relay",
    ])
    func malformedURLsAreRefused(url: String) {
        #expect(throws: PostgresEndpoint.Invalid.self) { try PostgresEndpoint(url: url, environment: [:]) }
    }
}

/// RELIABILITY.md row 17 and what only PostgreSQL has: several relay processes writing to one
/// database at once, the sequencer, and the durability settings. Runs only with a server.
@Suite(.enabled(if: StoreKind.postgresURL != nil, "needs RELAIS_POSTGRES_URL (scripts/with-postgres.sh)"))
struct PostgresStoreTests {
    /// Stores that share one fresh schema, as relays sharing one database do.
    func stores(_ count: Int) async throws -> [PostgresRelayStore] {
        let url = try TemporaryDirectory.freshSchemaURL()
        var out: [PostgresRelayStore] = []
        for _ in 0..<count { out.append(try await TemporaryDirectory.postgresStore(url: url)) }
        return out
    }

    @Test func commitsAreSyncedToDisk() async throws {
        let store = try await stores(1)[0]
        let settings = try await store.durabilitySettings()
        #expect(settings.fsync == "on")
        #expect(settings.synchronousCommit == "on")
        #expect(try await store.appliedMigrations() == Self.allMigrations)
    }

    @Test func storesOpenedTogetherMigrateOnce() async throws {
        let url = try TemporaryDirectory.freshSchemaURL()
        let opened = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask { try await TemporaryDirectory.postgresStore(url: url, connections: 2).appliedMigrations() }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(opened == Array(repeating: Self.allMigrations, count: 4))
    }

    /// A client of its own on the store's schema: another session (an operator's psql, say). Run it.
    static func session(_ endpoint: PostgresEndpoint) -> PostgresClient {
        var config = PostgresClient.Configuration(host: endpoint.host!, port: endpoint.port, username: endpoint.username,
                                                  password: endpoint.password, database: endpoint.database, tls: .disable)
        config.options.additionalStartupParameters = [("search_path", endpoint.schema!)]
        return PostgresClient(configuration: config)
    }

    /// Every migration of this release, as `appliedMigrations` lists them (by id).
    static let allMigrations = ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8-audit-tree", "v9-directory-log"]

    /// A database a newer release migrated is refused at opening, naming the release it needs, and
    /// `migrationStatus` (what `relais-server migrate --status` shows) says so without migrating.
    @Test func aDatabaseANewerReleaseMigratedIsRefusedNamingIt() async throws {
        let url = try TemporaryDirectory.freshSchemaURL()
        let endpoint = try PostgresEndpoint(url: url)
        try await TemporaryDirectory.postgresStore(url: url).close()
        // What a release 0.7.0 with a migration "v99" would leave.
        let other = Self.session(endpoint)
        let running = Task { await other.run() }
        defer { running.cancel() }
        try await other.withConnection { conn in
            try await conn.query("INSERT INTO relais_migrations (id, applied_at) VALUES ('v99', 0)", logger: Logger(label: "test"))
            try await conn.query("COMMENT ON TABLE relais_migrations IS 'relais 0.7.0'", logger: Logger(label: "test"))
        }
        do {
            let store = try await TemporaryDirectory.postgresStore(url: url)
            store.close()
            Issue.record("a database migrated by 0.7.0 was opened")
        } catch let error as StoreError {
            #expect(error.message.contains("Relais 0.7.0 or newer") && error.message.contains("v99"), "\(error)")
        }
        let reader = try await PostgresRelayStore(endpoint: endpoint, maximumConnections: 1, migrating: false)
        defer { reader.close() }
        let status = try await reader.migrationStatus()
        #expect(status.unknown == ["v99"] && status.migratedBy == "0.7.0" && status.newerReleaseError != nil)
    }

    /// A statement stuck behind someone else's lock fails (as `database`, which the relay answers
    /// with 503) within the store's deadline instead of leaving the request waiting, and the store
    /// works again once the lock is gone.
    @Test func aStatementStuckOnALockFailsWithinTheDeadline() async throws {
        let url = try TemporaryDirectory.freshSchemaURL()
        let endpoint = try PostgresEndpoint(url: url)
        // Opening the store waits longer (`startTimeout`, 30 s): with the whole suite on two cores,
        // under ThreadSanitizer, its first connection took more than 5 s.
        let store = try await PostgresRelayStore(endpoint: endpoint, maximumConnections: 2, operationTimeout: .seconds(5))
        defer { store.close() }
        try await store.createInvite(Fixture.invite(1))
        try await store.redeemInvite(Fixture.inviteID(1), device: Fixture.storedDevice(1), at: 1_000)
        // Another session (an operator's psql, say) locks the devices table and keeps it.
        let other = Self.session(endpoint)
        let running = Task { await other.run() }
        defer { running.cancel() }
        let locked = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await other.withTransaction(logger: Logger(label: "test")) { conn in
                try await conn.query("LOCK TABLE devices IN ACCESS EXCLUSIVE MODE", logger: Logger(label: "test"))
                locked.continuation.yield()
                for await _ in release.stream { break }
            }
        }
        for await _ in locked.stream { break }
        // Released after 15 s whatever happens: a store that waited for the lock fails the timing
        // expectation below instead of hanging the suite.
        let fallback = Task {
            try await Task.sleep(for: .seconds(15))
            release.continuation.yield()
        }
        defer { fallback.cancel() }
        let started = ContinuousClock.now
        await expectStoreError(.database) { _ = try await store.device(Fixture.device(1)) }
        #expect(ContinuousClock.now - started < .seconds(12), "the deadline is 5 s; the lock is held 15 s")
        release.continuation.yield()
        try await holder.value
        #expect(try await store.device(Fixture.device(1))?.id == Fixture.device(1))
    }

    /// Nonces shared by relays: a claim holds until it expires, on every store of the database;
    /// the purge drops expired ones.
    @Test func aNonceIsClaimedOnceAcrossStoresUntilItExpires() async throws {
        let relays = try await stores(2)
        let device = Fixture.device(1)
        #expect(try await relays[0].claimNonce(device: device, nonce: "n1", expiresAt: 1_240, now: 1_000))
        #expect(try await !relays[1].claimNonce(device: device, nonce: "n1", expiresAt: 1_240, now: 1_100), "replayed to another relay")
        #expect(try await !relays[0].claimNonce(device: device, nonce: "n1", expiresAt: 1_240, now: 1_239))
        #expect(try await relays[1].claimNonce(device: Fixture.device(2), nonce: "n1", expiresAt: 1_240, now: 1_100), "nonces are per device")
        #expect(try await relays[1].claimNonce(device: device, nonce: "n1", expiresAt: 1_500, now: 1_240), "expired: may be claimed again")
        // 100 concurrent claims of one nonce from both stores: exactly one wins.
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for n in 0..<100 { group.addTask { try await relays[n % 2].claimNonce(device: device, nonce: "race", expiresAt: 2_000, now: 1_000) } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 1)
        _ = try await relays[0].purgeExpired(now: 3_000)
        #expect(try await relays[0].claimNonce(device: device, nonce: "race", expiresAt: 3_100, now: 1_000), "purged, so free again")
    }

    /// Four stores (four relays) submit 400 envelopes, each one twice from two of them at once
    /// (a client retrying on another relay after a lost reply), then both recipients acknowledge
    /// every envelope from two different stores at once.
    @Test func concurrentWritersLoseNothingDuplicateNothingAndKeepTheLogGapless() async throws {
        let relays = try await stores(4)
        let count = 400
        let outcomes = try await withThrowingTaskGroup(of: SubmitOutcome.self) { group in
            for n in 0..<count {
                let e = Fixture.envelope(n, to: [2, 3])
                group.addTask { try await relays[n % 4].submit(e) }
                group.addTask { try await relays[(n + 1) % 4].submit(e) }
            }
            return try await group.reduce(into: [SubmitOutcome]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .stored }.count == count, "each envelope stored exactly once")
        #expect(outcomes.filter { $0 == .duplicate }.count == count, "each retry recognised")
        #expect(try await relays[0].statistics().envelopes == count)
        #expect(try await relays[1].inbox(device: Fixture.device(2), now: 1_500, limit: 1_000).count == count)

        let acknowledgements = try await withThrowingTaskGroup(of: AcknowledgeOutcome?.self) { group in
            for n in 0..<count {
                group.addTask { try await relays[n % 4].acknowledge(Fixture.envelopeID(n), device: Fixture.device(2), now: 1_500) }
                group.addTask { try await relays[(n + 2) % 4].acknowledge(Fixture.envelopeID(n), device: Fixture.device(3), now: 1_500) }
            }
            return try await group.reduce(into: [AcknowledgeOutcome?]()) { $0.append($1) }
        }
        // Exactly one of the two acknowledgements of each envelope was the last one, and deleted it.
        #expect(acknowledgements.filter { $0 == .acknowledged(deleted: true) }.count == count)
        #expect(acknowledgements.filter { $0 == .acknowledged(deleted: false) }.count == count)
        let stats = try await relays[3].statistics()
        #expect(stats.envelopes == 0 && stats.deliveries == 0)

        // The log, read through another store: gapless from 0, every index once, one entry per change.
        let size = try await relays[2].auditLogSize()
        #expect(size == UInt64(4 * count), "submitted + 2 acknowledged + deleted, per envelope")
        let entries = try await relays[2].auditEntries(from: 0, count: Int(size) + 10)
        let leaves = try await relays[1].auditLeafHashes(from: 0, count: Int(size) + 10)
        #expect(entries.count == Int(size) && leaves.count == Int(size))
        for (entry, leaf) in zip(entries, leaves) where leaf != SHA256.hash([0x00] + entry) {
            Issue.record("a leaf hash does not match its entry")
            break
        }
        let events = try entries.map(AuditEvent.decode)
        for kind: AuditEvent.Kind in [.envelopeSubmitted, .envelopeDeleted] {
            let ids = events.filter { $0.kind == kind }.compactMap(\.envelope)
            #expect(ids.count == count && Set(ids).count == count, "one \(kind) entry per envelope")
        }
        #expect(events.filter { $0.kind == .envelopeAcknowledged }.count == 2 * count)
        // Causality: each envelope's submission comes before its acknowledgements and its deletion.
        var submittedAt: [EnvelopeID: Int] = [:]
        for (index, e) in events.enumerated() {
            guard let id = e.envelope else { continue }
            if e.kind == .envelopeSubmitted { submittedAt[id] = index } else if submittedAt[id] == nil {
                Issue.record("\(e.kind) of an envelope logged before its submission")
                break
            }
        }
    }

    /// A withdrawal racing submits under the same consent: every envelope that got in was deleted
    /// by the withdrawal, and every later submit was refused. None survives the withdrawal.
    @Test func aWithdrawalRacingSubmitsLeavesNoEnvelopeUnderTheConsent() async throws {
        let relays = try await stores(2)
        let consent = StoredConsent(id: Fixture.consentID(7), organisationID: Fixture.org(1), recordedBy: Fixture.device(1),
                                    signed: Fixture.signed("consent 7"), grantedAt: 900, validUntil: 9_000)
        try await relays[0].putConsent(consent)
        func underConsent(_ n: Int) -> StoredEnvelope {
            var e = Fixture.envelope(n, to: [2])
            e.consent = ConsentReference(kind: .consent, id: consent.id)
            return e
        }
        let outcome = try await withThrowingTaskGroup(of: WithdrawalOutcome?.self) { group in
            for n in 0..<200 {
                group.addTask {
                    do { _ = try await relays[n % 2].submit(underConsent(n)) } catch let e as StoreError where e.code == .conflict {}
                    return nil
                }
                if n == 60 {
                    group.addTask { try await relays[1].withdrawConsent(consent.id, withdrawal: Fixture.signed("withdraw 7"), at: 1_200) }
                }
            }
            return try await group.reduce(into: [WithdrawalOutcome]()) { if let w = $1 { $0.append(w) } }.first
        }
        #expect(outcome != nil)
        #expect(try await relays[0].statistics().envelopes == 0, "no envelope under a withdrawn consent stays on the relay")
        #expect(try await relays[0].inbox(device: Fixture.device(2), now: 1_300, limit: 1_000).isEmpty)
    }
}
