import Foundation
import GRDB
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import RelaisStore
import Synchronization
import Testing

let relaisBinary = packageRoot.appendingPathComponent(".build/debug/relais").path

/// Runs the built `relais` binary with a profile and the passphrase in RELAIS_PASSPHRASE.
struct CLI: Sendable {
    let root: String
    let relay: URL
    /// The keystore at its real Argon2id costs (KeystoreHardeningTests); every other test runs the
    /// binary with `testEnvironment`'s cheap keystore.
    var realKeystoreCost = false
    static let passphrase = "une phrase de passe assez longue"
    /// Added to the environment of every run of the debug binary that is not about the keystore's
    /// costs: libsodium's minimum Argon2id limits instead of 256 MiB per run (`KeystoreCost` in
    /// Sources/relais/Passphrase.swift). Thousands of runs at full cost on two cores were what
    /// made the suite outgrow CI's 90 minutes.
    static let testEnvironment = ["RELAIS_INSECURE_TEST_KEYSTORE": "1"]

    typealias Result = ProcessOutput

    @discardableResult
    func run(_ profile: String, _ args: [String], passphrase: String = passphrase, environment extra: [String: String] = [:]) async throws -> Result {
        try await offCooperativePool { try runBlocking(profile, args, passphrase: passphrase, extra: extra) }
    }

    private func runBlocking(_ profile: String, _ args: [String], passphrase: String, extra: [String: String]) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        env["RELAIS_PASSPHRASE"] = passphrase
        env.removeValue(forKey: "RELAIS_HOME")
        // The interface language follows the locale (issue 16): English unless a test says otherwise.
        env.removeValue(forKey: "LC_ALL")
        env.removeValue(forKey: "LC_MESSAGES")
        env["LANG"] = "C"
        if !realKeystoreCost { env.merge(Self.testEnvironment) { _, new in new } }
        env.merge(extra) { _, new in new }
        return try Self.process(args + ["--profile", root + "/" + profile], environment: env)
    }

    /// Runs the built binary with exactly these arguments and environment, standard input empty.
    static func process(_ arguments: [String], environment: [String: String]) throws -> Result {
        try runProcess(relaisBinary, arguments, environment: environment)
    }

    /// Runs and requires exit status 0.
    @discardableResult
    func ok(_ profile: String, _ args: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Result {
        let r = try await run(profile, args)
        try #require(r.status == 0, "relais \(args.joined(separator: " ")) exited \(r.status): \(r.err)", sourceLocation: sourceLocation)
        return r
    }

    /// init + enrol + approval by `enroller` after comparing fingerprints, as people would.
    func enrol(_ profile: String, by enroller: String, role: String, org: String? = nil) async throws {
        let invite = try await ok(enroller, ["admin", "invite", "--role", role, "--json"] + (org.map { ["--org", $0] } ?? [])).string("invite")
        try await ok(profile, ["init", "--relay", relay.absoluteString])
        try await ok(profile, ["enrol", invite])
        let me = try await ok(profile, ["fingerprint", "--json"])
        try await ok(enroller, ["admin", "approve", try me.string("deviceId"), "--fingerprint", try me.string("fingerprint")])
        #expect(try await ok(profile, ["whoami", "--json"]).string("status") == "active")
    }

    func deviceID(_ profile: String) async throws -> String { try await ok(profile, ["fingerprint", "--json"]).string("deviceId") }

    func inbox(_ profile: String) async throws -> [String] {
        let r = try await ok(profile, ["inbox", "--json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        return list.compactMap { $0["envelopeId"] as? String }
    }

    static func sendArgs(to org: String, consent: String) -> [String] {
        ["send", "--to", org, "--need", "emergencyShelter", "--need", "legalHelp", "--case", "CASE-0042", "--minor-status", "adult", "--language", "ro",
         "--interpreter", "--danger", "2", "--safe-to-call", "--text", "Rencontrée en maraude ; souhaite un hébergement éloigné.",
         "--consent", consent, "--sender-name", "Camille", "--sender-role", "assistante sociale", "--yes", "--json"]
    }
}

/// The README walkthrough, run with the real binary against a live relay: an operator, an
/// association with two devices, a professional in a social service.
@Suite("relais CLI against a live relay", .serialized)
struct CLITests {
    struct World {
        let cli: CLI
        let live: LiveRelay
        let association: String
        let service: String
        /// The professional's consent covering the association.
        let consent: String
        var consentReference: ConsentReference { ConsentReference(kind: .consent, id: ConsentID(hex: consent)!) }
    }

    /// The relay clock is the real clock (the CLI signs with it); `offset` moves the relay behind.
    func withWorld(offset: Double = 0, _ body: @Sendable (World) async throws -> Void) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisBinary), "build relais first: swift build --build-tests builds it")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await LiveRelay.run(at: Date().timeIntervalSince1970 - offset, followingRealTime: true) { live in
            let cli = CLI(root: root, relay: live.url)
            try await cli.ok("op", ["init", "--relay", live.url.absoluteString])
            try await cli.ok("op", ["enrol", "--operator", live.operatorInvite.description])
            let association = try await cli.ok("op", ["admin", "create-org", "--name", "Association Exemple", "--category", "specialisedAssociation",
                                                "--departement", "75", "--departement", "93", "--json"]).string("organisationId")
            let service = try await cli.ok("op", ["admin", "create-org", "--name", "Service social Exemple", "--category", "socialServices",
                                            "--departement", "93", "--json"]).string("organisationId")
            try await cli.enrol("assoc1", by: "op", role: "admin", org: association)
            try await cli.enrol("assoc2", by: "assoc1", role: "member")
            try await cli.enrol("svcadmin", by: "op", role: "admin", org: service)
            try await cli.enrol("pro", by: "svcadmin", role: "member")
            let consent = try await cli.ok("pro", ["consent", "grant", "--case", "CASE-0042", "--to-org", association, "--purpose", "emergencyShelter",
                                             "--purpose", "legalHelp", "--data", "situation", "--data", "safety", "--yes", "--json"]).string("consentId")
            try await body(World(cli: cli, live: live, association: association, service: service, consent: consent))
        }
    }

    @Test func theWholeStory() async throws {
        try await withWorld { w in
            let cli = w.cli
            // The professional finds the association in the verified directory.
            let dir = try await cli.ok("pro", ["directory", "--departement", "93", "--category", "specialisedAssociation"])
            #expect(dir.out.contains("Association Exemple") && dir.out.contains(w.association))
            let sent = try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            let envelope = try sent.string("envelopeId")
            #expect(try sent.string("devices") == "2")
            // Both association devices see it; each opens and acknowledges; the second ack deletes it.
            for (i, device) in ["assoc1", "assoc2"].enumerated() {
                #expect(try await cli.inbox(device) == [envelope])
                let opened = try await cli.ok(device, ["open", envelope])
                #expect(opened.out.contains("signature verified") && opened.out.contains("pseudonym "))
                #expect(!opened.out.contains("CASE-0042"), "the case label stays on the sender's device")
                #expect(opened.out.contains("Rencontrée en maraude"))
                let ack = try await cli.ok(device, ["ack", envelope, "--json"])
                #expect(try ack.string("deletedFromRelay") == (i == 1 ? "true" : "false"))
            }
            #expect(try await w.live.statistics().envelopes == 0, "gone from the relay after the second acknowledgement")
            // The opened referral stays readable from the local store.
            #expect(try await cli.ok("assoc2", ["open", envelope]).out.contains("Rencontrée en maraude"))
            // One replies; the sender opens the reply.
            let reply = try await cli.ok("assoc2", ["reply", envelope, "--outcome", "placeOffered", "--text", "Place disponible jeudi.", "--sender-name", "Sam",
                                              "--sender-role", "éducatrice", "--yes", "--json"]).string("envelopeId")
            #expect(try await cli.inbox("pro") == [reply])
            let answer = try await cli.ok("pro", ["open", reply])
            #expect(answer.out.contains("reply to \(envelope.prefix(8)))") && answer.out.contains("Place disponible jeudi.") && answer.out.contains("place offered"))
            // Keys and passphrases never reach the terminal; profile files are 0600.
            for file in ["keystore", "profile.json"] {
                let attrs = try FileManager.default.attributesOfItem(atPath: cli.root + "/pro/" + file)
                #expect((attrs[.posixPermissions] as? Int) == 0o600)
            }
            let keystore = try Data(contentsOf: URL(fileURLWithPath: cli.root + "/assoc2/keystore"))
            #expect(keystore.range(of: Data("Rencontrée en maraude".utf8)) == nil, "the local store is encrypted")
            #expect(!answer.out.contains(CLI.passphrase) && !answer.err.contains(CLI.passphrase))
        }
    }

    @Test func wrongPassphraseIsRefused() async throws {
        try await withWorld { w in
            let r = try await w.cli.run("pro", ["inbox"], passphrase: "not the passphrase")
            #expect(r.status == 77)
            #expect(r.err.contains("wrong passphrase"))
            #expect(r.err.split(separator: "\n").count == 1, "one clear line")
        }
    }

    @Test func tamperedEnvelopeDoesNotOpen() async throws {
        try await withWorld { w in
            // The professional's own device, through the library, submits an envelope whose body was altered.
            let device = try LocalDevice.open(directory: w.cli.root + "/pro", passphrase: SecretBytes(Array(CLI.passphrase.utf8)))
            let referral = try ReferralOptionsForTests.referral(now: UInt64(Date().timeIntervalSince1970), consent: w.consentReference)
            let plan = try await device.plan(referral: referral, to: [OrganisationID(hex: w.association)!], lifetime: 86_400)
            let recipients = plan.devices.map { RecipientDevice(organisationID: $0.record.organisationId!, prekey: $0.prekey!) }
            let sealed = try Envelope.seal(referral: try referral.encoded(), from: device.identity, to: recipients, consent: referral.consent,
                                           expiresAt: plan.expiresAt, clock: SystemClock(), rng: SystemRandom())
            var bytes = sealed.bytes
            bytes[bytes.count - 100] ^= 0x20
            _ = try await device.client.submit(bytes)
            let r = try await w.cli.run("assoc1", ["open", sealed.header.envelopeID.hex])
            #expect(r.status == 65)
            #expect(r.err.contains("did not decrypt"))
        }
    }

    @Test func changedContactDevicesStopTheSend() async throws {
        try await withWorld { w in
            let cli = w.cli
            try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            // The association enrols a third device: the professional's next send stops until re-verified.
            try await cli.enrol("assoc3", by: "assoc1", role: "member")
            let refused = try await cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            #expect(refused.status == 65)
            let newDevice = try await cli.deviceID("assoc3")
            #expect(refused.err.contains("HAVE CHANGED") && refused.err.contains(newDevice))
            #expect(try await cli.inbox("assoc3").isEmpty, "nothing was sent")
            try await cli.ok("pro", ["trust", w.association, "--yes"])
            #expect(try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("devices") == "3")
        }
    }

    @Test func aRelayShowingAnotherKeyIsCaught() async throws {
        try await withWorld { w in
            let cli = w.cli
            try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent))  // pins the association's keys
            // The relay (its database) now shows another key for a pinned device.
            let target = try await cli.deviceID("assoc2")
            let queue = try DatabaseQueue(path: w.live.relay.configuration.databasePath)
            try await queue.write { db in
                try db.execute(sql: "UPDATE devices SET public_key = ? WHERE id = ?",
                               arguments: [Data(DeviceIdentity.generate().privateKey.publicKey.bytes), Data(DeviceID(hex: target)!.bytes)])
            }
            let r = try await cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            #expect(r.status == 65)
            #expect(r.err.contains("THE KEY OF DEVICE \(target) HAS CHANGED"))
        }
    }

    @Test func revokedDevicesReceiveNothing() async throws {
        try await withWorld { w in
            let cli = w.cli
            let device = try LocalDevice.open(directory: cli.root + "/pro", passphrase: SecretBytes(Array(CLI.passphrase.utf8)))
            let referral = try ReferralOptionsForTests.referral(now: UInt64(Date().timeIntervalSince1970), consent: w.consentReference)
            let stalePlan = try await device.plan(referral: referral, to: [OrganisationID(hex: w.association)!], lifetime: 86_400)
            try await cli.ok("assoc1", ["admin", "revoke", try await cli.deviceID("assoc2"), "--yes"])
            // A plan made before the revocation is refused by the relay.
            await expectRefusal(422, "recipient") { _ = try await device.send(stalePlan) }
            // The CLI seals only for the remaining device, and the revoked one cannot even log in.
            #expect(try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("devices") == "1")
            let revoked = try await cli.run("assoc2", ["inbox"])
            #expect(revoked.status == 69 && revoked.err.contains("revoked"))
        }
    }

    @Test func withdrawalAfterDeliveryErasesTheRecipientsCopy() async throws {
        try await withWorld { w in
            let cli = w.cli
            let delivered = try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("envelopeId")
            try await cli.ok("assoc1", ["open", delivered])
            let pending = try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("envelopeId")
            // The person withdraws: one command.
            let withdrawn = try await cli.ok("pro", ["consent", "withdraw", w.consent, "--json"])
            #expect(try withdrawn.string("deletedEnvelopes") == "2", "both envelopes were still on the relay for some device")
            #expect(try withdrawn.string("notifiedOrganisations") == "1")
            // The recipient's next sync erases its local copy, and says so.
            let inbox = try await cli.ok("assoc1", ["inbox"])
            #expect(inbox.err.contains("Erased 1 referral(s)"))
            #expect(inbox.out.contains("No envelope waiting"), "the undelivered one is gone from the relay: \(pending)")
            #expect(try await cli.run("assoc1", ["open", delivered]).status == 66)
            // Nothing more can be sent under it; the CLI refuses before sealing.
            let refused = try await cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent) + ["--lang", "fr"])
            #expect(refused.status == 65 && refused.err.contains("retiré son consentement"), "\(refused.err)")
            #expect(try await cli.ok("pro", ["consent", "list"]).out.contains("withdrawn"))
        }
    }

    @Test func sendRefusesLocallyWhatTheConsentDoesNotCover() async throws {
        try await withWorld { w in
            var args = CLI.sendArgs(to: w.service, consent: w.consent)
            let outside = try await w.cli.run("pro", args + ["--lang", "fr"])
            #expect(outside.status == 65 && outside.err.contains("ne couvre pas"), "\(outside.err)")
            // The recipient by its name and category label, not its id; in English when asked.
            let english = try await w.cli.run("pro", args + ["--lang", "en"])
            #expect(english.status == 65 && english.err.contains("does not cover the organisation «") && !english.err.contains(w.service),
                    "\(english.err)")
            args = CLI.sendArgs(to: w.association, consent: w.consent) + ["--need", "mentalHealth"]
            let need = try await w.cli.run("pro", args + ["--lang", "fr"])
            #expect(need.status == 65 && need.err.contains("santé mentale"), "the need by its label: \(need.err)")
            let none = try await w.cli.run("pro", CLI.sendArgs(to: w.association, consent: String(repeating: "0", count: 32)) + ["--lang", "fr"])
            #expect(none.status == 65 && none.err.contains("pas enregistré sur cet appareil"), "\(none.err)")
            let noneEn = try await w.cli.run("pro", CLI.sendArgs(to: w.association, consent: String(repeating: "0", count: 32)))
            #expect(noneEn.status == 65 && noneEn.err.contains("is not recorded on this device"), "\(noneEn.err)")
        }
    }

    @Test func purgeErasesLocalCopiesPastRetention() async throws {
        try await withWorld { w in
            let cli = w.cli
            let envelope = try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("envelopeId")
            try await cli.ok("assoc1", ["open", envelope])
            try await cli.ok("assoc1", ["ack", envelope])
            #expect(try await cli.ok("assoc1", ["open", envelope]).out.contains("Rencontrée en maraude"), "kept locally after the acknowledgement")
            try await cli.ok("assoc1", ["config", "--retention-days", "0"])
            let purge = try await cli.ok("assoc1", ["purge", "--json"])
            #expect((try purge.json()["erased"] as? Int) == 1)
            let gone = try await cli.run("assoc1", ["open", envelope])
            #expect(gone.status == 66, "the local copy is erased and the relay no longer has it")
        }
    }

    @Test func anExpiredEnvelopeDoesNotOpen() async throws {
        // The relay runs 100 s behind this machine (within the 120 s request window): it still
        // serves an envelope whose expiry this machine has passed, and the client must refuse it.
        try await withWorld(offset: 100) { w in
            let relayClock = FixedClock(UInt64(Date().timeIntervalSince1970 - 100))
            let device = try LocalDevice.open(directory: w.cli.root + "/pro", passphrase: SecretBytes(Array(CLI.passphrase.utf8)), clock: relayClock)
            let referral = try ReferralOptionsForTests.referral(now: relayClock.now(), consent: w.consentReference)
            let plan = try await device.plan(referral: referral, to: [OrganisationID(hex: w.association)!], lifetime: 60)
            let sealed = try await device.send(plan)
            let r = try await w.cli.run("assoc1", ["open", sealed.header.envelopeID.hex])
            #expect(r.status == 65)
            #expect(r.err.contains("expired"))
        }
    }
}

enum ReferralOptionsForTests {
    static func referral(now: UInt64, consent: ConsentReference) throws -> Referral {
        Referral(kind: .orientation, needs: [.emergencyShelter],
                 person: .init(casePseudonym: "CASE-T", ageBand: .unknown, minorStatus: .adult, languages: ["fr"], interpreterNeeded: false,
                               administrativeStatus: .unknown),
                 safety: .init(dangerLevel: 0, safeToCall: true), freeText: "test",
                 consent: consent, sender: .init(name: "Test", role: "test"), createdAt: now)
    }
}
