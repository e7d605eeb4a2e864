import Foundation
import RelaisCore
import RelaisStore
@testable import RelaisStoreSQLite
import Testing

/// Group commit under real concurrency: every caller gets its own answer, refusals roll back only
/// themselves, and everything reported stored is in the file after a reopen.
@Suite struct GroupCommitTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    func open(maximumBatchSize: Int = 256) throws -> SQLiteRelayStore {
        try SQLiteRelayStore(path: directory.databasePath, maximumBatchSize: maximumBatchSize)
    }

    /// `since` gives one phase's share of the counters (relais-load store-bench prints it per phase).
    @Test func statisticsSinceASnapshotCountOnlyWhatFollowed() async throws {
        let store = try open()
        for n in 0..<3 { _ = try await store.submit(Fixture.envelope(n, to: [2])) }
        let snapshot = store.groupCommitStatistics
        for n in 3..<8 { _ = try await store.submit(Fixture.envelope(n, to: [2])) }
        let phase = store.groupCommitStatistics.since(snapshot)
        #expect(phase.operations == 5)
        #expect(phase.transactions == 5, "awaited one after the other: one batch each")
        #expect(phase.retriedBatches == 0)
        #expect(phase.transactionSeconds > 0 && phase.transactionSeconds < store.groupCommitStatistics.transactionSeconds)
        #expect(phase.largestBatch == store.groupCommitStatistics.largestBatch)
    }

    @Test func fiveHundredConcurrentSubmitsAreAllStoredAndSurviveAReopen() async throws {
        let store = try open()
        let outcomes = try await withThrowingTaskGroup(of: (SubmitOutcome, Bool).self) { group in
            for n in 0..<500 {
                group.addTask {
                    let e = Fixture.envelope(n, from: n % 7, to: [1_000 + n % 5, 2_000])
                    let outcome = try await store.submit(e)
                    // Answered only after COMMIT: a new read snapshot must already see it.
                    let visible = try await store.envelope(e.id, for: Fixture.device(2_000), now: 1_000) == e.bytes
                    return (outcome, visible)
                }
            }
            var all: [(SubmitOutcome, Bool)] = []
            for try await o in group { all.append(o) }
            return all
        }
        #expect(outcomes.count == 500)
        #expect(outcomes.allSatisfy { $0.0 == .stored })
        #expect(outcomes.allSatisfy { $0.1 }, "a submit was answered before its transaction committed")
        let batching = store.groupCommitStatistics
        #expect(batching.operations == 1_000, "500 submits and 500 first fetches (each logs its delivery)")
        #expect(batching.transactions < 500, "500 concurrent submits must share transactions: \(batching)")
        #expect(batching.largestBatch > 1)
        try store.close()

        let reopened = try open()
        #expect(try await reopened.statistics().envelopes == 500)
        #expect(try await reopened.statistics().deliveries == 1_000)
        for n in 0..<500 {
            let e = Fixture.envelope(n, from: n % 7, to: [1_000 + n % 5, 2_000])
            #expect(try await reopened.envelope(e.id, for: Fixture.device(2_000), now: 1_000) == e.bytes)
        }
        #expect(try await reopened.inbox(device: Fixture.device(2_000), now: 1_000, limit: 1_000).count == 500)
    }

    enum Kind: Sendable { case new, conflictingBytes, exactRetry, racingPairA, racingPairB }

    @Test func conflictsInABatchFailAloneAndTheRestCommits() async throws {
        let store = try open()
        // 0..<75 already stored.
        for n in 0..<75 { _ = try await store.submit(Fixture.envelope(n, to: [2])) }
        func envelope(_ n: Int, _ kind: Kind) -> StoredEnvelope {
            switch kind {
            case .new, .exactRetry: Fixture.envelope(n, to: [2])
            case .conflictingBytes: Fixture.envelope(n, to: [2], bytes: Array("replaced \(n)".utf8))
            case .racingPairA: Fixture.envelope(n, to: [3], bytes: Array("pair A \(n)".utf8))
            case .racingPairB: Fixture.envelope(n, to: [3], bytes: Array("pair B \(n)".utf8))
            }
        }
        var work: [(Int, Kind)] = []
        work += (0..<50).map { ($0, .conflictingBytes) }
        work += (50..<75).map { ($0, .exactRetry) }
        work += (75..<475).map { ($0, .new) }
        work += (475..<500).flatMap { [($0, .racingPairA), ($0, .racingPairB)] }   // same id twice at once
        work.shuffle()

        let results = await withTaskGroup(of: (Int, Kind, Result<SubmitOutcome, StoreError>).self) { group in
            for (n, kind) in work {
                group.addTask {
                    do { return (n, kind, .success(try await store.submit(envelope(n, kind)))) }
                    catch let e as StoreError { return (n, kind, .failure(e)) }
                    catch { return (n, kind, .failure(StoreError.database("unexpected \(error)"))) }
                }
            }
            var all: [(Int, Kind, Result<SubmitOutcome, StoreError>)] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 525)
        var pairWinners: [Int: Kind] = [:]
        for (n, kind, result) in results {
            switch (kind, result) {
            case (.new, .success(.stored)), (.exactRetry, .success(.duplicate)): break
            case let (.conflictingBytes, .failure(e)): #expect(e.code == .conflict)
            case (.racingPairA, .success(.stored)), (.racingPairB, .success(.stored)):
                #expect(pairWinners[n] == nil, "both submissions of \(n) were stored")
                pairWinners[n] = kind
            case let (.racingPairA, .failure(e)), let (.racingPairB, .failure(e)): #expect(e.code == .conflict)
            default: Issue.record("envelope \(n) (\(kind)): unexpected \(result)")
            }
        }
        #expect(pairWinners.count == 25)
        #expect(store.groupCommitStatistics.transactions < store.groupCommitStatistics.operations)
        // The refusals were isolated by running their batches again in savepoints.
        #expect(store.groupCommitStatistics.retriedBatches > 0)
        try store.close()

        let reopened = try open()
        #expect(try await reopened.statistics().envelopes == 500)
        for n in 0..<475 {  // originals untouched, new ones present
            #expect(try await reopened.envelope(Fixture.envelopeID(n), for: Fixture.device(2), now: 1_000) == Fixture.envelope(n, to: [2]).bytes)
        }
        for (n, winner) in pairWinners {
            #expect(try await reopened.envelope(Fixture.envelopeID(n), for: Fixture.device(3), now: 1_000) == envelope(n, winner).bytes)
        }
    }

    @Test func concurrentAcknowledgementsEachGetTheirOwnAnswer() async throws {
        let store = try open()
        for n in 0..<150 { _ = try await store.submit(Fixture.envelope(n, to: [2, 3])) }
        let results = try await withThrowingTaskGroup(of: (Int, Int, AcknowledgeOutcome?).self) { group in
            for n in 0..<150 {
                for d in [2, 3, 9] {
                    group.addTask { (n, d, try await store.acknowledge(Fixture.envelopeID(n), device: Fixture.device(d), now: 1_100)) }
                }
            }
            var all: [(Int, Int, AcknowledgeOutcome?)] = []
            for try await r in group { all.append(r) }
            return all
        }
        for n in 0..<150 {
            let mine = results.filter { $0.0 == n }
            #expect(mine.first { $0.1 == 9 }?.2 == nil, "device 9 is not addressed")
            let outcomes = mine.filter { $0.1 != 9 }.map(\.2)
            #expect(outcomes.filter { $0 == .acknowledged(deleted: true) }.count == 1, "envelope \(n): \(outcomes)")
            #expect(outcomes.filter { $0 == .acknowledged(deleted: false) }.count == 1, "envelope \(n): \(outcomes)")
        }
        let stats = try await store.statistics()
        #expect(stats.envelopes == 0)
        #expect(stats.deliveries == 0)
        #expect(store.groupCommitStatistics.transactions < store.groupCommitStatistics.operations)
    }

    /// Not a pass/fail benchmark: prints durable submits per second with group commit and with one
    /// transaction per submit (batch size 1), each with synchronous=FULL on this machine's disk.
    @Test func throughputReport() async throws {
        // RELAIS_STORE_BENCH_COUNT=10000 swift test -c release --filter throughputReport for a longer run.
        let count = ProcessInfo.processInfo.environment["RELAIS_STORE_BENCH_COUNT"].flatMap { Int($0) } ?? 2_000
        var report: [String] = []
        for (label, batch) in [("group commit (batch ≤ 256)", 256), ("one transaction per submit", 1)] {
            let dir = try TemporaryDirectory()
            let store = try SQLiteRelayStore(path: dir.databasePath, maximumBatchSize: batch)
            let body = Array(repeating: UInt8(0x5A), count: 1_500)
            // Built before the clock starts: only the store is timed.
            let envelopes = (0..<count).map { n in
                Fixture.envelope(n, from: n % 50, to: [1_000 + n % 20], bytes: body + withUnsafeBytes(of: n) { Array($0) })
            }
            let clock = ContinuousClock()
            let elapsed = try await clock.measure {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for e in envelopes {
                        group.addTask {
                            let outcome = try await store.submit(e)
                            #expect(outcome == .stored)
                        }
                    }
                    try await group.waitForAll()
                }
            }
            #expect(try await store.statistics().envelopes == count)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let s = store.groupCommitStatistics
            report.append("\(label): \(count) concurrent submits in \(String(format: "%.3f", seconds)) s = "
                          + "\(Int(Double(count) / seconds)) submits/s, \(s.transactions) transactions, largest batch \(s.largestBatch)")
            try store.close()
        }
        print("[throughput] " + report.joined(separator: "\n[throughput] "))
    }
}

@Suite struct BackgroundCheckpointTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    @Test func theLogIsCopiedIntoTheFileOffTheWriter() async throws {
        let store = try SQLiteRelayStore(path: directory.databasePath)
        let fileBefore = try FileManager.default.attributesOfItem(atPath: directory.databasePath)[.size] as? Int ?? 0
        // One write at a time: 40 batches, so the checkpointer (every 8 batches) must have started.
        for n in 0..<40 {
            _ = try await store.submit(Fixture.envelope(n, to: [2], bytes: [UInt8](repeating: UInt8(n), count: 4_096)))
        }
        var waited = 0
        while store.checkpointer.completed == 0, waited < 200 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(store.checkpointer.completed >= 1)
        // The envelopes' pages reached the database file itself, not only the log.
        let fileAfter = try FileManager.default.attributesOfItem(atPath: directory.databasePath)[.size] as? Int ?? 0
        #expect(fileAfter > fileBefore + 40 * 4_000, "database file \(fileBefore) -> \(fileAfter) bytes")
        try store.close()
        let reopened = try SQLiteRelayStore(path: directory.databasePath)
        #expect(try await reopened.statistics().envelopes == 40)
    }
}
