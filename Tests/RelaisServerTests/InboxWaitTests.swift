import Foundation
import HTTPTypes
import NIOHTTP1
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import RelaisStore
import Synchronization
import Testing

/// The inbox long-poll (SPEC.md, "Waiting for the inbox"): the notifier alone, then a real relay on 127.0.0.1.
@Suite struct InboxWaitTests {
    static let device = DeviceID.random(using: SystemRandom())

    static func entry(_ id: EnvelopeID = .random(using: SystemRandom())) -> InboxEntry {
        InboxEntry(envelopeID: id, senderDevice: .random(using: SystemRandom()), senderOrganisation: .random(using: SystemRandom()),
                   byteCount: 1, submittedAt: 1, expiresAt: 2)
    }

    /// Counts the store reads a wait makes.
    final class Reads: Sendable {
        private let count = Mutex(0)
        private let answers: Mutex<[[InboxEntry]]>
        init(_ answers: [[InboxEntry]]) { self.answers = Mutex(answers) }
        var total: Int { count.withLock { $0 } }
        func read() -> [InboxEntry] {
            count.withLock { $0 += 1 }
            return answers.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] }
        }
    }

    /// Waits (checking every 10 ms, never as the assertion) until `condition` holds or 10 s passed.
    static func eventually(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            try #require(ContinuousClock.now < deadline, "the condition did not hold within 10 s")
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The status and code `body` was refused with, nil when it was not.
    static func refusal(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let e as RelayError {
            return "\(e.status.code) \(e.code)"
        } catch {
            return "\(error)"
        }
    }

    // MARK: the notifier

    /// Waiting costs no store query: a wait to its bound reads the inbox twice, at its start and at
    /// its end, however long it lasts (a poll every second, or every 100 ms, would read more).
    @Test func aWaitReadsTheStoreOnlyAtItsStartAndEnd() async throws {
        let waits = InboxWaits(perDevice: 4, total: 16)
        let reads = Reads([[]])
        let start = ContinuousClock.now
        let answer = try await waits.answer(device: Self.device, after: InboxWaits.cursor([]), within: .milliseconds(1500)) { reads.read() }
        #expect(answer.isEmpty)
        #expect(ContinuousClock.now - start >= .milliseconds(1500))
        #expect(reads.total == 2)
        #expect(waits.count == 0, "the wait is removed when it ends")
    }

    @Test func aSignalAnswersAtOnceWithOneMoreRead() async throws {
        let waits = InboxWaits(perDevice: 4, total: 16)
        let arrived = Self.entry()
        let reads = Reads([[], [arrived]])
        let start = ContinuousClock.now
        async let answer = waits.answer(device: Self.device, after: InboxWaits.cursor([]), within: .seconds(120)) { reads.read() }
        try await Self.eventually { waits.count(device: Self.device) == 1 && reads.total == 1 }
        waits.signal([DeviceID.random(using: SystemRandom())])  // another device's submit wakes nothing
        waits.signal([Self.device])
        #expect(try await answer == [arrived])
        // Far under the wait's bound (120 s), whatever the load of the machine (11.7 s once in CI).
        #expect(ContinuousClock.now - start < .seconds(60))
        #expect(reads.total == 2)
    }

    /// A cursor that no longer names the inbox: the answer is immediate, one read.
    @Test func aChangedInboxAnswersWithoutWaiting() async throws {
        let waits = InboxWaits(perDevice: 4, total: 16)
        let reads = Reads([[Self.entry()]])
        let start = ContinuousClock.now
        let answer = try await waits.answer(device: Self.device, after: InboxWaits.cursor([]), within: .seconds(30)) { reads.read() }
        #expect(answer.count == 1)
        #expect(reads.total == 1)
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    /// The cursor names the set of ids, whatever their order; another set, another cursor.
    @Test func theCursorNamesTheSetOfIds() {
        let a = Self.entry(), b = Self.entry()
        #expect(InboxWaits.cursor([a, b]) == InboxWaits.cursor([b, a]))
        #expect(InboxWaits.cursor([a]) != InboxWaits.cursor([a, b]))
        #expect(InboxWaits.cursor([]) != InboxWaits.cursor([a]))
        #expect(InboxWaits.cursor([]).count == 32)
    }

    @Test func waitsAreBoundedPerDeviceAndInAll() async throws {
        let waits = InboxWaits(perDevice: 2, total: 3)
        let other = DeviceID.random(using: SystemRandom())
        func wait(_ device: DeviceID) async throws -> [InboxEntry] {
            try await waits.answer(device: device, after: InboxWaits.cursor([]), within: .seconds(30)) { [] }
        }
        async let first = wait(Self.device)
        async let second = wait(Self.device)
        try await Self.eventually { waits.count(device: Self.device) == 2 }
        #expect(await Self.refusal { _ = try await wait(Self.device) } == "429 too_many_waiters")
        async let third = wait(other)
        try await Self.eventually { waits.count == 3 }
        #expect(await Self.refusal { _ = try await wait(DeviceID.random(using: SystemRandom())) } == "503 busy")
        waits.signal([Self.device, other])
        _ = try await (first, second, third)
        #expect(waits.count == 0)
    }

    // MARK: on a real relay

    /// A device waiting for its inbox is answered as soon as an envelope for it is submitted, long
    /// before the wait's bound; the other device of the organisation, too.
    @Test(arguments: RelayStoreKind.available)
    func aWaitIsAnsweredBySubmit(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            let (first, second) = (live.client(net.associationDevices[0].identity), live.client(net.associationDevices[1].identity))
            let empty = try await first.inboxPage()
            #expect(empty.items.isEmpty)
            let cursor = try #require(empty.cursor)
            let start = ContinuousClock.now
            async let woken = first.inboxPage(wait: 45, after: cursor)
            async let alsoWoken = second.inboxPage(wait: 45)
            try await Self.eventually { live.relay.inboxWaits.count == 2 }
            let sealed = try net.sealToAssociation()
            _ = try await live.client(net.professional).submit(sealed.bytes)
            let (page, other) = try await (woken, alsoWoken)
            #expect(page.items.map(\.envelopeID) == [sealed.header.envelopeID])
            #expect(other.items.map(\.envelopeID) == [sealed.header.envelopeID])
            #expect(ContinuousClock.now - start < .seconds(30), "answered by the submit, not by the bound")
            #expect(page.cursor != cursor)
            // Asked again with the new cursor: nothing new, so it waits (here to a 1 s bound) and
            // answers the same set; with the old cursor, at once.
            let again = try await first.inboxPage(wait: 1, after: page.cursor)
            #expect(again == page)
            #expect(live.relay.inboxWaits.count == 0)
        }
    }

    /// Nothing arrives: the wait answers at its bound, 200 with the same (empty) inbox and cursor.
    @Test func aWaitWithNothingArrivingEndsAtItsBound() async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let device = live.client(net.associationDevices[0].identity)
            let start = ContinuousClock.now
            let page = try await device.inboxPage(wait: 2)
            let elapsed = ContinuousClock.now - start
            #expect(page.items.isEmpty)
            #expect(page.cursor == InboxWaits.cursor([]))
            #expect(elapsed >= .milliseconds(1900) && elapsed < .seconds(20), "\(elapsed)")
            // The relay's own bound caps a longer wait (kept 5 s under the request timeout).
            #expect(live.relay.configuration.inboxWaitBoundSeconds == 50)
        }
    }

    @Test func theRelaysBoundCapsTheWait() async throws {
        try await LiveRelay.run(configure: { $0.maxInboxWaitSeconds = 1 }) { live in
            let net = try await Network.build(on: live)
            let start = ContinuousClock.now
            _ = try await live.client(net.associationDevices[0].identity).inboxPage(wait: 60)
            #expect(ContinuousClock.now - start < .seconds(20))
        }
    }

    /// Four waits per device; a fifth is a 429 `too_many_waiters` (another device still may wait);
    /// one submit answers the four.
    @Test func theFifthWaitOfADeviceIsRefused() async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let device = live.client(net.associationDevices[0].identity)
            let waits = (0..<4).map { _ in Task { try await device.inboxPage(wait: 45) } }
            try await Self.eventually { live.relay.inboxWaits.count == 4 }
            await expectRefusal(429, "too_many_waiters") { _ = try await device.inboxPage(wait: 45) }
            let raw = try await live.raw(.GET, "/v1/inbox?wait=45", signer: net.associationDevices[0].identity)
            #expect(raw.status == 429 && raw.errorCode == "too_many_waiters" && raw.headers.first(name: "Retry-After") == "5")
            // A plain listing is not a wait: still answered.
            #expect(try await device.inbox().isEmpty)
            let sealed = try net.sealToAssociation()
            _ = try await live.client(net.professional).submit(sealed.bytes)
            for wait in waits { #expect(try await wait.value.items.map(\.envelopeID) == [sealed.header.envelopeID]) }
            #expect(live.relay.inboxWaits.count == 0)
        }
    }

    /// The route needs a device: unsigned, 401 before any wait; bad parameters, 400 `wait`.
    @Test func waitingNeedsAnAuthenticatedDeviceAndValidParameters() async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let unsigned = try await live.raw(.GET, "/v1/inbox?wait=30")
            #expect(unsigned.status == 401 && unsigned.errorCode == "unsigned")
            let stranger = try await live.raw(.GET, "/v1/inbox?wait=30", signer: DeviceIdentity.generate())
            #expect(stranger.status == 401 && stranger.errorCode == "unknown_device")
            #expect(live.relay.inboxWaits.count == 0)
            let device = live.client(net.associationDevices[0].identity)
            await expectRefusal(400, "wait") { _ = try await device.inboxPage(wait: 61) }
            await expectRefusal(400, "wait") { _ = try await device.inboxPage(wait: -1) }
            for bad in ["ABCDEF0123456789ABCDEF0123456789", "00", "zz" + String(repeating: "0", count: 30)] {
                let r = try await live.raw(.GET, "/v1/inbox?wait=5&after=\(bad)", signer: net.associationDevices[0].identity)
                #expect(r.status == 400, "\(bad): \(r.status)")
            }
            // An auditor has no inbox.
            let auditor = try await Network.enrol(live, by: net.operatorIdentity, role: .auditor, organisation: nil)
            await expectRefusal(403, "role") { _ = try await live.client(auditor).inboxPage(wait: 5) }
        }
    }

    /// A graceful shutdown answers the waits at once: the relay stops without holding them to their bound.
    @Test func shutdownAnswersTheWaits() async throws {
        let (answered, start) = try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let device = live.client(net.associationDevices[0].identity)
            let wait = Task { try await device.inboxPage(wait: 45) }
            try await Self.eventually { live.relay.inboxWaits.count == 1 }
            // LiveRelay.run shuts the relay down gracefully when this returns: timed from here, not
            // from the network's setup, which a loaded machine makes slow.
            return (wait, ContinuousClock.now)
        }
        let page = try await answered.value
        #expect(page.items.isEmpty)
        #expect(ContinuousClock.now - start < .seconds(40), "the shutdown waited for the wait's bound (45 s)")
    }
}
