// Les textes français du CLI `relais` (issue 16). Un `switch` exhaustif : une clé sans texte
// français ne compile pas. Vouvoiement, phrases courtes, le vocabulaire du guide.

import RelaisCore

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
        case .profileHelp: "Dossier du profil, tout entier (par défaut : $RELAIS_HOME, sinon $XDG_CONFIG_HOME/relais pour les clés et réglages et $XDG_DATA_HOME/relais pour les orientations ouvertes, ~/.config et ~/.local/share s'ils ne sont pas définis)."
        case .jsonHelp: "Sortie JSON, pour les programmes."
        case .yesHelp: "Ne pas demander de confirmation."
        case .passphrasePrompt: "Phrase de passe : "
        case .passphraseRepeatPrompt: "Répétez la phrase de passe : "
        case .passphraseFileHelp:
            "Lire la phrase de passe dans ce fichier (pour les scripts ; mode 0600 : refusé si son groupe ou les autres peuvent le lire). Sinon elle est demandée au terminal ; RELAIS_PASSPHRASE sert seulement aux tests et démonstrations."
        case let .passphraseFileExposed(path, mode):
            "\(path) est lisible par d'autres (mode \(mode)) : refusé, sa phrase de passe est peut-être déjà connue. Rendez-le lisible par vous seul·e (chmod 600 \(path)) et changez la phrase de passe si d'autres ont pu le lire."
        case let .passphraseFileUnreadable(path): "impossible de lire le fichier de phrase de passe \(path)"

        case let .relayRefused(status, code, message): RefusalText.fr(status: status, code: code, message: message)
        case let .relayUnexpected(status):
            "le relais a répondu de façon inattendue (HTTP \(status)) ; réessayez plus tard ou contactez son opérateur"
        case let .verificationFailed(why): "échec de la vérification : \(why)"
        case .relayUnreachable: "le relais ne répond pas : est-il en marche, et l'adresse de ce profil est-elle la bonne ?"
        case let .unexpectedFailure(type): "échec inattendu (\(type))"

        case .nothingSent: "Rien n'a été envoyé."

        case let .attachHelp(max, limitBytes):
            "Joindre un fichier (répéter, \(max) au plus, \(ByteSize.human(limitBytes, .fr)) en tout) : PDF, image PNG, JPEG, WebP ou HEIC, texte UTF-8."
        case .allowAnyTypeHelp: "Accepter un fichier d'un autre type (envoyé comme application/octet-stream)."
        case .saveAttachmentsHelp: "Enregistrer les pièces jointes dans ce dossier (créé en 0700 ; fichiers en 0600, jamais écrasés)."
        case .allowAnyTypeAlone: "--allow-any-type va avec --attach FICHIER"
        case let .attachmentUnreadable(path): "impossible de lire le fichier joint « \(path) » ; rien n'a été envoyé"
        case let .attachmentsTooLarge(total, limitBytes):
            "pièces jointes trop volumineuses : \(ByteSize.human(total, .fr)) au moins, la limite est de \(ByteSize.human(limitBytes, .fr)) en tout (une enveloppe contient au plus 4 Mio) ; rien n'a été envoyé"
        case let .attachmentTypeRefused(path):
            "« \(path) » n'est ni un PDF, ni une image (PNG, JPEG, WebP, HEIC), ni un texte UTF-8 : refusé (--allow-any-type l'enverrait tel quel) ; rien n'a été envoyé"
        case let .attachmentsTooMany(count, max): "\(count) pièces jointes : \(max) au plus ; rien n'a été envoyé"
        case let .attachmentFolder(path): "impossible de créer le dossier « \(path) », ou ce n'est pas un dossier"
        case let .attachmentUnwritable(name): "impossible d'écrire la pièce jointe « \(name) »"
        case let .attachmentMismatch(name, declared, detected):
            "Attention : la pièce jointe « \(name) » est déclarée \(declared), mais son contenu \(detected.map { "est " + $0 } ?? "n'est d'aucun type accepté") ; ne l'ouvrez qu'avec prudence."
        case let .attachmentListed(name, type, size, savedAs):
            "Pièce jointe : \(name) (\(type), \(ByteSize.human(size, .fr)))" + (savedAs.map { ", enregistrée : " + $0 } ?? "")
        }
    }
}
