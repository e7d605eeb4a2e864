import Foundation
import RelaisCore
import RelaisStore
import RelaisStoreSQLite
import Testing

/// RELIABILITY.md #14: after `purgeExpired` and `checkpointTruncate`, the bytes of a purged
/// envelope are in neither the database file nor its WAL (secure_delete zeroes freed content,
/// TRUNCATE empties the log).
@Suite struct ForensicPurgeTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    func fileContains(_ suffix: String, _ marker: [UInt8]) throws -> Bool {
        let path = directory.databasePath + suffix
        guard FileManager.default.fileExists(atPath: path) else { return false }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.range(of: Data(marker)) != nil
    }

    @Test func purgedEnvelopeBytesLeaveNoCopyInTheDatabaseOrTheWAL() async throws {
        let store = try SQLiteRelayStore(path: directory.databasePath)
        // Built at run time so the pattern is unique to this run.
        let checkpointed = Array("RELAIS-MARKER-IN-DB-\(UUID().uuidString)".utf8)
        let walOnly = Array("RELAIS-MARKER-IN-WAL-\(UUID().uuidString)".utf8)
        func body(_ marker: [UInt8], _ size: Int) -> [UInt8] {
            var b: [UInt8] = []
            while b.count < size { b += marker + [0x20] }
            return b
        }
        // Live envelopes around the doomed ones share their pages.
        for n in 0..<40 { _ = try await store.submit(Fixture.envelope(n, to: [2], expiresAt: 9_000)) }
        _ = try await store.submit(Fixture.envelope(100, to: [2, 3], expiresAt: 2_000, bytes: body(checkpointed, 20_000)))  // overflow pages
        _ = try await store.submit(Fixture.envelope(101, to: [2], expiresAt: 2_000, bytes: body(checkpointed, 300)))        // in-page cell
        for n in 40..<80 { _ = try await store.submit(Fixture.envelope(n, to: [2], expiresAt: 9_000)) }
        try await store.checkpointTruncate()
        #expect(try fileContains("", checkpointed), "the test must see the marker in the database file before the purge")
        #expect(try !fileContains("-wal", checkpointed))

        _ = try await store.submit(Fixture.envelope(102, to: [2], expiresAt: 2_000, bytes: body(walOnly, 20_000)))
        _ = try await store.submit(Fixture.envelope(103, to: [3], expiresAt: 2_000, bytes: body(walOnly, 300)))
        #expect(try fileContains("-wal", walOnly), "the test must see the marker in the WAL before the purge")

        #expect(try await store.purgeExpired(now: 2_000).sorted() == [100, 101, 102, 103].map(Fixture.envelopeID))
        try await store.checkpointTruncate()

        for (file, marker) in [("", checkpointed), ("-wal", checkpointed), ("", walOnly), ("-wal", walOnly)] {
            #expect(try !fileContains(file, marker), "marker found in relay.sqlite\(file)")
        }
        // The live envelopes are intact.
        #expect(try await store.statistics().envelopes == 80)
        #expect(try await store.envelope(Fixture.envelopeID(79), for: Fixture.device(2), now: 1_000) == Fixture.envelope(79, to: [2]).bytes)
    }

    /// An envelope deleted by its last acknowledgement keeps its row until expiry (the receipt that
    /// recognises a late retry), but not its bytes: they are in neither file after a checkpoint.
    @Test func acknowledgedEnvelopeBytesLeaveNoCopyInTheDatabaseOrTheWAL() async throws {
        let store = try SQLiteRelayStore(path: directory.databasePath)
        let marker = Array("RELAIS-MARKER-ACKED-\(UUID().uuidString)".utf8)
        func body(_ size: Int) -> [UInt8] {
            var b: [UInt8] = []
            while b.count < size { b += marker + [0x20] }
            return b
        }
        let large = Fixture.envelope(100, to: [2, 3], expiresAt: 9_000, bytes: body(20_000))  // overflow pages
        let small = Fixture.envelope(101, to: [2], expiresAt: 9_000, bytes: body(300))        // in-page cell
        for n in 0..<40 { _ = try await store.submit(Fixture.envelope(n, to: [2], expiresAt: 9_000)) }
        _ = try await store.submit(large)
        _ = try await store.submit(small)
        for n in 40..<80 { _ = try await store.submit(Fixture.envelope(n, to: [2], expiresAt: 9_000)) }
        try await store.checkpointTruncate()
        #expect(try fileContains("", marker), "the test must see the marker in the database file before the acknowledgements")

        #expect(try await store.acknowledge(large.id, device: Fixture.device(2), now: 1_000) == .acknowledged(deleted: false))
        #expect(try await store.acknowledge(large.id, device: Fixture.device(3), now: 1_000) == .acknowledged(deleted: true))
        #expect(try await store.acknowledge(small.id, device: Fixture.device(2), now: 1_000) == .acknowledged(deleted: true))
        try await store.checkpointTruncate()

        for file in ["", "-wal"] {
            #expect(try !fileContains(file, marker), "marker found in relay.sqlite\(file)")
        }
        // Gone for every device, counted out, yet a late retry is still recognised.
        #expect(try await store.acknowledge(large.id, device: Fixture.device(2), now: 1_000) == nil)
        #expect(try await store.envelope(small.id, for: Fixture.device(2), now: 1_000) == nil)
        #expect(try await store.statistics().envelopes == 80)
        #expect(try await store.submit(large) == .duplicate)
        #expect(try await store.envelope(Fixture.envelopeID(79), for: Fixture.device(2), now: 1_000) == Fixture.envelope(79, to: [2]).bytes)
    }
}
