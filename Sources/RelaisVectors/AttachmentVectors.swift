import Foundation
import RelaisCore
import RelaisCrypto

extension VectorGenerator {
    /// A schema v2 orientation carrying three attachments (SPEC.md, "Attachments"): a PDF, a PNG
    /// (1 × 1 white pixel), and a text file declared `image/png` under a hostile name (`../../.bashrc`,
    /// a right-to-left override), as a modified sender would seal it: the envelope opens, a reader
    /// flags the mismatch and saves it as `_._.bashrc_gnp.txt`. `attachments[]` gives what a reader
    /// makes of each. Its own random stream (seed `SHA-256("relais/v1 attachment vectors")`), so
    /// that adding it changed no other file.
    static func attachmentFiles(sender s: Actor, association r1: Actor, expiresAt: UInt64, senders: [EnvelopeVector.Sender]) -> [VectorFile] {
        let rng = DeterministicRandom(seed: SHA256.hash(Array("relais/v1 attachment vectors".utf8)))
        let pdf = Data("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".utf8)
        let png = Data(Hex.decode("""
            89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b4944415478da63f80f040009fb03fd68fa1ccc0000000049454e44ae426082
            """)!)
        let attachments: [Referral.Attachment] = [
            .init(filename: "attestation d'hébergement.pdf", mediaType: AttachmentType.pdf.rawValue, data: pdf),
            .init(filename: "plan.png", mediaType: AttachmentType.png.rawValue, data: png),
            .init(filename: "../../.bashrc\u{202E}gnp.txt", mediaType: AttachmentType.png.rawValue, data: Data("echo bonjour\n".utf8)),
        ]
        let referral = Referral(
            kind: .orientation, needs: [.emergencyShelter, .legalHelp],
            person: .init(subjectPseudonym: ConsentRecord.pseudonym(caseID: "CASE-2027-0048", key: [UInt8](repeating: 0x42, count: 32)),
                          ageBand: .from25to34, minorStatus: .adult, languages: ["fr"], interpreterNeeded: false, administrativeStatus: .unknown),
            safety: .init(dangerLevel: 1, safeToCall: true), freeText: "Attestation et plan d'accès joints.", attachments: attachments,
            consent: ConsentReference(kind: .consent, id: ConsentID.random(using: rng)),
            sender: .init(name: "Camille Exemple", role: "assistante sociale"), createdAt: sealTime)
        var v = successVector("success-v2-attachments", """
            A schema v2 orientation with three attachments: a PDF, a PNG, and a text file declared image/png under a hostile name \
            (sealed by a modified sender): it opens, the reader flags the third and saves it under a sanitised name.
            """, referral, from: s, to: r1, expiresAt: expiresAt, senders: senders, rng: rng)
        v.attachments = attachments.map {
            .init(size: $0.data.count, sha256: Hex.encode(SHA256.hash(Array($0.data))), detectedType: $0.detectedType?.rawValue,
                  typeMismatch: $0.typeMismatch, savedAs: AttachmentName.sanitised($0.filename))
        }
        return [VectorFile(name: "envelope/success-v2-attachments.json", contents: json(v))]
    }
}
