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
        try await storeCall {
            try await store.putDeclaration(StoredDeclaration(id: declaration.declarationId, organisationID: declaration.organisationId,
                                                             declaredBy: caller.id, signed: signed, declaredAt: declaration.declaredAt))
        }
        return declaration
    }

    func notices() async throws -> [SignedObject] {
        let caller = try Caller.require(Caller.receivers, to: "read withdrawal notices")
        guard let org = caller.organisationID else { return [] }
        return try await storeCall { try await store.notices(organisation: org) }
    }

    /// The consent rules of SPEC.md, "Consent at the relay", for an envelope from `senderOrganisation`.
    func checkCoverage(_ header: EnvelopeHeader, senderOrganisation: OrganisationID, now: UInt64) async throws {
        var recipients: [(OrganisationID, StoredOrganisation)] = []
        for id in header.recipientOrganisations {
            guard let org = try await storeCall({ try await store.organisation(id) }) else {
                throw RelayError.unprocessable("recipient", "recipient organisation \(id) is not in the directory")
            }
            recipients.append((id, org))
        }
        switch header.consent.kind {
        case .consent, .exitProgrammeConsent:
            // Verified once, at publication (`putConsent`): parsing is enough here, on the submit path.
            guard let stored = try await storeCall({ try await store.consent(header.consent.id) }),
                  let consent = parsedConsents.parse(stored) else {
                throw RelayError.forbidden("consent_unknown", "the consent \(header.consent.id) is unknown to the relay: publish it before sending (relais consent grant)")
            }
            // An organisation that received referrals under a consent may answer the recording
            // organisation under it (a reply); any other use of another organisation's consent is refused.
            var isAnswer = false
            if stored.organisationID != senderOrganisation, header.recipientOrganisations == [stored.organisationID], header.consent.kind == .consent {
                isAnswer = try await storeCall { try await store.organisationsSent(consent: stored.id) }.contains(senderOrganisation)
            }
            guard stored.organisationID == senderOrganisation || isAnswer else {
                throw RelayError.forbidden("consent_other_organisation", "the consent was recorded by another organisation: a consent covers only its own organisation's referrals (and answers to it)")
            }
            guard stored.withdrawnAt == nil else {
                throw RelayError.forbidden("consent_withdrawn", "the person withdrew this consent: nothing more may be sent under it")
            }
            guard consent.grantedAt <= now + configuration.clockSkewSeconds, now < consent.validUntil else {
                throw RelayError.forbidden("consent_expired", "the consent is not valid now (it expired, or starts later): record a new one with the person")
            }
            for (id, org) in recipients where !isAnswer && !consent.covers(organisation: id, category: org.category) {
                throw RelayError.forbidden("consent_scope", "the consent does not cover recipient organisation \(id) (\(org.category.rawValue))")
            }
            if header.consent.kind == .exitProgrammeConsent {
                guard consent.exitProgramme else {
                    throw RelayError.forbidden("consent_purpose", "the consent does not cover an exit-programme request")
                }
                let sender = try await storeCall { try await store.organisation(senderOrganisation) }
                let senderAccredited = sender.map { Self.accredited($0, at: now) } ?? false
                guard DirectoryRules.mayExchangeExitProgramme(senderAccredited: senderAccredited,
                                                              recipientsAccredited: recipients.map { Self.accredited($0.1, at: now) }) else {
                    throw RelayError.forbidden("not_accredited", "an exit-programme request needs the sender or the recipients to be an association accredited for the exit programme today")
                }
            }
        case .childProtectionDeclaration:
            guard let declaration = try await storeCall({ try await store.declaration(header.consent.id) }),
                  declaration.organisationID == senderOrganisation else {
                throw RelayError.forbidden("declaration_unknown", "a child-protection report needs this organisation's signed declaration (relais declare)")
            }
            for (id, org) in recipients where !ChildProtectionDeclaration.allowedRecipients.contains(org.category) {
                throw RelayError.forbidden("child_protection_recipients", "a child-protection report goes only to child protection, a prosecutor or the police, not to \(id) (\(org.category.rawValue))")
            }
        }
    }

    static func accredited(_ org: StoredOrganisation, at now: UInt64) -> Bool {
        DirectoryRules.isAccreditedForExitProgramme(category: org.category, accreditedUntil: org.exitProgrammeAccreditedUntil, at: now)
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
