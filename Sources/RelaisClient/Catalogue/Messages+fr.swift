// Les textes français du CLI `relais` (issue 16). Un `switch` exhaustif : une clé sans texte
// français ne compile pas. Vouvoiement, phrases courtes, le vocabulaire du guide.

extension Message {
    var fr: String {
        switch self {
        case .relaisAbstract: "Client du relais sécurisé d'orientations : des orientations scellées entre organisations partenaires."
        case .exitStatuses:
            """
            Codes de sortie : 0 succès, 64 erreur d'utilisation, 65 échec de vérification (une signature, une clé \
            ou une enveloppe n'est pas valide), 66 pas de profil ou introuvable, 69 le relais a refusé ou ne répond pas, \
            75 ce poste n'est pas encore actif, 77 mauvaise phrase de passe.
            """
        case .confirmSuffix: "[oui/non]"
        case .notConfirmedNoTerminal: "non confirmé : ajoutez --yes pour continuer sans terminal"
        case .cancelledNothingSent: "annulé ; rien n'a été envoyé"
        case .answerYesOrNo: "répondez oui ou non"
        case let .unknownChoice(option, value, choices):
            "\(option) : « \(value) » n'est pas une valeur connue. Valeurs possibles : \(choices.joined(separator: ", "))"
        case .langHelp: "Langue de l'interface : fr ou en (sinon le réglage du profil, puis LC_ALL, LC_MESSAGES, LANG)."
        case let .langUnknown(value): "--lang : « \(value) » n'est pas une langue connue (fr ou en)"
        case .profileHelp: "Dossier du profil (par défaut : $RELAIS_HOME, sinon ~/.config/relais)."
        case .jsonHelp: "Sortie JSON, pour les programmes."
        case .yesHelp: "Ne pas demander de confirmation."
        case .passphrasePrompt: "Phrase de passe : "
        case .passphraseRepeatPrompt: "Répétez la phrase de passe : "

        case let .relayRefused(status, code, message): RefusalText.fr(status: status, code: code, message: message)
        case let .relayUnexpected(status):
            "le relais a répondu de façon inattendue (HTTP \(status)) ; réessayez plus tard ou contactez son opérateur"
        case let .verificationFailed(why): "échec de la vérification : \(why)"
        case .relayUnreachable: "le relais ne répond pas : est-il en marche, et l'adresse de ce profil est-elle la bonne ?"
        case let .unexpectedFailure(type): "échec inattendu (\(type))"

        case .nothingSent: "Rien n'a été envoyé."
        }
    }
}
