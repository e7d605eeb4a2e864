import Foundation
public import RelaisCore
import RelaisCrypto

/// Consent records, withdrawals, child-protection declarations, and erasure on withdrawal notices.
extension LocalDevice {
    /// Records the person's consent (with the person present), keeps the full record in the
    /// keystore and publishes its public part.
    public func grantConsent(caseID: String, method: ConsentMethod, language: String, interpreter: Bool, purposes: [Referral.Need],
                             organisations: [OrganisationID], categories: [PartnerCategory], data: [DataCategory],
                             validity: UInt64 = ConsentRecord.defaultValidity) async throws -> ConsentRecord {
        try await requireActive()
        guard let org = settings.organisationId else { throw LocalError.usage("only an organisation's device records consents") }
        if try heldOrganisationKey() == nil { try await syncOrganisationKey() }
        let pseudonym = try subjectPseudonym(caseID: caseID)
        let now = clock.now()
        let record = ConsentRecord(consentId: .random(using: rng), subjectPseudonym: pseudonym,
                                   recordedBy: identity.deviceID, organisationId: org, method: method, language: language,
                                   interpreter: interpreter, purposes: purposes, recipientOrganisations: organisations,
                                   recipientCategories: categories, dataCategories: data, grantedAt: now, validUntil: now + validity)
        let signed = try record.signed(by: identity)
        vault.consents.append(.init(record: signed, withdrawnAt: nil))
        try save()
        try await client.putConsent(record.publicPart.signed(by: identity))
        return record
    }

    /// The consents recorded on this device, newest first.
    public func consents() throws -> [(record: ConsentRecord, withdrawnAt: UInt64?)] {
        try vault.consents.map { (try ConsentRecord.verify($0.record, signer: identity.publicIdentity), $0.withdrawnAt) }
            .sorted { $0.0.grantedAt > $1.0.grantedAt }
    }

    public func consent(_ id: ConsentID) throws -> (record: ConsentRecord, withdrawnAt: UInt64?) {
        guard let c = try consents().first(where: { $0.record.consentId == id }) else {
            throw LocalError.notFound("no consent \(id) recorded on this device")
        }
        return c
    }

    /// Withdraws a consent: signed, sent to the relay, which deletes what is still there under it and
    /// notifies the organisations that received referrals under it. Any active device of the
    /// recording organisation may withdraw (the person may tell a colleague): the relay refuses a
    /// consent that another organisation recorded as if it did not exist.
    public func withdrawConsent(_ id: ConsentID) async throws -> (deleted: Int, notified: Int) {
        try await requireActive()
        guard let org = settings.organisationId, settings.role == .admin || settings.role == .member else {
            throw LocalError.usage("only a device of the organisation that recorded the consent withdraws it")
        }
        let now = clock.now()
        let result: (deleted: Int, notified: Int)
        do {
            result = try await client.withdrawConsent(id, withdrawal: ConsentWithdrawal(consentId: id, organisationId: org,
                                                                                       withdrawnBy: identity.deviceID, withdrawnAt: now).signed(by: identity))
        } catch ClientError.refused(let status, _, _) where status == 404 {
            throw LocalError.notFound("no consent \(id) recorded by this organisation")
        }
        if let i = vault.consents.firstIndex(where: { (try? ConsentRecord.verify($0.record, signer: identity.publicIdentity))?.consentId == id }) {
            vault.consents[i].withdrawnAt = now
            try save()
        }
        return result
    }

    /// Declares the legal basis of a child-protection report; returns its id for `--child-protection-declaration`.
    public func declareChildProtection(article: ChildProtectionDeclaration.Article, minorStatus: Referral.MinorStatus) async throws -> ConsentID {
        try await requireActive()
        guard let org = settings.organisationId else { throw LocalError.usage("only an organisation's device declares") }
        let declaration = ChildProtectionDeclaration(declarationId: .random(using: rng), organisationId: org, declaredBy: identity.deviceID,
                                                     article: article, minorStatus: minorStatus, declaredAt: clock.now())
        try await client.putDeclaration(try declaration.signed(by: identity))
        vault.declarations.append(declaration.declarationId)
        try save()
        return declaration.declarationId
    }

    /// The consent that covers `referral`, checked before anything is sealed (the relay checks again):
    /// recorded here, not withdrawn, valid now, covering the referral's needs. Nil for a
    /// child-protection report, whose declaration must have been made here.
    func coveringConsent(for referral: Referral) throws -> ConsentRecord? {
        let id = referral.consent.id
        if referral.consent.kind == .childProtectionDeclaration {
            guard vault.declarations.contains(id) else {
                throw LocalError.consent("declaration \(id) was not made on this device: run `relais declare` first")
            }
            return nil
        }
        if referral.kind == .reply, (try? consent(id)) == nil {
            // An answer travels under the consent the referral came with, back to its sender's organisation.
            guard vault.opened.contains(where: { $0.consentId == id }) else {
                throw LocalError.consent("a reply goes under the consent of a referral this device opened")
            }
            return nil
        }
        guard let (record, withdrawnAt) = try? consent(id) else {
            throw LocalError.consent("consent \(id) is not recorded on this device: record it with the person (relais consent grant)")
        }
        let now = clock.now()
        guard withdrawnAt == nil else { throw LocalError.consent("the person withdrew consent \(id)") }
        guard now < record.validUntil else { throw LocalError.consent("consent \(id) expired on \(record.validUntil): record a new one with the person") }
        let outside = referral.needs.filter { !record.purposes.contains($0) }
        guard outside.isEmpty else {
            throw LocalError.consent("the consent does not cover \(outside.map(\.rawValue).joined(separator: ", ")): share only what the person agreed to")
        }
        if referral.kind == .exitProgrammeRequest, !record.purposes.contains(.exitProgramme) {
            throw LocalError.consent("the consent does not cover an exit-programme request")
        }
        return record
    }

    /// Fetches the withdrawal notices for this organisation and erases the referrals kept under a
    /// withdrawn consent. Returns how many were erased.
    ///
    /// A notice erases only referrals whose consent its signer's organisation recorded (the
    /// sender's organisation, or this one for a reply): any organisation's device can sign a
    /// "withdrawal" of any consent id, and a relay that lies can deliver it. Each erased envelope
    /// is kept as a tombstone until its expiry, so that the relay cannot deliver it again.
    @discardableResult
    public func syncNotices() async throws -> Int {
        guard settings.status == "active", settings.role == .admin || settings.role == .member else { return 0 }
        var erased = 0
        for notice in try await client.notices() {
            let signerID = try ConsentWithdrawal.unverifiedSigner(of: notice)
            let signer = try await verify(try await client.device(signerID))
            let withdrawal = try ConsentWithdrawal.verify(notice, signer: signer.identity)
            guard signer.record.organisationId == withdrawal.organisationId,
                  !(signer.revocation?.isEffective(at: withdrawal.withdrawnAt) ?? false) else { continue }
            let gone = vault.opened.filter {
                $0.consentId == withdrawal.consentId && ($0.consentOrganisationId ?? $0.senderOrganisationId) == withdrawal.organisationId
            }
            for referral in gone { vault.erasedEnvelopes = (vault.erasedEnvelopes ?? [:]).merging([referral.envelopeId: referral.expiresAt]) { max($0, $1) } }
            vault.opened.removeAll { r in gone.contains { $0.envelopeId == r.envelopeId } }
            erased += gone.count
        }
        if erased > 0 { try save() }
        return erased
    }
}
