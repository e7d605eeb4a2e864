public import Foundation
public import RelaisCore
import RelaisCrypto

/// The story of README.md run against a live relay with throwaway identities: the operator
/// enrols, creates an association and a social service, enrols their admins and devices, a
/// professional sends a sealed referral to the association's two devices, both open and
/// acknowledge it, and the relay deletes it. Reports identifiers and outcomes, never content.
public enum RelayDemo {
    public static func run(relay url: URL, operatorInvite: InviteCode, say: @Sendable (String) -> Void) async throws {
        let rng = SystemRandom(), clock = SystemClock()
        let anonymous = RelayClient(relay: url, identity: nil)
        let now = clock.now()

        let op = DeviceIdentity.generate()
        let opRecord = try DeviceRecord(identity: op.publicIdentity, organisationId: nil, role: .operator, enrolledBy: op.deviceID,
                                        inviteId: operatorInvite.id, issuedAt: now).signed(by: op)
        _ = try await anonymous.enrol(invite: operatorInvite, device: op, record: opRecord)
        say(AdminText.relayDemoStep(.operatorEnrolled(device: op.deviceID.hex, fingerprint: "\(op.publicIdentity.fingerprint)")).text)
        let info = try await anonymous.relayInfo()
        guard info.operatorPublicKey == op.privateKey.publicKey else { throw ClientError.verification(Message.relayOtherOperatorKey.text) }
        say(AdminText.relayDemoStep(.operatorKeyPinned).text)

        let operatorClient = RelayClient(relay: url, identity: op)
        let association = OrganisationID.random(using: rng), service = OrganisationID.random(using: rng)
        try await operatorClient.putOrganisation(OrganisationRecord(id: association, name: "Association (démo)", category: .specialisedAssociation,
                                                                    departements: ["75", "93"], issuedAt: now).signed(by: op))
        try await operatorClient.putOrganisation(OrganisationRecord(id: service, name: "Service social (démo)", category: .socialServices,
                                                                    departements: ["93"], issuedAt: now).signed(by: op))
        say(AdminText.relayDemoStep(.organisationsCreated(association: association.hex, service: service.hex)).text)

        let assocAdmin = try await enrol(url, by: op, role: .admin, organisation: association)
        let serviceAdmin = try await enrol(url, by: op, role: .admin, organisation: service)
        say(AdminText.relayDemoStep(.adminsEnrolled(association: assocAdmin.deviceID.hex, service: serviceAdmin.deviceID.hex)).text)
        var devices: [(DeviceIdentity, X25519PrivateKey, SignedPrekey)] = []
        for _ in 0..<2 {
            let d = try await enrol(url, by: assocAdmin, role: .member, organisation: nil)
            let prekey = X25519PrivateKey.generate()
            let signed = SignedPrekey.sign(publicKey: prekey.publicKey, identity: d, createdAt: now, notAfter: now + 7 * 86_400)
            try await RelayClient(relay: url, identity: d).publishPrekey(signed)
            devices.append((d, prekey, signed))
            say(AdminText.relayDemoStep(.associationDevice(device: d.deviceID.hex, prekey: "\(signed.prekeyID)")).text)
        }
        let professional = try await enrol(url, by: serviceAdmin, role: .member, organisation: nil)
        say(AdminText.relayDemoStep(.professionalEnrolled(device: professional.deviceID.hex)).text)

        // The professional reads the directory and verifies every record up to the operator key.
        let pro = RelayClient(relay: url, identity: professional)
        let orgs = try await pro.organisations(category: .specialisedAssociation, departement: "93")
        let verified = try orgs.map { try OrganisationRecord.verify($0.signed, operatorKey: op.privateKey.publicKey) }
        guard verified.contains(where: { $0.id == association }) else { throw ClientError.verification(Message.demoCheck(.associationMissing).text) }
        var recipients: [RecipientDevice] = []
        for entry in try await pro.devices(organisation: association) where entry.status == "active" {
            guard let record = entry.record, let prekeyBytes = entry.signedPrekey else { continue }
            let signerID = try DeviceRecord.unverifiedSigner(of: record)
            let signer = try await pro.device(signerID)
            let signerIdentity = DevicePublicIdentity(signingKey: try Ed25519PublicKey(bytes: signer.publicKey))
            let r = try DeviceRecord.verify(record, signer: signerIdentity)
            guard let identity = r.identity else { continue }
            recipients.append(RecipientDevice(organisationID: association, prekey: try SignedPrekey(verifying: prekeyBytes, signer: identity)))
        }
        say(AdminText.relayDemoStep(.directoryVerified(devices: recipients.count)).text)

        let consentRecord = ConsentRecord(consentId: .random(using: rng), subjectPseudonym: ConsentRecord.pseudonym(caseID: "DEMO-0001", key: rng.bytes(32)),
                                          recordedBy: professional.deviceID, organisationId: service, method: .oral, language: "fr",
                                          interpreter: false, purposes: [.emergencyShelter, .legalHelp], recipientOrganisations: [association],
                                          recipientCategories: [], dataCategories: [.situation, .safety], grantedAt: now, validUntil: now + ConsentRecord.defaultValidity)
        try await pro.putConsent(consentRecord.publicPart.signed(by: professional))
        let consent = ConsentReference(kind: .consent, id: consentRecord.consentId)
        say(AdminText.relayDemoStep(.consentRecorded(id: consent.id.hex)).text)
        let referral = try Referral(kind: .orientation, needs: [.emergencyShelter, .legalHelp],
                                    // Schema v2: the consent's subject pseudonym, never the case id.
                                    person: .init(subjectPseudonym: consentRecord.subjectPseudonym, ageBand: .from25to34, minorStatus: .adult,
                                                  languages: ["fr"], interpreterNeeded: false, administrativeStatus: .unknown),
                                    safety: .init(dangerLevel: 1, safeToCall: true), freeText: "Fictional demonstration referral.",
                                    consent: consent, sender: .init(name: "Demo", role: "demo"), createdAt: now,
                                    situation: .init(exploitationTypes: [.prostitution], interview: .alone)).encoded()
        let sealed = try Envelope.seal(referral: referral, from: professional, to: recipients, consent: consent,
                                       expiresAt: now + 14 * 86_400, clock: clock, rng: rng)
        _ = try await pro.submit(sealed.bytes)
        say(AdminText.relayDemoStep(.referralSent(envelope: sealed.header.envelopeID.hex, bytes: sealed.bytes.count)).text)

        for (d, prekey, signed) in devices {
            let c = RelayClient(relay: url, identity: d)
            guard let item = try await c.inbox().first(where: { $0.envelopeID == sealed.header.envelopeID }) else {
                throw ClientError.verification(Message.demoCheck(.envelopeMissing).text)
            }
            let bytes = try await c.fetch(item.envelopeID)
            let opened = try Envelope.open(bytes, as: d.deviceID, prekeys: { $0 == signed.prekeyID ? prekey : nil },
                                           senders: { $0 == professional.deviceID ? professional.publicIdentity : nil }, clock: clock)
            let r = try opened.referral()
            let deleted = try await c.acknowledge(item.envelopeID)
            say(AdminText.relayDemoStep(.openedAndAcknowledged(device: d.deviceID.hex, kind: r.kind.label(Messages.language), schema: r.schemaVersion,
                                                                deleted: deleted)).text)
        }
    }

    static func enrol(_ url: URL, by enroller: DeviceIdentity, role: DeviceRole, organisation: OrganisationID?) async throws -> DeviceIdentity {
        let issuer = RelayClient(relay: url, identity: enroller)
        let (code, _) = try await issuer.createInvite(role: role, organisation: organisation)
        let device = DeviceIdentity.generate()
        _ = try await RelayClient(relay: url, identity: nil).enrol(invite: code, device: device)
        guard let pending = try await issuer.pendingEnrolments().first(where: { $0.deviceID == device.deviceID }) else {
            throw ClientError.verification(Message.demoCheck(.pendingMissing).text)
        }
        // A real enroller compares this fingerprint with the new user before signing.
        guard pending.publicKey == device.privateKey.publicKey else { throw ClientError.verification(Message.demoCheck(.deviceKeyChanged).text) }
        let record = try DeviceRecord(identity: DevicePublicIdentity(signingKey: pending.publicKey), organisationId: pending.organisationID,
                                      role: pending.role, enrolledBy: enroller.deviceID, inviteId: pending.inviteID,
                                      issuedAt: SystemClock().now()).signed(by: enroller)
        _ = try await issuer.approve(device.deviceID, record: record)
        return device
    }
}
