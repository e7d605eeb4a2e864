import Foundation
import RelaisCore
import RelaisCrypto

extension VectorGenerator {
    /// An exit-programme request (parcours de sortie de la prostitution) to an association, resting
    /// on a consent of kind `exitProgrammeConsent` (header consent_kind 0x03). Accreditation is the
    /// relay's and the clients' rule, not the envelope's.
    /// Its own random stream, so that the other files do not change.
    static func exitProgrammeFile(sender s: Actor, to r: Actor, expiresAt: UInt64, senders: [EnvelopeVector.Sender]) -> VectorFile {
        let rng = DeterministicRandom(seed: SHA256.hash(Array("relais/v1 exit-programme vector".utf8)))
        let consent = ConsentReference(kind: .exitProgrammeConsent, id: ConsentID.random(using: rng))
        let referral = try! Referral(
            kind: .exitProgrammeRequest, needs: [.exitProgramme, .housing, .residenceRights],
            person: .init(casePseudonym: "CASE-2027-0044", ageBand: .from25to34, minorStatus: .adult, languages: ["es", "fr"],
                          interpreterNeeded: false, administrativeStatus: .unknown),
            safety: .init(dangerLevel: 1, safeToCall: true),
            freeText: "Demande d'engagement dans le parcours de sortie de la prostitution, à présenter à la commission départementale.",
            consent: consent, sender: .init(name: "Camille Exemple", role: "travailleuse sociale"), createdAt: sealTime).encoded()
        let sealed = try! Envelope.seal(referral: referral, from: s.identity, to: [r.recipient], consent: consent, expiresAt: expiresAt,
                                        clock: FixedClock(sealTime), rng: rng)
        let v = EnvelopeVector(name: "success-exit-programme-request",
                               description: "An exit-programme request resting on an exit-programme consent (consent_kind 0x03).",
                               expect: "success", now: sealTime, opener: r.opener(), senders: senders, envelope: Hex.encode(sealed.bytes),
                               referral: String(decoding: referral, as: UTF8.self), signedRecipients: [r.identity.deviceID.hex],
                               senderDeviceId: s.identity.deviceID.hex)
        return VectorFile(name: "envelope/success-exit-programme-request.json", contents: json(v))
    }
}
