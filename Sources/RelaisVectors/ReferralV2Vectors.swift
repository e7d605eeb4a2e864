import Foundation
import RelaisCore
import RelaisCrypto

extension VectorGenerator {
    /// Schema v2 referrals (SPEC.md, "Referral schema v2"), each sealed in a success vector: an
    /// orientation with a situation and a lead professional, an exit-programme renewal, a reply with
    /// an outcome, and a child-protection report for an unaccompanied foreign minor. The person is
    /// named by the consent's subject pseudonym (key 0x42 × 32, as consent.json).
    /// Their own random stream (seed `SHA-256("relais/v1 referral v2 vectors")`), so that adding
    /// them changed no other file.
    static func referralV2Files(sender s: Actor, association r1: Actor, childProtection r3: Actor, expiresAt: UInt64,
                                senders: [EnvelopeVector.Sender]) -> [VectorFile] {
        let rng = DeterministicRandom(seed: SHA256.hash(Array("relais/v1 referral v2 vectors".utf8)))
        let key = [UInt8](repeating: 0x42, count: 32)
        let camille = Referral.SenderContact(name: "Camille Exemple", role: "assistante sociale", phone: "+33 1 00 00 00 00")
        var files: [VectorFile] = []
        func add(_ name: String, _ description: String, _ referral: Referral, from: Actor, to: Actor) {
            let v = successVector(name, description, referral, from: from, to: to, expiresAt: expiresAt, senders: senders, rng: rng)
            files.append(VectorFile(name: "envelope/\(name).json", contents: json(v)))
        }

        let consent = ConsentReference(kind: .consent, id: ConsentID.random(using: rng))
        let orientation = Referral(
            kind: .orientation, needs: [.distantShelter, .complaintSupport, .healthCover, .frenchLessons],
            person: .init(subjectPseudonym: ConsentRecord.pseudonym(caseID: "CASE-2027-0045", key: key), firstName: "Joy",
                          ageBand: .from18to24, minorStatus: .adult, languages: ["en", "bin"], interpreterNeeded: true,
                          administrativeStatus: .undocumented),
            safety: .init(dangerLevel: 2, safeContactInstructions: "Passer par l'association ; jamais d'appel le soir.", safeToCall: false),
            freeText: "Souhaite quitter la région ; accepte d'être accompagnée au dépôt de plainte.",
            consent: consent, sender: camille, createdAt: sealTime,
            situation: .init(exploitationTypes: [.traffickingForSexualExploitation, .procuring], inDangerLocally: true, needsToMoveAway: true,
                             currentDepartement: "93", areasToAvoid: ["93", "75", "94"], threatsToRelatives: true, debt: true,
                             identityDocumentsHeldByOthers: true, complaintFiled: false, interview: .withProfessionalInterpreter),
            leadProfessional: .init(name: "Camille Exemple", organisation: "Service social départemental", phone: "+33 1 00 00 00 00"))
        add("success-v2-orientation", "A schema v2 orientation with a situation, prioritised needs and a lead professional.",
            orientation, from: s, to: r1)

        let exitConsent = ConsentReference(kind: .exitProgrammeConsent, id: ConsentID.random(using: rng))
        let renewal = Referral(
            kind: .exitProgrammeRequest, needs: [.exitProgramme, .provisionalResidenceAuthorisation, .afisAllowance, .employmentTraining],
            person: .init(subjectPseudonym: ConsentRecord.pseudonym(caseID: "CASE-2027-0044", key: key), ageBand: .from25to34,
                          minorStatus: .adult, languages: ["es", "fr"], interpreterNeeded: false,
                          administrativeStatus: .provisionalResidenceAuthorisation),
            safety: .init(dangerLevel: 1, safeToCall: true),
            freeText: "Renouvellement : formation en cours, à présenter à la commission départementale.",
            consent: exitConsent, sender: .init(name: "Camille Exemple", role: "travailleuse sociale"), createdAt: sealTime,
            exitProgramme: .init(request: .renewal, monthsAlreadyUsed: 6, departement: "75"))
        add("success-v2-exit-programme-renewal", "A schema v2 exit-programme renewal after 6 months (APS and AFIS among the needs).",
            renewal, from: s, to: r1)

        let reply = Referral(
            kind: .reply, inReplyTo: EnvelopeID.random(using: rng), needs: [.distantShelter],
            person: orientation.person, safety: .init(dangerLevel: 2, safeToCall: false), consent: consent,
            sender: .init(name: "Dominique Exemple", role: "intervenante sociale"), createdAt: sealTime,
            outcome: .init(status: .appointmentOffered, appointmentAt: sealTime + 3 * day + 36_000, note: "Entretien d'évaluation à l'association."))
        add("success-v2-reply", "A schema v2 reply from the association: an appointment offered.", reply, from: r1, to: s)

        let declaration = ConsentReference(kind: .childProtectionDeclaration, id: ConsentID.random(using: rng))
        let report = Referral(
            kind: .childProtectionReport, needs: [.childProtection, .emergencyShelter, .health],
            person: .init(subjectPseudonym: ConsentRecord.pseudonym(caseID: "CASE-2027-0046", key: key), ageBand: .from15to17,
                          minorStatus: .allegedMinor, languages: ["ro"], interpreterNeeded: true, administrativeStatus: .unknown),
            safety: .init(dangerLevel: 3, safeToCall: false),
            freeText: "Mineure présumée, isolée, étrangère ; a porté plainte contre son proxénète.",
            consent: declaration, sender: camille, createdAt: sealTime,
            situation: .init(exploitationTypes: [.prostitution, .forcedCriminality], complaintFiled: true, interview: .withProfessionalInterpreter),
            minor: .init(unaccompaniedForeign: true, aged16OrMoreWithComplaint: true))
        add("success-v2-child-protection-report", "A schema v2 child-protection report for an unaccompanied foreign minor aged 16 or more.",
            report, from: s, to: r3)
        return files
    }
}
