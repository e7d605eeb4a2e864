/// Which kind of personal data each referral field is (SPEC.md, "Referral schema v2", "Data
/// categories"): a consent names the kinds the person agreed to share (`ConsentRecord.dataCategories`),
/// and the sender's client refuses a referral carrying another kind.
///
/// A field counts when it says something about the person: present, not empty, and not the value
/// that says nothing (an `unknown` administrative status, danger level 0 with `safeToCall` true).
/// The core every referral has (age band, minor status, languages, needs) is `situation`, so a
/// consent to share the situation covers the smallest referral. The referral's own facts (version, kind, `inReplyTo`, consent reference,
/// creation time), the person's pseudonym (the consent's own subject) and the sender's contact are
/// not the person's data and carry no category.
extension Referral {
    /// The needs that are health data (RGPD art. 9).
    public static let healthNeeds: Set<Need> = [.health, .sexualHealth, .mentalHealth, .addictions, .harmReduction]

    /// The categories of the fields this referral actually carries.
    public var dataCategories: Set<DataCategory> {
        var c = Set<DataCategory>()
        // person
        if person.firstName?.isEmpty == false { c.insert(.identity) }
        c.insert(.situation)  // ageBand, minorStatus, languages, interpreterNeeded: always present
        if person.administrativeStatus != .unknown { c.insert(.administrative) }
        // needs
        if needs.contains(where: { Self.healthNeeds.contains($0) }) { c.insert(.health) }
        if needs.contains(where: { !Self.healthNeeds.contains($0) }) { c.insert(.situation) }
        // safety
        if safety.dangerLevel > 0 || !safety.safeToCall { c.insert(.safety) }
        if safety.safeContactInstructions?.isEmpty == false || safety.codeWord?.isEmpty == false { c.insert(.contact) }
        // narrative: an attachment is the situation, like the free text (SPEC.md, "Attachments": the
        // client cannot read a scan, so what a file says is the sender's to keep within the consent)
        if freeText?.isEmpty == false || !attachments.isEmpty { c.insert(.situation) }
        // v2
        if let s = situation { c.formUnion(s.dataCategories) }
        if leadProfessional != nil { c.insert(.contact) }
        if minor != nil { c.formUnion([.administrative, .legal]) }
        if exitProgramme != nil { c.insert(.administrative) }
        if outcome != nil { c.insert(.situation) }
        return c
    }

    /// The categories this referral carries that `allowed` (a consent's `dataCategories`) does not
    /// list, in `DataCategory.allCases` order: empty when the consent covers the content.
    public func categoriesOutside(_ allowed: [DataCategory]) -> [DataCategory] {
        let present = dataCategories.subtracting(allowed)
        return DataCategory.allCases.filter { present.contains($0) }
    }
}

extension Referral.Situation {
    var dataCategories: Set<DataCategory> {
        var c = Set<DataCategory>()
        if exploitationTypes?.isEmpty == false || currentDepartement != nil || children != nil || debt != nil || interview != nil {
            c.insert(.situation)
        }
        if inDangerLocally != nil || needsToMoveAway != nil || areasToAvoid?.isEmpty == false || threatsToRelatives != nil {
            c.insert(.safety)
        }
        if identityDocumentsHeldByOthers != nil { c.insert(.administrative) }
        if complaintFiled != nil { c.insert(.legal) }
        if pregnancy != nil { c.insert(.health) }
        return c
    }
}

extension DataCategory {
    /// The category in the words of a French social worker, for every message that names one (the
    /// sender's refusal, the recipient's flag, the consent read to the person).
    /// (The catalogue's label: Labels+fr.swift.)
    public var frenchLabel: String { labelFr }

    /// `categories` in French, in the order given, separated by commas: «santé, situation administrative».
    public static func frenchList(_ categories: [DataCategory]) -> String {
        categories.map(\.frenchLabel).joined(separator: ", ")
    }
}
