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

    /// An exit-programme request (parcours de sortie) goes from or to accredited associations:
    /// its sender is accredited, or every recipient is.
    public static func mayExchangeExitProgramme(senderAccredited: Bool, recipientsAccredited: [Bool]) -> Bool {
        senderAccredited || (!recipientsAccredited.isEmpty && recipientsAccredited.allSatisfy { $0 })
    }
}
