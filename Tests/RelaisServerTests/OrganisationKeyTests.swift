import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisStore
import Testing

/// Issue 15, defect 4: one pseudonym key per organisation, made by its first admin, given sealed
/// to each of its devices (at approval, or by any holder at `refresh`), so that two devices of one
/// organisation compute the same pseudonym for the same case; and a lying relay cannot substitute
/// it. Real relay on 127.0.0.1, real SQLite file (and PostgreSQL under scripts/with-postgres.sh),
/// real profiles through `LocalDevice`.
@Suite("Organisation key", .serialized)
struct OrganisationKeyTests {
    static let passphrase = SecretBytes(Array("organisation key test passphrase".utf8))

    /// Profiles in a temporary folder, on the relay's clock, with cheap keystores.
    struct Profiles {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-orgkey-\(UUID().uuidString)").path
        let relay: URL
        let clock: ManualClock

        func make(_ name: String) async throws -> LocalDevice {
            try await LocalDevice.create(directory: root + "/" + name, relay: relay, passphrase: OrganisationKeyTests.passphrase,
                                         parameters: .minimum, clock: clock)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }

        /// The operator, enrolled with the relay's operator invite.
        func operatorDevice(invite: InviteCode) async throws -> LocalDevice {
            let op = try await make("op")
            _ = try await op.enrol(invite: invite, asOperator: true)
            return op
        }

        /// The operator and two organisations: an association and a night shelter.
        func directory(invite: InviteCode) async throws -> (LocalDevice, OrganisationID, OrganisationID) {
            let op = try await operatorDevice(invite: invite)
            return (op, try await OrganisationKeyTests.organisation(op, "Association Exemple"),
                    try await OrganisationKeyTests.organisation(op, "Accueil de nuit"))
        }

        /// A device invited and approved (`LocalDevice.approve`, which gives the key) by `approver`, then online.
        func enrol(_ name: String, by approver: LocalDevice, role: DeviceRole, organisation: OrganisationID?) async throws -> LocalDevice {
            let (code, _) = try await approver.invite(role: role, organisation: organisation)
            let device = try await make(name)
            _ = try await device.enrol(invite: code, asOperator: false)
            _ = try await approver.approve(device.identity.deviceID, fingerprint: device.fingerprint.digits)
            _ = try await device.refresh()
            return device
        }

        /// The association's first admin (approved by the operator) and a member it approved.
        func adminAndMember(by op: LocalDevice, of organisation: OrganisationID) async throws -> (LocalDevice, LocalDevice) {
            let admin = try await enrol("admin", by: op, role: .admin, organisation: organisation)
            return (admin, try await enrol("member", by: admin, role: .member, organisation: organisation))
        }

        /// A member approved by signing its record directly (as a version before the organisation
        /// key did): no package is given at approval.
        func enrolWithoutKey(_ name: String, admin: LocalDevice, live: LiveRelay) async throws -> LocalDevice {
            let adminClient = live.client(admin.identity)
            let (code, _) = try await adminClient.createInvite(role: .member)
            let device = try await make(name)
            _ = try await device.enrol(invite: code, asOperator: false)
            let pending = try #require(try await adminClient.pendingEnrolments().first { $0.deviceID == device.identity.deviceID })
            let record = try DeviceRecord(identity: DevicePublicIdentity(signingKey: pending.publicKey), organisationId: pending.organisationID,
                                          role: .member, enrolledBy: admin.identity.deviceID, inviteId: pending.inviteID,
                                          issuedAt: clock.now()).signed(by: admin.identity)
            _ = try await adminClient.approve(device.identity.deviceID, record: record)
            return device
        }
    }

    static func organisation(_ op: LocalDevice, _ name: String) async throws -> OrganisationID {
        try await op.putOrganisation(name: name, category: .specialisedAssociation, departements: ["75"], exitProgrammeAccreditedUntil: nil).id
    }

    static func grant(_ device: LocalDevice, caseID: String, to organisation: OrganisationID) async throws -> ConsentRecord {
        try await device.grantConsent(caseID: caseID, method: .oral, language: "fr", interpreter: false, purposes: [.emergencyShelter],
                                      organisations: [organisation], categories: [], data: [.situation, .safety])
    }

    func refusal(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    // MARK: one organisation, one key, one pseudonym per case

    @Test(arguments: RelayStoreKind.available)
    func devicesOfOneOrganisationComputeTheSamePseudonym(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let p = Profiles(relay: live.url, clock: live.clock)
            defer { p.remove() }
            let (op, association, shelter) = try await p.directory(invite: live.operatorInvite)

            // The first admin, approved by the operator, makes the key at its first refresh.
            let admin = try await p.enrol("admin", by: op, role: .admin, organisation: association)
            let key = try #require(admin.organisationKeyID, "the first admin made the organisation key")
            #expect(admin.lastOrganisationKeySync.made && admin.lastOrganisationKeySync.installed == key, "its refresh says so")
            // A member and a second admin get it at their approval.
            let member = try await p.enrol("member", by: admin, role: .member, organisation: association)
            let admin2 = try await p.enrol("admin2", by: admin, role: .admin, organisation: association)
            #expect(member.organisationKeyID == key && admin2.organisationKeyID == key)
            // Another organisation has its own key.
            let shelterAdmin = try await p.enrol("shelter", by: op, role: .admin, organisation: shelter)
            #expect(shelterAdmin.organisationKeyID != nil && shelterAdmin.organisationKeyID != key)

            let caseID = "DOS-2027-0042"
            let pseudonym = try admin.subjectPseudonym(caseID: caseID)
            #expect(try member.subjectPseudonym(caseID: caseID) == pseudonym)
            #expect(try admin2.subjectPseudonym(caseID: caseID) == pseudonym)
            #expect(try shelterAdmin.subjectPseudonym(caseID: caseID) != pseudonym, "opaque to another organisation")
            #expect(try member.subjectPseudonym(caseID: "DOS-2027-0043") != pseudonym)
            // The same letters typed on two systems (é precomposed or not), with stray spaces.
            let typedHere = try member.subjectPseudonym(caseID: "  Dossier Hél\u{00E8}ne\n")
            #expect(typedHere == (try admin.subjectPseudonym(caseID: "Dossier He\u{0301}le\u{0300}ne")))

            // A consent recorded on one device names the person as every device of the organisation does.
            let consent = try await Self.grant(member, caseID: caseID, to: shelter)
            #expect(consent.subjectPseudonym == pseudonym)
            #expect(try admin2.requireSameSubject(caseID: caseID, consent: consent) == pseudonym)
            #expect(try member.requireSameSubject(caseID: " DOS-2027-0042 ", consent: consent) == pseudonym)
            // Another case under this consent is refused, in French, without repeating the case id.
            do {
                try member.requireSameSubject(caseID: "DOS-2027-0043", consent: consent)
                Issue.record("another case was accepted under the consent")
            } catch let LocalError.consent(refusal) {
                #expect(refusal.text(.fr).contains("ne désigne pas la personne du consentement") && !refusal.text(.fr).contains("DOS-2027-0043"), "\(refusal)")
            }
            // The key stays in the keystore: a reopened profile computes the same pseudonym.
            let reopened = try LocalDevice.open(directory: p.root + "/member", passphrase: Self.passphrase, clock: live.clock)
            #expect(try reopened.subjectPseudonym(caseID: caseID) == pseudonym)
            let keystore = try #require(FileManager.default.contents(atPath: p.root + "/member/keystore"))
            #expect(!String(decoding: keystore, as: UTF8.self).contains(key.hex), "encrypted at rest")
        }
    }

    @Test func aDeviceWithoutTheKeyGetsItFromAHolderAtRefresh() async throws {
        try await LiveRelay.run { live in
            let p = Profiles(relay: live.url, clock: live.clock)
            defer { p.remove() }
            let (op, association, _) = try await p.directory(invite: live.operatorInvite)
            let (admin, member) = try await p.adminAndMember(by: op, of: association)
            let late = try await p.enrolWithoutKey("late", admin: admin, live: live)
            _ = try await late.refresh()
            #expect(late.organisationKeyID == nil, "nobody gave it the key yet")
            // Without the key, no consent: a clear error (in the interface language, English here), and nothing recorded.
            let why = await refusal { _ = try await Self.grant(late, caseID: "DOS-1", to: association) }
            #expect(why?.contains("does not yet hold its organisation's pseudonym key") == true, "\(why ?? "accepted")")
            #expect(try late.consents().isEmpty)
            #expect(await refusal { _ = try late.subjectPseudonym(caseID: "DOS-1") } != nil)

            // Any holder gives it at its next refresh (here a member, not an admin).
            let sync = try await member.syncOrganisationKey()
            #expect(sync.gaveTo == [late.identity.deviceID])
            #expect(try await member.syncOrganisationKey().gaveTo.isEmpty, "once given, not again")
            let received = try await late.syncOrganisationKey()
            #expect(received.installed == admin.organisationKeyID)
            let lateSees = try late.subjectPseudonym(caseID: "DOS-1")
            #expect(lateSees == (try admin.subjectPseudonym(caseID: "DOS-1")))
            let consent = try await Self.grant(late, caseID: "DOS-1", to: association)
            #expect(consent.subjectPseudonym == lateSees)
        }
    }

    @Test func aReferralGoesOnlyUnderTheConsentOfItsPerson() async throws {
        try await LiveRelay.run { live in
            let p = Profiles(relay: live.url, clock: live.clock)
            defer { p.remove() }
            let (op, association, shelter) = try await p.directory(invite: live.operatorInvite)
            let (admin, member) = try await p.adminAndMember(by: op, of: association)
            _ = try await p.enrol("shelter", by: op, role: .admin, organisation: shelter)
            let consent = try await Self.grant(member, caseID: "DOS-9", to: shelter)
            func referral(about subject: String) -> Referral {
                Referral(kind: .orientation, needs: [.emergencyShelter],
                             person: .init(subjectPseudonym: subject, ageBand: .from25to34, minorStatus: .adult, languages: ["fr"],
                                           interpreterNeeded: false, administrativeStatus: .unknown),
                             safety: .init(dangerLevel: 1, safeToCall: true), consent: ConsentReference(kind: .consent, id: consent.consentId),
                             sender: .init(name: "Camille Exemple", role: "travailleuse sociale"), createdAt: live.clock.now())
            }
            // The case id typed at send gives the pseudonym the referral carries, on any device of the organisation.
            let subject = try admin.requireSameSubject(caseID: "DOS-9", consent: consent)
            _ = try await member.send(try await member.plan(referral: referral(about: subject), to: [shelter], lifetime: 86_400))
            #expect(try await live.statistics().envelopes == 1)
            // A referral about another person under this consent: refused before anything is sealed.
            do {
                _ = try await member.plan(referral: referral(about: try member.subjectPseudonym(caseID: "DOS-10")), to: [shelter], lifetime: 86_400)
                Issue.record("a referral about another person went under the consent")
            } catch let LocalError.consent(refusal) {
                #expect(refusal.text(.fr).contains("ne désigne pas la personne du consentement"), "\(refusal)")
            }
            #expect(try await live.statistics().envelopes == 1)
        }
    }

    @Test func aConsentRecordedBeforeTheOrganisationKeyIsStillChecked() async throws {
        try await LiveRelay.run { live in
            let p = Profiles(relay: live.url, clock: live.clock)
            defer { p.remove() }
            let (op, association, _) = try await p.directory(invite: live.operatorInvite)
            let (admin, member) = try await p.adminAndMember(by: op, of: association)
            // The per-device key of earlier pseudonyms, as the keystore holds it.
            let file = try #require(FileManager.default.contents(atPath: p.root + "/member/keystore"))
            let (plaintext, _) = try Keystore.open(Array(file), passphrase: Self.passphrase)
            let vault = try #require(try JSONSerialization.jsonObject(with: Data(plaintext)) as? [String: Any])
            let caseKey = try #require((vault["caseKey"] as? String).flatMap(Hex.decode))
            let now = live.clock.now()
            func consent(grantedAt: UInt64) -> ConsentRecord {
                ConsentRecord(consentId: .random(using: SystemRandom()), subjectPseudonym: ConsentRecord.pseudonym(caseID: "DOS-OLD", key: caseKey),
                              recordedBy: member.identity.deviceID, organisationId: association, method: .oral, language: "fr", interpreter: false,
                              purposes: [.emergencyShelter], recipientOrganisations: [association], recipientCategories: [],
                              dataCategories: [.situation], grantedAt: grantedAt, validUntil: grantedAt + ConsentRecord.defaultValidity)
            }
            let old = consent(grantedAt: now - 86_400)
            #expect(try member.requireSameSubject(caseID: "DOS-OLD", consent: old) == old.subjectPseudonym)
            #expect(await refusal { try member.requireSameSubject(caseID: "DOS-OTHER", consent: old) } != nil)
            // The old key is not a second key: not on another device, not for a consent granted since the organisation key.
            #expect(await refusal { try admin.requireSameSubject(caseID: "DOS-OLD", consent: old) } != nil)
            #expect(await refusal { try member.requireSameSubject(caseID: "DOS-OLD", consent: consent(grantedAt: now)) } != nil)
        }
    }

    // MARK: the relay's own rules

    @Test(arguments: RelayStoreKind.available)
    func theRelayKeepsOneKeyPerOrganisationAndOnlyWithinIt(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let p = Profiles(relay: live.url, clock: live.clock)
            defer { p.remove() }
            let (op, association, shelter) = try await p.directory(invite: live.operatorInvite)
            let (admin, member) = try await p.adminAndMember(by: op, of: association)
            let shelterAdmin = try await p.enrol("shelter", by: op, role: .admin, organisation: shelter)
            let now = live.clock.now()
            let rng = SystemRandom()

            // A second key for the organisation, made by an admin that holds none: refused.
            let other = OrganisationKey.generate(organisation: association, using: rng)
            let admin2 = try await p.enrolWithoutKey("admin2", admin: admin, live: live)
            let second = try OrganisationKeyPackage.seal(other, from: member.identity, to: member.identity.publicIdentity, createdAt: now, rng: rng)
            await expectRefusal(403, "key_package_target") { try await live.client(member.identity).putKeyPackage(second) }
            let fromAdmin = try OrganisationKeyPackage.seal(other, from: admin.identity, to: admin.identity.publicIdentity, createdAt: now, rng: rng)
            await expectRefusal(409, "conflict") { try await live.client(admin.identity).putKeyPackage(fromAdmin) }
            // To a device of another organisation, or for another organisation: refused.
            let shelterKey = OrganisationKey.generate(organisation: shelter, using: rng)
            let across = try OrganisationKeyPackage.seal(other, from: admin.identity, to: shelterAdmin.identity.publicIdentity, createdAt: now, rng: rng)
            await expectRefusal(403, "key_package_target") { try await live.client(admin.identity).putKeyPackage(across) }
            let foreign = try OrganisationKeyPackage.seal(shelterKey, from: admin.identity, to: member.identity.publicIdentity, createdAt: now, rng: rng)
            await expectRefusal(403, "key_package_target") { try await live.client(admin.identity).putKeyPackage(foreign) }
            // Signed by another device than the caller: refused.
            let forged = try OrganisationKeyPackage.seal(other, from: admin.identity, to: admin2.identity.publicIdentity, createdAt: now, rng: rng)
            await expectRefusal(400, "package") { try await live.client(member.identity).putKeyPackage(forged) }
            // The same bytes twice: stored once; other bytes from the same giver to the same target: refused.
            let held = try #require(try await admin.syncOrganisationKey().gaveTo.first)
            #expect(held == admin2.identity.deviceID)
            let again = try OrganisationKeyPackage.seal(other, from: admin.identity, to: admin2.identity.publicIdentity, createdAt: now, rng: rng)
            await expectRefusal(409, "conflict") { try await live.client(admin.identity).putKeyPackage(again) }
            let mine = try #require(try await live.client(admin2.identity).keyPackages().first)
            let stored = try OrganisationKeyPackage(verifying: mine, giver: admin.identity.publicIdentity)
            #expect(try await live.client(admin.identity).putKeyPackage(stored) == false, "a retry of stored bytes is a 200")
            // The auditor and the operator have no organisation key.
            await expectRefusal(403, "role") { _ = try await live.client(op.identity).keyPackages() }
            let holders = try await live.client(member.identity).keyHolders()
            #expect(Set(holders.map(\.device)) == Set([admin, member, admin2].map(\.identity.deviceID)))
            let key = try #require(admin.organisationKeyID)
            #expect(holders.allSatisfy { $0.keyIDs == [key] })
        }
    }

    // MARK: a lying relay

    /// Replaces this device's packages with `packages` in the relay's answer.
    static func serve(_ proxy: LyingRelay, _ packages: [OrganisationKeyPackage]) {
        let encoded = packages.map { ["package": Base64.encode($0.encoded)] }
        proxy.lieJSON("GET", "/v1/organisation-key/packages") { $0["packages"] = encoded }
    }

    @Test func aLyingRelayCannotSubstituteTheKey() async throws {
        try await LiveRelay.run { live in
            try await LyingRelay.run(in: live) { proxy in
                let p = Profiles(relay: proxy.url, clock: live.clock)
                defer { p.remove() }
                let (op, association, shelter) = try await p.directory(invite: live.operatorInvite)
                let admin = try await p.enrol("admin", by: op, role: .admin, organisation: association)
                let key = try #require(admin.organisationKeyID)
                let member = try await p.enrol("member", by: admin, role: .member, organisation: association)
                let shelterAdmin = try await p.enrol("shelter", by: op, role: .admin, organisation: shelter)
                let shelterMember = try await p.enrol("shelterMember", by: shelterAdmin, role: .member, organisation: shelter)
                let now = live.clock.now()
                let rng = SystemRandom()
                let pseudonym = try member.subjectPseudonym(caseID: "DOS-7")

                // 1. Another key, validly signed by a device of the organisation, offered to a device that holds one.
                let substitute = OrganisationKey.generate(organisation: association, using: rng)
                Self.serve(proxy, [try .seal(substitute, from: admin.identity, to: member.identity.publicIdentity, createdAt: now, rng: rng)])
                let substituted = await refusal { try await member.syncOrganisationKey() }
                #expect(substituted?.contains("ANOTHER ORGANISATION KEY") == true, "\(substituted ?? "accepted")")
                #expect(member.organisationKeyID == key, "the pinned key stays")
                #expect(try member.subjectPseudonym(caseID: "DOS-7") == pseudonym)

                // 2. A genuine package of another organisation, replayed to a device that lacks the key.
                // (The proxy lies to every device alike: each lie is set just before the call it targets.)
                proxy.lie(nil)
                let late = try await p.enrolWithoutKey("late", admin: admin, live: live)
                _ = try await late.refresh()
                #expect(late.organisationKeyID == nil)
                let genuine = try #require(try await live.client(shelterMember.identity).keyPackages().first)
                proxy.lieJSON("GET", "/v1/organisation-key/packages") { $0["packages"] = [["package": Base64.encode(genuine)]] }
                let replayed = await refusal { try await late.syncOrganisationKey() }
                #expect(replayed?.contains("another organisation") == true, "\(replayed ?? "accepted")")
                // 3. A package for it, signed by a device of another organisation.
                Self.serve(proxy, [try .seal(OrganisationKey.generate(organisation: shelter, using: rng), from: shelterAdmin.identity,
                                             to: late.identity.publicIdentity, createdAt: now, rng: rng)])
                let foreign = await refusal { try await late.syncOrganisationKey() }
                #expect(foreign?.contains("another organisation") == true, "\(foreign ?? "accepted")")
                // 4. A package of this organisation, for another device of it.
                Self.serve(proxy, [try .seal(substitute, from: admin.identity, to: member.identity.publicIdentity, createdAt: now, rng: rng)])
                let misdirected = await refusal { try await late.syncOrganisationKey() }
                #expect(misdirected?.contains("does not open here") == true, "\(misdirected ?? "accepted")")
                // 5. Altered bytes.
                var altered = try OrganisationKeyPackage.seal(substitute, from: admin.identity, to: late.identity.publicIdentity, createdAt: now, rng: rng).encoded
                altered[120] ^= 1
                let alteredText = Base64.encode(altered)
                proxy.lieJSON("GET", "/v1/organisation-key/packages") { $0["packages"] = [["package": alteredText]] }
                let tampered = await refusal { try await late.syncOrganisationKey() }
                #expect(tampered?.contains("does not verify") == true, "\(tampered ?? "accepted")")
                // 6. A package from a revoked device: left aside, nothing installed.
                proxy.lie(nil)
                let thief = try await p.enrol("thief", by: admin, role: .member, organisation: association)
                try await admin.revoke(thief.identity.deviceID)
                Self.serve(proxy, [try .seal(substitute, from: thief.identity, to: late.identity.publicIdentity, createdAt: now, rng: rng)])
                let revoked = try await late.syncOrganisationKey()
                #expect(revoked.installed == nil && revoked.warnings.contains { $0.contains("revoked") })
                #expect(late.organisationKeyID == nil, "none of the lies installed a key")

                // 7. Two keys offered at once: the first verified wins and is pinned, the other is refused.
                proxy.lie(nil)
                let honest = try #require(try await admin.syncOrganisationKey().gaveTo.first)
                #expect(honest == late.identity.deviceID)
                let real = try #require(try await live.client(late.identity).keyPackages().first {
                    try OrganisationKeyPackage.unverifiedGiver(of: $0) == admin.identity.deviceID
                })
                let fake = try OrganisationKeyPackage.seal(substitute, from: member.identity, to: late.identity.publicIdentity, createdAt: now, rng: rng)
                proxy.lieJSON("GET", "/v1/organisation-key/packages") {
                    $0["packages"] = [["package": Base64.encode(real)], ["package": Base64.encode(fake.encoded)]]
                }
                let two = await refusal { try await late.syncOrganisationKey() }
                #expect(two?.contains("ANOTHER ORGANISATION KEY") == true, "\(two ?? "accepted")")
                #expect(late.organisationKeyID == key, "the first verified package won")
                proxy.lie(nil)
                _ = try await late.refresh()
                #expect(try late.subjectPseudonym(caseID: "DOS-7") == pseudonym)
            }
        }
    }
}
