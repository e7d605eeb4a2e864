internal import Foundation

/// The rules JSON decoding alone cannot check (SPEC.md, "Referral schema v2" and "Referral schema
/// v1"). Messages are English and technical and name the field; the CLI words them for the user.
extension Referral {
    /// Checks ranges, lengths and the rules tying the fields together, for the referral's version.
    public func validate() throws(ReferralError) {
        guard Self.readableVersions.contains(schemaVersion) else {
            throw .invalid("schemaVersion must be 1 or 2, got \(schemaVersion)")
        }
        try validateCommon()
        if schemaVersion == 1 { try validateV1() } else { try validateV2() }
    }

    /// The rules both versions share.
    private func validateCommon() throws(ReferralError) {
        guard !needs.isEmpty else { throw .invalid("needs: at least one need") }
        guard Set(needs).count == needs.count else { throw .invalid("needs: listed twice") }
        guard (0...3).contains(safety.dangerLevel) else { throw .invalid("safety.dangerLevel must be 0 to 3, got \(safety.dangerLevel)") }
        for (name, text) in [("person.firstName", person.firstName), ("safety.codeWord", safety.codeWord), ("sender.name", sender.name),
                             ("sender.role", sender.role), ("sender.phone", sender.phone), ("sender.email", sender.email)] {
            try Self.checkShort(text, name)
        }
        guard (safety.safeContactInstructions ?? "").count <= Limits.freeText, (freeText ?? "").count <= Limits.freeText else {
            throw .invalid("free text longer than \(Limits.freeText) characters")
        }
        guard !sender.name.isEmpty, !sender.role.isEmpty else { throw .invalid("sender.name and sender.role are required") }
        guard (1...Limits.languages).contains(person.languages.count) else { throw .invalid("person.languages: 1 to \(Limits.languages) codes") }
        for l in person.languages {
            guard (2...3).contains(l.count), l.allSatisfy({ $0.isASCII && $0.isLowercase }) else {
                throw .invalid("person.languages: \"\(l)\" is not a lowercase ISO 639 code")
            }
        }
        guard attachments.count <= Limits.attachments else { throw .invalid("more than \(Limits.attachments) attachments") }
        switch kind {
        case .reply:
            guard inReplyTo != nil else { throw .invalid("a reply needs inReplyTo") }
        default:
            guard inReplyTo == nil else { throw .invalid("inReplyTo is only for replies") }
        }
        switch kind {
        case .childProtectionReport:
            guard person.minorStatus.isMinorOrAlleged else {
                throw .invalid("a child-protection report is for a minor or alleged minor")
            }
            guard consent.kind == .childProtectionDeclaration else {
                throw .invalid("a child-protection report is covered by a child-protection declaration")
            }
        case .exitProgrammeRequest:
            guard consent.kind == .exitProgrammeConsent else {
                throw .invalid("an exit-programme request rests on a consent of kind exitProgrammeConsent")
            }
            guard needs.contains(.exitProgramme) else { throw .invalid("an exit-programme request lists the exitProgramme need") }
        case .reply:
            break  // under the cover of the referral it answers, whatever its kind (SPEC.md, "At the relay": answers)
        default:
            guard consent.kind == .consent else {
                throw .invalid("this kind of referral rests on a consent of kind consent")
            }
        }
    }

    /// Schema v1: a free-text case pseudonym, and none of v2's fields or values.
    private func validateV1() throws(ReferralError) {
        guard person.subjectPseudonym == nil else { throw .invalid("person.subjectPseudonym is a schema v2 field") }
        let trimmed = person.casePseudonym.trimmingCharacters(in: .whitespacesAndNewlines)
        guard person.v1CasePseudonym != nil, !trimmed.isEmpty else { throw .invalid("person.casePseudonym is missing or empty") }
        try Self.checkShort(person.casePseudonym, "person.casePseudonym")
        for (name, present) in [("situation", situation != nil), ("leadProfessional", leadProfessional != nil), ("minor", minor != nil),
                                ("exitProgramme", exitProgramme != nil), ("outcome", outcome != nil),
                                ("consentRecord", consentRecord != nil)] where present {
            throw .invalid("\(name) is a schema v2 field")
        }
        if let need = needs.first(where: { !Need.v1Cases.contains($0) }) { throw .invalid("needs: \"\(need.rawValue)\" is a schema v2 need") }
        guard person.administrativeStatus != .provisionalResidenceAuthorisation else {
            throw .invalid("person.administrativeStatus: \"provisionalResidenceAuthorisation\" is a schema v2 value")
        }
    }

    /// Schema v2.
    private func validateV2() throws(ReferralError) {
        try validatePersonV2()
        if let situation { try situation.validate() }
        if let leadProfessional {
            guard !leadProfessional.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw .invalid("leadProfessional.name is empty")
            }
            for (name, text) in [("leadProfessional.name", leadProfessional.name), ("leadProfessional.organisation", leadProfessional.organisation),
                                 ("leadProfessional.phone", leadProfessional.phone), ("leadProfessional.email", leadProfessional.email)] {
                try Self.checkShort(text, name)
            }
        }
        try validateMinor()
        try validateExitProgramme()
        if kind == .safeAccommodationRequest {
            guard needs.contains(.distantShelter) else {
                throw .invalid("a safeAccommodationRequest (AcSé) lists the need distantShelter")
            }
            guard situation?.inDangerLocally != false, situation?.needsToMoveAway != false else {
                throw .invalid("a safeAccommodationRequest (AcSé) is for a person in danger locally who needs to move away: situation says otherwise")
            }
        }
        try validateConsentRecord()
        try validateAttachmentsV2()
        switch (kind, outcome) {
        case (.reply, nil): throw .invalid("a reply carries an outcome")
        case let (.reply, outcome?): try outcome.validate()
        case (_, nil): break
        case (_, _?): throw .invalid("outcome is only for replies")
        }
    }

    private func validatePersonV2() throws(ReferralError) {
        guard person.v1CasePseudonym == nil else {
            throw .invalid("person.casePseudonym is schema v1 only: v2 carries person.subjectPseudonym")
        }
        guard let subject = person.subjectPseudonym, Self.isSubjectPseudonym(subject) else {
            throw .invalid("person.subjectPseudonym must be 64 lowercase hex digits (the consent's subject pseudonym)")
        }
        switch (person.minorStatus, person.ageBand) {
        case (.unknown, _):
            throw .invalid("person.minorStatus \"unknown\" is schema v1 only: a doubt about the age is allegedMinor")
        case let (.adult, band) where band.isMinorBand:
            throw .invalid("person.ageBand \(band.rawValue) contradicts person.minorStatus adult")
        case let (.minor, band) where band.isAdultBand:
            throw .invalid("person.ageBand \(band.rawValue) contradicts person.minorStatus minor")
        default: break
        }
    }

    /// Only a referral under a consent carries its record: a reply travels under the original's,
    /// a child-protection report under a declaration.
    private func validateConsentRecord() throws(ReferralError) {
        guard let consentRecord else { return }
        guard kind != .reply else { throw .invalid("consentRecord: a reply carries no consent record (it travels under the original's)") }
        guard consent.kind != .childProtectionDeclaration else {
            throw .invalid("consentRecord: a referral under a child-protection declaration carries no consent record")
        }
        guard (1...Limits.consentRecordBytes).contains(consentRecord.bytes.count) else {
            throw .invalid("consentRecord.bytes: 1 to \(Limits.consentRecordBytes) bytes")
        }
    }

    private func validateMinor() throws(ReferralError) {
        guard let minor else { return }
        guard person.minorStatus.isMinorOrAlleged else {
            throw .invalid("minor is only for a person whose minorStatus is minor or allegedMinor")
        }
        if minor.aged16OrMoreWithComplaint {
            guard person.ageBand != .under15 else {
                throw .invalid("minor.aged16OrMoreWithComplaint contradicts person.ageBand under15")
            }
            guard situation?.complaintFiled != false else {
                throw .invalid("minor.aged16OrMoreWithComplaint contradicts situation.complaintFiled false")
            }
        }
    }

    private func validateExitProgramme() throws(ReferralError) {
        guard kind == .exitProgrammeRequest else {
            guard exitProgramme == nil else { throw .invalid("exitProgramme is only for an exitProgrammeRequest") }
            return
        }
        guard let exitProgramme else { throw .invalid("an exitProgrammeRequest carries exitProgramme") }
        guard person.minorStatus == .adult else {
            throw .invalid("an exitProgrammeRequest is for an adult: person.minorStatus is \(person.minorStatus.rawValue)")
        }
        let used = exitProgramme.monthsAlreadyUsed
        let limit = ExitProgramme.maximumMonths - ExitProgramme.periodMonths
        switch exitProgramme.request {
        case .first:
            guard used == 0 else { throw .invalid("exitProgramme.monthsAlreadyUsed must be 0 for a first request, got \(used)") }
        case .renewal:
            guard used >= 1 else { throw .invalid("exitProgramme.monthsAlreadyUsed must be at least 1 for a renewal, got \(used)") }
            guard used <= limit else {
                throw .invalid("exitProgramme.monthsAlreadyUsed \(used) + \(ExitProgramme.periodMonths) exceeds the \(ExitProgramme.maximumMonths)-month maximum")
            }
        }
        guard OrganisationRecord.isDepartement(exitProgramme.departement) else {
            throw .invalid("exitProgramme.departement \"\(exitProgramme.departement)\" is not a département code")
        }
    }

    static func checkShort(_ text: String?, _ name: String) throws(ReferralError) {
        guard (text ?? "").count <= Limits.shortText else { throw .invalid("\(name) longer than \(Limits.shortText) characters") }
    }

    /// 64 lowercase hex digits, as `ConsentRecord.pseudonym` writes them.
    public static func isSubjectPseudonym(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

extension Referral.Situation {
    func validate() throws(ReferralError) {
        if let types = exploitationTypes, Set(types).count != types.count {
            throw .invalid("situation.exploitationTypes: listed twice")
        }
        if let d = currentDepartement, !OrganisationRecord.isDepartement(d) {
            throw .invalid("situation.currentDepartement \"\(d)\" is not a département code")
        }
        if let areas = areasToAvoid {
            guard areas.count <= Referral.Limits.departements, Set(areas).count == areas.count else {
                throw .invalid("situation.areasToAvoid: at most \(Referral.Limits.departements) départements, none twice")
            }
            if let bad = areas.first(where: { !OrganisationRecord.isDepartement($0) }) {
                throw .invalid("situation.areasToAvoid: \"\(bad)\" is not a département code")
            }
        }
        if let children, !(1...Referral.Limits.children).contains(children.count) {
            throw .invalid("situation.children.count must be 1 to \(Referral.Limits.children), got \(children.count)")
        }
    }
}

extension Referral.Outcome {
    func validate() throws(ReferralError) {
        for (name, text) in [("outcome.reason", reason), ("outcome.note", note)] {
            guard (text ?? "").count <= Referral.Limits.outcomeText else {
                throw .invalid("\(name) longer than \(Referral.Limits.outcomeText) characters")
            }
        }
        if let field = Self.requiredField(for: status), !has(field) {
            throw .invalid("outcome.\(field.rawValue) is required for \(status.rawValue)")
        }
        for field in Field.allCases where field != .reason && has(field) && !field.allowedFor.contains(status) {
            throw .invalid("outcome.\(field.rawValue) is only for \(Status.allCases.filter(field.allowedFor.contains).map(\.rawValue).joined(separator: " or "))")
        }
    }
}
