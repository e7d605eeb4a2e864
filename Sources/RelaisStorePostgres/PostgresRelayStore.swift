import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization
public import RelaisCore
public import RelaisStore

/// The relay's PostgreSQL store: `RelayStore` on a PostgreSQL database, through postgres-nio, for
/// operators who outgrow one machine (DESIGN.md, "The relay"). Same contract and same audit
/// entries as `SQLiteRelayStore`; the conformance suite runs on both.
///
/// ## Durability
/// Every write is one transaction. Each connection runs with `synchronous_commit = on`, and `init`
/// refuses a server running with `fsync = off`: a COMMIT has reached the server's disk before a
/// write returns, so an acknowledged submit survives a crash of the relay or of the server.
/// PostgreSQL batches the WAL flushes of concurrent COMMITs itself: no group-commit queue here.
///
/// ## Concurrency
/// Several relay processes may share the database. Transactions run at READ COMMITTED and take
/// row locks where two writes could otherwise interleave:
/// - a submit holds shared advisory locks on its consent and its recipient devices, a withdrawal
///   or a revocation the exclusive one (`PostgresLocks`): a submit under a consent being withdrawn
///   either commits first and is deleted by the withdrawal, or sees it withdrawn (likewise for a
///   revoked recipient);
/// - an acknowledgement, a revocation and a withdrawal lock the envelope rows they may delete
///   `FOR UPDATE`, in id order, so the last of two concurrent acknowledgements sees the other.
///
/// ## Audit log and its sequencer
/// A change inserts its entries into `audit_pending` in its own transaction (no event without its
/// entry). The sequencer (`sequenceAuditLog`) moves committed pending entries into `audit_log`,
/// giving them the next indexes in one transaction under the `audit_head` row lock: indexes stay
/// gapless from 0 whatever the number of writers, and writers never wait for one another's COMMIT
/// to log. Every audit read runs the sequencer first, so a change is in the log as soon as its
/// write has returned, as on SQLite.
///
/// ## Erasure
/// PostgreSQL keeps deleted tuples in its heap until vacuum reuses the space, and in its WAL and
/// backups: purged envelopes cannot be made unrecoverable from the files as on SQLite. The store
/// empties an envelope's bytes as soon as it is deleted; what remains is ciphertext whose keys are
/// gone once the recipients' prekeys rotate out (DESIGN.md, "Expiry and erasure").
///
/// ## Errors
/// Every method is atomic. Refusals are `StoreError.conflict` or `.notFound` naming the values;
/// any other failure is `StoreError.database` naming the operation and the SQLSTATE only, never
/// SQL or data. No query is ever logged.
public final class PostgresRelayStore: RelayStore, Sendable {
    let client: PostgresClient
    private let runner: Task<Void, Never>
    /// Time of the audit entries of changes that carry no time of their own.
    let clock: any RelaisClock
    /// postgres-nio's logger for queries: silent, so no query or argument can reach a log.
    let logger = Logger(label: "relais.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    public let endpoint: PostgresEndpoint
    struct PrekeyKey: Hashable {
        let device: DeviceID
        let prekey: PrekeyID
    }
    /// Prekeys read so far (`prekey(device:id:)`): the only records immutable once stored.
    let prekeys = Mutex<[PrekeyKey: StoredPrekey]>([:])
    /// How long one operation may wait for a connection and its answers (`bounded`).
    public let operationTimeout: Duration

    /// Connects, checks that the server syncs its commits, creates the schema if one is named,
    /// and applies the migrations this database has not seen.
    public init(endpoint: PostgresEndpoint, maximumConnections: Int = 16, operationTimeout: Duration = .seconds(10),
                clock: any RelaisClock = SystemClock(), migrating: Bool = true) async throws {
        self.endpoint = endpoint
        self.operationTimeout = operationTimeout
        self.clock = clock
        let configuration = endpoint.clientConfiguration(maximumConnections: maximumConnections, timeout: operationTimeout)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
        do {
            try await checkDurability()
            if migrating { try await migrate() }
        } catch {
            runner.cancel()
            throw error
        }
    }

    /// Stops the connection pool. Calls made afterwards fail.
    public func close() {
        runner.cancel()
    }

    deinit { runner.cancel() }

    /// The first connection's deadline at start: at least 30 s, so a server that is starting, or a
    /// machine under load, is waited for; a database that stays unreachable still stops the start.
    var startTimeout: Duration { max(operationTimeout, .seconds(30)) }

    private func checkDurability() async throws {
        let (fsync, synchronousCommit) = try await durabilitySettings(timeout: startTimeout)
        guard fsync == "on" else {
            throw StoreError.database("the PostgreSQL server runs with fsync = off: acknowledged submits would not survive a crash")
        }
        // Every level but off waits for the local WAL flush (local, on, remote_write, remote_apply).
        guard synchronousCommit != "off" else {
            throw StoreError.database("synchronous_commit is off on this connection: commits would not be durable")
        }
    }

    /// `SHOW fsync` and `SHOW synchronous_commit` on a connection of the store (tests assert both "on").
    public func durabilitySettings() async throws -> (fsync: String, synchronousCommit: String) {
        try await durabilitySettings(timeout: nil)
    }

    private func durabilitySettings(timeout: Duration?) async throws -> (fsync: String, synchronousCommit: String) {
        try await read("durabilitySettings", timeout: timeout) { [self] conn in
            (try await conn.one("SHOW fsync", as: String.self, logger: logger),
             try await conn.one("SHOW synchronous_commit", as: String.self, logger: logger))
        }
    }

    private func migrate() async throws {
        // No deadline of the usual length: a migration of a large database may take minutes.
        try await transaction("migrate", timeout: .seconds(3_600)) { [self] conn in
            try await conn.run("SET LOCAL statement_timeout = 0", logger: logger)
            try await conn.run("SET LOCAL lock_timeout = 0", logger: logger)
            // One migrator per schema at a time, whichever relay starts first.
            try await conn.run("SELECT pg_advisory_xact_lock(7265606, hashtext(\(endpoint.schema ?? "public")))", logger: logger)
            if let schema = endpoint.schema {
                try await conn.run(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
            }
            try await conn.run("CREATE TABLE IF NOT EXISTS relais_migrations (id text PRIMARY KEY, applied_at bigint NOT NULL)", logger: logger)
            let applied = Set(try await conn.all("SELECT id FROM relais_migrations", as: String.self, logger: logger))
            // A database a newer release migrated is refused, naming that release (PostgresMigrations).
            let status = try await PostgresSchema.status(applied: applied, conn: conn, logger: logger)
            if let refusal = status.newerReleaseError { throw refusal }
            for migration in PostgresSchema.migrations where !applied.contains(migration.id) {
                for statement in migration.statements { try await conn.run(PostgresQuery(unsafeSQL: statement), logger: logger) }
                let now = Int64(clamping: clock.now())
                try await conn.run("INSERT INTO relais_migrations (id, applied_at) VALUES (\(migration.id), \(now))", logger: logger)
            }
            try await PostgresSchema.recordRelease(after: status, conn: conn, logger: logger)
        }
    }

    /// The identifiers of the migrations applied to the database, in order ("v1", …).
    public func appliedMigrations() async throws -> [String] {
        try await read("appliedMigrations") { [self] conn in
            try await conn.all("SELECT id FROM relais_migrations ORDER BY id", as: String.self, logger: logger)
        }
    }

    // MARK: Transactions

    /// One transaction on a pooled connection; the error of any step is mapped (`PostgresFailure`).
    func transaction<T: Sendable>(_ operation: String, timeout: Duration? = nil,
                                  _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await bounded(operation, timeout: timeout ?? operationTimeout) { [client, logger] in
            try await client.withTransaction(logger: logger) { conn in try await body(conn) }
        }
    }

    /// Reads on a pooled connection, outside an explicit transaction.
    func read<T: Sendable>(_ operation: String, timeout: Duration? = nil,
                           _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await bounded(operation, timeout: timeout ?? operationTimeout) { [client] in
            try await client.withConnection { conn in try await body(conn) }
        }
    }

    /// Runs `work` within `operationTimeout`. postgres-nio's pool waits for a connection as long as
    /// it takes (with the server down, for ever): past the deadline the operation is cancelled
    /// (a transaction then rolls back) and fails as `database`, which the relay answers with 503.
    private func bounded<T: Sendable>(_ operation: String, timeout: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await work() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let value = first else {
                    throw StoreError.database("\(operation): the PostgreSQL server did not answer within \(timeout)", failure: .busy)
                }
                return value
            }
        } catch {
            throw PostgresFailure.map(error, during: operation)
        }
    }

    // MARK: RelayStore

    public func ping() async throws {
        try await read("ping") { [self] conn in
            _ = try await conn.one("SELECT COUNT(*) FROM relay_identity", as: Int64.self, logger: logger)
        }
    }

    public func statistics() async throws -> StoreStatistics {
        try await read("statistics") { [self] conn in
            let row = try await conn.rows("""
                SELECT (SELECT COUNT(*) FROM organisations), (SELECT COUNT(*) FROM devices), (SELECT COUNT(*) FROM invites),
                       (SELECT COUNT(*) FROM prekeys), (SELECT COUNT(*) FROM envelopes WHERE deleted_at IS NULL),
                       (SELECT COUNT(*) FROM deliveries)
                """, logger: logger)
            guard let r = row.first else { throw PostgresCoding.corrupt("statistics") }
            let (o, d, i, p, e, l) = try r.decode((Int64, Int64, Int64, Int64, Int64, Int64).self)
            return StoreStatistics(organisations: Int(o), devices: Int(d), invites: Int(i), prekeys: Int(p), envelopes: Int(e), deliveries: Int(l))
        }
    }

    public func pinRelayKey(_ publicKey: [UInt8]) async throws -> [UInt8] {
        try await transaction("pinRelayKey") { [self] conn in
            try await conn.run("INSERT INTO relay_identity (one, log_public_key) VALUES (true, \(PostgresCoding.bytea(publicKey))) ON CONFLICT DO NOTHING",
                               logger: logger)
            return Array(try await conn.one("SELECT log_public_key FROM relay_identity", as: Data.self, logger: logger))
        }
    }

    /// PostgreSQL cannot make deleted rows unrecoverable from its files (see the type's comment):
    /// this sequences the audit log, so the purge's entries are in it at once.
    public func compact() async throws {
        try await sequenceAuditLog()
    }
}

// MARK: - Query helpers

extension PostgresConnection {
    /// Runs a statement and discards its rows.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }

    /// Every row of the answer.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        var out: [PostgresRow] = []
        for try await row in try await self.query(query, logger: logger) { out.append(row) }
        return out
    }

    /// The first column of every row.
    func all<T: PostgresDecodable>(_ query: PostgresQuery, as: T.Type, logger: Logger) async throws -> [T] {
        try await rows(query, logger: logger).map { try $0.decode(T.self) }
    }

    /// The first column of the first row, which must exist.
    func one<T: PostgresDecodable>(_ query: PostgresQuery, as: T.Type, logger: Logger) async throws -> T {
        guard let value = try await all(query, as: T.self, logger: logger).first else { throw PostgresCoding.corrupt("answer") }
        return value
    }
}

/// Turns whatever a database access threw into what the protocol promises callers, like the SQLite
/// store's `StoreFailure`: `StoreError`s and cancellation pass through; a duplicate key (SQLSTATE
/// 23505, two writers racing to create the same row) is a `conflict`; anything else is `database`
/// naming the operation and the SQLSTATE only. postgres-nio's errors can carry the query and its
/// arguments: they never go further than this.
enum PostgresFailure {
    static func map(_ error: any Error, during operation: String) -> any Error {
        if let passed = StoreError.passedThrough(error) { return passed }
        switch error {
        case let e as PostgresTransactionError:
            if let inner = e.closureError { return map(inner, during: operation) }
            if let inner = e.commitError ?? e.beginError { return map(inner, during: operation) }
            return StoreError.database("the database failed during \(operation) (transaction)")
        case let e as PSQLError:
            let state = e.serverInfo?[.sqlState]
            if state == "23505" { return StoreError.conflict("\(operation): the row already exists") }
            return StoreError.database("the database failed during \(operation) (\(state.map { "SQLSTATE \($0)" } ?? "\(e.code)"))",
                                       failure: .init(sqlState: state))
        default:
            return StoreError.database("the database failed during \(operation) (\(type(of: error)))")
        }
    }
}

/// Conversions between the store's values and PostgreSQL columns: identifiers and bytes are
/// `bytea`, times `bigint` (`StoredInteger`), enumerations `text`.
enum PostgresCoding {
    static func corrupt(_ table: String) -> StoreError {
        StoreError.database("a row of \(table) does not decode: the database was damaged or written by another program")
    }

    static func bytea(_ bytes: [UInt8]) -> Data { Data(bytes) }
    static func bytea<Kind>(_ id: Identifier<Kind>) -> Data { Data(id.bytes) }
    /// A `bytea[]` argument.
    static func array<Kind>(_ ids: [Identifier<Kind>]) -> [ByteBuffer] { ids.map { ByteBuffer(bytes: $0.bytes) } }

    static func id<Kind>(_ data: Data, _ table: String) throws -> Identifier<Kind> {
        guard let id = Identifier<Kind>(bytes: Array(data)) else { throw corrupt(table) }
        return id
    }

    static func optionalID<Kind>(_ data: Data?, _ table: String) throws -> Identifier<Kind>? {
        try data.map { try id($0, table) }
    }

    static func uint64(_ value: Int64, _ table: String) throws -> UInt64 {
        guard let v = UInt64(exactly: value) else { throw corrupt(table) }
        return v
    }

    static func optionalUInt64(_ value: Int64?, _ table: String) throws -> UInt64? {
        try value.map { try uint64($0, table) }
    }

    static func enumeration<T: RawRepresentable>(_ text: String, _ table: String) throws -> T where T.RawValue == String {
        guard let v = T(rawValue: text) else { throw corrupt(table) }
        return v
    }

    static func signed(_ bytes: Data?, _ signature: Data?) -> SignedObject? {
        guard let bytes, let signature else { return nil }
        return SignedObject(bytes: Array(bytes), signature: Array(signature))
    }
}
