import ArgumentParser
import Foundation
import RelaisServer
import RelaisStore
import RelaisStorePostgres
import RelaisStoreSQLite

/// `relais-server migrate`: where the store's schema stands against this release (`--status`),
/// what a start would apply, tried on a copy (`--dry-run`), or apply it now (a relay also does at
/// start). A store a newer release migrated is refused, naming that release.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show, try or apply the store's migrations (a starting relay applies them too).",
        discussion: "Without a flag, applies the pending migrations and prints the status. Stop the relay first on SQLite; on PostgreSQL the migrations take a lock, so running relays wait.")

    @OptionGroup var options: SettingsOptions

    @Flag(help: "Print the applied, pending and unknown migrations and the release that last migrated the store; change nothing.")
    var status = false

    @Flag(help: "Say what would be applied; on SQLite, apply it to a copy in memory to make sure it succeeds. Change nothing.")
    var dryRun = false

    func validate() throws {
        guard !(status && dryRun) else { throw ValidationError("--status and --dry-run go alone") }
        _ = try options.resolve()
    }

    func run() async throws {
        let config = try options.resolve().relayConfiguration
        let readOnly = status || dryRun
        let result: MigrationStatus
        if let url = config.postgresURL {
            var endpoint = try PostgresEndpoint(url: url)
            if let password = config.postgresPassword { endpoint.password = password }
            let store = try await PostgresRelayStore(endpoint: endpoint, migrating: !readOnly)
            defer { store.close() }
            result = try await store.migrationStatus()
            if dryRun, let refusal = result.newerReleaseError { throw refusal }
        } else {
            let path = config.databasePath
            if !readOnly {
                guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("no store at \(path): check --data") }
                try SQLiteRelayStore(path: path).close()
            }
            guard let read = try (dryRun ? SQLiteRelayStore.dryRunMigration(path:) : SQLiteRelayStore.migrationStatus(path:))(path) else {
                throw ValidationError("no store at \(path): check --data")
            }
            result = read
        }
        say(result.summary)
        if dryRun {
            say(result.pending.isEmpty ? "dry run: nothing to apply" : "dry run: would apply \(result.pending.joined(separator: " "))\(config.postgresURL == nil ? " (tried on a copy in memory: it succeeds)" : ""); nothing changed")
        }
    }
}
