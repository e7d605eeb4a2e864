import NIOCore
import PostgresNIO
import RelaisCore

/// The transaction-scoped advisory locks that order submits against withdrawals and revocations
/// across every relay on the database, without writing anything.
///
/// A submit takes a *shared* lock on its consent and on each recipient device; a withdrawal takes
/// the consent's lock *exclusively*, a revocation the device's. So a withdrawal (or revocation)
/// waits until every submit under that consent (to that device) in progress has committed, then
/// sees and deletes what they stored; a submit that starts after it waits until it commits, then
/// sees the consent withdrawn (the device revoked) and is refused. Row locks (`FOR SHARE`) would
/// give the same order, but every shared row lock by a new transaction rewrites the row and creates
/// a MultiXact: with every submit under one consent to one device, that serialised them.
///
/// Keys are (namespace, 32-bit FNV-1a of the identifier's bytes): a collision only makes an
/// unrelated withdrawal or revocation wait for a submit, never lets one pass.
enum PostgresLocks {
    static let consentNamespace: Int32 = 7_265_607
    static let deviceNamespace: Int32 = 7_265_608

    static func key<Kind>(_ id: Identifier<Kind>) -> Int32 {
        var h: UInt32 = 2_166_136_261
        for b in id.bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
        return Int32(bitPattern: h)
    }

    /// A submit's shared locks, in one statement.
    static func share(consent: ConsentID, devices: [DeviceID], _ conn: PostgresConnection, logger: Logger) async throws {
        try await conn.run("""
            SELECT pg_advisory_xact_lock_shared(\(consentNamespace), \(key(consent)))
            UNION ALL
            SELECT pg_advisory_xact_lock_shared(\(deviceNamespace), k) FROM unnest(\(devices.map(key).sorted())::int4[]) AS t(k)
            """, logger: logger)
    }

    /// A withdrawal's exclusive lock on its consent.
    static func exclusive(consent: ConsentID, _ conn: PostgresConnection, logger: Logger) async throws {
        try await conn.run("SELECT pg_advisory_xact_lock(\(consentNamespace), \(key(consent)))", logger: logger)
    }

    /// A revocation's exclusive lock on its device.
    static func exclusive(device: DeviceID, _ conn: PostgresConnection, logger: Logger) async throws {
        try await conn.run("SELECT pg_advisory_xact_lock(\(deviceNamespace), \(key(device)))", logger: logger)
    }
}
