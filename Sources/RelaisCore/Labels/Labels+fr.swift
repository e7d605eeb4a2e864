// Les libellés français des valeurs énumérées (issue 16). Un `switch` exhaustif par type : une
// valeur sans libellé ne compile pas. Écriture inclusive avec le point médian, comme le guide.

extension Referral.Kind: Labelled {
    public var labelFr: String {
        switch self {
        case .orientation: "orientation"
        case .exitProgrammeRequest: "demande de parcours de sortie de la prostitution"
        case .childProtectionReport: "signalement de protection de l'enfance"
        case .safeAccommodationRequest: "demande d'accueil sécurisant Ac.Sé"
        case .reply: "réponse"
        }
    }

    public var abbreviations: [String] {
        switch self {
        case .exitProgrammeRequest: ["parcours de sortie", "PSP"]
        case .safeAccommodationRequest: ["Ac.Sé"]
        case .childProtectionReport: ["signalement"]
        default: []
        }
    }
}

extension Referral.Need: Labelled {
    public var labelFr: String {
        switch self {
        case .emergencyShelter: "hébergement d'urgence"
        case .housing: "logement"
        case .distantShelter: "hébergement éloigné"
        case .health: "santé"
        case .sexualHealth: "santé sexuelle"
        case .mentalHealth: "santé mentale"
        case .legalHelp: "aide juridique"
        case .residenceRights: "droit au séjour"
        case .complaintSupport: "accompagnement au dépôt de plainte"
        case .exitProgramme: "parcours de sortie de la prostitution"
        case .employmentTraining: "emploi et formation"
        case .frenchLessons: "cours de français"
        case .income: "ressources"
        case .childProtection: "protection de l'enfance"
        case .addictions: "addictions"
        case .harmReduction: "réduction des risques"
        case .healthCover: "couverture maladie (AME, PUMa)"
        case .domiciliation: "domiciliation"
        case .basicNecessities: "biens de première nécessité"
        case .accompaniment: "accompagnement physique aux rendez-vous"
        case .parenting: "soutien à la parentalité"
        case .provisionalResidenceAuthorisation: "autorisation provisoire de séjour (APS)"
        case .afisAllowance: "aide financière à l'insertion sociale et professionnelle (AFIS)"
        }
    }

    public var abbreviations: [String] {
        switch self {
        case .provisionalResidenceAuthorisation: ["APS"]
        case .afisAllowance: ["AFIS"]
        case .healthCover: ["AME", "PUMa"]
        default: []
        }
    }
}

extension Referral.AgeBand: Labelled {
    public var labelFr: String {
        switch self {
        case .under15: "moins de 15 ans"
        case .from15to17: "15 à 17 ans"
        case .from18to24: "18 à 24 ans"
        case .from25to34: "25 à 34 ans"
        case .from35to49: "35 à 49 ans"
        case .from50: "50 ans et plus"
        case .unknown: "âge inconnu"
        }
    }
}

extension Referral.MinorStatus: Labelled {
    public var labelFr: String {
        switch self {
        case .adult: "majeur·e"
        case .minor: "mineur·e"
        case .allegedMinor: "se disant mineur·e"
        case .unknown: "minorité non précisée"
        }
    }
}

extension Referral.AdministrativeStatus: Labelled {
    public var labelFr: String {
        switch self {
        case .frenchOrEU: "nationalité française ou européenne"
        case .residencePermit: "titre de séjour"
        case .asylumSeeker: "demande d'asile en cours"
        case .refugeeOrSubsidiaryProtection: "réfugié·e ou protection subsidiaire"
        case .undocumented: "sans titre de séjour"
        case .other: "autre situation administrative"
        case .unknown: "situation administrative inconnue"
        case .provisionalResidenceAuthorisation: "autorisation provisoire de séjour"
        }
    }

    public var abbreviations: [String] { self == .provisionalResidenceAuthorisation ? ["APS"] : [] }
}

extension Referral.ExploitationType: Labelled {
    public var labelFr: String {
        switch self {
        case .prostitution: "prostitution"
        case .procuring: "proxénétisme"
        case .traffickingForSexualExploitation: "traite à des fins d'exploitation sexuelle"
        case .forcedLabour: "travail forcé"
        case .forcedBegging: "mendicité forcée"
        case .forcedCriminality: "contrainte à commettre des délits"
        case .domesticServitude: "servitude domestique"
        case .forcedMarriage: "mariage forcé"
        }
    }
}

extension Referral.Interview: Labelled {
    public var labelFr: String {
        switch self {
        case .alone: "reçue seule"
        case .withProfessionalInterpreter: "avec un·e interprète professionnel·le"
        case .accompanied: "accompagnée d'un tiers"
        }
    }
}

extension Referral.ExitProgramme.Request: Labelled {
    public var labelFr: String {
        switch self {
        case .first: "première demande"
        case .renewal: "renouvellement"
        }
    }
}

extension Referral.Outcome.Status: Labelled {
    public var labelFr: String {
        switch self {
        case .accepted: "accompagnement accepté"
        case .appointmentOffered: "rendez-vous proposé"
        case .placeOffered: "place proposée"
        case .refused: "refus"
        case .reoriented: "réorientation"
        case .commissionOpinion: "avis de la commission départementale"
        case .prefectDecision: "décision du préfet"
        }
    }
}

extension Referral.Outcome.Opinion: Labelled {
    public var labelFr: String {
        switch self {
        case .favourable: "favorable"
        case .unfavourable: "défavorable"
        }
    }
}

extension Referral.Outcome.Decision: Labelled {
    public var labelFr: String {
        switch self {
        case .granted: "parcours accordé"
        case .refused: "parcours refusé"
        }
    }
}

extension PartnerCategory: Labelled {
    public var labelFr: String {
        switch self {
        case .specialisedAssociation: "association spécialisée"
        case .accreditedAssociation: "association agréée (parcours de sortie)"
        case .socialServices: "service social"
        case .accommodation: "hébergement"
        case .childProtection: "protection de l'enfance (ASE, CRIP)"
        case .health: "structure de santé"
        case .legal: "accès au droit"
        case .police: "police ou gendarmerie"
        case .prosecutor: "parquet"
        case .employmentInsertion: "insertion professionnelle"
        case .safeAccommodationScheme: "dispositif national Ac.Sé"
        case .prefectureWomensRights: "droits des femmes (préfecture)"
        }
    }
}

extension DeviceRole: Labelled {
    public var labelFr: String {
        switch self {
        case .operator: "opérateur du relais"
        case .admin: "administrateur·rice"
        case .member: "membre"
        case .auditor: "auditeur·rice"
        }
    }
}

extension ConsentMethod: Labelled {
    public var labelFr: String {
        switch self {
        case .oral: "oral"
        case .written: "écrit"
        case .electronic: "électronique"
        }
    }
}

extension LegalBasis: Labelled {
    public var labelFr: String {
        switch self {
        case .consent: "accord de la personne"
        case .childProtection: "protection de l'enfance (CASF L.226-2-1)"
        case .healthTeam: "équipe de soins (CSP L.1110-4)"
        }
    }
}

extension DataCategory: Labelled {
    public var labelFr: String {
        switch self {
        case .identity: "identité"
        case .contact: "coordonnées"
        case .situation: "situation personnelle"
        case .health: "santé"
        case .legal: "démarches judiciaires"
        case .administrative: "situation administrative"
        case .safety: "sécurité"
        }
    }
}

extension ChildProtectionDeclaration.Article: Labelled {
    public var labelFr: String {
        switch self {
        case .casfL226_2_1: "information préoccupante (CASF L.226-2-1)"
        case .casfL226_2_2: "partage entre professionnel·les de la protection de l'enfance (CASF L.226-2-2)"
        }
    }
}

extension ConsentReference.Kind: Labelled {
    public var identifier: String { name }

    public var labelFr: String {
        switch self {
        case .consent: "consentement"
        case .childProtectionDeclaration: "déclaration de protection de l'enfance"
        case .exitProgrammeConsent: "consentement au parcours de sortie"
        }
    }
}
