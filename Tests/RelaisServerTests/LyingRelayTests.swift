import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisStore
import Testing

/// The client against a relay that lies (SPEC.md, "Clients against a lying relay"): the real CLI
/// binary talks to a `LyingRelay` proxy in front of a live relay, and each test rewrites the
/// answers a compromised relay would rewrite. The relay cannot sign; every lie below is built
/// from genuine, validly signed objects, moved where they do not belong.
@Suite("relais CLI against a lying relay", .serialized)
struct LyingRelayTests {
    typealias World = CLITests.World

    /// The CLI world of `CLITests`, every profile pointed at a lying proxy in front of its relay.
    func withLiar(_ body: @Sendable (World, CLI, LyingRelay) async throws -> Void) async throws {
        try await CLITests().withWorld { w in
            try await LyingRelay.run(in: w.live) { proxy in
                let cli = CLI(root: w.cli.root, relay: proxy.url)
                for profile in ["op", "assoc1", "assoc2", "svcadmin", "pro"] {
                    try await cli.ok(profile, ["config", "--relay", proxy.url.absoluteString])
                }
                try await body(w, cli, proxy)
            }
        }
    }

    func open(_ cli: CLI, _ profile: String) throws -> LocalDevice {
        try LocalDevice.open(directory: cli.root + "/" + profile, passphrase: SecretBytes(Array(CLI.passphrase.utf8)))
    }

    /// A third organisation, Mallory, with an admin device that has published a prekey: its
    /// device record is genuine and validly signed, only not the association's.
    func addMallory(_ cli: CLI) async throws -> String {
        let mallory = try await cli.ok("op", ["admin", "create-org", "--name", "Mallory", "--category", "specialisedAssociation",
                                              "--departement", "75", "--json"]).string("organisationId")
        try await cli.enrol("madmin", by: "op", role: "admin", org: mallory)
        return mallory
    }

    static func signedJSON(_ s: SignedObject) -> [String: Any] {
        ["bytes": Base64.encode(s.bytes), "signature": Base64.encode(s.signature)]
    }

    // MARK: 1. a foreign organisation's device in the recipient's list

    @Test func aForeignDeviceInTheRecipientListStopsTheSend() async throws {
        try await withLiar { w, cli, proxy in
            let mallory = try await addMallory(cli)
            let intruder = try await cli.deviceID("madmin")
            // The relay's genuine answer for Mallory's devices, as any directory reader gets it.
            try await cli.ok("pro", ["admin", "devices", "--org", mallory])
            let malloryDevices = try #require(proxy.exchanges("GET", "/v1/organisations/\(mallory)/devices").last)
            #expect(!(try #require(LyingRelay.object(malloryDevices.body)["devices"] as? [Any])).isEmpty)
            proxy.lieJSON("GET", "/v1/organisations/\(w.association)/devices") { answer in
                answer["devices"] = (answer["devices"] as? [Any] ?? []) + (LyingRelay.object(malloryDevices.body)["devices"] as? [Any] ?? [])
            }
            let r = try await cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            #expect(r.status == 65, "exit \(r.status): \(r.err)")
            #expect(r.err.contains(intruder) && r.err.contains("another organisation"), "\(r.err)")
            #expect(proxy.exchanges("POST", "/v1/envelopes").isEmpty, "nothing was submitted")
            #expect(try await w.live.statistics().envelopes == 0)
            // The relay stops lying: the same send goes to the association's two devices only.
            proxy.lie(nil)
            #expect(try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("devices") == "2")
        }
    }

    // MARK: 2. approvals sign only what this device invited

    @Test func approvalSignsOnlyWhatWasInvited() async throws {
        try await withLiar { w, cli, proxy in
            // An admin's member invite, redeemed; the relay reports it as an admin invite.
            let invite = try await cli.ok("assoc1", ["admin", "invite", "--role", "member", "--json"]).string("invite")
            try await cli.ok("assoc3", ["init", "--relay", proxy.url.absoluteString])
            try await cli.ok("assoc3", ["enrol", invite])
            let me = try await cli.ok("assoc3", ["fingerprint", "--json"])
            let id = try me.string("deviceId"), fingerprint = try me.string("fingerprint")
            let honest = try await cli.ok("assoc1", ["admin", "pending"])
            #expect(honest.out.contains(id) && honest.out.contains("member") && honest.out.contains("Association Exemple"), "\(honest.out)")

            proxy.lieJSON("GET", "/v1/enrolments") { answer in
                answer["enrolments"] = (answer["enrolments"] as? [[String: Any]] ?? []).map { var e = $0; e["role"] = "admin"; return e }
            }
            let escalated = try await cli.run("assoc1", ["admin", "approve", id, "--fingerprint", fingerprint])
            #expect(escalated.status == 65, "exit \(escalated.status): \(escalated.err)")
            #expect(escalated.err.contains("admin") && escalated.err.contains("member"), "\(escalated.err)")
            // An invite this device never issued.
            proxy.lieJSON("GET", "/v1/enrolments") { answer in
                answer["enrolments"] = (answer["enrolments"] as? [[String: Any]] ?? []).map {
                    var e = $0; e["inviteId"] = InviteID.random(using: SystemRandom()).hex; return e
                }
            }
            let unknown = try await cli.run("assoc1", ["admin", "approve", id, "--fingerprint", fingerprint])
            #expect(unknown.status == 65 && unknown.err.contains("not issued by this device"), "\(unknown.err)")
            #expect(proxy.exchanges("POST", "/v1/devices/\(id)/record").isEmpty, "nothing was signed and sent")
            proxy.lie(nil)
            try await cli.ok("assoc1", ["admin", "approve", id, "--fingerprint", fingerprint])
            #expect(try await cli.ok("assoc3", ["whoami", "--json"]).string("role") == "member")

            // The operator's auditor invite, reported as an admin invite of the social service.
            let auditorInvite = try await cli.ok("op", ["admin", "invite", "--role", "auditor", "--json"]).string("invite")
            try await cli.ok("aud", ["init", "--relay", proxy.url.absoluteString])
            try await cli.ok("aud", ["enrol", auditorInvite])
            let auditor = try await cli.ok("aud", ["fingerprint", "--json"])
            let auditorID = try auditor.string("deviceId")
            proxy.lieJSON("GET", "/v1/enrolments") { [service = w.service] answer in
                answer["enrolments"] = (answer["enrolments"] as? [[String: Any]] ?? []).map {
                    var e = $0; e["role"] = "admin"; e["organisationId"] = service; return e
                }
            }
            let shown = try await cli.ok("op", ["admin", "pending"])
            #expect(shown.out.contains("Service social Exemple") && shown.out.contains("DOES NOT MATCH"), "\(shown.out)")
            let other = try await cli.run("op", ["admin", "approve", auditorID, "--fingerprint", try auditor.string("fingerprint")])
            #expect(other.status == 65, "exit \(other.status): \(other.err)")
            #expect(proxy.exchanges("POST", "/v1/devices/\(auditorID)/record").isEmpty)
        }
    }

    // MARK: 8. withdrawal notices erase only what the withdrawing organisation's consent covered

    @Test func aForgedWithdrawalNoticeErasesNothing() async throws {
        try await withLiar { w, cli, proxy in
            let envelope = try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("envelopeId")
            try await cli.ok("assoc1", ["open", envelope])
            try await cli.ok("assoc1", ["ack", envelope])
            // A genuine device of another organisation signs a "withdrawal" of the professional's consent.
            let mallory = try await addMallory(cli)
            let madmin = try open(cli, "madmin")
            let forged = ConsentWithdrawal(consentId: ConsentID(hex: w.consent)!, organisationId: OrganisationID(hex: mallory)!,
                                           withdrawnBy: madmin.identity.deviceID, withdrawnAt: UInt64(Date().timeIntervalSince1970))
                .signed(by: madmin.identity)
            proxy.lieJSON("GET", "/v1/notices") { answer in answer["withdrawals"] = [Self.signedJSON(forged)] }
            let inbox = try await cli.ok("assoc1", ["inbox"])
            #expect(!inbox.err.contains("Erased"), "\(inbox.err)")
            let kept = try await cli.run("assoc1", ["open", envelope])
            #expect(kept.status == 0 && kept.out.contains("Rencontrée en maraude"), "the local copy survives: exit \(kept.status) \(kept.err)")
        }
    }

    @Test func anErasedReferralIsNotTakenBackFromTheRelay() async throws {
        try await withLiar { w, cli, proxy in
            let envelope = try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("envelopeId")
            try await cli.ok("assoc1", ["open", envelope])
            let inboxAnswer = try #require(proxy.exchanges("GET", "/v1/inbox").last { $0.status == 200 && String(decoding: $0.body, as: UTF8.self).contains(envelope) })
            let bytes = try #require(proxy.exchanges("GET", "/v1/envelopes/\(envelope)").last { $0.status == 200 }).body
            try await cli.ok("pro", ["consent", "withdraw", w.consent, "--json"])
            #expect(try await cli.ok("assoc1", ["inbox"]).err.contains("Erased 1 referral(s)"))
            // The relay delivers the erased referral again.
            proxy.lie { method, target, _, _, _ in
                if method == "GET", LyingRelay.path(of: target) == "/v1/inbox" { return .init(status: 200, body: inboxAnswer.body) }
                if method == "GET", LyingRelay.path(of: target) == "/v1/envelopes/\(envelope)" {
                    return .init(status: 200, body: bytes, contentType: "application/octet-stream")
                }
                return nil
            }
            let again = try await cli.run("assoc1", ["open", envelope])
            #expect(again.status == 65, "exit \(again.status): \(again.out) \(again.err)")
            #expect(again.err.contains("erased"), "\(again.err)")
            #expect(!again.out.contains("Rencontrée en maraude"))
            let local = try open(cli, "assoc1")
            #expect(!local.openedReferrals.contains { $0.envelopeId.hex == envelope }, "not stored again")
        }
    }

    // MARK: 10. signed revocations and directory freshness

    @Test func aRevocationHiddenBehindAnActiveStatusIsHonoured() async throws {
        try await withLiar { w, cli, proxy in
            try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            let before = try #require(proxy.exchanges("GET", "/v1/organisations/\(w.association)/devices").last).body
            let prekeys = Dictionary(uniqueKeysWithValues: (LyingRelay.object(before)["devices"] as? [[String: Any]] ?? []).compactMap { d in
                (d["signedPrekey"] as? String).map { (d["deviceId"] as! String, $0) }
            })
            let revoked = try await cli.deviceID("assoc2")
            try await cli.ok("assoc1", ["admin", "revoke", revoked, "--yes"])
            // The relay shows the revoked device as active, with its old prekey; its signed revocation is still there.
            proxy.lieJSON("GET", "/v1/organisations/\(w.association)/devices") { answer in
                answer["devices"] = (answer["devices"] as? [[String: Any]] ?? []).map {
                    var d = $0
                    d["status"] = "active"
                    if d["signedPrekey"] == nil, let id = d["deviceId"] as? String { d["signedPrekey"] = prekeys[id] }
                    return d
                }
            }
            let r = try await cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            #expect(r.status == 0, "exit \(r.status): \(r.err)")
            #expect(try r.string("devices") == "1", "sealed for the remaining device only")
        }
    }

    @Test func anOlderOrganisationRecordIsRefused() async throws {
        try await withLiar { w, cli, proxy in
            try await cli.ok("pro", ["directory"])
            let old = try #require(proxy.exchanges("GET", "/v1/organisations").last { $0.status == 200 }).body
            // The operator publishes a new version of the association's record.
            let op = try open(cli, "op")
            _ = try await op.putOrganisation(id: OrganisationID(hex: w.association)!, name: "Association Exemple (Paris 19e)",
                                             category: .specialisedAssociation, departements: ["75"], exitProgrammeAccreditedUntil: nil)
            #expect(try await cli.ok("pro", ["directory"]).out.contains("Paris 19e"))
            // The relay serves the first version again.
            proxy.lie { method, target, status, _, _ in
                method == "GET" && LyingRelay.path(of: target) == "/v1/organisations" && status == 200 ? .init(status: 200, body: old) : nil
            }
            let r = try await cli.run("pro", ["directory"])
            #expect(r.status == 65, "exit \(r.status): \(r.out)")
            #expect(r.err.contains("sequence"), "\(r.err)")
            let send = try await cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            #expect(send.status == 65 && proxy.exchanges("POST", "/v1/envelopes").isEmpty)
        }
    }

    @Test func aReferralSealedAfterItsSendersRevocationIsRefused() async throws {
        try await withLiar { w, cli, proxy in
            let before = try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("envelopeId")
            let pro = try open(cli, "pro")
            let now = { UInt64(Date().timeIntervalSince1970) }
            let plan = try await pro.plan(referral: try ReferralOptionsForTests.referral(now: now(), consent: w.consentReference),
                                          to: [OrganisationID(hex: w.association)!], lifetime: 86_400)
            // Times are in seconds, and a revocation in the second of the sealing counts as before it.
            try await Task.sleep(for: .milliseconds(1_100))
            try await cli.ok("svcadmin", ["admin", "revoke", pro.identity.deviceID.hex, "--yes"])
            // What the device sealed before its revocation still opens.
            #expect(try await cli.ok("assoc1", ["open", before]).out.contains("Rencontrée en maraude"))
            try await Task.sleep(for: .milliseconds(1_100))
            // Whoever holds the revoked device's key seals a referral, and the relay delivers it.
            let referral = try ReferralOptionsForTests.referral(now: now(), consent: w.consentReference)
            let sealed = try Envelope.seal(referral: try referral.encoded(), from: pro.identity,
                                           to: plan.devices.map { RecipientDevice(organisationID: $0.record.organisationId!, prekey: $0.prekey!) },
                                           consent: referral.consent, expiresAt: now() + 86_400, clock: SystemClock(), rng: SystemRandom())
            let id = sealed.header.envelopeID.hex
            let item = LyingRelay.json(["envelopeId": id, "senderDeviceId": pro.identity.deviceID.hex, "senderOrganisationId": w.service,
                                        "size": sealed.bytes.count, "submittedAt": now(), "expiresAt": now() + 86_400])
            proxy.lie { method, target, status, _, body in
                if method == "GET", LyingRelay.path(of: target) == "/v1/inbox", status == 200 {
                    var answer = LyingRelay.object(body)
                    answer["envelopes"] = (answer["envelopes"] as? [Any] ?? []) + [LyingRelay.object(item)]
                    return .init(status: 200, body: LyingRelay.json(answer))
                }
                if method == "GET", LyingRelay.path(of: target) == "/v1/envelopes/\(id)" {
                    return .init(status: 200, body: sealed.bytes, contentType: "application/octet-stream")
                }
                return nil
            }
            #expect(try await cli.inbox("assoc1").contains(id), "the lie is in place")
            let r = try await cli.run("assoc1", ["open", id])
            #expect(r.status == 65, "exit \(r.status): \(r.out)")
            #expect(r.err.contains("revoked"), "\(r.err)")
            #expect(!r.out.contains("CASE-T"))
        }
    }

    // MARK: 11. a device with an unusable prekey is skipped, not a reason to send nothing

    /// A prekey on a low-order point, signed by a device of the recipient organisation: the relay
    /// refuses to publish one, so the liar can only serve it outside the log, and the sender, who
    /// accepts no directory record the log does not carry (SPEC "Directory records", "In the log"),
    /// stops before sealing anything (it skipped that device with a warning before the directory
    /// was in the log).
    @Test func aLowOrderPrekeyOutsideTheLogStopsTheSender() async throws {
        try await withLiar { w, cli, proxy in
            let bad = try open(cli, "assoc2")
            let now = UInt64(Date().timeIntervalSince1970)
            // assoc2 (or whoever holds its key) signs a prekey on a point of order 8.
            let lowOrder = try X25519PublicKey(bytes: Hex.decode("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")!)
            let body = SignedPrekey.body(device: bad.identity.deviceID, publicKey: lowOrder, createdAt: now - 60, notAfter: now + 86_400)
            let record = body + bad.identity.sign(.signedPrekey, body)
            let badID = bad.identity.deviceID.hex
            proxy.lieJSON("GET", "/v1/organisations/\(w.association)/devices") { answer in
                answer["devices"] = (answer["devices"] as? [[String: Any]] ?? []).map {
                    var d = $0
                    if d["deviceId"] as? String == badID { d["signedPrekey"] = Base64.encode(record) }
                    return d
                }
            }
            let r = try await cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            #expect(r.status == 65, "exit \(r.status): \(r.err)")
            #expect(r.err.contains("not in its audit log"), "\(r.err)")
            #expect(proxy.exchanges("POST", "/v1/envelopes").isEmpty, "nothing was submitted")
        }
    }
}
