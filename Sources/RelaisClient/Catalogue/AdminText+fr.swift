// Les textes français de `relais admin`, `relais demo` et `relais relay-demo` (issue 16).

import RelaisCore

extension AdminText {
    var fr: String {
        switch self {
        case .createOrgDiscussion:
            """
            Publie une fiche de version 2 (SPEC.md, « Directory records »). Sans --public, la structure accueille les femmes, \
            les hommes et les personnes trans ; sans --language, elle parle français. Exemple : --public women --public trans \
            --min-age 18 --language fr --language ro --service parcours-sortie-prostitution --phone "01 42 82 17 00" \
            --hours "lundi au vendredi, 9h à 17h" --accreditation 93:2026-01-01:2028-12-31.
            """
        case .createOrgOrgHelp: "Publier une nouvelle version de cette structure (son nom, une partie du nom, ou son identifiant) au lieu d'en créer une."
        case .createOrgNameHelp: "Le nom de la structure."
        case .createOrgDepartementHelp: "Un code de département où elle intervient (répéter)."
        case .createOrgNationalHelp: "Elle intervient dans tout le pays (ne donnez alors aucun --departement)."
        case .createOrgPublicHelp: "Qui elle accueille (répéter) ; valeurs : women (femmes), men (hommes), trans (personnes trans)."
        case .createOrgMinorsHelp: "Elle accueille des mineur·e·s."
        case .createOrgMinAgeHelp: "Âge minimum accueilli."
        case .createOrgMaxAgeHelp: "Âge maximum accueilli."
        case .createOrgTraffickingOnlyHelp: "Seulement les victimes de traite des êtres humains."
        case .createOrgLanguageHelp: "Une langue parlée, code ISO 639 (répéter ; fr par défaut)."
        case .createOrgPhoneHelp: "Son numéro de téléphone public."
        case .createOrgHoursHelp: "Ses horaires d'ouverture, en français (« lundi au vendredi, 9h à 17h »)."
        case .createOrgAccreditationHelp:
            "Agrément pour le parcours de sortie dans un département : DEP:DEBUT:FIN, dates AAAA-MM-JJ, FIN exclue (répéter)."
        case .createOrgExitProgrammeUntilHelp:
            "Raccourci : agréée pour le parcours de sortie d'aujourd'hui jusqu'à cette date (AAAA-MM-JJ), dans chaque département donné."
        case .publicValues: "--public vaut women, men ou trans (les mineur·e·s : --minors)"
        case .accreditationFormat: "--accreditation s'écrit DEP:DEBUT:FIN, par exemple 93:2026-01-01:2028-12-31"
        case let .datesFormat(option): "\(option) : les dates s'écrivent AAAA-MM-JJ (par exemple 2026-03-14)"
        case .deviceIDFormat: "un identifiant de poste s'écrit en 32 chiffres hexadécimaux"
        case let .organisationInvalid(detail): "la fiche de la structure n'est pas valide : \(detail)"
        case .inviteRoleHelp: "Le rôle du poste invité : administrateur·rice, membre ou auditeur·rice."
        case .inviteOrgHelp: "La structure : son nom, une partie du nom, ou son identifiant (l'opérateur qui invite un·e admin)."
        case .inviteRoleValues: "--role vaut administrateur·rice, membre ou auditeur·rice"
        case let .pendingLine(device, what, fingerprint): "\(device)  \(what)  empreinte \(fingerprint)"
        case .approveDeviceHelp: "L'identifiant du poste en attente."
        case .approveFingerprintHelp: "L'empreinte que la personne vous a lue (30 chiffres). Sans elle, une confirmation vous est demandée."
        case .approveYesHelp: "Approuver sans comparer les empreintes (déconseillé)."
        case .devicesOrgHelp: "La structure : son nom, une partie du nom, ou son identifiant."
        case .devicesOrgRequired: "--org : la structure (son nom ou son identifiant) ; ce poste n'appartient à aucune structure"
        case let .devicesLine(device, role, status): "\(device)  \(role)  \(status)"
        case .revokeDeviceHelp: "L'identifiant du poste."
        case .revokeYesHelp: "Ne pas demander de confirmation."
        case .demoAbstract: "Sceller une orientation fictive pour deux postes et l'ouvrir sur chacun (hors ligne, rien n'est gardé)."
        case .relayDemoAbstract:
            "Inscrire un opérateur, deux structures et leurs postes sur un relais neuf, puis envoyer et recevoir une orientation scellée."
        case .relayDemoRelayHelp: "L'adresse du relais."
        case .relayDemoInviteHelp: "Le fichier qui contient l'invitation d'opérateur du relais (DATA/operator-invite)."
        case .relayDemoRelayURL: "--relay doit être une adresse"
        case let .relayDemoNoInvite(path): "\(path) ne contient pas de code d'invitation"
        case let .demoSender(device, fingerprint): "poste expéditeur      \(device)  empreinte \(fingerprint)"
        case let .demoSealed(envelope, bytes, sizeClass, devices):
            "enveloppe scellée     \(envelope)  \(bytes) octets, classe de taille \(sizeClass), pour \(devices) postes"
        case let .demoOpened(device, kind, schema, needs):
            "ouverte sur le poste  \(device)  signature valide, \(kind) (format \(schema)), besoins : \(needs.joined(separator: ", "))"
        case let .demoTampered(error): "en-tête modifié       refusé : \(error)"
        case .demoBroken: "une enveloppe modifiée s'est ouverte : ce programme est défectueux"
        case let .relayDemoStep(step):
            switch step {
            case let .operatorEnrolled(device, fingerprint): "opérateur inscrit             poste \(device)  empreinte \(fingerprint)"
            case .operatorKeyPinned: "clé d'opérateur épinglée      c'est celle du relais"
            case let .organisationsCreated(association, service): "structures créées             association \(association), service social \(service)"
            case let .adminsEnrolled(association, service): "admins inscrit·e·s            \(association) (association), \(service) (service)"
            case let .associationDevice(device, prekey): "poste de l'association        \(device), clé de session \(prekey) publiée"
            case let .professionalEnrolled(device): "professionnel·le inscrit·e    \(device)"
            case let .directoryVerified(devices): "annuaire vérifié              \(devices) postes de l'association peuvent recevoir"
            case let .consentRecorded(id): "consentement enregistré       \(id), partie publique publiée"
            case let .referralSent(envelope, bytes): "orientation scellée, envoyée  enveloppe \(envelope), \(bytes) octets"
            case let .openedAndAcknowledged(device, kind, schema, deleted):
                "ouverte, reçu accusé          sur \(device) : \(kind) (format \(schema)), signature valide\(deleted ? " ; le relais a effacé l'enveloppe" : "")"
            }
        }
    }
}
