import Foundation
import RelaisCore
import RelaisCrypto

extension VectorGenerator {
    /// Two schema v2 orientations that carry the sender's signed consent record (SPEC.md, "Consent
    /// records": where the consent travels): one the record covers (no flag), one carrying health
    /// data and a first name that the record does not list, as a modified sender would seal it
    /// (flag `consent_data_categories`: the envelope opens, the recipient flags it). The record is
    /// signed by the sender (device 0 of identity.json); pseudonym key 0x42 × 32.
    /// Their own random stream (seed `SHA-256("relais/v1 consent carriage vectors")`), so that
    /// adding them changed no other file.
    static func consentCarriageFiles(sender s: Actor, association r1: Actor, expiresAt: UInt64,
                                     senders: [EnvelopeVector.Sender]) -> [VectorFile] {
        let rng = DeterministicRandom(seed: SHA256.hash(Array("relais/v1 consent carriage vectors".utf8)))
        let subject = ConsentRecord.pseudonym(caseID: "CASE-2027-0047", key: [UInt8](repeating: 0x42, count: 32))
        let record = ConsentRecord(consentId: ConsentID.random(using: rng), subjectPseudonym: subject, recordedBy: s.identity.deviceID,
                                   organisationId: s.organisation, method: .written, language: "fr", interpreter: false,
                                   purposes: [.emergencyShelter, .mentalHealth], recipientOrganisations: [r1.organisation],
                                   recipientCategories: [], dataCategories: [.situation, .safety],
                                   grantedAt: sealTime - day, validUntil: ConsentRecord.validUntil(grantedAt: sealTime - day, months: 6))
        let signed = try! record.signed(by: s.identity)
        var files: [VectorFile] = []
        func add(_ name: String, _ description: String, _ referral: Referral) {
            var v = successVector(name, description, referral, from: s, to: r1, expiresAt: expiresAt, senders: senders, rng: rng)
            v.senderOrganisationId = s.organisation.hex
            v.consentFlags = referral.consentFlags(record: record, senderOrganisation: s.organisation).map(\.code.rawValue)
            files.append(VectorFile(name: "envelope/\(name).json", contents: json(v)))
        }
        let covered = Referral(
            kind: .orientation, needs: [.emergencyShelter],
            person: .init(subjectPseudonym: subject, ageBand: .from35to49, minorStatus: .adult, languages: ["fr"], interpreterNeeded: false,
                          administrativeStatus: .unknown),
            safety: .init(dangerLevel: 2, safeToCall: false), freeText: "Hébergement d'urgence ce soir.",
            consent: ConsentReference(kind: .consent, id: record.consentId),
            sender: .init(name: "Camille Exemple", role: "assistante sociale"), createdAt: sealTime, consentRecord: signed)
        add("success-v2-consent-record", "A schema v2 orientation carrying the sender's signed consent record, which covers it: no flag.",
            covered)
        var outside = covered
        outside.needs = [.emergencyShelter, .mentalHealth]
        outside.person.firstName = "Ana"
        add("success-v2-consent-record-outside", """
            A schema v2 orientation carrying its consent record, with a first name and a health need the record's data categories do \
            not list (sealed by a modified sender): it opens, and the recipient flags consent_data_categories.
            """, outside)
        return files
    }

    /// A success vector: `referral` sealed by `from` to `to` alone at the sealing time.
    static func successVector(_ name: String, _ description: String, _ referral: Referral, from: Actor, to: Actor, expiresAt: UInt64,
                              senders: [EnvelopeVector.Sender], rng: DeterministicRandom) -> EnvelopeVector {
        let bytes = try! referral.encoded()
        let sealed = try! Envelope.seal(referral: bytes, from: from.identity, to: [to.recipient], consent: referral.consent,
                                        expiresAt: expiresAt, clock: FixedClock(sealTime), rng: rng)
        return EnvelopeVector(name: name, description: description, expect: "success", now: sealTime, opener: to.opener(),
                              senders: senders, envelope: Hex.encode(sealed.bytes), referral: String(decoding: bytes, as: UTF8.self),
                              signedRecipients: [to.identity.deviceID.hex], senderDeviceId: from.identity.deviceID.hex)
    }
}
