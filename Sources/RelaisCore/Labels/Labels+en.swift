// The English labels of the enumerated values (issue 16). One exhaustive `switch` per type: a
// value without a label does not build.

extension Referral.Kind {
    public var labelEn: String {
        switch self {
        case .orientation: "referral"
        case .exitProgrammeRequest: "exit programme request"
        case .childProtectionReport: "child protection report"
        case .safeAccommodationRequest: "Ac.Sé safe accommodation request"
        case .reply: "reply"
        }
    }
}

extension Referral.Need {
    public var labelEn: String {
        switch self {
        case .emergencyShelter: "emergency shelter"
        case .housing: "housing"
        case .distantShelter: "shelter far away"
        case .health: "health care"
        case .sexualHealth: "sexual health"
        case .mentalHealth: "mental health"
        case .legalHelp: "legal help"
        case .residenceRights: "residence rights"
        case .complaintSupport: "support to file a complaint"
        case .exitProgramme: "exit programme"
        case .employmentTraining: "employment and training"
        case .frenchLessons: "French lessons"
        case .income: "income"
        case .childProtection: "child protection"
        case .addictions: "addiction care"
        case .harmReduction: "harm reduction"
        case .healthCover: "health cover (AME, PUMa)"
        case .domiciliation: "postal address (domiciliation)"
        case .basicNecessities: "basic necessities"
        case .accompaniment: "accompaniment to appointments"
        case .parenting: "parenting support"
        case .provisionalResidenceAuthorisation: "provisional residence authorisation (APS)"
        case .afisAllowance: "social and professional integration allowance (AFIS)"
        }
    }
}

extension Referral.AgeBand {
    public var labelEn: String {
        switch self {
        case .under15: "under 15"
        case .from15to17: "15 to 17"
        case .from18to24: "18 to 24"
        case .from25to34: "25 to 34"
        case .from35to49: "35 to 49"
        case .from50: "50 and over"
        case .unknown: "age unknown"
        }
    }
}

extension Referral.MinorStatus {
    public var labelEn: String {
        switch self {
        case .adult: "adult"
        case .minor: "minor"
        case .allegedMinor: "says they are a minor"
        case .unknown: "minority not stated"
        }
    }
}

extension Referral.AdministrativeStatus {
    public var labelEn: String {
        switch self {
        case .frenchOrEU: "French or EU citizen"
        case .residencePermit: "residence permit"
        case .asylumSeeker: "asylum claim pending"
        case .refugeeOrSubsidiaryProtection: "refugee or subsidiary protection"
        case .undocumented: "no residence permit"
        case .other: "other administrative status"
        case .unknown: "administrative status unknown"
        case .provisionalResidenceAuthorisation: "provisional residence authorisation"
        }
    }
}

extension Referral.ExploitationType {
    public var labelEn: String {
        switch self {
        case .prostitution: "prostitution"
        case .procuring: "procuring"
        case .traffickingForSexualExploitation: "trafficking for sexual exploitation"
        case .forcedLabour: "forced labour"
        case .forcedBegging: "forced begging"
        case .forcedCriminality: "forced criminality"
        case .domesticServitude: "domestic servitude"
        case .forcedMarriage: "forced marriage"
        }
    }
}

extension Referral.Interview {
    public var labelEn: String {
        switch self {
        case .alone: "seen alone"
        case .withProfessionalInterpreter: "with a professional interpreter"
        case .accompanied: "accompanied by someone else"
        }
    }
}

extension Referral.ExitProgramme.Request {
    public var labelEn: String {
        switch self {
        case .first: "first request"
        case .renewal: "renewal"
        }
    }
}

extension Referral.Outcome.Status {
    public var labelEn: String {
        switch self {
        case .accepted: "accepted"
        case .appointmentOffered: "appointment offered"
        case .placeOffered: "place offered"
        case .refused: "refused"
        case .reoriented: "re-oriented"
        case .commissionOpinion: "departmental commission's opinion"
        case .prefectDecision: "prefect's decision"
        }
    }
}

extension Referral.Outcome.Opinion {
    public var labelEn: String {
        switch self {
        case .favourable: "favourable"
        case .unfavourable: "unfavourable"
        }
    }
}

extension Referral.Outcome.Decision {
    public var labelEn: String {
        switch self {
        case .granted: "programme granted"
        case .refused: "programme refused"
        }
    }
}

extension PartnerCategory {
    public var labelEn: String {
        switch self {
        case .specialisedAssociation: "specialised association"
        case .accreditedAssociation: "accredited association (exit programme)"
        case .socialServices: "social services"
        case .accommodation: "accommodation"
        case .childProtection: "child protection (ASE, CRIP)"
        case .health: "health service"
        case .legal: "legal aid"
        case .police: "police or gendarmerie"
        case .prosecutor: "public prosecutor"
        case .employmentInsertion: "employment insertion"
        case .safeAccommodationScheme: "national Ac.Sé scheme"
        case .prefectureWomensRights: "women's rights (prefecture)"
        }
    }
}

extension DeviceRole {
    public var labelEn: String {
        switch self {
        case .operator: "relay operator"
        case .admin: "administrator"
        case .member: "member"
        case .auditor: "auditor"
        }
    }
}

extension ConsentMethod {
    public var labelEn: String {
        switch self {
        case .oral: "oral"
        case .written: "written"
        case .electronic: "electronic"
        }
    }
}

extension LegalBasis {
    public var labelEn: String {
        switch self {
        case .consent: "the person's consent"
        case .childProtection: "child protection (CASF L.226-2-1)"
        case .healthTeam: "care team (CSP L.1110-4)"
        }
    }
}

extension DataCategory {
    public var labelEn: String {
        switch self {
        case .identity: "identity"
        case .contact: "contact details"
        case .situation: "personal situation"
        case .health: "health"
        case .legal: "legal proceedings"
        case .administrative: "administrative status"
        case .safety: "safety"
        }
    }
}

extension ChildProtectionDeclaration.Article {
    public var labelEn: String {
        switch self {
        case .casfL226_2_1: "report of concern (CASF L.226-2-1)"
        case .casfL226_2_2: "sharing between child protection professionals (CASF L.226-2-2)"
        }
    }
}

extension ConsentReference.Kind {
    public var labelEn: String {
        switch self {
        case .consent: "consent"
        case .childProtectionDeclaration: "child protection declaration"
        case .exitProgrammeConsent: "exit programme consent"
        }
    }
}
