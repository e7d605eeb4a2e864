import Logging
import Synchronization
import RelaisCore
import RelaisCrypto
import RelaisStore

extension Relay {
    func putConsent(_ signed: SignedObject) async throws -> ConsentPublic {
        let caller = try Caller.require(Caller.receivers, to: "record consents")
        let consent = try verifiedFromCaller(caller, "consent") { try ConsentPublic.verify(signed, signer: $0) }
        guard consent.organisationId == caller.organisationID else {
            throw RelayError.forbidden("consent_organisation", "a device records consents for its own organisation only")
        }
        guard consent.validUntil > clock.now() else { throw RelayError.badRequest("consent", "this consent has already expired") }
        try await storeCall {
            try await store.putConsent(StoredConsent(id: consent.consentId, organisationID: consent.organisationId, recordedBy: caller.id,
                                                     signed: signed, grantedAt: consent.grantedAt, validUntil: consent.validUntil))
        }
        return consent
    }

    func withdrawConsent(_ text: String, _ signed: SignedObject) async throws -> WithdrawalOutcome {
        let caller = try Caller.require(Caller.receivers, to: "withdraw consents")
        guard let id = ConsentID(hex: text) else { throw RelayError.badRequest("consent_id", "consent ids are 32 lowercase hex digits") }
        guard let stored = try await storeCall({ try await store.consent(id) }), stored.organisationID == caller.organisationID else {
            throw RelayError.notFound("consent")
        }
        let withdrawal = try verifiedFromCaller(caller, "withdrawal") { try ConsentWithdrawal.verify(signed, signer: $0) }
        guard withdrawal.consentId == id, withdrawal.organisationId == stored.organisationID else {
            throw RelayError.badRequest("withdrawal", "the withdrawal names another consent or organisation")
        }
        let outcome = try await storeCall { try await store.withdrawConsent(id, withdrawal: signed, at: clock.now()) }
        metrics.deletedByWithdrawal(outcome.deletedEnvelopes.count)
        logger.info("consent withdrawn", metadata: ["deleted": .stringConvertible(outcome.deletedEnvelopes.count),
                                                    "notified": .stringConvertible(outcome.notifiedOrganisations.count)])
        return outcome
    }

    func putDeclaration(_ signed: SignedObject) async throws -> ChildProtectionDeclaration {
        let caller = try Caller.require(Caller.receivers, to: "declare child-protection reports")
        let declaration = try verifiedFromCaller(caller, "declaration") { try ChildProtectionDeclaration.verify(signed, signer: $0) }
        guard declaration.organisationId == caller.organisationID else {
            throw RelayError.forbidden("declaration_organisation", "a device declares for its own organisation only")
        }
        guard declaration.limits.validUntil > clock.now() else {
            throw RelayError.badRequest("declaration", "this declaration has already expired")
        }
        try await storeCall {
            try await store.putDeclaration(StoredDeclaration(id: declaration.declarationId, organisationID: declaration.organisationId,
                                                             declaredBy: caller.id, signed: signed, declaredAt: declaration.declaredAt,
                                                             maxReports: declaration.limits.maxReports))
        }
        return declaration
    }

    func notices() async throws -> [SignedObject] {
        let caller = try Caller.require(Caller.receivers, to: "read withdrawal notices")
        guard let org = caller.organisationID else { return [] }
        return try await storeCall { try await store.notices(organisation: org) }
    }

    /// The rules of SPEC.md, "At the relay" (`CoverPolicy`, shared with the client and the
    /// auditor), for an envelope from `senderOrganisation`: the facts come from the store.
    func checkCoverage(_ header: EnvelopeHeader, senderOrganisation: OrganisationID, now: UInt64) async throws {
        var organisations: [StoredOrganisation] = []
        for id in header.recipientOrganisations {
            guard let org = try await storeCall({ try await store.organisation(id) }) else {
                throw RelayError.unprocessable("recipient", "recipient organisation \(id) is not in the directory")
            }
            organisations.append(org)
        }
        var recipients = organisations.map { CoverPolicy.Recipient(id: $0.id, category: $0.category) }
        let id = header.consent.id
        let cover: CoverPolicy.Cover
        var senderAccredited = false
        switch header.consent.kind {
        case .consent, .exitProgrammeConsent:
            // Verified once, at publication (`putConsent`): parsing is enough here, on the submit path.
            let stored = try await storeCall { try await store.consent(id) }
            let facts = stored.flatMap { s in parsedConsents.parse(s).map { CoverPolicy.ConsentFacts($0, withdrawnAt: s.withdrawnAt) } }
            if header.consent.kind == .consent {
                cover = .consent(facts)
            } else {
                cover = .exitProgrammeConsent(facts)
                // Accredited in the consent's département (none for a version 1 consent: some
                // département), read from the operator-signed records the store keeps.
                let departement = facts?.departement
                for i in recipients.indices {
                    recipients[i].accreditedForExitProgramme = Self.accredited(organisations[i], departement: departement, at: now)
                }
                let sender = try await storeCall { try await store.organisation(senderOrganisation) }
                senderAccredited = sender.map { Self.accredited($0, departement: departement, at: now) } ?? false
            }
        case .childProtectionDeclaration:
            // Verified at `putDeclaration`; a declaration is rare on the submit path, parsed each time.
            let stored = try await storeCall { try await store.declaration(id) }
            let parsed = stored.flatMap { try? ChildProtectionDeclaration.parse($0.signed) }
            let sent = parsed == nil ? 0 : try await storeCall { try await store.reportsSent(declaration: id) }
            cover = .childProtectionDeclaration(parsed.map { CoverPolicy.DeclarationFacts($0, reportsSent: sent) })
        }
        // Who may answer: asked of the store only when the envelope could be one (another
        // organisation's cover, to that organisation alone), not on every submit.
        let coverOrganisation: OrganisationID? = switch cover {
        case let .consent(c), let .exitProgrammeConsent(c): c?.organisation
        case let .childProtectionDeclaration(d): d?.organisation
        }
        var sentUnder = Set<OrganisationID>()
        if let coverOrganisation, coverOrganisation != senderOrganisation, header.recipientOrganisations == [coverOrganisation] {
            sentUnder = Set(try await storeCall { try await store.organisationsSent(consent: id) })
        }
        let decision = CoverPolicy.check(.init(cover: cover, sender: senderOrganisation, senderAccreditedForExitProgramme: senderAccredited,
                                               recipients: recipients, sentUnderCover: sentUnder, time: now, skew: configuration.clockSkewSeconds))
        if let refusal = decision.refusal { throw Self.refusal(refusal.code) }
    }

    /// The relay's answer to a refusal of `CoverPolicy`: 403, the stable code, an English message
    /// (the client shows the French one of the policy).
    static func refusal(_ code: CoverPolicy.Code) -> RelayError {
        let message = switch code {
        case .consentUnknown: "the consent is unknown to the relay: publish it before sending (relais consent grant)"
        case .consentOtherOrganisation: "the consent was recorded by another organisation: a consent covers only its own organisation's referrals (and answers to it)"
        case .consentWithdrawn: "the person withdrew this consent: nothing more may be sent under it"
        case .consentExpired: "the consent is not valid now (it expired, or starts later): record a new one with the person"
        case .consentScope: "the consent does not cover every recipient organisation"
        case .consentPurpose: "the consent does not cover an exit-programme request"
        case .notAccredited: "an exit-programme request goes from, or to, associations accredited for the exit programme in the person's département (the consent's) at this time"
        case .declarationUnknown: "a child-protection report needs this organisation's signed declaration (relais declare)"
        case .declarationExpired: "the child-protection declaration has expired: make a new one (relais declare)"
        case .declarationExhausted: "the child-protection declaration has served all its reports: make a new one (relais declare)"
        case .childProtectionRecipients: "a child-protection report goes only to child protection, a prosecutor or the police"
        }
        return RelayError.forbidden(code.rawValue, message)
    }

    /// `DirectoryRules.isAccreditedForExitProgramme` on the record the store keeps, verified at
    /// `putOrganisation` (parsed here, only for an exit-programme request).
    static func accredited(_ org: StoredOrganisation, departement: String?, at now: UInt64) -> Bool {
        DirectoryRules.isAccreditedForExitProgramme(try? OrganisationRecord.parseVerified(org.signed), departement: departement, at: now)
    }
}

/// Consents as parsed on the submit path, kept by id with the exact signed bytes they came from:
/// a stored record with other bytes is parsed again. Records are verified once, at publication;
/// parsing the JSON on every submit was a tenth of a submit's cost (BENCHMARKS.md). Emptied as a
/// whole when it holds `capacity` consents.
final class ParsedConsents: Sendable {
    private let parsed = Mutex([ConsentID: (signed: SignedObject, consent: ConsentPublic)]())
    let capacity: Int

    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    func parse(_ stored: StoredConsent) -> ConsentPublic? {
        if let hit = parsed.withLock({ $0[stored.id] }), hit.signed == stored.signed { return hit.consent }
        guard let consent = try? ConsentPublic.parse(stored.signed) else { return nil }
        parsed.withLock { cache in
            if cache.count >= capacity { cache.removeAll() }
            cache[stored.id] = (stored.signed, consent)
        }
        return consent
    }
}
