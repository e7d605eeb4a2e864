import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisStore
import Testing

/// Issue 15, defect 5: the consent's data categories, enforced by the sender's client (nothing is
/// sealed, the categories are named in French) and flagged by the recipient's client, which gets
/// the consent inside the referral (`consentRecord`, SPEC.md "Consent records": where the consent
/// travels). Real relay on 127.0.0.1, real SQLite file, real profiles through `LocalDevice`; the
/// modified sender seals with `Envelope.seal` directly, bypassing its client's check.
@Suite("Consent data categories, end to end", .serialized)
struct ConsentCategoryTests {
    typealias Profiles = OrganisationKeyTests.Profiles

    /// The person agreed to share their situation only, for an emergency shelter and mental health.
    static func grant(_ device: LocalDevice, caseID: String, to organisation: OrganisationID) async throws -> ConsentRecord {
        try await device.grantConsent(caseID: caseID, method: .oral, language: "fr", interpreter: false, purposes: [.emergencyShelter, .mentalHealth],
                                      organisations: [organisation], categories: [], data: [.situation])
    }

    static func referral(_ consent: ConsentRecord, now: UInt64, needs: [Referral.Need] = [.emergencyShelter],
                         status: Referral.AdministrativeStatus = .unknown) -> Referral {
        Referral(kind: .orientation, needs: needs,
                 person: .init(subjectPseudonym: consent.subjectPseudonym, ageBand: .from25to34, minorStatus: .adult, languages: ["fr"],
                               interpreterNeeded: false, administrativeStatus: status),
                 safety: .init(dangerLevel: 0, safeToCall: true), consent: ConsentReference(kind: .consent, id: consent.consentId),
                 sender: .init(name: "Camille Exemple", role: "travailleuse sociale"), createdAt: now)
    }

    /// Seals `referral` from `sender` to every device of `organisation` and submits it, as a
    /// modified client would (no consent check of its own).
    static func sealDirectly(_ referral: Referral, from sender: LocalDevice, to organisation: OrganisationID, live: LiveRelay) async throws -> EnvelopeID {
        let devices = try await sender.devices(of: organisation)
        let recipients = devices.compactMap { d in d.prekey.map { RecipientDevice(organisationID: organisation, prekey: $0) } }
        let sealed = try Envelope.seal(referral: try referral.encoded(), from: sender.identity, to: recipients, consent: referral.consent,
                                       expiresAt: live.clock.now() + 86_400, clock: live.clock, rng: SystemRandom())
        _ = try await live.client(sender.identity).submit(sealed.bytes)
        return sealed.header.envelopeID
    }

    @Test func theSenderIsRefusedWithTheCategoriesNamedAndNothingReachesTheInbox() async throws {
        try await LiveRelay.run { live in
            let p = Profiles(relay: live.url, clock: live.clock)
            defer { p.remove() }
            let (op, association, shelter) = try await p.directory(invite: live.operatorInvite)
            let (_, member) = try await p.adminAndMember(by: op, of: association)
            let receiver = try await p.enrol("shelter", by: op, role: .admin, organisation: shelter)
            let consent = try await Self.grant(member, caseID: "DOS-21", to: shelter)
            // Mental health (health) and an asylum seeker's status (administrative): the consent lists only the situation.
            let outside = Self.referral(consent, now: live.clock.now(), needs: [.emergencyShelter, .mentalHealth], status: .asylumSeeker)
            do {
                _ = try await member.plan(referral: outside, to: [shelter], lifetime: 86_400)
                Issue.record("a referral carrying health and administrative data went under a consent to share the situation only")
            } catch let LocalError.consent(refusal) {
                let why = refusal.text(.fr)
                #expect(why.contains("santé, situation administrative"), "\(why)")
                #expect(!why.contains("identité") && !why.contains("sécurité"), "\(why)")
            }
            #expect(try await live.statistics().envelopes == 0)
            #expect(try await receiver.inbox().isEmpty)
            // What the consent covers goes, and carries the signed record the recipient checks: no flag.
            let sealed = try await member.send(try await member.plan(referral: Self.referral(consent, now: live.clock.now()), to: [shelter],
                                                                     lifetime: 86_400))
            #expect(try await live.statistics().envelopes == 1)
            let (opened, _, stored) = try await receiver.open(sealed.header.envelopeID)
            #expect(try ConsentRecord.verify(try #require(opened.consentRecord), signer: member.identity.publicIdentity) == consent)
            #expect(stored.consentFlags == [])
        }
    }

    @Test func theRecipientFlagsWhatAModifiedSenderSealed() async throws {
        try await LiveRelay.run { live in
            let p = Profiles(relay: live.url, clock: live.clock)
            defer { p.remove() }
            let (op, association, shelter) = try await p.directory(invite: live.operatorInvite)
            let (admin, member) = try await p.adminAndMember(by: op, of: association)
            let receiver = try await p.enrol("shelter", by: op, role: .admin, organisation: shelter)
            let consent = try await Self.grant(member, caseID: "DOS-22", to: shelter)
            let signed = try consent.signed(by: member.identity)
            func flags(_ id: EnvelopeID) async throws -> [ConsentFlag] {
                try #require(try await receiver.open(id).stored.consentFlags)
            }

            // Health data under a consent to share the situation only, carrying the record: opened, kept, flagged.
            var health = Self.referral(consent, now: live.clock.now(), needs: [.emergencyShelter, .mentalHealth])
            health.consentRecord = signed
            let first = try await Self.sealDirectly(health, from: member, to: shelter, live: live)
            let healthFlags = try await flags(first)
            #expect(healthFlags.map(\.code) == [.dataCategories])
            #expect(healthFlags.first?.message.contains("santé") == true)
            #expect(receiver.openedReferrals.contains { $0.envelopeId == first && $0.consentFlags == healthFlags })

            // The same without the record: «accord non joint».
            var bare = health
            bare.consentRecord = nil
            #expect(try await flags(try await Self.sealDirectly(bare, from: member, to: shelter, live: live)).map(\.code) == [.recordMissing])

            // Another device of the sender's organisation carries the member's record (verified through the
            // directory): only the needs outside the purposes and the other person are flagged.
            var other = Self.referral(consent, now: live.clock.now(), needs: [.housing])
            other.person.subjectPseudonym = try admin.subjectPseudonym(caseID: "DOS-23")
            other.consentRecord = signed
            #expect(try await flags(try await Self.sealDirectly(other, from: admin, to: shelter, live: live)).map(\.code) == [.purposes, .subject])

            // A record the sender altered no longer verifies.
            var forged = Self.referral(consent, now: live.clock.now())
            var bytes = signed.bytes
            bytes[bytes.firstIndex(of: UInt8(ascii: "["))!] = UInt8(ascii: " ")
            forged.consentRecord = SignedObject(bytes: bytes, signature: signed.signature)
            #expect(try await flags(try await Self.sealDirectly(forged, from: member, to: shelter, live: live)).map(\.code) == [.recordUnverified])

            // Sealed after the consent's end: the relay refuses it, so the period is checked on the record's own
            // dates (a record granted later than the referral's createdAt).
            var early = Self.referral(consent, now: consent.grantedAt - 60)
            early.consentRecord = signed
            #expect(try await flags(try await Self.sealDirectly(early, from: member, to: shelter, live: live)).map(\.code) == [.period])
        }
    }

    /// The real CLI binary: `relais send` refuses, naming the categories in French, and nothing
    /// reaches the association; `relais open` shows a modified sender's referral with «Attention :».
    @Test func theCLIRefusesAndFlagsInFrench() async throws {
        try await CLITests().withWorld { w in
            // The consent of the world lists the situation and safety only.
            let refused = try await w.cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent)
                                                + ["--first-name", "Ana", "--administrative-status", "asylumSeeker", "--lang", "fr"])
            #expect(refused.status != 0)
            #expect(refused.err.contains("identité, situation administrative"), "\(refused.err)")
            #expect(try await w.cli.inbox("assoc1").isEmpty)
            #expect(try await w.live.statistics().envelopes == 0)

            let pro = try LocalDevice.open(directory: w.cli.root + "/pro", passphrase: SecretBytes(Array(CLI.passphrase.utf8)))
            let consent = try pro.consent(ConsentID(hex: w.consent)!).record
            var health = Self.referral(consent, now: UInt64(Date().timeIntervalSince1970), needs: [.emergencyShelter])
            health.situation = .init(pregnancy: true)
            health.consentRecord = try consent.signed(by: pro.identity)
            let id = try await Self.sealDirectly(health, from: pro, to: try #require(OrganisationID(hex: w.association)), live: w.live)
            let opened = try await w.cli.ok("assoc1", ["open", id.hex, "--lang", "fr"])
            #expect(opened.out.contains("Attention : l'orientation contient des informations que la personne n'a pas accepté de partager : santé."),
                    "\(opened.out)")
            #expect(try await w.cli.ok("assoc1", ["open", id.hex, "--json", "--lang", "fr"]).err.contains("Attention : "))
            // What the consent covers opens without a word of warning.
            let sent = try await w.cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("envelopeId")
            #expect(!(try await w.cli.ok("assoc1", ["open", sent, "--lang", "fr"]).out.contains("Attention")))
        }
    }
}
