// Les mots du rapport d'audit en français (issue 16).

extension AuditReportText {
    var fr: String {
        switch self {
        case .title: "Rapport d'audit Relais"
        case let .verdict(findings):
            findings == 0 ? "Journal intègre et conforme : aucun constat." : "Journal intègre ; \(findings) constat\(findings > 1 ? "s" : "") de conformité."
        case .labelSeparator: " : "
        case .verification: "Vérification"
        case .log: "Journal"
        case .verifiedAt: "Vérifié le"
        case .entries: "Entrées"
        case .root: "Racine"
        case .checkpoint: "Point de contrôle"
        case .checkpointVerified: "signature vérifiée avec la clé du journal épinglée ; racine recalculée depuis chaque entrée"
        case .consistent: "Cohérent avec le point de contrôle vérifié avant"
        case let .consistentWith(size): "oui (\(size) entrées)"
        case .firstVerification: "première vérification"
        case .findings: "Constats"
        case .weeksTitle: "Échanges par semaine ISO et par nature"
        case .weeksChartTitle: "Échanges par semaine ISO, par nature"
        case .week: "semaine"
        case .total: "total"
        case .exchangesAxis: "échanges"
        case let .weekAxis(zone): "semaine ISO (\(zone))"
        case .noExchange: "Aucun échange dans le journal."
        case let .kind(kind):
            switch kind {
            case .referral: "Orientation"
            case .answer: "Réponse"
            case .exitProgrammeRequest: "Demande de parcours de sortie"
            case .childProtectionReport: "Signalement (protection de l'enfance)"
            }
        case .rulesTitle: "Contrôles et constats par règle"
        case .rulesChartTitle: "Constats par règle"
        case .rulesLegend: "constats (contrôles entre parenthèses)"
        case .rule: "règle"
        case .checked: "contrôles"
        case .findingsAxis: "constats"
        case .whatItChecks: "ce qu'elle vérifie"
        case .noRule: "Aucune règle contrôlée."
        case let .ruleDescription(rule):
            switch rule {
            case "consent-coverage": "chaque envoi est couvert par un consentement ou une déclaration valide"
            case "exit-programme-accreditation": "une demande de parcours de sortie part d'une association agréée ou va à des associations agréées"
            case "exit-programme-departement": "le consentement d'une demande de parcours de sortie nomme le département de la personne"
            case "no-delivery-after-expiry": "aucune remise après l'expiration ou la suppression"
            case "delivered-to-recipients": "remis seulement aux structures destinataires"
            case "purged-on-time": "purgé à temps après l'expiration"
            case "directory-signatures": "l'annuaire est signé par qui en a l'autorité"
            case "revocation-authority": "une révocation vient de qui peut révoquer"
            case "enrolment-invites": "chaque inscription utilise une invitation valide de qui peut inscrire"
            case "outside-reports": "un signalement fait hors de Relais est signé par un appareil actif de la structure"
            default: ""
            }
        case .organisationsTitle: "Par structure"
        case .organisation: "structure"
        case .identifier: "identifiant"
        case .sent: "envois"
        case .received: "reçus"
        case .noOrganisation: "(aucune structure : le relais)"
        case let .notNamed(id): "(non nommée dans le journal) \(id)"
        case .invitesTitle: "Invitations en attente"
        case .invite: "invitation"
        case .role: "rôle"
        case .issuedBy: "émise par"
        case .issued: "émise le"
        case .expires: "expire le"
        case .theRelay: "le relais"
        case let .invitesLine(outstanding, expired):
            "Émises, ni utilisées ni expirées : \(outstanding) ; expirées sans avoir servi : \(expired)."
        case .eventsTitle: "Entrées par type"
        case .eventKind: "type"
        case .count: "nombre"
        case .findingsTitle: "Constats"
        case .entry: "entrée"
        case .finding: "constat"
        case .none: "Aucun."
        case .privacyNote:
            "Le journal ne contient ni nom, ni situation, ni contenu chiffré : des identifiants, des dates, des catégories, des clés publiques et des enregistrements publics signés seulement."
        case .commandAbstract: "Vérifie le journal, puis écrit le rapport d'audit à classer (Markdown, ou HTML avec graphiques)."
        case .commandDiscussion:
            "Les deux formats donnent les mêmes chiffres, dans la langue de l'interface (--lang) ; les dates sont à l'heure de TZ (Europe/Paris s'il n'est pas défini). Rien n'est écrit si le journal n'est pas intègre (code 65)."
        case .outputHelp: "Le fichier où écrire le rapport."
        case .formatHelp: "markdown, ou html (un seul fichier, sans aucune ressource externe)."
        case let .written(path, entries, findings):
            "Rapport écrit dans \(path) : \(entries) entrées, \(findings) constat\(findings > 1 ? "s" : "")."
        }
    }
}
