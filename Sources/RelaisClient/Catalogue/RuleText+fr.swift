// Les refus des règles du guide (`RuleReason`, de `CoverPolicy` et `ReferralRules`), en français :
// chacun nomme la règle, et la structure par son nom et sa catégorie, jamais par son identifiant.

import RelaisCore

extension Message {
    static func ruleFr(_ reason: RuleReason, _ name: String?) -> String {
        func recipient(_ id: OrganisationID, _ category: PartnerCategory) -> String {
            "« \(name ?? String(id.hex.prefix(8))) » (\(category.labelFr))"
        }
        switch reason {
        case .consentUnknown:
            return "le consentement nommé est inconnu : enregistrez-le avec la personne avant d'envoyer (relais consent grant)"
        case .consentOtherOrganisation:
            return "ce consentement a été recueilli par une autre structure : il ne couvre que ses orientations, et les réponses qui lui sont adressées"
        case .consentWithdrawn: return "la personne a retiré son consentement : plus rien ne peut être envoyé sous ce consentement"
        case .consentExpired:
            return "le consentement n'est pas valide à cette date (expiré, ou pas encore commencé) : recueillez un nouveau consentement"
        case let .consentScope(id, category):
            return "le consentement de la personne ne couvre pas la structure \(recipient(id, category)) : partagez seulement avec qui elle a accepté"
        case .exitProgrammeNotConsented: return "le consentement ne couvre pas une demande de parcours de sortie de la prostitution"
        case .exitProgrammeConsentNotAdult:
            return "le parcours de sortie de la prostitution est pour « toute personne majeure » : ce consentement (version 1) n'atteste pas "
                + "que la personne est majeure ni ne nomme son département ; recueillez un nouveau consentement"
        case .notAccredited(nil):
            return "une demande de parcours de sortie va d'une association agréée, ou à des associations agréées à cette date"
        case let .notAccredited(departement?):
            return "une demande de parcours de sortie va d'une association agréée pour le département \(departement) de la personne, "
                + "ou à des associations agréées pour ce département, à cette date (« l'une des associations de son département qui aura été agréée à cet effet »)"
        case .declarationUnknown:
            return "un signalement de protection de l'enfance repose sur une déclaration signée de votre structure (relais declare)"
        case .declarationOtherOrganisation:
            return "cette déclaration a été faite par une autre structure : un signalement repose sur une déclaration de votre structure (relais declare)"
        case .declarationExpired:
            return "la déclaration de protection de l'enfance a expiré : faites une nouvelle déclaration pour ce signalement (relais declare)"
        case let .declarationExhausted(max):
            return "la déclaration a déjà servi aux \(max) signalements prévus : faites une nouvelle déclaration (relais declare)"
        case let .childProtectionRecipients(id, category):
            return "un signalement va seulement à la protection de l'enfance, au procureur ou à la police, pas à \(recipient(id, category))"
        case let .safeAccommodationRecipients(id, category):
            return "une demande d'accueil sécurisant (Ac.Sé) va seulement au dispositif national Accueil Sécurisant, pas à \(recipient(id, category))"
        case .exitProgrammeAdultsOnly:
            return "le parcours de sortie de la prostitution est proposé à une personne majeure : pour un·e mineur·e, c'est la protection de l'enfance"
        case .exitProgrammeNotAccreditedInDepartement:
            return "une demande de parcours de sortie va à une association agréée pour le département de la personne à cette date (ou vient d'elle)"
        }
    }
}
