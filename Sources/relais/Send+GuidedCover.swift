import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

/// Guided `send`: what the consent or the declaration a referral rests on implies. An
/// exit-programme consent may carry an exit-programme request (first request or renewal, months
/// already completed, the person's département); a child-protection declaration carries a
/// child-protection report about a minor, to the categories a declaration allows. Each answer is
/// checked by the rule the typed options meet (RelaisCore's, or `LocalDevice`'s for the
/// département), and a wrong one is asked again with its reason.
extension Send {
    /// The consent or declaration given by `--consent` or `--child-protection-declaration`, when
    /// recorded here (otherwise `build` and `plan` refuse it as they do without a terminal).
    func givenCover(_ device: LocalDevice) async throws -> Cover? {
        if let typed = referral.consent {
            return (try? device.consent(try device.resolveConsentID(typed)).record).map(Cover.consent)
        }
        guard let typed = referral.childProtectionDeclaration, let id = try? device.resolveDeclarationID(typed) else { return nil }
        return try await Self.declarations(device).first { $0.declarationId == id }.map(Cover.declaration)
    }

    /// The case's consents valid now, then its declarations valid now (version 2: a version 1
    /// declaration names no case), numbered; neither is a usage error that says how to record one.
    func chooseCover(_ device: LocalDevice) async throws -> Cover {
        let l = Messages.language
        let label = try Guided.given(referral.caseLabel, Field.caseLabel.rawValue)
        let subject = try device.subjectPseudonym(caseID: label)
        let now = UInt64(Date().timeIntervalSince1970)
        let consents = try device.consents().filter { $0.withdrawnAt == nil && $0.record.subjectPseudonym == subject && now < $0.record.validUntil }
            .map(\.record).sorted { $0.validUntil > $1.validUntil }.map {
                Guided.Choice(Message.guidedConsentChoice(id: $0.consentId.short, purposes: $0.purposes.map { $0.label(l) }, until: date($0.validUntil)).text,
                              forms: [$0.consentId.short, $0.consentId.hex], value: Cover.consent($0))
            }
        let declarations = try await Self.declarations(device).filter { $0.subjectPseudonym == subject && now < $0.limits.validUntil }
            .sorted { $0.limits.validUntil > $1.limits.validUntil }.map {
                Guided.Choice(Message.guidedDeclarationChoice(id: $0.declarationId.short, minor: $0.minorStatus.label(l), until: date($0.limits.validUntil)).text,
                              forms: [$0.declarationId.short, $0.declarationId.hex], value: Cover.declaration($0))
            }
        guard !consents.isEmpty || !declarations.isEmpty else { throw LocalError.usage(Message.guidedNoConsent(label: label).text) }
        return try Guided.choose(declarations.isEmpty ? .consent : .cover, consents + declarations)[0]
    }

    /// What `cover` implies, asked when not given: the kind (a declaration carries a report; an
    /// exit-programme consent, a request or an orientation); for a report, the minor's details; for
    /// an exit-programme request, first request or renewal, the département (Enter: the consent's)
    /// and, for a renewal, the months already completed.
    mutating func askImplied(by cover: Cover?) throws {
        if referral.kind == nil {
            switch cover {
            case .declaration?: referral.kind = try Guided.choose(.kind, Guided.choices([Referral.Kind.childProtectionReport]))[0]
            case let .consent(c)? where c.purposes.contains(.exitProgramme):
                referral.kind = try Guided.choose(.kind, Guided.choices([Referral.Kind.exitProgrammeRequest, .orientation]))[0]
            default: break
            }
        }
        if referral.kind == .childProtectionReport {
            if !referral.path.unaccompaniedForeignMinor { referral.path.unaccompaniedForeignMinor = try Guided.yesNo(.unaccompaniedMinor) }
            if !referral.path.aged16WithComplaint { referral.path.aged16WithComplaint = try Guided.yesNo(.aged16WithComplaint) }
        }
        guard referral.kind == .exitProgrammeRequest else { return }
        if referral.path.exitRequest == nil {
            referral.path.exitRequest = try Guided.choose(.exitRequest, Guided.choices(Referral.ExitProgramme.Request.allCases))[0]
        }
        let consent = cover?.consent
        if referral.path.departement == nil {
            referral.path.departement = try Guided.departement(preset: consent?.departement) { code in
                if let consent { try LocalDevice.requireExitDepartement(code, consentedIn: consent) }
            }
        }
        // A first request has completed nothing: `--months-used` is 0 unless given, as without a terminal.
        if referral.path.monthsUsed == nil, let request = referral.path.exitRequest, request != .first, let departement = referral.path.departement {
            referral.path.monthsUsed = try Guided.text(.monthsUsed) { typed in
                let months = Int(typed) ?? -1
                try Self.validate(Referral.ExitProgramme(request: request, monthsAlreadyUsed: months, departement: departement))
                return months
            }
        }
    }

    /// The minor statuses a referral of `kind` may state: a report is about a minor or alleged
    /// minor, an exit-programme request about an adult (`ReferralRules`).
    static func allows(_ kind: Referral.Kind, _ status: Referral.MinorStatus) -> Bool {
        guard status != .unknown, kind != .childProtectionReport || status.isMinorOrAlleged else { return false }
        return ReferralRules.checkRecipients(kind: kind, minorStatus: status, senderAccreditedInDepartement: true, recipients: [])?.code
            != .exitProgrammeAdultsOnly
    }

    /// RelaisCore's own rules (`Referral.validate`) on `exit`, carried by a request valid in every
    /// other respect: the answer is refused for the reason the typed options would be.
    static func validate(_ exit: Referral.ExitProgramme) throws {
        let probe = Referral(kind: .exitProgrammeRequest, needs: [.exitProgramme],
                             person: .init(subjectPseudonym: String(repeating: "0", count: 64), ageBand: .unknown, minorStatus: .adult,
                                           languages: ["fr"], interpreterNeeded: false, administrativeStatus: .unknown),
                             safety: .init(dangerLevel: 0, safeToCall: false),
                             consent: .init(kind: .exitProgrammeConsent, id: ConsentID(hex: String(repeating: "0", count: 32))!),
                             sender: .init(name: "-", role: "-"), createdAt: 0, exitProgramme: exit)
        try probe.validate()
    }

    /// The version 2 declarations made on this device (`relais cases` lists them by case).
    static func declarations(_ device: LocalDevice) async throws -> [ChildProtectionDeclaration] {
        try await device.cases(refresh: false).flatMap(\.declarations)
    }
}
