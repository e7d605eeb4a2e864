import Foundation
import NIOHTTP1
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import Testing

/// Several relays on one PostgreSQL database, as DESIGN.md has operators at scale run them behind a
/// load balancer: each with its own data folder holding a copy of the same relay-key.
@Suite("Relays sharing one database", .enabled(if: RelayStoreKind.postgresURL != nil, "needs RELAIS_POSTGRES_URL (scripts/with-postgres.sh)"))
struct MultiRelayTests {
    /// A data folder for a second relay, holding a copy of `live`'s relay key.
    static func secondFolder(copying live: LiveRelay) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relais-second-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.copyItem(atPath: live.relay.configuration.relayKeyPath, toPath: dir + "/relay-key")
        return dir
    }

    @Test func aRequestIsAcceptedOnceRevocationHoldsEverywhereAndCheckpointsAgree() async throws {
        try await LiveRelay.run(store: .postgres) { a in
            let net = try await Network.build(on: a)
            let folder = try Self.secondFolder(copying: a)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try await LiveRelay.run(configure: { $0.postgresURL = a.relay.configuration.postgresURL }, dataDirectory: folder) { b in
                let member = net.associationDevices[0].identity
                let sig = RequestSignature.sign(method: "GET", target: "/v1/inbox", body: [], identity: member, timestamp: a.clock.now(),
                                                rng: SystemRandom())
                #expect(try await a.raw(.GET, "/v1/inbox", signature: sig).status == 200)
                let replay = try await b.raw(.GET, "/v1/inbox", signature: sig)
                #expect(replay.status == 401 && replay.errorCode == "replayed", "the same signed request, replayed to the other relay")
                #expect(try await b.raw(.GET, "/v1/inbox", signer: member).status == 200, "a fresh request is served by either relay")

                // What one relay stores, the other serves.
                let sealed = try net.sealToAssociation()
                _ = try await a.client(net.professional).submit(sealed.bytes)
                #expect(try await b.client(member).inbox().map(\.envelopeID).contains(sealed.header.envelopeID))

                // Both sign the same checkpoint of the one log (same key, same tree).
                #expect(try await a.client(nil).checkpoint() == (try await b.client(nil).checkpoint()))

                // A revocation through one relay takes effect at once on the other (no directory cache on PostgreSQL).
                let other = net.associationDevices[1].identity
                _ = try await b.client(other).inbox()
                let revocation = DeviceRevocation(deviceId: other.deviceID, revokedBy: net.associationAdmin.deviceID,
                                                  revokedAt: a.clock.now()).signed(by: net.associationAdmin)
                _ = try await a.client(net.associationAdmin).revoke(other.deviceID, revocation: revocation)
                let refused = try await b.raw(.GET, "/v1/inbox", signer: other)
                #expect(refused.status == 401 && refused.errorCode == "unknown_device")
            }
        }
    }

    /// A relay started on the database with a key of its own (no copy of relay-key) is refused:
    /// it would sign checkpoints of a log it does not keep.
    @Test func aRelayWithAnotherKeyIsRefusedAtStart() async throws {
        try await LiveRelay.run(store: .postgres) { a in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("relais-other-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            await #expect(throws: RelayApplication.StartError.self) {
                try await LiveRelay.run(configure: { $0.postgresURL = a.relay.configuration.postgresURL }, dataDirectory: folder) { _ in }
            }
        }
    }
}

/// A relay restarted before its operator enrolled prints a new operator invite each time: only the
/// first one redeemed makes an operator, the directory keeps one root.
@Suite struct OneOperatorTests {
    @Test func aSecondOperatorInviteIsRefusedOnceTheOperatorEnrolled() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("relais-ops-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try await LiveRelay.run(dataDirectory: folder) { $0.operatorInvite }
        try await LiveRelay.run(dataDirectory: folder) { live in
            #expect(live.operatorInvite != first, "the restart printed another invite")
            _ = try await Network.build(on: live)  // the operator enrols with the newest invite
            let intruder = DeviceIdentity.generate()
            let record = try DeviceRecord(identity: intruder.publicIdentity, organisationId: nil, role: .operator, enrolledBy: intruder.deviceID,
                                          inviteId: first.id, issuedAt: live.clock.now()).signed(by: intruder)
            let before = try await live.statistics()
            await expectRefusal(409, "conflict") { _ = try await live.client(nil).enrol(invite: first, device: intruder, record: record) }
            #expect(try await live.statistics() == before)
        }
    }
}

/// The same rule on SQLite: a data folder whose relay-key was lost (and so regenerated) is refused.
@Suite struct RelayKeyPinTests {
    @Test func aDataFolderWhoseRelayKeyChangedIsRefused() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("relais-pin-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await LiveRelay.run(dataDirectory: folder) { _ in }
        try FileManager.default.removeItem(atPath: folder + "/relay-key")
        await #expect(throws: RelayApplication.StartError.self) { try await LiveRelay.run(dataDirectory: folder) { _ in } }
        #expect(!FileManager.default.fileExists(atPath: folder + "/relay-key"), "the refused start left no key of its own behind")
    }
}
