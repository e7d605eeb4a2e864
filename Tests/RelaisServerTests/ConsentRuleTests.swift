import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import RelaisStore
import Testing

/// Issue 5: every consent rule of the relay, accepted and refused, end to end. Each refusal is a
/// 403 naming the rule, and changes nothing.
@Suite("Consent rules at the relay")
struct ConsentRuleTests {
    /// An organisation with one receiving device (its admin), created by the operator.
    static func organisation(_ net: Network, category: PartnerCategory, accreditedUntil: UInt64? = nil)
        async throws -> (id: OrganisationID, device: RecipientDevice) {
        let live = net.live, now = live.clock.now()
        let id = OrganisationID.random(using: SystemRandom())
        try await net.operatorClient.putOrganisation(OrganisationRecord(id: id, name: "Org \(category.rawValue)", category: category, departements: ["93"],
                                                                        exitProgrammeAccreditedUntil: accreditedUntil, issuedAt: now)
            .signed(by: net.operatorIdentity))
        let admin = try await Network.enrol(live, by: net.operatorIdentity, role: .admin, organisation: id)
        let key = X25519PrivateKey.generate()
        let prekey = SignedPrekey.sign(publicKey: key.publicKey, identity: admin, createdAt: now, notAfter: now + 7 * 86_400)
        try await live.client(admin).publishPrekey(prekey)
        return (id, RecipientDevice(organisationID: id, prekey: prekey))
    }

    static func seal(_ net: Network, from sender: DeviceIdentity, to recipients: [RecipientDevice], consent: ConsentReference) throws -> [UInt8] {
        try Envelope.seal(referral: Array("{}".utf8), from: sender, to: recipients, consent: consent,
                          expiresAt: net.live.clock.now() + 86_400, clock: net.live.clock, rng: SystemRandom()).bytes
    }

    var associationDevices: (Network) -> [RecipientDevice] {
        { net in net.associationDevices.map { RecipientDevice(organisationID: net.association, prekey: $0.signed) } }
    }

    /// Submits as `sender` and expects a 403 with `code`, and an unchanged store.
    func refused(_ net: Network, _ code: String, from sender: DeviceIdentity, _ bytes: [UInt8],
                 sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let before = try await net.live.statistics()
        await expectRefusal(403, code, sourceLocation: sourceLocation) { _ = try await net.live.client(sender).submit(bytes) }
        #expect(try await net.live.statistics() == before, "a refused envelope changed the store", sourceLocation: sourceLocation)
    }

    @Test(arguments: RelayStoreKind.available) func aValidConsentCoversItsRecipients(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            _ = try await live.client(net.professional).submit(try Self.seal(net, from: net.professional, to: associationDevices(net), consent: net.consent))
            // Consent by category covers an organisation of that category.
            let (shelter, device) = try await Self.organisation(net, category: .accommodation)
            let byCategory = try await Network.publishConsent(live, by: net.professional, organisation: net.socialService, covering: [],
                                                              categories: [.accommodation])
            _ = try await live.client(net.professional).submit(try Self.seal(net, from: net.professional, to: [device], consent: byCategory))
            #expect(shelter != net.association)
        }
    }

    @Test(arguments: RelayStoreKind.available) func unknownExpiredAndWithdrawnConsentsAreRefused(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            let unknown = ConsentReference(kind: .consent, id: .random(using: SystemRandom()))
            try await refused(net, "consent_unknown", from: net.professional, try Self.seal(net, from: net.professional, to: associationDevices(net), consent: unknown))
            // Expired: valid for one hour, used two hours later.
            let short = try await Network.publishConsent(live, by: net.professional, organisation: net.socialService, covering: [net.association],
                                                         validity: 3_600)
            live.clock.advance(by: 7_200)
            try await refused(net, "consent_expired", from: net.professional, try Self.seal(net, from: net.professional, to: associationDevices(net), consent: short))
            // Withdrawn before sending.
            let withdrawn = try await Network.publishConsent(live, by: net.professional, organisation: net.socialService, covering: [net.association])
            let w = ConsentWithdrawal(consentId: withdrawn.id, organisationId: net.socialService, withdrawnBy: net.professional.deviceID,
                                      withdrawnAt: live.clock.now()).signed(by: net.professional)
            _ = try await live.client(net.professional).withdrawConsent(withdrawn.id, withdrawal: w)
            try await refused(net, "consent_withdrawn", from: net.professional,
                              try Self.seal(net, from: net.professional, to: associationDevices(net), consent: withdrawn))
        }
    }

    @Test(arguments: RelayStoreKind.available) func anotherOrganisationsConsentAndRecipientsOutsideTheScopeAreRefused(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            let (health, healthDevice) = try await Self.organisation(net, category: .health)
            // The association's device uses the social service's consent to write to a health service.
            try await refused(net, "consent_other_organisation", from: net.associationAdmin,
                              try Self.seal(net, from: net.associationAdmin, to: [healthDevice], consent: net.consent))
            // The professional's consent names the association only.
            try await refused(net, "consent_scope", from: net.professional,
                              try Self.seal(net, from: net.professional, to: [healthDevice] + associationDevices(net), consent: net.consent))
            #expect(health != net.association)
        }
    }

    @Test(arguments: RelayStoreKind.available) func exitProgrammeRequestsNeedAnAccreditedAssociation(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            let now = live.clock.now()
            let (plain, plainDevice) = try await Self.organisation(net, category: .specialisedAssociation)
            let (ending, endingDevice) = try await Self.organisation(net, category: .accreditedAssociation, accreditedUntil: now + 86_400)
            let consent = try await Network.publishConsent(live, by: net.professional, organisation: net.socialService,
                                                           covering: [net.association, plain, ending], purposes: [.exitProgramme])
            #expect(consent.kind == .exitProgrammeConsent)
            // The association of the network is accredited for a year: accepted.
            _ = try await live.client(net.professional).submit(try Self.seal(net, from: net.professional, to: associationDevices(net), consent: consent))
            // A non-accredited association: refused.
            try await refused(net, "not_accredited", from: net.professional, try Self.seal(net, from: net.professional, to: [plainDevice], consent: consent))
            // Accredited today, accepted; once the accreditation has ended, refused.
            _ = try await live.client(net.professional).submit(try Self.seal(net, from: net.professional, to: [endingDevice], consent: consent))
            live.clock.advance(by: 86_400)
            try await refused(net, "not_accredited", from: net.professional, try Self.seal(net, from: net.professional, to: [endingDevice], consent: consent))
            // An ordinary consent cannot carry an exit-programme request.
            let ordinary = ConsentReference(kind: .exitProgrammeConsent, id: net.consent.id)
            try await refused(net, "consent_purpose", from: net.professional, try Self.seal(net, from: net.professional, to: associationDevices(net), consent: ordinary))
        }
    }

    @Test(arguments: RelayStoreKind.available) func childProtectionReportsGoToChildProtectionOnly(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            let (_, crip) = try await Self.organisation(net, category: .childProtection)
            let declaration = ChildProtectionDeclaration(declarationId: .random(using: SystemRandom()), organisationId: net.socialService,
                                                         declaredBy: net.professional.deviceID, article: .casfL226_2_1, minorStatus: .minor,
                                                         declaredAt: live.clock.now())
            try await live.client(net.professional).putDeclaration(try declaration.signed(by: net.professional))
            let reference = ConsentReference(kind: .childProtectionDeclaration, id: declaration.declarationId)
            // To child protection: accepted without any consent.
            _ = try await live.client(net.professional).submit(try Self.seal(net, from: net.professional, to: [crip], consent: reference))
            // To an association: refused.
            try await refused(net, "child_protection_recipients", from: net.professional,
                              try Self.seal(net, from: net.professional, to: associationDevices(net), consent: reference))
            // Without a declaration: refused.
            let none = ConsentReference(kind: .childProtectionDeclaration, id: .random(using: SystemRandom()))
            try await refused(net, "declaration_unknown", from: net.professional, try Self.seal(net, from: net.professional, to: [crip], consent: none))
            // A declaration for an adult cannot even be made.
            var adult = declaration
            adult.minorStatus = .adult
            #expect(throws: ConsentError.self) { _ = try adult.signed(by: net.professional) }
        }
    }

    @Test(arguments: RelayStoreKind.available) func forgedConsentSignaturesAreRefused(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            let now = live.clock.now()
            let record = ConsentRecord(consentId: .random(using: SystemRandom()), subjectPseudonym: String(repeating: "cd", count: 32),
                                       recordedBy: net.professional.deviceID, organisationId: net.socialService, method: .oral, language: "fr",
                                       interpreter: false, purposes: [.housing], recipientOrganisations: [net.association], recipientCategories: [],
                                       dataCategories: [.situation], grantedAt: now, validUntil: now + 86_400)
            let genuine = record.publicPart.signed(by: net.professional)
            let forged = SignedObject(bytes: genuine.bytes, signature: DeviceIdentity.generate().sign(.consentPublic, genuine.bytes))
            let before = try await live.statistics()
            await expectRefusal(400, "consent") { try await live.client(net.professional).putConsent(forged) }
            // Signed by the professional but claiming the association: refused too.
            var other = record.publicPart
            other.organisationId = net.association
            await expectRefusal(403, "consent_organisation") { try await live.client(net.professional).putConsent(other.signed(by: net.professional)) }
            #expect(try await live.statistics() == before)
            try await refused(net, "consent_unknown", from: net.professional,
                              try Self.seal(net, from: net.professional, to: associationDevices(net), consent: ConsentReference(kind: .consent, id: record.consentId)))
        }
    }
}
