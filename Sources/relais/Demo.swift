import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto

extension Relais {
    /// Seals one fictional referral for two devices of an association and opens it on each, with
    /// fresh keys that are never written anywhere. Shows identifiers and fingerprints, not content.
    struct Demo: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: AdminText.demoAbstract.text) }

        func run() throws {
            let clock = SystemClock(), rng = SystemRandom()
            let now = clock.now()
            let sender = DeviceIdentity.generate(using: rng)
            let association = OrganisationID.random(using: rng)
            let devices = (0..<2).map { _ in
                let identity = DeviceIdentity.generate(using: rng)
                let prekey = X25519PrivateKey.generate(using: rng)
                return (identity, prekey, SignedPrekey.sign(publicKey: prekey.publicKey, identity: identity,
                                                            createdAt: now, notAfter: now + 7 * 86_400))
            }
            let consent = ConsentReference(kind: .consent, id: .random(using: rng))
            let referral = Referral(
                kind: .orientation, needs: [.emergencyShelter, .legalHelp],
                // Schema v2: the person is named by the subject pseudonym (here under a throwaway key), never by the case id.
                person: .init(subjectPseudonym: ConsentRecord.pseudonym(caseID: "DEMO-0001", key: rng.bytes(32)), ageBand: .from25to34,
                              minorStatus: .adult, languages: ["fr"], interpreterNeeded: false, administrativeStatus: .unknown),
                safety: .init(dangerLevel: 1, safeToCall: true), freeText: "Fictional demonstration referral.",
                consent: consent, sender: .init(name: "Demo", role: "demo"), createdAt: now,
                situation: .init(exploitationTypes: [.prostitution], interview: .alone))
            print(AdminText.demoSender(device: sender.deviceID.hex, fingerprint: "\(sender.publicIdentity.fingerprint)").text)
            let sealed = try Envelope.seal(
                referral: referral.encoded(), from: sender,
                to: devices.map { RecipientDevice(organisationID: association, prekey: $0.2) },
                consent: consent, expiresAt: now + 14 * 86_400, clock: clock, rng: rng)
            print(AdminText.demoSealed(envelope: sealed.header.envelopeID.hex, bytes: sealed.bytes.count, sizeClass: Int(sealed.header.sizeClass),
                                       devices: sealed.header.stanzas.count).text)
            for (identity, prekey, signed) in devices {
                let opened = try Envelope.open(sealed.bytes, as: identity.deviceID,
                                               prekeys: { $0 == signed.prekeyID ? prekey : nil },
                                               senders: { $0 == sender.deviceID ? sender.publicIdentity : nil },
                                               clock: clock)
                let r = try opened.referral()
                let language = Messages.language
                print(AdminText.demoOpened(device: identity.deviceID.hex, kind: r.kind.label(language), schema: r.schemaVersion,
                                           needs: r.needs.map { $0.label(language) }).text)
            }
            var tampered = sealed.bytes
            tampered[21] ^= 1  // the first byte of expires_at: a relay trying to keep the envelope longer
            let (identity, prekey, signed) = devices[0]
            do {
                _ = try Envelope.open(tampered, as: identity.deviceID, prekeys: { $0 == signed.prekeyID ? prekey : nil },
                                      senders: { _ in sender.publicIdentity }, clock: clock)
                throw ValidationError(AdminText.demoBroken.text)
            } catch let error as EnvelopeError {
                print(AdminText.demoTampered(error: "\(error)").text)
            }
        }
    }


    /// Runs the README story against a live relay with throwaway identities.
    struct RelayDemoCommand: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(commandName: "relay-demo", abstract: AdminText.relayDemoAbstract.text) }

        @Option(help: ArgumentHelp(AdminText.relayDemoRelayHelp.text))
        var relay: String = "http://127.0.0.1:8443"

        @Option(help: ArgumentHelp(AdminText.relayDemoInviteHelp.text))
        var operatorInvite: String

        func run() async throws {
            guard let url = URL(string: relay) else { throw ValidationError(AdminText.relayDemoRelayURL.text) }
            let text = try String(contentsOfFile: operatorInvite, encoding: .utf8)
            guard let invite = InviteCode(text) else { throw ValidationError(AdminText.relayDemoNoInvite(path: operatorInvite).text) }
            try await RelayDemo.run(relay: url, operatorInvite: invite) { print($0) }
        }
    }
}
