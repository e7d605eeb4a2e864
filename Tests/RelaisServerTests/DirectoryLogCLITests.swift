import Foundation
import GRDB
import RelaisClient
import RelaisCore
import RelaisCrypto
import Testing

/// Issue 17, second bullet: the directory is in the log, and clients check it (SPEC.md, "Directory
/// records", "In the log"). The real CLI against a real relay (behind `LyingRelay`, which only
/// counts requests unless told to lie): a device record genuinely signed by the association's admin
/// but never logged, whether the relay's store holds it behind the log's back or the relay points it
/// at another entry, is refused by the sender (exit 65, nothing sealed or sent).
@Suite("Directory records are checked against the log", .serialized)
struct DirectoryLogCLITests {
    typealias World = CLITests.World

    /// A member device of the association whose record the association's admin (assoc1) signed,
    /// for a key that was never enrolled: what a stolen admin key, or an approval the relay kept out
    /// of the log, gives. Returns its id and its record.
    func rogueRecord(_ cli: CLI, _ w: World) throws -> (DeviceIdentity, SignedObject) {
        let admin = try LyingRelayTests().open(cli, "assoc1").identity
        let rogue = DeviceIdentity.generate(using: SystemRandom())
        let record = try DeviceRecord(identity: rogue.publicIdentity, organisationId: OrganisationID(hex: w.association)!,
                                      role: .member, enrolledBy: admin.deviceID, inviteId: .random(using: SystemRandom()),
                                      issuedAt: UInt64(Date().timeIntervalSince1970)).signed(by: admin)
        return (rogue, record)
    }

    @Test func aRecordNotInTheLogIsRefusedBeforeAnythingIsSent() async throws {
        try await LyingRelayTests().withLiar { w, cli, proxy in
            // A normal day: every record the send relies on is proved in the log once...
            try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            #expect(!proxy.exchanges("GET", "/v1/log/proof/inclusion").isEmpty, "the records were proved in the log")
            let proved = proxy.exchanges("GET", "/v1/log/proof/inclusion").count
            // ...and not asked for again while they do not change.
            try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            #expect(proxy.exchanges("GET", "/v1/log/proof/inclusion").count == proved, "verified records are kept with their index")
            let sent = proxy.exchanges("POST", "/v1/envelopes").count

            // 1. The relay's store holds an active device of the association that was never logged.
            let (rogue, record) = try rogueRecord(cli, w)
            let database = try DatabaseQueue(path: w.live.dataDirectory + "/relais.sqlite")
            try await database.write { db in
                try db.execute(sql: """
                    INSERT INTO devices (id, public_key, organisation_id, role, status, invite_id, enroller, record, record_signature, created_at)
                    VALUES (?, ?, ?, 'member', 'active', ?, ?, ?, ?, ?)
                    """, arguments: [Data(rogue.deviceID.bytes), Data(rogue.publicIdentity.signingKey.bytes), Data(Hex.decode(w.association)!),
                                     Data(InviteID.random(using: SystemRandom()).bytes), Data(try DeviceRecord.unverifiedSigner(of: record).bytes),
                                     Data(record.bytes), Data(record.signature), Int64(Date().timeIntervalSince1970)])
            }
            try database.close()
            let r = try await cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            #expect(r.status == 65, "exit \(r.status): \(r.err)")
            #expect(r.err.contains("not in its audit log") && r.err.contains(rogue.deviceID.hex), "\(r.err)")
            let fr = try await cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent) + ["--lang", "fr"])
            #expect(fr.status == 65 && fr.err.contains("absent de son journal d'audit"), "\(fr.err)")

            // 2. The relay points the unlogged record at a genuine entry: another device's activation.
            let honest = try #require(proxy.exchanges("GET", "/v1/organisations/\(w.association)/devices").last)
            let devices = try #require(LyingRelay.object(honest.body)["devices"] as? [[String: Any]])
            let indexes: [Int] = devices.compactMap { d in (d["record"] as? [String: Any]).flatMap { $0["logIndex"] as? Int } }
            let other = try #require(indexes.first)
            proxy.lieJSON("GET", "/v1/organisations/\(w.association)/devices") { answer in
                answer["devices"] = (answer["devices"] as? [[String: Any]] ?? []).map { d in
                    var d = d
                    if d["deviceId"] as? String == rogue.deviceID.hex, var r = d["record"] as? [String: Any] {
                        r["logIndex"] = other
                        d["record"] = r
                    }
                    return d
                }
            }
            let pointed = try await cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            #expect(pointed.status == 65, "exit \(pointed.status): \(pointed.err)")
            #expect(pointed.err.contains("entry \(other) is a deviceActivated entry that does not carry"), "\(pointed.err)")
            #expect(proxy.exchanges("POST", "/v1/envelopes").count == sent, "nothing was submitted")
        }
    }
}
