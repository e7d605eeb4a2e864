import Foundation

/// The parts schema v2 adds to a referral (SPEC.md, "Referral schema v2"). Each field is optional
/// unless said otherwise: a professional writes what the person agreed to share and nothing more.
extension Referral {
    /// A form of exploitation the person is or was subjected to.
    public enum ExploitationType: String, Codable, Sendable, CaseIterable {
        case prostitution
        /// «proxénétisme» (Code pénal 225-5).
        case procuring
        /// «traite des êtres humains aux fins d'exploitation sexuelle».
        case traffickingForSexualExploitation
        case forcedLabour
        /// «mendicité».
        case forcedBegging
        /// «à des fins de commission de délit».
        case forcedCriminality
        case domesticServitude
        case forcedMarriage
    }

    /// How the professional spoke with the person: «Recevoir la personne seule de préférence, ou
    /// avec un interprète professionnel si besoin, afin de s'assurer que sa parole n'est pas sous
    /// influence ou sous contrôle». `accompanied` warns the reader that what was said may have been
    /// said under someone's control.
    public enum Interview: String, Codable, Sendable, CaseIterable {
        case alone, withProfessionalInterpreter, accompanied
    }

    public struct Children: Codable, Hashable, Sendable {
        /// 1…`Limits.children`.
        public var count: Int
        public var withThePerson: Bool?
        public var atRisk: Bool?

        public init(count: Int, withThePerson: Bool? = nil, atRisk: Bool? = nil) {
            self.count = count
            self.withThePerson = withThePerson
            self.atRisk = atRisk
        }
    }

    /// The person's situation, as far as the person agreed to share it.
    public struct Situation: Codable, Hashable, Sendable {
        public var exploitationTypes: [ExploitationType]?
        /// In danger where the person lives now (AcSé: «en danger localement»).
        public var inDangerLocally: Bool?
        /// Needs to move far away (AcSé: «nécessitant un éloignement géographique»).
        public var needsToMoveAway: Bool?
        /// The département the person is in now (a directory code: "75", "2A", "971").
        public var currentDepartement: String?
        /// Départements where the person must not be placed.
        public var areasToAvoid: [String]?
        public var children: Children?
        /// «les menaces sur leurs proches».
        public var threatsToRelatives: Bool?
        /// «la dette considérable qu'elles « doivent » rembourser».
        public var debt: Bool?
        /// «absence de documents d'identité»: someone else holds them.
        public var identityDocumentsHeldByOthers: Bool?
        public var complaintFiled: Bool?
        public var pregnancy: Bool?
        public var interview: Interview?

        public init(exploitationTypes: [ExploitationType]? = nil, inDangerLocally: Bool? = nil, needsToMoveAway: Bool? = nil,
                    currentDepartement: String? = nil, areasToAvoid: [String]? = nil, children: Children? = nil,
                    threatsToRelatives: Bool? = nil, debt: Bool? = nil, identityDocumentsHeldByOthers: Bool? = nil,
                    complaintFiled: Bool? = nil, pregnancy: Bool? = nil, interview: Interview? = nil) {
            self.exploitationTypes = exploitationTypes
            self.inDangerLocally = inDangerLocally
            self.needsToMoveAway = needsToMoveAway
            self.currentDepartement = currentDepartement
            self.areasToAvoid = areasToAvoid
            self.children = children
            self.threatsToRelatives = threatsToRelatives
            self.debt = debt
            self.identityDocumentsHeldByOthers = identityDocumentsHeldByOthers
            self.complaintFiled = complaintFiled
            self.pregnancy = pregnancy
            self.interview = interview
        }
    }

    /// The professional who coordinates the person's path («professionnel.le référent.e de parcours»).
    public struct LeadProfessional: Codable, Hashable, Sendable {
        public var name: String
        public var organisation: String?
        public var phone: String?
        public var email: String?

        public init(name: String, organisation: String? = nil, phone: String? = nil, email: String? = nil) {
            self.name = name
            self.organisation = organisation
            self.phone = phone
            self.email = email
        }
    }

    /// What matters for a minor or an alleged minor.
    public struct MinorDetails: Codable, Hashable, Sendable {
        /// «mineurs isolés étrangers».
        public var unaccompaniedForeign: Bool
        /// Aged 16 or more and filed a complaint for trafficking or procuring: may be issued a
        /// temporary residence card («carte de séjour temporaire aux mineur.e.s âgé.e.s d'au moins
        /// 16 ans, qui déposent plainte […]»).
        public var aged16OrMoreWithComplaint: Bool

        public init(unaccompaniedForeign: Bool, aged16OrMoreWithComplaint: Bool) {
            self.unaccompaniedForeign = unaccompaniedForeign
            self.aged16OrMoreWithComplaint = aged16OrMoreWithComplaint
        }
    }

    /// The exit programme («parcours de sortie de la prostitution»): 6 months, renewable, 24 at most.
    public struct ExitProgramme: Codable, Hashable, Sendable {
        public enum Request: String, Codable, Sendable, CaseIterable { case first, renewal }

        /// The length of one period, in months («6 mois renouvelables»).
        public static let periodMonths = 6
        /// The longest programme, in months («qui ne pourra excéder 24 mois au total»).
        public static let maximumMonths = 24

        public var request: Request
        /// Months of the programme already used: 0 for a first request, 1…18 for a renewal.
        public var monthsAlreadyUsed: Int
        /// The person's département, whose commission examines the request.
        public var departement: String

        public init(request: Request, monthsAlreadyUsed: Int = 0, departement: String) {
            self.request = request
            self.monthsAlreadyUsed = monthsAlreadyUsed
            self.departement = departement
        }
    }

    /// What a reply says about the referral it answers.
    public struct Outcome: Codable, Hashable, Sendable {
        public enum Status: String, Codable, Sendable, CaseIterable {
            case accepted, appointmentOffered, placeOffered, refused, reoriented
            /// The departmental commission's opinion on an exit-programme request.
            case commissionOpinion
            /// The prefect's decision on an exit-programme request.
            case prefectDecision
        }

        public enum Opinion: String, Codable, Sendable, CaseIterable { case favourable, unfavourable }
        public enum Decision: String, Codable, Sendable, CaseIterable { case granted, refused }

        public var status: Status
        /// Unix seconds: required for `appointmentOffered`, allowed for `placeOffered`.
        public var appointmentAt: UInt64?
        /// Required for `refused`.
        public var reason: String?
        /// Required for `reoriented`: the organisation the person is sent to.
        public var reorientedTo: OrganisationID?
        /// Required for `commissionOpinion`, and only there.
        public var opinion: Opinion?
        /// Required for `prefectDecision`, and only there.
        public var decision: Decision?
        public var note: String?

        public init(status: Status, appointmentAt: UInt64? = nil, reason: String? = nil, reorientedTo: OrganisationID? = nil,
                    opinion: Opinion? = nil, decision: Decision? = nil, note: String? = nil) {
            self.status = status
            self.appointmentAt = appointmentAt
            self.reason = reason
            self.reorientedTo = reorientedTo
            self.opinion = opinion
            self.decision = decision
            self.note = note
        }

        /// The fields that depend on the status (SPEC.md, "Replies that say what happened").
        public enum Field: String, Sendable, CaseIterable {
            case appointmentAt, reason, reorientedTo, opinion, decision

            /// The statuses under which the field may be given.
            public var allowedFor: Set<Status> {
                switch self {
                case .appointmentAt: [.appointmentOffered, .placeOffered]
                case .reason: Set(Status.allCases)
                case .reorientedTo: [.reoriented]
                case .opinion: [.commissionOpinion]
                case .decision: [.prefectDecision]
                }
            }
        }

        /// The rule of what a status requires: `Referral.validate` refuses an outcome without it,
        /// and the CLI names the matching flag before anything is planned.
        public static func requiredField(for status: Status) -> Field? {
            switch status {
            case .appointmentOffered: .appointmentAt
            case .refused: .reason
            case .reoriented: .reorientedTo
            case .commissionOpinion: .opinion
            case .prefectDecision: .decision
            case .accepted, .placeOffered: nil
            }
        }

        /// Whether `field` is given (a reason only when it is not blank).
        public func has(_ field: Field) -> Bool {
            switch field {
            case .appointmentAt: appointmentAt != nil
            case .reason: !(reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            case .reorientedTo: reorientedTo != nil
            case .opinion: opinion != nil
            case .decision: decision != nil
            }
        }
    }
}
