import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import RelaisStore
import Testing

/// Issue 17, third bullet: organisations watch their own name (`relais monitor`, SPEC.md
/// "Monitoring an organisation"). The real CLI against a real relay: a normal day reports nothing
/// unexpected, a second run nothing new; a device the operator's key approved, added straight into
/// the store, is reported by the association's admin and `--strict` exits 65; a revocation the relay
/// hides from a sender is still seen by the organisation's monitor.
@Suite("relais monitor: an organisation watches its own name", .serialized)
struct MonitorCLITests {
    typealias World = CLITests.World

    func report(_ cli: CLI, _ profile: String, _ extra: [String] = []) async throws -> [String: Any] {
        let r = try await cli.ok(profile, ["monitor", "--json"] + extra)
        return try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
    }

    func items(_ report: [String: Any]) -> [[String: Any]] { report["items"] as? [[String: Any]] ?? [] }

    @Test func aNormalDayReportsNothingUnexpectedAndARogueDeviceIsAnAlert() async throws {
        try await LyingRelayTests().withLiar { w, cli, proxy in
            let assoc1 = try await cli.deviceID("assoc1"), assoc2 = try await cli.deviceID("assoc2")
            // First run: the association's history so far, no alert (assoc1 itself, assoc2 approved by assoc1).
            let first = try await report(cli, "assoc1", ["--strict"])
            let approved = items(first).filter { $0["kind"] as? String == "deviceApproved" }
            #expect(approved.compactMap { $0["device"] as? String }.sorted() == [assoc1, assoc2].sorted())
            #expect(approved.allSatisfy { $0["alert"] == nil }, "\(approved)")
            #expect(approved.first { $0["device"] as? String == assoc2 }?["by"] as? String == assoc1)
            #expect(!proxy.exchanges("GET", "/v1/log/proof/inclusion").isEmpty, "each entry is proved in the verified checkpoint")
            // A second run: nothing new.
            #expect(items(try await report(cli, "assoc1")).isEmpty)
            let quiet = try await cli.ok("assoc1", ["monitor"])
            #expect(quiet.out.contains("nothing new"), "\(quiet.out)")

            // A normal day: an admin invites and approves a member.
            try await cli.enrol("assoc3", by: "assoc1", role: "member")
            let assoc3 = try await cli.deviceID("assoc3")
            let day = items(try await report(cli, "assoc1", ["--strict"]))
            #expect(day.map { $0["kind"] as? String ?? "" } == ["deviceAdded", "deviceApproved"], "\(day)")
            #expect(day.allSatisfy { $0["device"] as? String == assoc3 && $0["by"] as? String == assoc1 && $0["alert"] == nil })

            // A rogue admin device the operator's key approved, written straight through the store
            // (no admin of the association involved): valid for every sender, seen by the monitor.
            let op = try LyingRelayTests().open(cli, "op").identity
            let association = try #require(OrganisationID(hex: w.association))
            let rogue = DeviceIdentity.generate()
            let invite = InviteID.random(using: SystemRandom())
            let now = UInt64(Date().timeIntervalSince1970)
            let store = w.live.relay.store
            try await store.createInvite(StoredInvite(id: invite, secretHash: SHA256.hash([1]), organisationID: association, role: .admin,
                                                      issuedBy: op.deviceID, createdAt: now, expiresAt: now + 3_600))
            try await store.redeemInvite(invite, device: StoredDevice(id: rogue.deviceID, publicKey: rogue.publicIdentity.signingKey.bytes,
                                                                      organisationID: association, role: .admin, status: .pending,
                                                                      inviteID: invite, enroller: op.deviceID, createdAt: now), at: now)
            let record = try DeviceRecord(identity: rogue.publicIdentity, organisationId: association, role: .admin, enrolledBy: op.deviceID,
                                          inviteId: invite, issuedAt: now).signed(by: op)
            try await store.activateDevice(rogue.deviceID, record: record, at: now)

            let strict = try await cli.run("assoc1", ["monitor", "--strict"])
            #expect(strict.status == 65, "exit \(strict.status): \(strict.out) \(strict.err)")
            #expect(strict.out.contains(rogue.deviceID.hex) && strict.out.contains("ALERT"), "\(strict.out)")
            #expect(strict.err.contains("approved by no admin of the organisation"), "\(strict.err)")
            // Reported once: the next run starts after it.
            #expect(items(try await report(cli, "assoc1", ["--strict"])).isEmpty)
        }
    }

    @Test func aRevocationHiddenFromASenderIsSeenByTheOrganisation() async throws {
        try await LyingRelayTests().withLiar { w, cli, proxy in
            let assoc1 = try await cli.deviceID("assoc1"), assoc2 = try await cli.deviceID("assoc2")
            _ = try await report(cli, "assoc1")
            try await cli.ok("assoc1", ["admin", "revoke", assoc2, "--yes"])
            // The relay shows the professional the association's devices as if assoc2 were not revoked.
            let pro = try await cli.deviceID("pro")
            proxy.lie(onlyTo: pro)
            proxy.lieJSON("GET", "/v1/organisations/\(w.association)/devices") { answer in
                answer["devices"] = (answer["devices"] as? [[String: Any]] ?? []).map { d in
                    var d = d
                    d["revocation"] = nil
                    d["status"] = "active"
                    return d
                }
            }
            // The sender cannot tell: assoc2's record is genuine and logged, its revocation is not shown...
            let shown = try await cli.ok("pro", ["fingerprint", w.association, "--json"])
            #expect(shown.out.contains(assoc2), "the professional is shown assoc2 as a current device: \(shown.out)")
            // ...the organisation's monitor reads the revocation in the log, signed by its admin.
            let revoked = items(try await report(cli, "assoc1")).filter { $0["kind"] as? String == "deviceRevoked" }
            #expect(revoked.count == 1 && revoked.first?["device"] as? String == assoc2 && revoked.first?["by"] as? String == assoc1, "\(revoked)")
        }
    }
}
