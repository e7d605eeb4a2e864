import RelaisCore

/// Where a store's schema stands against this release's migrations (`relais-server migrate --status`).
public struct MigrationStatus: Sendable, Equatable {
    /// The migrations this release knows that the store has, in order.
    public var applied: [String]
    /// The migrations this release would apply on start.
    public var pending: [String]
    /// Migrations the store has that this release does not know: a newer release migrated it.
    public var unknown: [String]
    /// The release that last migrated the store, when recorded (0.5.0 and later).
    public var migratedBy: String?

    public init(applied: [String], pending: [String], unknown: [String], migratedBy: String?) {
        (self.applied, self.pending, self.unknown, self.migratedBy) = (applied, pending, unknown, migratedBy)
    }

    /// The refusal to open a store a newer release migrated: this one would not understand its
    /// tables, and going back would lose what the newer one keeps.
    public var newerReleaseError: StoreError? {
        guard !unknown.isEmpty else { return nil }
        let needed = migratedBy.map { "Relais \($0) or newer" } ?? "a newer release of Relais"
        return .database("""
            this store was migrated by \(needed) (migrations \(unknown.joined(separator: ", ")) are unknown to \
            \(RelaisVersion.current)): run relais-server from \(needed), or restore a backup taken before the upgrade
            """)
    }

    /// One line per fact, for an operator.
    public var summary: String {
        let lines = [
            "release: \(RelaisVersion.current); store last migrated by: \(migratedBy ?? "(not recorded: before 0.5.0)")",
            "applied: \(applied.isEmpty ? "(none)" : applied.joined(separator: " "))",
            "pending: \(pending.isEmpty ? "(none: up to date)" : pending.joined(separator: " "))",
        ]
        return (lines + (unknown.isEmpty ? [] : ["unknown (from a newer release): \(unknown.joined(separator: " "))"])).joined(separator: "\n")
    }
}
