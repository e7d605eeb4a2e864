import Logging
import PostgresNIO
public import RelaisStore
import RelaisCore

/// Upgrades of the PostgreSQL store: the release that last migrated it is the comment of
/// `relais_migrations` ("relais 0.5.0"), so that an older relay refuses it naming that release.
extension PostgresSchema {
    static func status(applied: Set<String>, conn: PostgresConnection, logger: Logger) async throws -> MigrationStatus {
        let comment = try await conn.one("SELECT COALESCE(obj_description('relais_migrations'::regclass, 'pg_class'), '')",
                                         as: String.self, logger: logger)
        let known = migrations.map(\.id)
        return MigrationStatus(applied: known.filter(applied.contains), pending: known.filter { !applied.contains($0) },
                               unknown: applied.filter { !known.contains($0) }.sorted(),
                               migratedBy: comment.hasPrefix("relais ") ? String(comment.dropFirst("relais ".count)) : nil)
    }

    static func recordRelease(after status: MigrationStatus, conn: PostgresConnection, logger: Logger) async throws {
        guard let current = RelaisVersion.number(RelaisVersion.current),
              (status.migratedBy.flatMap(RelaisVersion.number) ?? 0) < current else { return }
        try await conn.run(PostgresQuery(unsafeSQL: "COMMENT ON TABLE relais_migrations IS 'relais \(RelaisVersion.current)'"), logger: logger)
    }
}

extension PostgresRelayStore {
    /// Where the database stands (`relais-server migrate --status`), read without migrating: open
    /// the store with `migrating: false`.
    public func migrationStatus() async throws -> MigrationStatus {
        try await read("migrationStatus") { [self] conn in
            let exists = try await conn.one("SELECT to_regclass('relais_migrations') IS NOT NULL", as: Bool.self, logger: logger)
            guard exists else {
                return MigrationStatus(applied: [], pending: PostgresSchema.migrations.map(\.id), unknown: [], migratedBy: nil)
            }
            let applied = Set(try await conn.all("SELECT id FROM relais_migrations", as: String.self, logger: logger))
            return try await PostgresSchema.status(applied: applied, conn: conn, logger: logger)
        }
    }
}
