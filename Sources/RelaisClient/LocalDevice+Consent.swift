import Foundation
public import RelaisCore
import RelaisCrypto

/// Consent records, withdrawals, child-protection declarations, and erasure on withdrawal notices.
extension LocalDevice {
    /// Records the person's consent (with the person present), keeps the full record in the
    /// keystore and publishes its public part. An exit-programme consent names the person's
    /// `departement` and rests on the professional's attestation that the person is of age
    /// (`adult`) (version 2); no other consent does.
    public func grantConsent(caseID: String, method: ConsentMethod, language: String, interpreter: Bool, purposes: [Referral.Need],
                             organisations: [OrganisationID], categories: [PartnerCategory], data: [DataCategory],
                             validity: UInt64 = ConsentRecord.defaultValidity, departement: String? = nil, adult: Bool = false) async throws -> ConsentRecord {
        try await requireActive()
        guard let org = settings.organisationId else { throw LocalError.usage(Message.organisationDeviceOnly.text) }
        guard !purposes.contains(.exitProgramme) || adult else {
            throw LocalError.usage(Message.adultRequired.text)
        }
        guard purposes.contains(.exitProgramme) == (departement != nil) else {
            throw LocalError.usage((departement == nil ? Message.departementRequired : Message.departementOnlyExit).text)
        }
        if try heldOrganisationKey() == nil { try await syncOrganisationKey() }
        let pseudonym = try subjectPseudonym(caseID: caseID)
        let now = clock.now()
        let record = ConsentRecord(consentId: .random(using: rng), subjectPseudonym: pseudonym,
                                   recordedBy: identity.deviceID, organisationId: org, method: method, language: language,
                                   interpreter: interpreter, purposes: purposes, recipientOrganisations: organisations,
                                   recipientCategories: categories, dataCategories: data, grantedAt: now, validUntil: now + validity,
                                   departement: departement)
        let signed = try record.signed(by: identity)
        vault.consents.append(.init(record: signed, withdrawnAt: nil))
        // The label typed here stays here (encrypted), for `relais cases`.
        vault.caseLabels = (vault.caseLabels ?? [:]).merging([pseudonym: caseID]) { $1 }
        try save()
        try await client.putConsent(record.publicPart.signed(by: identity))
        return record
    }

    /// The signed record of a consent recorded on this device, as kept since its grant: what a
    /// referral under it carries (`Referral.consentRecord`).
    func signedConsentRecord(_ id: ConsentID) -> SignedObject? {
        vault.consents.first { (try? ConsentRecord.verify($0.record, signer: identity.publicIdentity))?.consentId == id }?.record
    }

    /// `referral` as it is sealed under `cover`: a v2 referral under this device's consent carries
    /// the signed record (SPEC.md, "Consent records": where the consent travels); a reply or a
    /// report under a declaration carries none.
    func carryingConsentRecord(_ referral: Referral, cover: Cover) -> Referral {
        guard case let .consent(record, _) = cover, referral.expectsConsentRecord, referral.consentRecord == nil else { return referral }
        var carrying = referral
        carrying.consentRecord = signedConsentRecord(record.consentId)
        return carrying
    }

    /// The consents recorded on this device, newest first.
    public func consents() throws -> [(record: ConsentRecord, withdrawnAt: UInt64?)] {
        try vault.consents.map { (try ConsentRecord.verify($0.record, signer: identity.publicIdentity), $0.withdrawnAt) }
            .sorted { $0.0.grantedAt > $1.0.grantedAt }
    }

    public func consent(_ id: ConsentID) throws -> (record: ConsentRecord, withdrawnAt: UInt64?) {
        guard let c = try consents().first(where: { $0.record.consentId == id }) else {
            throw LocalError.notFound(Message.consentNotHere(id: id.hex).text)
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
            throw LocalError.usage(Message.withdrawOnlyRecordingOrganisation.text)
        }
        let now = clock.now()
        let result: (deleted: Int, notified: Int)
        do {
            result = try await client.withdrawConsent(id, withdrawal: ConsentWithdrawal(consentId: id, organisationId: org,
                                                                                       withdrawnBy: identity.deviceID, withdrawnAt: now).signed(by: identity))
        } catch ClientError.refused(let status, _, _) where status == 404 {
            throw LocalError.notFound(Message.consentUnknownToOrganisation(id: id.hex).text)
        }
        if let i = vault.consents.firstIndex(where: { (try? ConsentRecord.verify($0.record, signer: identity.publicIdentity))?.consentId == id }) {
            vault.consents[i].withdrawnAt = now
            try save()
        }
        return result
    }

    /// Declares the legal basis of child-protection reports about one case (version 2): the case's
    /// pseudonym (as for a consent), valid for `validity` seconds (at most 30 days), serving at most
    /// `maxReports` reports (1 to 5). Returns its id for `--child-protection-declaration`.
    public func declareChildProtection(article: ChildProtectionDeclaration.Article, minorStatus: Referral.MinorStatus, caseID: String,
                                       validity: UInt64 = ChildProtectionDeclaration.maximumValidity,
                                       maxReports: Int = ChildProtectionDeclaration.defaultReports) async throws -> ConsentID {
        try await requireActive()
        guard let org = settings.organisationId else { throw LocalError.usage(Message.organisationDeviceOnly.text) }
        // The case's pseudonym under the organisation's key, as a consent's and a referral's.
        if try heldOrganisationKey() == nil { try await syncOrganisationKey() }
        let pseudonym = try subjectPseudonym(caseID: caseID)
        let now = clock.now()
        let declaration = ChildProtectionDeclaration(declarationId: .random(using: rng), organisationId: org, declaredBy: identity.deviceID,
                                                     article: article, minorStatus: minorStatus, subjectPseudonym: pseudonym,
                                                     declaredAt: now, validUntil: now + validity, maxReports: maxReports)
        let id = try await publish(declaration)
        // The label typed here stays here (encrypted), for `relais cases`.
        try rememberCase(label: caseID, subject: pseudonym)
        return id
    }

    private func publish(_ declaration: ChildProtectionDeclaration) async throws -> ConsentID {
        let signed: SignedObject
        do { signed = try declaration.signed(by: identity) } catch { throw LocalError.usage("\(error)") }
        try await client.putDeclaration(signed)
        vault.declarations.append(declaration.declarationId)
        if declaration.version >= 2 { vault.declarationRecords = (vault.declarationRecords ?? [:]).merging([declaration.declarationId: declaration]) { $1 } }
        try save()
        return declaration.declarationId
    }

    /// The case pseudonyms of the version 2 declarations made on this device that are valid now (for
    /// `ReferralRules.minorPath`'s `declaredSubjects`): a declaration covers its case until its end.
    public var declaredSubjects: Set<String> {
        let now = clock.now()
        return Set((vault.declarationRecords ?? [:]).values.filter { now < $0.limits.validUntil }.compactMap(\.subjectPseudonym))
    }

    /// What covers a referral, as this device knows it.
    enum Cover {
        /// A consent recorded on this device.
        case consent(ConsentRecord, withdrawnAt: UInt64?)
        /// A declaration made on this device (nil: a version 1 declaration, whose limits only the relay knows here).
        case declaration(ChildProtectionDeclaration?)
        /// Another organisation's consent or declaration, under which this device opened a referral: an answer.
        case answer(coverOrganisation: OrganisationID)
    }

    /// The cover of `referral`, checked before anything is sealed for what this device alone knows:
    /// recorded (or declared) here, or a referral opened here under it for a reply; the referral's
    /// needs among the consent's purposes. `requireCoverage` then applies `CoverPolicy` with the recipients.
    func coveringConsent(for referral: Referral) throws -> Cover {
        let id = referral.consent.id
        if referral.kind == .reply, (try? consent(id)) == nil, !vault.declarations.contains(id) {
            // An answer travels under the cover the referral came with, whatever its kind, back to its organisation.
            guard let kept = vault.opened.first(where: { $0.consentId == id }), let org = kept.consentOrganisationId ?? kept.senderOrganisationId else {
                throw LocalError.consent(.replyCoverNotHere)
            }
            return .answer(coverOrganisation: org)
        }
        if referral.consent.kind == .childProtectionDeclaration {
            guard vault.declarations.contains(id) else {
                throw LocalError.consent(.declarationNotHere(id: id.hex))
            }
            return .declaration(vault.declarationRecords?[id])
        }
        guard let (record, withdrawnAt) = try? consent(id) else {
            throw LocalError.consent(.consentNotRecordedHere(id: id.hex))
        }
        let outside = referral.needs.filter { !record.purposes.contains($0) }
        guard outside.isEmpty else {
            throw LocalError.consent(.needsOutsideConsent(outside))
        }
        let categories = referral.categoriesOutside(record.dataCategories)
        guard categories.isEmpty else {
            throw LocalError.consent(.dataOutsideConsent(categories: categories, id: id.hex))
        }
        if let carried = referral.consentRecord, carried != signedConsentRecord(id) {
            throw LocalError.consent(.consentRecordMismatch(id: id.hex))
        }
        try requireReferralSubject(referral, consent: record)
        return .consent(record, withdrawnAt: withdrawnAt)
    }

    /// An exit-programme request under `record` is for the département the person consented for
    /// (a version 1 record names none; the relay then refuses it for its purpose). `requireCoverage`
    /// and guided `send` apply it.
    public static func requireExitDepartement(_ requested: String, consentedIn record: ConsentRecord) throws {
        if let consented = record.departement, requested != consented {
            throw LocalError.consent(.exitDepartementMismatch(requested: requested, consented: consented))
        }
    }

    /// The rules of SPEC.md, "At the relay" (`CoverPolicy`, the relay's and the auditor's), for
    /// `recipients` of `referral` under `cover`, with what this device knows; `plan` and `send` both
    /// apply them. `directory` gives this organisation's own record (its exit-programme accreditation).
    ///
    /// An exit-programme request: accreditation is for the consent's département
    /// (`DirectoryRules.isAccreditedForExitProgramme`, as the relay and the auditor), and a schema v2
    /// request for another département than the consent's is refused. Under a version 1 consent
    /// (no département, which the relay can check only in some département), the request's own
    /// `exitProgramme.departement` is the one checked here.
    func requireCoverage(by cover: Cover, for referral: Referral, of recipients: [OrganisationRecord],
                         directory: [OrganisationRecord]) throws {
        guard let sender = settings.organisationId else { throw LocalError.usage(Message.organisationDeviceOnly.text) }
        let kind = referral.consent.kind
        let now = clock.now()
        var departement: String?
        if kind == .exitProgrammeConsent, case let .consent(record, _) = cover {
            let requested = referral.exitProgramme?.departement
            if let requested { try Self.requireExitDepartement(requested, consentedIn: record) }
            departement = record.departement ?? requested
        }
        let targets = recipients.map {
            CoverPolicy.Recipient(id: $0.id, category: $0.category,
                                  accreditedForExitProgramme: DirectoryRules.isAccreditedForExitProgramme($0, departement: departement, at: now))
        }
        let policyCover: CoverPolicy.Cover
        switch cover {
        case let .answer(coverOrganisation):
            // What this device knows of another organisation's cover: it opened a referral under it.
            guard CoverPolicy.isAnswer(coverOrganisation: coverOrganisation, sender: sender, recipients: targets.map(\.id), sentUnderCover: [sender]) else {
                throw LocalError.consent(.answerOnlyToCover)
            }
            return
        case let .consent(record, withdrawnAt):
            var facts = CoverPolicy.ConsentFacts(record.publicPart, withdrawnAt: withdrawnAt)
            facts.departement = departement  // a version 1 consent's: the request's, which only this device reads
            policyCover = kind == .exitProgrammeConsent ? .exitProgrammeConsent(facts) : .consent(facts)
        case let .declaration(declaration):
            guard let declaration else { return }  // version 1: only the relay knows its reports
            policyCover = .childProtectionDeclaration(.init(declaration, reportsSent: vault.declarationReports?[declaration.declarationId] ?? 0))
        }
        let senderAccredited = DirectoryRules.isAccreditedForExitProgramme(directory.first { $0.id == sender }, departement: departement, at: now)
        if let refusal = CoverPolicy.check(.init(cover: policyCover, sender: sender, senderAccreditedForExitProgramme: senderAccredited,
                                                 recipients: targets, sentUnderCover: [], time: now)).refusal {
            throw LocalError.consent(.ruleRefusal(refusal.reason, recipientName: recipients.first { $0.id == refusal.reason.recipient }?.name))
        }
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
