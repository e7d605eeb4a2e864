import Foundation
import RelaisCore

/// The recipient's check of the consent a referral travels under (SPEC.md, "Consent records":
/// where the consent travels, what the recipient checks).
extension LocalDevice {
    /// Flags, not refusals (the data already arrived): a v2 referral under a consent without its
    /// record («accord non joint»); a record whose signature does not verify against its recording
    /// device (the sender, or another device of the sender's organisation, verified through the
    /// directory; not revoked before the grant); otherwise `Referral.consentFlags`: another consent,
    /// categories outside it, needs outside its purposes, another subject, outside its period.
    func consentFlags(for referral: Referral, sender: VerifiedDevice) async -> [ConsentFlag] {
        guard referral.expectsConsentRecord else { return [] }
        guard let carried = referral.consentRecord else { return [.missing] }
        let signer: VerifiedDevice
        do {
            let recorder = try ConsentRecord.unverifiedRecorder(of: carried)
            signer = recorder == sender.identity.deviceID ? sender : try await verify(try await client.device(recorder))
        } catch {
            return [.unverified("appareil d'enregistrement inconnu ou non vérifié")]
        }
        guard signer.record.organisationId == sender.record.organisationId else {
            return [.unverified("enregistré par un appareil d'une autre structure que l'expéditrice")]
        }
        guard let record = try? ConsentRecord.verify(carried, signer: signer.identity) else {
            return [.unverified("signature ou contenu invalide")]
        }
        if let revocation = signer.revocation, revocation.isEffective(at: record.grantedAt) {
            return [.unverified("l'appareil qui l'a enregistré était révoqué")]
        }
        return referral.consentFlags(record: record, senderOrganisation: sender.record.organisationId)
    }
}
