/// Who may enrol and revoke whom, and who may exchange exit-programme requests: the rules the
/// relay enforces, the client checks in every device chain, and the auditor checks in the log
/// (SPEC.md, "Directory records"). One place, so the three cannot disagree.
public enum DirectoryRules {
    /// A device that enrols another: its role and organisation. `nil` is the relay itself, which
    /// issues only the operator invite at first start (the operator record is self-signed).
    public struct Enroller: Sendable, Equatable {
        public var role: DeviceRole
        public var organisation: OrganisationID?
        public init(role: DeviceRole, organisation: OrganisationID?) {
            self.role = role
            self.organisation = organisation
        }
    }

    /// Whether `enroller` may invite, and sign the record of, a device of `role` in `organisation`:
    /// the relay (nil) only the operator; the operator admins (of an organisation) and auditors
    /// (of none); an admin members and admins of its own organisation. Nobody else enrols anyone.
    public static func mayEnrol(_ enroller: Enroller?, role: DeviceRole, organisation: OrganisationID?) -> Bool {
        guard role.hasOrganisation == (organisation != nil) else { return false }
        switch (enroller?.role, role) {
        case (nil, .operator): return true
        case (.operator?, .admin), (.operator?, .auditor): return true
        case (.admin?, .admin), (.admin?, .member): return enroller?.organisation != nil && enroller?.organisation == organisation
        default: return false
        }
    }

    /// Whether a device of `revoker` role and organisation may revoke a device of `role` in
    /// `organisation`: the operator any device but itself, an admin only its own organisation's.
    public static func mayRevoke(_ revoker: Enroller, role: DeviceRole, organisation: OrganisationID?) -> Bool {
        guard role != .operator else { return false }
        switch revoker.role {
        case .operator: return true
        case .admin: return organisation != nil && revoker.organisation == organisation
        case .member, .auditor: return false
        }
    }

    /// Whether an organisation of `category` whose exit-programme accreditation ends at
    /// `accreditedUntil` is accredited at `time` (an association, before that end).
    public static func isAccreditedForExitProgramme(category: PartnerCategory, accreditedUntil: UInt64?, at time: UInt64) -> Bool {
        (category == .accreditedAssociation || category == .specialisedAssociation) && (accreditedUntil.map { time < $0 } ?? false)
    }

    /// **The** accreditation rule for an exit-programme request, the one the relay, the client and
    /// the auditor call (each with the organisation's operator-signed record as it holds it, the
    /// person's département, the time): an association accredited for the exit programme in
    /// `departement` at `time` (`OrganisationRecord.isAccreditedForExitProgramme(departement:at:)`).
    /// `departement` is nil only for a version 1 exit-programme consent, recorded before consents
    /// named it: then accredited in some département at `time`, which the auditor flags (SPEC.md,
    /// "At the relay"). No record (an organisation unknown to the checker): not accredited.
    public static func isAccreditedForExitProgramme(_ record: OrganisationRecord?, departement: String?, at time: UInt64) -> Bool {
        guard let record else { return false }
        guard let departement else { return record.isAccreditedForExitProgramme(at: time) }
        return record.isAccreditedForExitProgramme(departement: departement, at: time)
    }

    /// A French département code as a person's département is named (a consent's): metropolitan
    /// 01 to 95 with 2A and 2B for Corsica (no 20), overseas 971 to 976.
    public static func isDepartementCode(_ code: String) -> Bool {
        if code == "2A" || code == "2B" { return true }
        guard code.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(code) else { return false }
        switch code.count {
        case 2: return (1...95).contains(n) && n != 20
        case 3: return (971...976).contains(n)
        default: return false
        }
    }

    /// An exit-programme request (parcours de sortie) goes from or to accredited associations:
    /// its sender is accredited, or every recipient is.
    public static func mayExchangeExitProgramme(senderAccredited: Bool, recipientsAccredited: [Bool]) -> Bool {
        senderAccredited || (!recipientsAccredited.isEmpty && recipientsAccredited.allSatisfy { $0 })
    }
}
