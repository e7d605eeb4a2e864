import Foundation
@testable import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import RelaisStore
import Testing

/// Issue 15, defect 3: one table of cases, fed to the pure `CoverPolicy`, to a real relay (HTTP on
/// 127.0.0.1, a real SQLite file or PostgreSQL), to the client's check (`LocalDevice`) and to the
/// auditor (`compliance` over the log that relay wrote). The four must agree on every case: what
/// is allowed, whether it is an answer, and the refusal's code.
@Suite("Cover rules: one table for the policy, the relay, the client and the auditor", .serialized)
struct CoverRuleTableTests {
    enum Expected: Equatable, CustomStringConvertible {
        case allowed(answer: Bool)
        case refused(CoverPolicy.Code)
        var description: String {
            switch self {
            case let .allowed(answer): answer ? "allowed (answer)" : "allowed"
            case let .refused(code): "refused \(code.rawValue)"
            }
        }
    }

    /// `accredited75`: an association (record version 2) serving 75 and 93, accredited for the
    /// exit programme in 75 only, from a day before the scenario to 3 days after its start.
    enum Who: CaseIterable { case service, association, health, crip, plain, accredited75 }

    enum CoverName {
        case consent, consentAsExitProgramme, exitConsent, withdrawn, shortConsent, unknownConsent
        case declaration, shortDeclaration, unknownDeclaration
        /// Exit-programme consents (version 2) for a person of 75, of 93; one of version 1 (no département).
        case exit75, exit93, exitV1
    }

    struct Case: CustomStringConvertible {
        let name: String
        let from: Who
        let cover: CoverName
        let to: [Who]
        /// Seconds the clock moves before the case.
        var advance: UInt64 = 0
        let expected: Expected
        /// The sending device does not hold this cover (another organisation's, or unknown): the
        /// client refuses it locally, before the policy, with its own message.
        var clientRefusesLocally = false
        var description: String { name }
    }

    /// The table. Order matters: answers need what was sent before, a bound counts earlier reports.
    static let table: [Case] = [
        Case(name: "a consent covers its recipient", from: .service, cover: .consent, to: [.association], expected: .allowed(answer: false)),
        Case(name: "a consent does not cover an organisation it does not name", from: .service, cover: .consent, to: [.health],
             expected: .refused(.consentScope)),
        Case(name: "an unknown consent", from: .service, cover: .unknownConsent, to: [.association], expected: .refused(.consentUnknown),
             clientRefusesLocally: true),
        Case(name: "another organisation's consent, to a third", from: .association, cover: .consent, to: [.health],
             expected: .refused(.consentOtherOrganisation), clientRefusesLocally: true),
        Case(name: "an answer to the recording organisation", from: .association, cover: .consent, to: [.service], expected: .allowed(answer: true)),
        Case(name: "no answer from an organisation never sent to", from: .health, cover: .consent, to: [.service],
             expected: .refused(.consentOtherOrganisation), clientRefusesLocally: true),
        Case(name: "an answer goes to the recording organisation alone", from: .association, cover: .consent, to: [.service, .health],
             expected: .refused(.consentOtherOrganisation), clientRefusesLocally: true),
        Case(name: "an exit-programme request to an accredited association", from: .service, cover: .exitConsent, to: [.association],
             expected: .allowed(answer: false)),
        Case(name: "an exit-programme request to an association not accredited", from: .service, cover: .exitConsent, to: [.plain],
             expected: .refused(.notAccredited)),
        Case(name: "an answer under an exit-programme consent", from: .association, cover: .exitConsent, to: [.service],
             expected: .allowed(answer: true)),
        Case(name: "an ordinary consent does not carry an exit-programme request", from: .service, cover: .consentAsExitProgramme,
             to: [.association], expected: .refused(.consentPurpose), clientRefusesLocally: true),
        Case(name: "a withdrawn consent", from: .service, cover: .withdrawn, to: [.association], expected: .refused(.consentWithdrawn)),
        Case(name: "a report to child protection", from: .service, cover: .declaration, to: [.crip], expected: .allowed(answer: false)),
        Case(name: "a report to an association", from: .service, cover: .declaration, to: [.association],
             expected: .refused(.childProtectionRecipients)),
        Case(name: "an answer under a child-protection declaration", from: .crip, cover: .declaration, to: [.service],
             expected: .allowed(answer: true)),
        Case(name: "another organisation's declaration", from: .association, cover: .declaration, to: [.crip],
             expected: .refused(.declarationUnknown), clientRefusesLocally: true),
        Case(name: "an unknown declaration", from: .service, cover: .unknownDeclaration, to: [.crip], expected: .refused(.declarationUnknown),
             clientRefusesLocally: true),
        Case(name: "the second report, the declaration's last", from: .service, cover: .declaration, to: [.crip], expected: .allowed(answer: false)),
        Case(name: "a third report, past the declaration's bound", from: .service, cover: .declaration, to: [.crip],
             expected: .refused(.declarationExhausted)),
        Case(name: "an answer after the bound is still an answer", from: .crip, cover: .declaration, to: [.service],
             expected: .allowed(answer: true)),
        Case(name: "an expired consent", from: .service, cover: .shortConsent, to: [.association], advance: 2 * 86_400,
             expected: .refused(.consentExpired)),
        Case(name: "an expired declaration", from: .service, cover: .shortDeclaration, to: [.crip], expected: .refused(.declarationExpired)),
        // Accreditation per département (the guide: «l'une des associations de son département qui aura été agréée à cet effet»).
        Case(name: "an exit-programme request for 75 to an association accredited in 75", from: .service, cover: .exit75, to: [.accredited75],
             expected: .allowed(answer: false)),
        Case(name: "an exit-programme request for 93 to an association accredited in 75 only", from: .service, cover: .exit93,
             to: [.accredited75], expected: .refused(.notAccredited)),
        // Adults only (the guide: «toute personne majeure»): a version 1 consent attests no majority.
        Case(name: "a version 1 exit-programme consent (no département, no majority attested)", from: .service, cover: .exitV1,
             to: [.accredited75], expected: .refused(.consentPurpose)),
        Case(name: "an exit-programme request for 75 after the accreditation in 75 ended", from: .service, cover: .exit75,
             to: [.accredited75], advance: 2 * 86_400, expected: .refused(.notAccredited)),
    ]

    /// An organisation of the scenario: its record, a sending device, a receiving device.
    struct Party {
        let record: OrganisationRecord
        let sender: DeviceIdentity
        let receiver: RecipientDevice
        var id: OrganisationID { record.id }
    }

    /// The facts behind each cover, as the relay's store holds them: the model the pure policy reads.
    struct World {
        var parties: [Who: Party] = [:]
        var references: [CoverName: ConsentReference] = [:]
        var consents: [ConsentID: (record: ConsentRecord, withdrawnAt: UInt64?)] = [:]
        var declarations: [ConsentID: ChildProtectionDeclaration] = [:]
        var sentUnder: [ConsentID: Set<OrganisationID>] = [:]
        var reports: [ConsentID: Int] = [:]

        func submission(_ c: Case, at time: UInt64) -> CoverPolicy.Submission {
            let reference = references[c.cover]!
            let sender = parties[c.from]!.id
            let cover: CoverPolicy.Cover
            switch reference.kind {
            case .consent: cover = .consent(consents[reference.id].map { .init($0.record.publicPart, withdrawnAt: $0.withdrawnAt) })
            case .exitProgrammeConsent: cover = .exitProgrammeConsent(consents[reference.id].map { .init($0.record.publicPart, withdrawnAt: $0.withdrawnAt) })
            case .childProtectionDeclaration:
                cover = .childProtectionDeclaration(declarations[reference.id].map { .init($0, reportsSent: reports[reference.id, default: 0]) })
            }
            let departement = consents[reference.id]?.record.departement
            return .init(cover: cover, sender: sender,
                         senderAccreditedForExitProgramme: DirectoryRules.isAccreditedForExitProgramme(parties[c.from]!.record, departement: departement,
                                                                                                       at: time),
                         recipients: c.to.map { w in
                             let r = parties[w]!.record
                             return .init(id: r.id, category: r.category,
                                          accreditedForExitProgramme: DirectoryRules.isAccreditedForExitProgramme(r, departement: departement, at: time))
                         },
                         sentUnderCover: sentUnder[reference.id] ?? [], time: time, skew: RelayConfiguration(dataDirectory: "/").clockSkewSeconds)
        }

        /// What the relay's store records for an envelope it accepted.
        mutating func accepted(_ c: Case) {
            let reference = references[c.cover]!
            sentUnder[reference.id, default: []].formUnion(c.to.map { parties[$0]!.id })
            if reference.kind == .childProtectionDeclaration, declarations[reference.id]?.organisationId == parties[c.from]!.id {
                reports[reference.id, default: 0] += 1
            }
        }
    }

    static func decision(_ d: CoverPolicy.Decision) -> Expected {
        switch d {
        case let .allowed(answer): .allowed(answer: answer)
        case let .refused(r): .refused(r.code)
        }
    }

    // MARK: the scenario on a live relay

    /// Invite, redeem and approve `device` (a given identity, so that its seed is known to the client's profile).
    static func enrol(_ live: LiveRelay, _ device: DeviceIdentity, by enroller: DeviceIdentity, role: DeviceRole,
                      organisation: OrganisationID?) async throws {
        let (code, _) = try await live.client(enroller).createInvite(role: role, organisation: organisation)
        _ = try await live.client(nil).enrol(invite: code, device: device)
        let entry = try #require(try await live.client(enroller).pendingEnrolments().first { $0.deviceID == device.deviceID })
        let record = try DeviceRecord(identity: DevicePublicIdentity(signingKey: entry.publicKey), organisationId: entry.organisationID,
                                      role: entry.role, enrolledBy: enroller.deviceID, inviteId: entry.inviteID,
                                      issuedAt: live.clock.now()).signed(by: enroller)
        _ = try await live.client(enroller).approve(device.deviceID, record: record)
    }

    static func receiver(_ live: LiveRelay, _ device: DeviceIdentity, of org: OrganisationID) async throws -> RecipientDevice {
        let now = live.clock.now()
        let prekey = SignedPrekey.sign(publicKey: X25519PrivateKey.generate().publicKey, identity: device, createdAt: now, notAfter: now + 7 * 86_400)
        try await live.client(device).publishPrekey(prekey)
        return RecipientDevice(organisationID: org, prekey: prekey)
    }

    static func newParty(_ net: Network, _ category: PartnerCategory) async throws -> Party {
        try await newParty(net, OrganisationRecord(id: .random(using: SystemRandom()), name: "Org \(category.rawValue)", category: category,
                                                   departements: ["93"], issuedAt: net.live.clock.now()))
    }

    static func newParty(_ net: Network, _ record: OrganisationRecord) async throws -> Party {
        let live = net.live
        try await net.operatorClient.putOrganisation(try record.signed(by: net.operatorIdentity))
        let admin = try await Network.enrol(live, by: net.operatorIdentity, role: .admin, organisation: record.id)
        return Party(record: record, sender: admin, receiver: try await receiver(live, admin, of: record.id))
    }

    /// A consent recorded by the professional's device, its public part published.
    static func consent(_ live: LiveRelay, by device: DeviceIdentity, of org: OrganisationID, covering: [OrganisationID],
                        purposes: [Referral.Need], validity: UInt64 = ConsentRecord.defaultValidity,
                        departement: String? = nil, data: [DataCategory] = [.situation, .safety]) async throws -> ConsentRecord {
        let now = live.clock.now()
        let record = ConsentRecord(consentId: .random(using: SystemRandom()),
                                   subjectPseudonym: ConsentRecord.pseudonym(caseID: "CASE-42", key: Array(repeating: 7, count: 32)),
                                   recordedBy: device.deviceID, organisationId: org, method: .oral, language: "fr", interpreter: false,
                                   purposes: purposes, recipientOrganisations: covering, recipientCategories: [], dataCategories: data,
                                   grantedAt: now, validUntil: now + validity, departement: departement)
        try await live.client(device).putConsent(record.publicPart.signed(by: device))
        return record
    }

    static func declaration(_ live: LiveRelay, by device: DeviceIdentity, of org: OrganisationID, validity: UInt64,
                            maxReports: Int) async throws -> ChildProtectionDeclaration {
        let now = live.clock.now()
        let d = ChildProtectionDeclaration(declarationId: .random(using: SystemRandom()), organisationId: org, declaredBy: device.deviceID,
                                           article: .casfL226_2_1, minorStatus: .allegedMinor,
                                           subjectPseudonym: ConsentRecord.pseudonym(caseID: "CASE-42", key: Array(repeating: 7, count: 32)),
                                           declaredAt: now, validUntil: now + validity, maxReports: maxReports)
        try await live.client(device).putDeclaration(try d.signed(by: device))
        return d
    }

    /// A client profile for `org`, built in memory: its keystore holds `seed`'s identity.
    static func localDevice(_ live: LiveRelay, seed: [UInt8], org: OrganisationID) throws -> LocalDevice {
        let identity = DeviceIdentity(privateKey: try Ed25519PrivateKey(seed: SecretBytes(seed)))
        var vault = VaultContents(identitySeed: Hex.encode(seed))
        vault.caseKey = Hex.encode(Array(repeating: 7, count: 32))
        let settings = ProfileSettings(relay: live.url.absoluteString, operatorKey: nil, deviceId: identity.deviceID, role: .member,
                                       organisationId: org, status: "active", retentionDays: 90, logVerifierKey: nil)
        return try LocalDevice(directory: FileManager.default.temporaryDirectory.appendingPathComponent("relais-cover-\(UUID().uuidString)").path,
                               settings: settings, vault: vault,
                               key: try Keystore.Key.derive(passphrase: SecretBytes(Array("cover table".utf8)), parameters: .minimum),
                               clock: live.clock, rng: SystemRandom())
    }

    /// The case's referral: a schema v2 exit-programme request for `departement` when given (the
    /// person named by the consent's pseudonym), else schema v1.
    static func referral(_ c: Case, _ reference: ConsentReference, needs: [Referral.Need], at time: UInt64,
                         departement: String? = nil) -> Referral {
        let kind: Referral.Kind = switch (c.expected, reference.kind) {
        case (.allowed(answer: true), _): .reply
        case (_, .childProtectionDeclaration): .childProtectionReport
        case (_, .exitProgrammeConsent): .exitProgrammeRequest
        default: [.association, .health, .crip].contains(c.from) && c.to.contains(.service) ? .reply : .orientation
        }
        if kind == .exitProgrammeRequest, let departement {
            return Referral(kind: kind, needs: needs,
                            person: .init(subjectPseudonym: subject, ageBand: .from25to34, minorStatus: .adult, languages: ["fr"],
                                          interpreterNeeded: false, administrativeStatus: .unknown),
                            safety: .init(dangerLevel: 1, safeToCall: true), consent: reference,
                            sender: .init(name: "Travailleuse sociale", role: "AS"), createdAt: time,
                            exitProgramme: .init(request: .first, departement: departement))
        }
        return Referral(kind: kind, inReplyTo: kind == .reply ? EnvelopeID.random(using: SystemRandom()) : nil, needs: needs,
                        person: .init(casePseudonym: "C-42", ageBand: .from18to24, minorStatus: kind == .childProtectionReport ? .allegedMinor : .adult,
                                      languages: ["fr"], interpreterNeeded: false, administrativeStatus: .unknown),
                        safety: .init(dangerLevel: 1, safeToCall: true), consent: reference,
                        sender: .init(name: "Travailleuse sociale", role: "AS"), createdAt: time)
    }

    /// The subject pseudonym of every consent of the table (case CASE-42, key 7 × 32).
    static let subject = ConsentRecord.pseudonym(caseID: "CASE-42", key: Array(repeating: 7, count: 32))

    @Test(arguments: RelayStoreKind.available) func theFourAgreeOnEveryCase(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            let now = live.clock.now()
            var world = World()
            // The social service's professional: a known seed, so that the client profile holds the same key.
            let seed = SystemRandom().bytes(32)
            let professional = DeviceIdentity(privateKey: try Ed25519PrivateKey(seed: SecretBytes(seed)))
            try await Self.enrol(live, professional, by: net.serviceAdmin, role: .member, organisation: nil)
            world.parties[.service] = Party(record: OrganisationRecord(id: net.socialService, name: "Service social Exemple", category: .socialServices,
                                                                       departements: ["93"], issuedAt: now),
                                            sender: professional, receiver: try await Self.receiver(live, professional, of: net.socialService))
            world.parties[.association] = Party(record: OrganisationRecord(id: net.association, name: "Association Exemple", category: .specialisedAssociation,
                                                                           departements: ["75", "93"], exitProgrammeAccreditedUntil: now + 365 * 86_400, issuedAt: now),
                                                sender: net.associationAdmin,
                                                receiver: RecipientDevice(organisationID: net.association, prekey: net.associationDevices[0].signed))
            world.parties[.health] = try await Self.newParty(net, .health)
            world.parties[.crip] = try await Self.newParty(net, .childProtection)
            world.parties[.plain] = try await Self.newParty(net, .specialisedAssociation)
            world.parties[.accredited75] = try await Self.newParty(net, OrganisationRecord(
                id: .random(using: SystemRandom()), name: "Association agréée à Paris", category: .accreditedAssociation, departements: ["75", "93"],
                publicServed: .init(women: true, men: true, transPeople: true, minorsAccepted: false), languages: ["fr"], services: [.exitProgramme],
                exitProgrammeAccreditations: [.init(departement: "75", from: now - 86_400, until: now + 3 * 86_400)], issuedAt: now))
            let service = net.socialService, association = net.association, plain = world.parties[.plain]!.id
            let accredited75 = world.parties[.accredited75]!.id

            // The covers, recorded and declared through the API as a client does.
            let ordinary = try await Self.consent(live, by: professional, of: service, covering: [association], purposes: [.emergencyShelter, .legalHelp])
            let exit = try await Self.consent(live, by: professional, of: service, covering: [association, plain], purposes: [.exitProgramme],
                                              departement: "93", data: DataCategory.allCases)
            let exit75 = try await Self.consent(live, by: professional, of: service, covering: [accredited75], purposes: [.exitProgramme], departement: "75",
                                                data: DataCategory.allCases)
            let exit93 = try await Self.consent(live, by: professional, of: service, covering: [accredited75], purposes: [.exitProgramme], departement: "93",
                                                data: DataCategory.allCases)
            let exitV1 = try await Self.consent(live, by: professional, of: service, covering: [accredited75], purposes: [.exitProgramme],
                                                data: DataCategory.allCases)
            #expect(exitV1.version == 1 && exit75.version == 2 && exit75.publicPart.departement == "75")
            let withdrawn = try await Self.consent(live, by: professional, of: service, covering: [association], purposes: [.emergencyShelter])
            let short = try await Self.consent(live, by: professional, of: service, covering: [association], purposes: [.emergencyShelter], validity: 3_600)
            let declaration = try await Self.declaration(live, by: professional, of: service, validity: ChildProtectionDeclaration.maximumValidity, maxReports: 2)
            let shortDeclaration = try await Self.declaration(live, by: professional, of: service, validity: 86_400, maxReports: 3)
            _ = try await live.client(professional).withdrawConsent(withdrawn.consentId, withdrawal: ConsentWithdrawal(
                consentId: withdrawn.consentId, organisationId: service, withdrawnBy: professional.deviceID, withdrawnAt: now).signed(by: professional))
            let consents = [ordinary, exit, withdrawn, short, exit75, exit93, exitV1]
            for record in consents {
                world.consents[record.consentId] = (record, record.consentId == withdrawn.consentId ? now : nil)
            }
            world.declarations = [declaration.declarationId: declaration, shortDeclaration.declarationId: shortDeclaration]
            world.references = [
                .consent: .init(kind: .consent, id: ordinary.consentId), .consentAsExitProgramme: .init(kind: .exitProgrammeConsent, id: ordinary.consentId),
                .exitConsent: .init(kind: .exitProgrammeConsent, id: exit.consentId), .withdrawn: .init(kind: .consent, id: withdrawn.consentId),
                .shortConsent: .init(kind: .consent, id: short.consentId), .unknownConsent: .init(kind: .consent, id: .random(using: SystemRandom())),
                .declaration: .init(kind: .childProtectionDeclaration, id: declaration.declarationId),
                .shortDeclaration: .init(kind: .childProtectionDeclaration, id: shortDeclaration.declarationId),
                .unknownDeclaration: .init(kind: .childProtectionDeclaration, id: .random(using: SystemRandom())),
                .exit75: .init(kind: .exitProgrammeConsent, id: exit75.consentId), .exit93: .init(kind: .exitProgrammeConsent, id: exit93.consentId),
                .exitV1: .init(kind: .exitProgrammeConsent, id: exitV1.consentId),
            ]

            // The professional's client profile holds the consents and declarations it made.
            let client = try Self.localDevice(live, seed: seed, org: service)
            for record in consents {
                client.vault.consents.append(.init(record: try record.signed(by: professional), withdrawnAt: world.consents[record.consentId]!.withdrawnAt))
            }
            for d in [declaration, shortDeclaration] {
                client.vault.declarations.append(d.declarationId)
                client.vault.declarationRecords = (client.vault.declarationRecords ?? [:]).merging([d.declarationId: d]) { $1 }
            }
            // The other organisations' client profiles: each holds what it opened (filled as the relay accepts).
            var clients: [Who: LocalDevice] = [.service: client]
            for who in [Who.association, .health, .crip, .plain, .accredited75] {
                clients[who] = try Self.localDevice(live, seed: SystemRandom().bytes(32), org: world.parties[who]!.id)
            }
            let directory = Who.allCases.map { world.parties[$0]!.record }

            var positions: [(Case, size: UInt64, time: UInt64)] = []
            for c in Self.table {
                live.clock.advance(by: Double(c.advance))
                let time = live.clock.now()
                let reference = world.references[c.cover]!
                let from = world.parties[c.from]!

                // (a) the pure policy.
                let policy = CoverPolicy.check(world.submission(c, at: time))
                #expect(Self.decision(policy) == c.expected, "policy, \(c): \(policy)")

                // (c) the client, before sealing.
                let device = clients[c.from]!
                device.vault.declarationReports = world.reports
                let needs: [Referral.Need] = reference.kind == .exitProgrammeConsent ? [.exitProgramme] : [.emergencyShelter]
                let recipients = c.to.map { world.parties[$0]!.record }
                do {
                    // A schema v2 exit-programme request names the consent's département (a version 1 consent's request is v1).
                    let r = Self.referral(c, reference, needs: needs, at: time, departement: world.consents[reference.id]?.record.departement)
                    try r.validate()  // as `plan` does first: a reply is valid under any kind of cover
                    try device.requireCoverage(by: try device.coveringConsent(for: r), for: r, of: recipients, directory: directory)
                    #expect(c.expected.isAllowed, "client allowed \(c)")
                } catch let LocalError.consent(message) {
                    #expect(!c.expected.isAllowed, "client refused \(c): \(message)")
                    // The same rule, read from its typed reason (the relay sends the code and its own French words).
                    if !c.clientRefusesLocally, case let .ruleRefusal(reason, _) = message {
                        #expect(reason == policy.refusal?.reason, "client, \(c): \(message)")
                    } else if !c.clientRefusesLocally {
                        Issue.record("client, \(c): not a rule's refusal: \(message)")
                    }
                }

                // (b) the relay, over HTTP.
                positions.append((c, try await live.relay.store.auditLogSize(), time))
                let bytes = try Envelope.seal(referral: Array("{}".utf8), from: from.sender, to: c.to.map { world.parties[$0]!.receiver },
                                              consent: reference, expiresAt: time + 3 * 86_400, clock: live.clock, rng: SystemRandom()).bytes
                switch c.expected {
                case .allowed:
                    _ = try await live.client(from.sender).submit(bytes)
                    world.accepted(c)
                    for who in c.to {
                        clients[who]!.vault.opened.append(.init(envelopeId: .random(using: SystemRandom()), senderDeviceId: from.sender.deviceID,
                                                                senderOrganisationId: from.id, openedAt: time, expiresAt: time + 86_400, referral: "{}",
                                                                acknowledged: false, consentId: reference.id,
                                                                consentOrganisationId: (world.consents[reference.id]?.record.organisationId
                                                                                        ?? world.declarations[reference.id]?.organisationId)))
                    }
                case let .refused(code):
                    let before = try await live.relay.store.auditLogSize()
                    await expectRefusal(403, code.rawValue) { _ = try await live.client(from.sender).submit(bytes) }
                    #expect(try await live.relay.store.auditLogSize() == before, "a refused envelope was logged: \(c)")
                }
            }

            // Only the client reads the request's département: a schema v2 request for 93 under the
            // consent for 75 is refused before anything is sealed (the relay would see only the
            // consent's 75); under the version 1 consent, whatever the département, the client
            // refuses as the relay does: it attests no majority.
            live.clock.advance(by: -2 * 86_400)  // back inside the accreditation in 75
            let time = live.clock.now()
            for departement in ["93", "75"] {
                let reference = world.references[.exitV1]!
                let c = Case(name: "a request under the version 1 consent", from: .service, cover: .exitV1, to: [.accredited75],
                             expected: .refused(.consentPurpose))
                let r = Self.referral(c, reference, needs: [.exitProgramme], at: time, departement: departement)
                let refusal = #expect(throws: LocalError.self) {
                    try client.requireCoverage(by: try client.coveringConsent(for: r), for: r, of: [world.parties[.accredited75]!.record],
                                               directory: directory)
                }
                guard case let .consent(message)? = refusal else { Issue.record("\(String(describing: refusal))"); continue }
                #expect(message.text(.fr).contains("toute personne majeure") && message.text(.en).contains("any adult person"), "\(message)")
            }
            for (cover, consented) in [(CoverName.exit75, "75")] {
                let reference = world.references[cover]!
                let c = Case(name: "a request for 93", from: .service, cover: cover, to: [.accredited75], expected: .refused(.notAccredited))
                let r = Self.referral(c, reference, needs: [.exitProgramme], at: time, departement: "93")
                try r.validate()
                let refusal = #expect(throws: LocalError.self) {
                    try client.requireCoverage(by: try client.coveringConsent(for: r), for: r, of: [world.parties[.accredited75]!.record],
                                               directory: directory)
                }
                guard case let .consent(rule)? = refusal else { Issue.record("\(String(describing: refusal))"); continue }
                let message = rule.text(.fr)
                #expect(message.contains("département 93") && message.contains("département \(consented)"), "\(message)")
                // The same request for 75 goes (the accreditation in 75 is current again).
                let ok = Self.referral(c, reference, needs: [.exitProgramme], at: time, departement: "75")
                try client.requireCoverage(by: try client.coveringConsent(for: ok), for: ok, of: [world.parties[.accredited75]!.record],
                                           directory: directory)
            }
            live.clock.advance(by: 2 * 86_400)

            // (d) the auditor, over the log the relay wrote: no finding for what it accepted...
            let size = try await live.relay.store.auditLogSize()
            let entries = try await live.relay.store.auditEntries(from: 0, count: Int(size))
            let coverageRules: Set<String> = ["consent-coverage", "exit-programme-accreditation", "exit-programme-adults-only"]
            let report = try LocalDevice.compliance(entries: entries, purgeInterval: 60, now: live.clock.now())
            #expect(report.findings.filter { coverageRules.contains($0.rule) }.isEmpty, "\(report.findings)")
            // The relay accepted no request under the version 1 exit-programme consent: nothing to flag.
            #expect(report.findings.filter { $0.rule == "exit-programme-departement" }.isEmpty, "\(report.findings)")
            // Checked for every exit-programme request the relay accepted, answers excepted: to the association, for 75.
            #expect(report.checksByRule["exit-programme-departement"] == 2)
            #expect(report.checksByRule["exit-programme-adults-only"] == report.checksByRule["exit-programme-accreditation"])
            #expect(report.checksByRule["consent-coverage"] == Self.table.filter(\.expected.isAllowed).count)
            // ...and, for each refused case, the same finding had a relay accepted it there.
            for (c, at, time) in positions {
                guard case let .refused(code) = c.expected else { continue }
                let reference = world.references[c.cover]!
                var forged = AuditEvent(kind: .envelopeSubmitted, time: time)
                forged.envelope = .random(using: SystemRandom())
                forged.actor = world.parties[c.from]!.sender.deviceID
                forged.organisation = world.parties[c.from]!.id
                forged.recipientOrganisations = c.to.map { world.parties[$0]!.id }.sorted()
                forged.consentKind = reference.kind.rawValue
                forged.consent = reference.id
                forged.sizeClass = 0
                forged.expiresAt = time + 86_400
                let audit = try LocalDevice.compliance(entries: Array(entries.prefix(Int(at))) + [forged.encoded], purgeInterval: 60, now: time)
                let found = audit.findings.filter { coverageRules.contains($0.rule) && $0.index == at }
                #expect(found.contains { $0.message.contains(code.rawValue) }, "auditor, \(c): \(audit.findings)")
            }
        }
    }
}

extension CoverRuleTableTests {
    /// The relay takes a declaration only while it is valid: a version 2 one past its end, or a
    /// version 1 one made more than 30 days ago, is refused (400 `declaration`) and changes nothing.
    @Test(arguments: RelayStoreKind.available) func expiredDeclarationsAreNotPublished(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            let now = live.clock.now(), pro = net.professional
            let stale = ChildProtectionDeclaration(declarationId: .random(using: SystemRandom()), organisationId: net.socialService, declaredBy: pro.deviceID,
                                                   article: .casfL226_2_1, minorStatus: .minor, subjectPseudonym: String(repeating: "0f", count: 32),
                                                   declaredAt: now - 2 * 86_400, validUntil: now - 1, maxReports: 3)
            let old = ChildProtectionDeclaration(declarationId: .random(using: SystemRandom()), organisationId: net.socialService, declaredBy: pro.deviceID,
                                                 article: .casfL226_2_1, minorStatus: .minor, declaredAt: now - ChildProtectionDeclaration.maximumValidity)
            let before = try await live.relay.store.auditLogSize()
            for d in [stale, old] {
                await expectRefusal(400, "declaration") { try await live.client(pro).putDeclaration(try d.signed(by: pro)) }
            }
            #expect(try await live.relay.store.auditLogSize() == before, "a refused declaration was logged")
            // Still valid for a second: published.
            var fresh = old
            fresh.declaredAt = now - ChildProtectionDeclaration.maximumValidity + 1
            try await live.client(pro).putDeclaration(try fresh.signed(by: pro))
        }
    }
}

extension CoverRuleTableTests.Expected {
    var isAllowed: Bool { if case .allowed = self { true } else { false } }
}

extension CoverRuleTableTests {
    /// The relay publishes an exit-programme consent's public part only with a valid département:
    /// version 2 without one, with `20` or `977`, or version 1 with one, is refused (400 `consent`)
    /// and logs nothing; a version 1 exit-programme consent (recorded before) is still published.
    @Test(arguments: RelayStoreKind.available) func theRelayPublishesAnExitProgrammeConsentOnlyWithAValidDepartement(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            let now = live.clock.now(), pro = net.professional
            let record = ConsentRecord(consentId: .random(using: SystemRandom()), subjectPseudonym: Self.subject, recordedBy: pro.deviceID,
                                       organisationId: net.socialService, method: .oral, language: "fr", interpreter: false, purposes: [.exitProgramme],
                                       recipientOrganisations: [net.association], recipientCategories: [], dataCategories: [.situation],
                                       grantedAt: now, validUntil: now + 86_400, departement: "93")
            let before = try await live.relay.store.auditLogSize()
            let edits: [(String, (inout ConsentPublic) -> Void)] = [
                ("no département", { $0.departement = nil }), ("20", { $0.departement = "20" }), ("977", { $0.departement = "977" }),
                ("version 1 with one", { $0.version = 1 }), ("not the exit programme", { $0.exitProgramme = false }),
                ("no majority attested", { $0.adult = nil }), ("a minor", { $0.adult = false }),
                ("version 1 attesting majority", { ($0.version, $0.departement) = (1, nil) }),
            ]
            for (_, edit) in edits {
                var p = record.publicPart
                edit(&p)
                await expectRefusal(400, "consent") { try await live.client(pro).putConsent(p.signed(by: pro)) }
            }
            #expect(try await live.relay.store.auditLogSize() == before, "a refused consent was logged")
            try await live.client(pro).putConsent(record.publicPart.signed(by: pro))
            var old = record
            (old.version, old.departement, old.adult, old.consentId) = (ConsentRecord.version, nil, nil, .random(using: SystemRandom()))
            try await live.client(pro).putConsent(old.publicPart.signed(by: pro))
            #expect(try await live.relay.store.auditLogSize() == before + 2)
        }
    }
}
