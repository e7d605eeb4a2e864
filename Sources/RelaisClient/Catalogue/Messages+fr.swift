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

        case .watchAbstract:
            "Attendre les nouveaux envois et afficher une ligne par arrivée : l'organisation, le type, l'expiration ; jamais le contenu."
        case .watchExecHelp:
            """
            Commande lancée à chaque arrivée, par /bin/sh -c, sans argument. Elle ne reçoit rien de l'envoi : son environnement \
            ne contient que PATH, HOME, LANG et RELAIS_EVENT=arrival ; son entrée est vide ; sa sortie va sur la sortie d'erreur.
            """
        case .watchOnceHelp: "S'arrêter après la première arrivée."
        case let .watchWatching(waiting):
            waiting == 0 ? "En attente de nouveaux envois (Ctrl-C pour arrêter)."
                : "En attente de nouveaux envois ; \(waiting) déjà dans la boîte de réception (Ctrl-C pour arrêter)."
        case let .watchArrival(organisation, kind, expires, expiresIn):
            "Nouvel envoi de « \(organisation ?? "organisation absente de l'annuaire") »\(kind.map { " (\($0))" } ?? "") : \(expiresIn), le \(expires)"
        case let .watchUnreachable(seconds): "le relais ne répond pas ; nouvel essai dans \(seconds) s"
        case .watchReachable: "le relais répond de nouveau"
        case .watchStopped: "Surveillance arrêtée."
        case let .watchExecFailed(status): "la commande --exec s'est terminée avec le code \(status)"

        case let .relayRefused(status, code, message): RefusalText.fr(status: status, code: code, message: message)
        case let .relayUnexpected(status):
            "le relais a répondu de façon inattendue (HTTP \(status)) ; réessayez plus tard ou contactez son opérateur"
        case let .verificationFailed(why): "échec de la vérification : \(why)"
        case .relayUnreachable: "le relais ne répond pas : est-il en marche, et l'adresse de ce profil est-elle la bonne ?"
        case let .unexpectedFailure(type): "échec inattendu (\(type))"

        case let .logRollback(kept, served):
            "le relais montre un journal d'audit de \(served) entrées, moins que les \(kept) que cet appareil a déjà vérifiées : il a effacé une partie de son historique. Arrêt ; les deux points de contrôle signés sont conservés comme preuve (relais evidence export)"
        case let .logFork(kept, served):
            "le journal d'audit que montre le relais (\(served) entrées) ne prolonge pas celui de \(kept) entrées que cet appareil a déjà vérifié : le relais montre des historiques différents (fourche). Arrêt ; les deux points de contrôle signés sont conservés comme preuve (relais evidence export)"
        case .monitorAbstract: "Signale les appareils ajoutés, approuvés ou révoqués au nom de votre organisation, tels que le journal d'audit les montre (administrateurs)."
        case .monitorStrictHelp: "Sortir avec le code 65 quand un appareil n'a été approuvé par aucun administrateur de l'organisation."
        case .monitorAdminsOnly: "relais monitor est réservé aux administrateurs d'une organisation"
        case .monitorNoCheckpoint: "cet appareil n'a pas encore de point de contrôle vérifié du journal du relais"
        case let .monitorOutOfOrder(index): "le relais a listé l'entrée \(index) hors d'ordre : il cache ou répète des entrées. Arrêt ; prévenez l'opérateur du relais"
        case let .monitorEntryNotInLog(index, why): "l'entrée \(index) listée par le relais n'est pas dans son journal vérifié (\(why)). Arrêt ; prévenez l'opérateur du relais"
        case .monitorAlertUnverified: "son enregistrement n'est signé par aucun appareil de l'annuaire vérifié"
        case let .monitorAlertNotAnAdmin(role): "approuvé par un appareil qui n'est pas administrateur de cette organisation (\(role))"
        case let .monitorRange(organisation, from, next): "\(organisation) : entrées \(from) à \(next) du journal"
        case .monitorNothingNew: "rien de nouveau"
        case let .monitorLine(index, kind, device, role, by, byRole, byOrganisation):
            "n° \(index) \(["organisationChanged": "enregistrement de l'organisation modifié", "deviceAdded": "inscription d'un appareil", "deviceApproved": "appareil approuvé", "deviceRevoked": "appareil révoqué"][kind] ?? kind)\(device.map { " \($0)" } ?? "")\(role.map { " (\($0))" } ?? "")\(by.map { " par \($0)" } ?? "")\(byRole.map { " (\($0)\(byOrganisation.map { ", \($0)" } ?? ""))" } ?? "")"
        case let .monitorAlert(why): "  ALERTE : \(why)"
        case let .monitorPrekeys(count): "\(count) clé(s) de session publiée(s)"
        case let .monitorAlerts(count): "\(count) appareil(s) approuvé(s) par aucun administrateur de l'organisation : vérifiez-les avec vos administrateurs et l'opérateur, et révoquez ceux que vous ne connaissez pas (relais admin revoke)"
        case let .directoryNotLogged(subject, why):
            "le relais sert \(subject.frenchLabel) absent de son journal d'audit (\(why)) : un enregistrement que le relais n'a pas journalisé peut être une clé substituée. Arrêt ; rien n'a été scellé ni envoyé ; prévenez l'opérateur du relais et les administrateurs de votre organisation"
        case .logBadSignature:
            "le point de contrôle du journal d'audit servi par le relais n'est pas signé par la clé du journal épinglée dans ce profil. Arrêt ; ce qu'il a servi est conservé comme preuve (relais evidence export)"
        case let .logNotWitnessed(required, got, witnesses):
            "le point de contrôle du journal d'audit servi par le relais est cosigné par \(got) des \(witnesses) témoins connus de ce profil, et \(required) sont exigés : aucun témoin indépendant n'atteste que les autres voient le même historique. Arrêt ; rien n'a été envoyé ni reçu. Réessayez plus tard, ou prévenez l'opérateur du relais"
        case .evidenceAbstract: "Les preuves gardées quand le relais a montré un journal d'audit incohérent."
        case .evidenceExportAbstract: "Écrit les preuves (points de contrôle signés, preuve de cohérence, ce qui était attendu) en JSON, vérifiable par un tiers."
        case .evidenceOutHelp: "Le fichier à écrire (il ne doit pas exister) ; sinon la sortie standard."
        case let .evidenceWritten(count, path):
            count == 0 ? "Aucune preuve : ce profil n'a jamais surpris le relais." : "\(count) constat(s) écrit(s)\(path.map { " dans \($0)" } ?? "")."
        case let .evidenceFileExists(path): "\(path) existe déjà : rien n'est écrasé"

        case let .noProfile(path): "pas de profil Relais dans \(path) : lancez d'abord `relais init --relay URL`"
        case let .profileExists(path): "un profil existe déjà dans \(path) ; choisissez un autre --profile"
        case let .notActive(status):
            "ce poste est « \(status) » : la personne qui l'a inscrit doit d'abord l'approuver (puis lancez `relais whoami`)"
        case let .keyChanged(device, pinned, now):
            """
            LA CLÉ DU POSTE \(device) A CHANGÉ.
              empreinte connue :    \(pinned)
              empreinte actuelle :  \(now)
            Rien n'a été envoyé. L'identifiant d'un poste dérive de sa clé : le relais montre donc une clé qui n'est pas
            celle de ce poste. Considérez le relais comme compromis et prévenez son opérateur et votre structure.
            """
        case let .newDevices(organisation, id, devices):
            """
            LES POSTES DE \(organisation.uppercased()) ONT CHANGÉ depuis votre dernier envoi. Nouveau(x) poste(s) :
            \(devices.map { "  " + $0 }.joined(separator: "\n"))
            Rien n'a été envoyé. Quelqu'un cherche peut-être à lire ce que vous envoyez. Comparez ces empreintes avec
            la structure, par téléphone ou en personne, puis lancez `relais trust \(id)` et envoyez de nouveau.
            """
        case let .consentRefusal(why): "\(why.hasSuffix(".") ? String(why.dropLast()) : why). Rien n'a été envoyé."
        case .notAKeystore: "le fichier du coffre n'est pas un coffre Relais (abîmé, ou un autre fichier)"
        case let .keystoreVersion(v): "la version \(v) du coffre n'est pas prise en charge par ce relais"
        case .wrongPassphrase: "mauvaise phrase de passe (ou le coffre a été modifié)"
        case let .referralInvalid(why): "l'orientation n'est pas valide : \(why)"
        case let .passphraseEmpty(variable): "\(variable) est vide"
        case let .passphraseNoTerminal(variable): "pas de terminal pour demander la phrase de passe : indiquez --passphrase-file FICHIER (ou, pour les tests et démonstrations seulement, définissez \(variable))"
        case .passphrasesDiffer: "les deux phrases de passe diffèrent"
        case .passphraseFileHelp:
            "Lire la phrase de passe dans ce fichier (pour les scripts ; mode 0600 : refusé si son groupe ou les autres peuvent le lire). Sinon elle est demandée au terminal ; RELAIS_PASSPHRASE sert seulement aux tests et démonstrations."
        case let .passphraseFileExposed(path, mode):
            "\(path) est lisible par d'autres (mode \(mode)) : refusé, sa phrase de passe est peut-être déjà connue. Rendez-le lisible par vous seul·e (chmod 600 \(path)) et changez la phrase de passe si d'autres ont pu le lire."
        case let .passphraseFileUnreadable(path): "impossible de lire le fichier de phrase de passe \(path)"
        case let .idFormat(what): "un identifiant de \(what) s'écrit en 32 chiffres hexadécimaux"

        case let .ruleRefusal(reason, name): Self.ruleFr(reason, name)
        case .organisationDeviceOnly: "seul un poste d'une structure peut le faire (pas celui de l'opérateur ni d'un·e auditeur·rice)"
        case .operatorOnlyCreatesOrganisations: "seul le poste de l'opérateur crée des structures"
        case .auditorOnlyReadsLog: "seul un poste d'auditeur·rice lit le journal d'audit"
        case .withdrawOnlyRecordingOrganisation: "seul un poste de la structure qui a recueilli le consentement le retire"
        case let .consentNotHere(id): "aucun consentement \(id) enregistré sur ce poste"
        case let .consentNotRecordedHere(id):
            "le consentement \(id) n'est pas enregistré sur cet appareil : recueillez-le avec la personne (relais consent grant)"
        case let .consentUnknownToOrganisation(id): "aucun consentement \(id) recueilli par cette structure"
        case let .declarationNotHere(id): "la déclaration \(id) n'a pas été faite sur cet appareil : faites-la d'abord (relais declare)"
        case .replyCoverNotHere: "une réponse part sous le consentement ou la déclaration d'une orientation ouverte sur cet appareil"
        case .answerOnlyToCover: "une réponse va seulement à la structure qui a recueilli le consentement ou fait la déclaration"
        case let .needsOutsideConsent(needs):
            "le consentement ne couvre pas \(needs.map(\.labelFr).joined(separator: ", ")) : partagez seulement ce que la personne a accepté"
        case let .dataOutsideConsent(categories, id):
            """
            la personne n'a pas accepté de partager ces informations : \(categories.map(\.labelFr).joined(separator: ", ")) (le consentement \(id) \
            ne les liste pas) ; retirez-les de l'orientation, ou recueillez son accord pour elles (relais consent grant)
            """
        case let .consentRecordMismatch(id): "le consentement joint à l'orientation n'est pas celui enregistré sur cet appareil sous \(id)"
        case let .exitDepartementMismatch(requested, consented):
            """
            la demande de parcours de sortie est pour le département \(requested), mais la personne a consenti pour le \
            département \(consented) : le parcours se demande auprès d'une association agréée de son département ; \
            recueillez son consentement pour ce département
            """
        case .caseNumberEmpty: "le numéro de dossier est vide : donnez le numéro de dossier de la personne dans votre organisation"
        case .noOrganisationKey:
            """
            cet appareil n'a pas encore la clé de pseudonymes de son organisation : sans elle, le pseudonyme d'un dossier \
            ne serait pas le même que sur les autres appareils de l'organisation. Elle est remise par un appareil de \
            l'organisation qui la détient (à l'approbation, ou quand il lance `relais whoami`). Demandez-le à un \
            administrateur de l'organisation, puis lancez `relais whoami` ici. Rien n'a été enregistré ni envoyé
            """
        case let .caseNotConsentSubject(consent):
            """
            le numéro de dossier donné ne désigne pas la personne du consentement \(consent) (les pseudonymes \
            diffèrent) : un consentement ne vaut que pour la personne qui l'a donné. Vérifiez le numéro de dossier
            """
        case let .referralNotConsentSubject(consent):
            "l'orientation ne désigne pas la personne du consentement \(consent) (son pseudonyme diffère) : un consentement ne vaut que pour la personne qui l'a donné"
        case .minorStopAndReport:
            """
            cette orientation concerne une personne mineure (ou se disant mineure) : elle ne part qu'après le signalement.
            \(Hotlines.minorNotice)
            Deux façons de continuer, pour cette situation (le même --case) :
              - faire le signalement par Relais : relais declare --case … (déclaration de protection de l'enfance), puis l'envoyer ;
              - ou, si le signalement a déjà été fait hors de Relais, l'enregistrer : relais outside-report --case … --to crip|police|justice|119 --date AAAA-MM-JJ.
            Puis renvoyez cette orientation.
            """
        case let .relayURLFormat(url): "l'adresse du relais s'écrit https://HÔTE[:PORT] (reçu : \(url))"
        case let .plainHTTPRefused(host):
            "http:// en clair vers \(host) refusé : utilisez https:// (le HTTP en clair n'est accepté que vers cette machine : 127.0.0.1, ::1, localhost)"
        case let .retentionRange(max): "la conservation va de 0 à \(max) jours"
        case .noRecipient: "nommez au moins une structure destinataire (--to)"
        case let .organisationUnknown(id): "aucune structure \(id) dans l'annuaire"
        case let .noReceivingDevice(organisation): "« \(organisation) » n'a encore aucun poste qui puisse recevoir"
        case .noCurrentPrekey: "il n'a pas de clé de session valable : il ne s'est pas connecté depuis son approbation"
        case let .envelopeNotInInbox(id): "aucune enveloppe \(id) dans la boîte de réception de ce poste"
        case let .openBeforeAck(id): "ouvrez l'enveloppe \(id) avant d'en accuser réception, pour qu'elle soit gardée sur ce poste"
        case let .openBeforeReply(id): "ouvrez l'enveloppe \(id) avant d'y répondre"
        case .replyNeedsOutcome:
            "une réponse dit ce qui a été décidé : indiquez l'issue (--outcome accepted, appointmentOffered, placeOffered, refused, reoriented, commissionOpinion ou prefectDecision)"
        case let .replyV1NoOutcome(id):
            "l'orientation \(id) est au format 1, dont les réponses ne portent pas d'issue : écrivez ce qui a été décidé dans --text, sans --outcome"
        case let .replyV1NeedsText(id): "l'orientation \(id) est au format 1 : écrivez votre réponse dans --text"
        case let .pendingEnrolmentUnknown(device): "aucune inscription en attente \(device) à approuver par ce poste"
        case let .approveNoInvite(device, why):
            "poste \(device) non approuvé : \(why ?? "aucune invitation ne correspond"). Rien n'a été signé ; émettez une nouvelle invitation si besoin"
        case let .approveFingerprintMismatch(device):
            "l'empreinte ne correspond pas au poste \(device) : ne l'approuvez pas ; demandez à la personne de s'inscrire de nouveau"
        case let .inviteNotIssuedHere(invite): "son invitation \(invite) n'a pas été émise par ce poste (ou a déjà été approuvée)"
        case let .inviteRoleDiffers(reported, invite, issued):
            "le relais indique le rôle « \(reported) », mais l'invitation \(invite) a été émise pour le rôle « \(issued) »"
        case let .inviteOrganisationDiffers(reported, invite, issued):
            "le relais indique la structure \(reported ?? "aucune"), mais l'invitation \(invite) a été émise pour \(issued ?? "aucune")"
        case let .inviteExpired(invite, at): "l'invitation \(invite) a expiré le \(at)"
        case .operatorAlreadyExists: "ce relais a déjà un opérateur : l'invitation d'opérateur ne peut plus servir"
        case .operatorInviteGiven: "c'est l'invitation d'opérateur du relais : lancez `relais enrol --operator <invitation>` si vous en êtes l'opérateur"
        case let .fileError(path, reason): "\(path) : \(reason)"
        case let .cannotCreate(path): "impossible de créer \(path)"
        case let .cannotWrite(path): "impossible d'écrire \(path)"
        case let .damaged(part):
            switch part {
            case .identityKey: "la clé d'identité du coffre est abîmée"
            case .organisationKey: "la clé d'organisation du coffre est abîmée"
            case .prekey: "une clé de session du coffre est abîmée"
            case .logKey: "la clé du journal d'audit épinglée dans ce profil est abîmée"
            case .profileRelayURL: "profile.json ne contient pas d'adresse de relais valable"
            case .profileOtherDevice: "profile.json désigne un autre poste que le coffre"
            case .referralsFormat: "le fichier des orientations ouvertes n'en est pas un (ou sa version est inconnue)"
            case .referralsKey: "le fichier des orientations ouvertes ne s'ouvre pas avec la clé de ce coffre : abîmé, ou celui d'un autre profil"
            }
        case let .damagedFile(path, detail):
            detail.map { "\(path) est abîmé : \($0)" } ?? "\(path) est abîmé : il ne contient pas de point de contrôle signé par la clé du journal épinglée"
        case .relayNoLogKey: "le relais ne montre aucune clé de journal d'audit valable ; rien n'a été envoyé"
        case .inviteWithoutAnchor: "ce code d'invitation (ri1_…) ne porte pas d'ancre de confiance : demandez une nouvelle invitation (ri2_…) à qui vous l'a donnée"
        case let .inviteAnchorMismatch(anchor, reported):
            """
            LES CLÉS DU RELAIS NE CORRESPONDENT PAS À CETTE INVITATION (ancre \(anchor), les clés du relais donnent \(reported)).
            Rien n'a été envoyé ni épinglé. Soit le code a été mal saisi, soit le relais (ou quelqu'un sur le chemin)
            n'est pas celui d'où vient votre invitation : prévenez la personne qui vous l'a donnée.
            """
        case .otherOperatorPinned: "ce profil fait déjà confiance à une autre clé d'opérateur ; utilisez un nouveau profil pour un autre relais"
        case let .noOperatorPinned(relayHasNone):
            relayHasNone ? "aucune clé d'opérateur n'est épinglée : le relais n'a pas encore d'opérateur" : "aucune clé d'opérateur n'est épinglée dans ce profil"
        case .issuedInviteAnchorMismatch:
            "le relais a émis une invitation dont l'ancre n'est pas la clé d'opérateur et de journal de ce profil : ne la donnez pas ; ce relais n'est pas celui auquel ce poste fait confiance"
        case let .organisationRecordUnsigned(detail): "une fiche de structure n'est pas signée par la clé d'opérateur épinglée : \(detail)"
        case let .organisationRolledBack(id, served, seen):
            """
            le relais a servi la structure \(id) dans sa version \(served), mais ce poste a déjà vu sa version \(seen) : \
            une fiche ancienne, remplacée. Rien n'a été envoyé ; prévenez l'opérateur du relais
            """
        case .deviceChainTooLong: "chaîne de postes trop longue"
        case let .deviceRecordMissing(device): "le poste \(device) n'a pas de fiche signée"
        case let .deviceKeyMalformed(device): "clé mal formée pour \(device)"
        case .deviceIdMismatch: "l'identifiant du poste ne correspond pas à sa clé"
        case let .deviceSelfSignedNotOperator(device): "le poste \(device) signe sa propre fiche mais n'est pas l'opérateur épinglé"
        case let .deviceRecordInvalid(device, detail): "fiche du poste \(device) : \(detail)"
        case let .deviceDescriptionDiffers(device): "ce que le relais dit du poste \(device) diffère de sa fiche signée"
        case let .deviceEnrolledWrongly(device, role): "le poste \(device) (\(role)) a été inscrit par un poste qui ne peut pas l'inscrire"
        case let .revocationInvalid(device, detail): "la révocation montrée pour le poste \(device) ne se vérifie pas : \(detail)"
        case .revocationNamesOther: "elle désigne un autre poste, ou un poste qui ne peut pas le révoquer"
        case let .deviceNotOfOrganisation(device, organisation, role, actual, isOther):
            """
            le relais compte le poste \(device) parmi ceux de la structure \(organisation), mais sa fiche signée en fait \
            un·e \(role) \(actual.map { isOther ? "d'une autre structure (\($0))" : "de \($0)" } ?? "sans structure"). \
            Un relais qui fait cela veut que ce que vous envoyez parvienne à quelqu'un d'autre : rien n'a été scellé ni envoyé ; prévenez l'opérateur du relais
            """
        case let .deviceNotRecipient(device): "le poste \(device) n'est pas un poste actuel d'une structure destinataire ; rien n'a été scellé"
        case .noDeviceToSeal: "une structure destinataire n'a aucun poste pour qui sceller ; rien n'a été scellé"
        case let .envelopeErasedDeliveredAgain(id):
            "l'enveloppe \(id) a été effacée ici quand la personne a retiré son consentement, et le relais la remet de nouveau : refusée, et non gardée. Prévenez l'opérateur du relais"
        case let .envelopeFromRevoked(id, device, revokedAt, createdAt):
            "l'enveloppe \(id) vient du poste \(device), révoqué le \(revokedAt), avant qu'elle soit scellée (\(createdAt)) : refusée, et non gardée"
        case let .keyPackageInvalid(detail):
            "le relais propose un paquet de clé d'organisation qui ne se vérifie pas (\(detail)) : rien n'a été installé ; prévenez l'opérateur du relais"
        case let .keyPackageWrongGiver(giver, role, giverOrganisation, isThis, organisation):
            """
            le relais propose un paquet de clé d'organisation remis par le poste \(giver), un·e \(role) \
            \(giverOrganisation.map { isThis ? "de cette structure" : "d'une autre structure (\($0))" } ?? "sans structure"), \
            pour la structure \(organisation) : refusé, rien n'a été installé ; prévenez l'opérateur du relais
            """
        case let .keyPackageUnopenable(giver, detail):
            "le paquet de clé d'organisation du poste \(giver) ne s'ouvre pas ici (\(detail)) : rien n'a été installé ; prévenez l'opérateur du relais"
        case let .otherOrganisationKey(offered, giver, held, heldGiver):
            """
            LE RELAIS PROPOSE UNE AUTRE CLÉ D'ORGANISATION (\(offered), remise par le poste \(giver)) que celle que ce \
            poste détient (\(held), remise par le poste \(heldGiver)). Elle a été refusée : les pseudonymes restent ceux de la \
            clé détenue ici. Prévenez l'admin de votre structure et l'opérateur du relais
            """
        case let .relayMalformed(item):
            switch item {
            case .operatorKey: "la clé d'opérateur du relais est mal formée"
            case .sessionAnswer: "la réponse de session du relais est mal formée"
            case .invite: "le relais a renvoyé une invitation mal formée"
            case .pendingEnrolment: "le relais a renvoyé une inscription en attente mal formée"
            case .envelopeID: "identifiant d'enveloppe mal formé dans la réponse"
            case .logEntry: "entrée de journal mal formée venant du relais"
            case .proofHash: "empreinte de preuve mal formée venant du relais"
            case .signedObject: "objet signé mal formé venant du relais"
            case .deviceStatus: "état de poste mal formé venant du relais"
            case .deviceEntry: "fiche de poste mal formée venant du relais"
            case .prekey: "clé de session mal formée"
            case .keyPackage: "le relais a envoyé un paquet de clé qui n'est pas en base64"
            case .keyHolderDevice: "identifiant de poste mal formé dans la liste des détenteurs de la clé"
            case .keyHolderKey: "identifiant de clé mal formé dans la liste des détenteurs de la clé"
            case .inboxEntry: "entrée de boîte de réception mal formée"
            }
        case .relayOtherOperatorKey: "le relais montre une autre clé d'opérateur"
        case let .demoCheck(check):
            switch check {
            case .associationMissing: "association introuvable"
            case .envelopeMissing: "l'enveloppe manque dans la boîte de réception d'un poste destinataire"
            case .pendingMissing: "le nouveau poste n'est pas dans la liste d'attente de qui l'a inscrit"
            case .deviceKeyChanged: "le relais a changé la clé du poste"
            case .sessionNeedsIdentity: "une session demande l'identité d'un poste"
            case .inviteRole: "les invitations sont pour des postes admin, membre ou auditeur·rice"
            }
        case .auditNoLogKey: "aucune clé de journal d'audit n'est épinglée dans ce profil"
        case let .auditCheckpointUnsigned(detail): "le point de contrôle n'est pas signé par la clé du journal épinglée : \(detail)"
        case let .auditLogIncomplete(index, size):
            "JOURNAL INCOMPLET : le relais n'a servi aucune entrée à l'indice \(index) des \(size) que couvre son point de contrôle"
        case let .auditRootMismatch(size):
            "RACINE DIFFÉRENTE : les \(size) entrées servies ne donnent pas la racine du point de contrôle signé : une entrée a été modifiée, retirée, déplacée ou ajoutée"
        case let .auditRollback(size, previous):
            "RETOUR EN ARRIÈRE : le journal du relais a \(size) entrées, moins que les \(previous) que cet·te auditeur·rice a déjà vérifiées"
        case let .auditFork(previous, detail):
            "FOURCHE : le journal du relais ne prolonge pas le point de contrôle de \(previous) entrées que cet·te auditeur·rice a déjà vérifié (\(detail)) ; il montre des historiques différents à des personnes différentes"
        case let .auditEntryMalformed(index, detail): "l'entrée \(index) est mal formée : \(detail)"
        case let .passphraseTooShort(length, minimum):
            "la phrase de passe a \(length) caractères ; il en faut au moins \(minimum), par exemple quatre mots ou plus séparés par des espaces"
        case .passphraseCommon: "la phrase de passe est un mot de passe courant à peine modifié ; choisissez plusieurs mots qui ne sont pas un mot de passe connu"
        case let .passphraseGuessable(bits, minimum):
            "la phrase de passe est trop facile à deviner (environ \(bits) bits, il en faut au moins \(minimum)) : évitez les répétitions, les suites et les mots courants ; quatre mots sans rapport ou plus, séparés par des espaces, sont solides et faciles à retenir"
        case let .nameUnknown(text, what): "« \(text) » ne désigne aucun·e \(what) connu·e ici"
        case let .nameNoMatch(text, what, candidates): "« \(text) » ne désigne aucun·e \(what) ; candidats :\(candidates)"
        case let .nameAmbiguous(text, what, candidates): "« \(text) » désigne plusieurs \(what)s, précisez :\(candidates)"
        case let .notAnID(text, what, minimum):
            "« \(text) » n'est pas un identifiant de \(what) : 32 chiffres hexadécimaux, ou au moins \(minimum) premiers"

        case .nothingSent: "Rien n'a été envoyé."
        case .consentAbstract: "Recueillir, lister, consulter et retirer le consentement de la personne."
        case .consentGrantAbstract: "Enregistrer le consentement de la personne, en sa présence."
        case .consentListAbstract: "Les consentements enregistrés sur ce poste."
        case .consentShowAbstract: "Afficher un consentement."
        case .consentWithdrawAbstract:
            "Retirer un consentement, aussitôt : plus rien ne part sous ce consentement, et les destinataires effacent leur copie."
        case .consentCaseHelp: "Votre libellé de dossier pour la personne (seul son pseudonyme chiffré quitte ce poste)."
        case .consentToOrgHelp: "Une structure destinataire acceptée par la personne : son nom, une partie du nom, ou son identifiant (répéter)."
        case .consentToCategoryHelp: "Une catégorie de partenaires acceptée par la personne (répéter)."
        case .consentPurposeHelp: "Un besoin pour lequel la personne accepte le partage (répéter)."
        case .consentDataHelp: "Une catégorie d'informations partagées (répéter)."
        case .consentMethodHelp: "Comment la personne a donné son accord : oral, écrit ou électronique."
        case .consentLanguageHelp: "La langue dans laquelle la personne a été informée (code : fr, en, ro…)."
        case .consentInterpreterHelp: "Un·e interprète a participé."
        case .consentMonthsHelp: "Durée du consentement en mois (6 par défaut, 24 au plus)."
        case .consentDepartementHelp:
            "Le département de la personne, requis pour le parcours de sortie : 01 à 95, 2A, 2B, 971 à 976."
        case .consentAdultHelp: "Vous attestez que la personne est majeure (18 ans ou plus) : requis pour le parcours de sortie."
        case .consentIdHelp: "L'identifiant du consentement."
        case let .monthsRange(max): "--months va de 1 à \(max)"
        case let .departementCode(value):
            "--departement : un code de département, de 01 à 95, 2A, 2B ou de 971 à 976 (pas « \(value) »)"
        case .adultRequired:
            "--adult est requis avec le parcours de sortie : il est pour « toute personne majeure » ; pour un·e mineur·e, c'est la protection de l'enfance (relais declare)"
        case .departementRequired:
            "--departement est requis avec le parcours de sortie : l'agrément d'une association vaut pour un département, celui de la personne"
        case .departementOnlyExit: "--departement sert seulement au parcours de sortie (--purpose parcours-sortie-prostitution)"
        case let .personText(to, purposes, data, months):
            """
            Avec votre accord, je transmets à : \(to.joined(separator: ", "))
            uniquement ce qui est utile pour : \(purposes.joined(separator: ", "))
            (informations : \(data.joined(separator: ", "))).
            Votre accord vaut \(months) mois. Vous pouvez le retirer à tout moment, aussi simplement que vous l'avez donné :
            dites-le-moi et je le retire aussitôt. Ce qui n'a pas encore été remis est alors effacé,
            et les organisations qui ont reçu l'orientation sont prévenues et effacent leur copie.
            """
        case .personTextHeading: "— À lire à la personne —"
        case let .interpreterReads(language):
            "Pas de texte relu en « \(language) » : l'interprète le lit à la personne dans sa langue. Le consentement enregistre la présence d'un·e interprète."
        case .personAgreed: "La personne a-t-elle accepté exactement ceci ?"
        case let .consentRecorded(id, until):
            "Consentement enregistré : \(id), valable jusqu'au \(until). Envoyez avec --consent \(id)."
        case .noConsent: "Aucun consentement enregistré sur ce poste."
        case let .consentState(withdrawn, expired): withdrawn ? "retiré" : (expired ? "expiré" : "valable")
        case let .consentLine(id, state, until, purposes, caseLabel, departement):
            "\(id)  \(state)  jusqu'au \(until)  \(caseLabel.map { "situation « \($0) »  " } ?? "")pour \(purposes.joined(separator: ", "))"
                + (departement.map { "  (département \($0))" } ?? "")
        case let .consentShow(id, withdrawn, method, language, interpreter, purposes, recipients, data, legalBasis, from, until,
                              caseLabel, departement, adult):
            """
            consentement     \(id)\(withdrawn.map { "  RETIRÉ le \($0)" } ?? "")
            """ + (caseLabel.map { "\nsituation        « \($0) » (libellé de ce poste, jamais transmis)" } ?? "") + """

            recueilli        \(method), en « \(language) »\(interpreter ? " avec un·e interprète" : "")
            pour             \(purposes.joined(separator: ", "))
            destinataires    \(recipients.joined(separator: ", "))
            informations     \(data.joined(separator: ", "))
            base légale      \(legalBasis)
            valable          du \(from) au \(until)
            """ + (departement.map { "\ndépartement      \($0)" } ?? "")
                + (adult == true ? "\nmajorité         attestée par le·la professionnel·le" : "")
        case let .consentWithdrawn(id, deleted, notified):
            "Consentement \(id) retiré. Le relais a effacé \(deleted) enveloppe(s) pas encore remise(s) et prévenu \(notified) structure(s), qui effacent leur copie."

        case .sendAbstract: "Sceller une orientation pour chaque poste actuel des structures destinataires, et l'envoyer."
        case .inboxAbstract: "Les enveloppes qui attendent ce poste."
        case .openAbstract: "Récupérer, vérifier et ouvrir une enveloppe ; afficher l'orientation et la garder dans le coffre local chiffré."
        case .ackAbstract: "Accuser réception d'une enveloppe ouverte ; le relais l'efface quand chaque poste destinataire l'a fait."
        case .replyAbstract: "Répondre à une orientation ouverte, à la structure qui l'a envoyée."
        case .minorStatusRequired:
            "--minor-status est obligatoire : majeur·e, mineur·e ou se disant mineur·e (en cas de doute sur l'âge : se disant mineur·e)"
        case .kindNotReply: "--kind : une réponse part avec `relais reply`"
        case .caseNotFileSubject:
            "--case ne désigne pas la personne de l'orientation du fichier --file : vérifiez le libellé de dossier (rien n'a été envoyé)"
        case .caseRequired: "--case est obligatoire : votre libellé de dossier pour la personne, celui donné à `relais consent grant --case`"
        case .coverRequired:
            "indiquez --consent (le consentement recueilli auprès de la personne) ou, pour un signalement de protection de l'enfance, --child-protection-declaration"
        case .senderRequired: "--sender-name et --sender-role sont obligatoires"
        case .expiresRange: "--expires-in-days va de 1 à 30"
        case .childrenFlagsNeedCount: "--children-with-the-person et --children-at-risk vont avec --children N (le nombre d'enfants)"
        case .leadFlagsNeedName: "--lead-organisation, --lead-phone et --lead-email vont avec --lead-professional NOM"
        case .exitFlagsOnlyExit: "--exit-request, --months-used et --departement sont pour une demande de parcours de sortie (--kind parcours-de-sortie)"

        case .exitRequestNeeds:
            "une demande de parcours de sortie indique --exit-request (premiere-demande ou renouvellement) et --departement (celui de la personne)"
        case let .cannotRead(file): "impossible de lire \(file)"
        case .sendQuestion: "Envoyer ?"
        case .replyQuestion: "Envoyer cette réponse ?"
        case let .sent(id, devices): "Envoyé : enveloppe \(id), scellée pour \(devices) poste(s)."
        case let .replySent(id): "Réponse envoyée : enveloppe \(id)."
        case let .erasedByWithdrawal(n): "\(n) orientation(s) gardée(s) sous un consentement retiré par la personne ont été effacée(s)."
        case .noEnvelope: "Aucune enveloppe en attente."
        case let .inboxLine(id, from, kind, received, expires):
            "\(id)  de « \(from) »\(kind.map { " (\($0))" } ?? "")  reçu le \(received)  \(expires)"
        case let .attention(what): "Attention : \(what)."
        case .emergencyNotice:
            "Niveau de danger 3 : Relais n'est pas un canal d'urgence. En cas de danger immédiat, appelez le 17 ou le 112 ; pour un enfant en danger, le 119."
        case let .acknowledged(deleted):
            deleted ? "Réception confirmée ; chaque poste destinataire l'a, le relais l'a donc effacée." : "Réception confirmée."
        case .outcomeFlagsNeedOutcome:
            "--appointment-at, --reason, --reoriented-to, --opinion, --decision et --note précisent une issue : indiquez-la avec --outcome"
        case let .outcomeNeeds(status, flag):
            "une réponse « \(status) » indique \(flag) : la structure qui a orienté la personne doit savoir ce qui suit"
        case let .notADateTime(text):
            "--appointment-at : « \(text) » n'est pas une date et une heure (« 2026-12-10 14:30 », heure locale, ou ISO 8601)"
        case let .yesNo(b): b ? "oui" : "non"
        case let .field(f): f.fr
        case let .aboutToSend(kind): "Orientation prête à être scellée et envoyée (\(kind)) :"
        case let .pseudonym(p): "pseudonyme \(p)"
        case let .caseSubject(s): "dossier \(s)"
        case let .personLine(name, firstName, age, minor, languages, interpreter, status):
            ([name + (firstName.map { ", prénom \($0)" } ?? ""), age, minor] + (languages.map { ["langues \($0.joined(separator: ", "))"] } ?? [])
                + (interpreter ? ["interprète nécessaire"] : []) + (status.map { ["situation \($0)"] } ?? [])).joined(separator: " ; ")
        case let .safetyLine(level, safe): "niveau de danger \(level) ; \(safe ? "peut être appelée sans risque" : "NE PAS appeler")"
        case let .freeTextSummary(characters, attachments):
            "\(characters.map { "\($0) caractères" } ?? "aucun"), \(attachments) pièce(s) jointe(s)"
        case let .coveredBy(declaration, id): "\(declaration ? "déclaration de protection de l'enfance" : "consentement") \(id)"
        case let .recipientLine(name, category, departements): "\(name) (\(category), \(departements.joined(separator: ", ")))"
        case let .deviceLine(id, fingerprint): "poste \(id)  empreinte \(fingerprint)"
        case let .deviceSkipped(id, reason): "(poste \(id) laissé de côté : \(reason))"
        case let .deviceSkippedWarning(id, reason): "relais : attention : poste \(id) laissé de côté : \(reason)"
        case let .referralHeading(id, kind, replyTo): "Orientation \(id) — \(kind)\(replyTo.map { " (réponse à \($0))" } ?? "")"
        case let .verifiedSender(device, fingerprint): "poste \(device), signature vérifiée, empreinte \(fingerprint)"
        case let .openExpires(date, relative, retentionDays, ack):
            "\(date), \(relative) ; gardée ici \(retentionDays) jours. Confirmez la réception avec `relais ack \(ack)`."
        case let .situationParts(part, value): "\(part.fr) : \(value)"
        case let .minorLine(unaccompanied, aged16):
            "isolé·e étranger·ère : \(unaccompanied ? "oui" : "non") ; 16 ans ou plus, plainte déposée : \(aged16 ? "oui" : "non")"
        case let .exitLine(first, months, departement):
            "\(first ? "première demande" : "renouvellement"), \(months) mois déjà accomplis, département \(departement)"
        case let .characters(n): "\(n) caractères"

        case let .outcome(status, opinion, decision, at, reason, reorientedTo):

            status + (opinion.map { " : " + $0 } ?? "") + (decision.map { " : " + $0 } ?? "") + (at.map { " le " + $0 } ?? "")
                + (reason.map { " (motif : \($0))" } ?? "") + (reorientedTo.map { " vers la structure " + $0 } ?? "")

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

        case .casesAbstract: "Suivi des situations : envois, remises, accusés de réception, dernière réponse, validité de l'accord."
        case .casesOfflineHelp: "Ne pas interroger le relais (ce que ce poste sait déjà)."
        case .noCases: "Aucune situation suivie sur ce poste."
        case let .caseHeading(label, pseudonym): "Situation \(label.map { "« \($0) »" } ?? "reçue") — pseudonyme \(pseudonym)"
        case let .caseConsentValid(until, id): "  Accord :        valable jusqu'au \(until) (\(id))"
        case let .caseConsentNone(withdrawnOn, expiredOn):
            "  Accord :        aucun accord valable (\(withdrawnOn.map { "retiré le \($0)" } ?? "expiré le \(expiredOn ?? "")")) : recueillez un nouvel accord avant tout envoi"
        case .caseConsentNotHere: "  Accord :        non enregistré sur ce poste"
        case let .caseSent(id, kind, on, state): "  Envoi \(id) :  \(kind), le \(on), \(state)"
        case let .caseReceived(reply, id, on): "  \(reply ? "Réponse reçue" : "Orientation reçue") \(id) le \(on)"
        case let .caseLastReply(what): "  Dernière réponse : \(what)"
        case let .caseDeclared(on, until, id): "  Déclaration de protection de l'enfance \(id) le \(on), valable jusqu'au \(until)"
        case let .caseOutsideReport(to, on): "  Signalement fait hors de Relais : \(to), le \(on)"
        case let .sentStateUnknown(expired): expired ? "expiré" : "envoyé (état inconnu du relais)"
        case .sentStateDeleted: "supprimé du relais (reçu et accusé par tous les postes, ou accord retiré)"
        case .sentStateExpired: "expiré"
        case let .sentStateDelivered(delivered, acknowledged, addressed):
            "remis à \(delivered)/\(addressed) poste(s), accusé par \(acknowledged)/\(addressed)"
        case .replyWithoutOutcome: "réponse sans issue indiquée (orientation au format 1)"

        case .declareAbstract:
            "Déclarer le fondement d'un signalement de protection de l'enfance pour une situation (sans consentement : CASF L.226-2-1 / L.226-2-2)."
        case .declareCaseHelp: "Le libellé local de la situation, comme pour consent grant --case (seul son pseudonyme quitte ce poste)."
        case .declareMinorStatusHelp: "Mineur·e ou se disant mineur·e."
        case .declareArticleHelp: "L.226-2-1 (information préoccupante) ou L.226-2-2."
        case let .declareValidDaysHelp(max): "Jours de validité, de 1 à \(max) (défaut : \(max))."
        case let .declareMaxReportsHelp(max, def): "Nombre d'envois de signalement permis, de 1 à \(max) (défaut : \(def))."
        case .declareMinorStatus: "--minor-status vaut mineur·e ou se disant mineur·e"
        case .declareArticle: "--article vaut L.226-2-1 ou L.226-2-2"
        case let .declareValidDays(max): "--valid-days va de 1 à \(max)"
        case let .declareMaxReports(max): "--max-reports va de 1 à \(max)"
        case .caseEmpty: "--case ne peut pas être vide"
        case let .declared(id, label, article, days, until, reports):
            """
            Déclaration de protection de l'enfance enregistrée : \(id) (situation « \(label) », \(article)).
            Elle permet, pendant \(days) jour(s) (jusqu'au \(until)), au plus \(reports) envoi(s) de signalement pour cette situation,
            à la protection de l'enfance (CRIP), au parquet ou aux forces de l'ordre :
              relais send --kind signalement --child-protection-declaration \(id) --case \(label) …
            Les autres orientations de cette situation (hébergement, santé…) peuvent partir pendant cette période, avec le consentement de la personne.
            """
        case .outsideReportAbstract: "Enregistrer un signalement de protection de l'enfance fait hors de Relais (à qui, quand) pour une situation."
        case let .outsideReportDiscussion(days):
            """
            Le guide : tout·e professionnel·le qui a connaissance d'une situation de prostitution de mineur·e·s \
            a le devoir d'agir, même si le·la mineur·e exige le silence : signaler aux services sociaux \
            départementaux (CRIP), aux forces de l'ordre, à l'institution judiciaire ou au 119. Une fois le \
            signalement enregistré, les autres orientations de cette situation peuvent partir pendant \
            \(days) jours. Le relais en garde une trace pseudonyme : la \
            structure, le destinataire du signalement et sa date, jamais le nom ni le libellé de la situation.
            """
        case .outsideReportToHelp:
            "À qui le signalement a été fait : crip (protection de l'enfance du département), police (police ou gendarmerie), justice (procureur·e), 119."
        case let .outsideReportDateHelp(days):
            "Le jour du signalement, AAAA-MM-JJ (heure de Paris ; ni dans le futur, ni il y a plus de \(days) jours)."
        case .outsideReportTo: "--to vaut crip, police, justice ou 119"
        case .outsideReportDateFormat: "--date s'écrit AAAA-MM-JJ (par exemple 2026-03-14)"
        case .outsideReportFuture: "--date est dans le futur : donnez le jour où le signalement a été fait"
        case let .outsideReportTooOld(days):
            "--date : le signalement date de plus de \(days) jours ; pour la situation d'aujourd'hui, faites un nouveau signalement (relais declare, ou hors de Relais puis relais outside-report)"
        case let .outsideReportSummary(label, to, day):
            """
            Signalement fait hors de Relais, situation « \(label) » : \(to), le \(day).
            Le relais en gardera une trace pseudonyme (structure, destinataire, date).

            """
        case .outsideReportQuestion: "Enregistrer ce signalement ?"
        case let .outsideReportRecorded(id, to, day, label, until):
            """
            Signalement enregistré : \(id) (\(to), le \(day)).
            Les orientations de la situation « \(label) » peuvent partir jusqu'au \(until), avec le consentement de la personne.
            """
        case let .outsideReportRecipient(r):
            switch r {
            case .crip: "à la protection de l'enfance du département (CRIP)"
            case .police: "à la police ou à la gendarmerie"
            case .justice: "au procureur ou à la procureure de la République"
            case .hotline119: "au 119 (Allô Enfance en Danger)"
            }
        case .notConfirmedNothingRecorded: "non confirmé : ajoutez --yes pour continuer sans terminal ; rien n'a été enregistré"
        case .cancelledNothingRecorded: "annulé ; rien n'a été enregistré"

        case .guidedDiscussion:
            """
            Sur un terminal, ce qui manque est demandé, une question à la fois : pour une liste, tapez le numéro, le libellé \
            ou l'identifiant ; Entrée passe une question facultative ; une réponse non valable est redemandée ; Ctrl-D abandonne \
            sans rien envoyer ni enregistrer. Le résumé s'affiche ensuite, avant votre confirmation. Sans terminal (entrée \
            standard redirigée), rien n'est demandé : une option obligatoire absente est une erreur d'utilisation (64) qui la nomme.
            """
        case let .guidedMissing(option):
            "il manque \(option) : sans terminal, relais ne pose pas de question ; donnez \(option) sur la ligne de commande"
        case let .guidedQuestion(q):
            switch q {
            case .caseLabel: "Libellé du dossier de la personne"
            case .consent: "Consentement de la personne"
            case .recipients: "Structures destinataires"
            case .needs: "Besoins"
            case .minorStatus: "Majeur·e ou mineur·e (en cas de doute sur l'âge : se disant mineur·e)"
            case .senderName: "Votre nom, tel que le partenaire le lira"
            case .senderRole: "Votre fonction"
            case .text: "Texte libre pour le partenaire"
            case .consentRecipients: "Destinataires (structures ou catégories de partenaires)"
            case .purposes: "Finalités (les besoins pour lesquels la personne accepte le partage)"
            case .data: "Données partagées"
            case .envelope: "Orientation à laquelle vous répondez"
            case .outcome: "Suite donnée"
            case .appointmentAt: "Date et heure du rendez-vous (AAAA-MM-JJ HH:MM, heure locale)"
            case .reason: "Motif du refus"
            case .reorientedTo: "Structure vers laquelle la personne est réorientée (son nom)"
            case .opinion: "Avis de la commission"
            case .decision: "Décision du préfet"
            case .departement: "Département de la personne (01 à 95, 2A, 2B, 971 à 976)"
            case .adult: "Attestez-vous que la personne est majeure (18 ans ou plus) ?"
            case .cover: "Ce sur quoi repose l'envoi (consentement de la personne, ou déclaration de protection de l'enfance)"
            case .kind: "Type d'envoi"
            case .exitRequest: "Demande de parcours de sortie"
            case .monthsUsed: "Nombre de mois de parcours déjà accomplis"
            case .unaccompaniedMinor: "La personne est-elle un·e mineur·e isolé·e étranger·ère ?"
            case .aged16WithComplaint: "A-t-elle 16 ans ou plus, et a-t-elle porté plainte pour traite ou proxénétisme ?"
            }
        case .guidedOptional: "(facultatif : Entrée pour passer)"
        case .guidedSeveral: "(un ou plusieurs numéros, séparés par des virgules)"
        case let .guidedAsk(question): "\(question) : "
        case .guidedAnswerRequired: "une réponse est nécessaire (Ctrl-D pour abandonner sans rien envoyer)"
        case let .guidedNotAChoice(value, count):
            "« \(value) » n'est pas dans la liste : tapez un numéro de 1 à \(count), ou le libellé"
        case .guidedAborted: "abandonné ; rien n'a été envoyé ni enregistré"
        case let .guidedNoConsent(label):
            "aucun consentement valable n'est enregistré sur ce poste pour le dossier « \(label) » : enregistrez-le d'abord (relais consent grant), ou donnez --consent ou --child-protection-declaration"
        case .guidedNothingToAnswer: "aucune orientation ouverte sur ce poste à laquelle répondre : ouvrez-la d'abord (relais open)"
        case let .guidedCategory(category): "toute structure de la catégorie « \(category) »"
        case let .guidedConsentChoice(id, purposes, until):
            "consentement \(id) : \(purposes.joined(separator: ", ")) ; valable jusqu'au \(until)"
        case let .guidedReferralChoice(id, kind, from, opened): "\(kind) de \(from), ouverte le \(opened) (\(id))"
        case let .guidedDeclarationChoice(id, minor, until):
            "déclaration de protection de l'enfance \(id) (\(minor)) ; valable jusqu'au \(until)"
        case let .guidedDefault(value): "(Entrée : \(value))"
        case let .guidedNoChoice(question):
            "rien à choisir pour « \(question) » : la liste est vide (voir relais directory et relais cases) ; rien n'a été envoyé ni enregistré"

        case .initAbstract: "Créer les clés de ce poste dans un nouveau profil (les clés du relais sont vérifiées à l'inscription, avec l'invitation)."
        case .initRelayHelp: "L'adresse du relais, par exemple https://relais.example.org"
        case .initRelayURL: "--relay doit être une adresse comme https://relais.example.org"
        case .newPassphrasePrompt: "Nouvelle phrase de passe pour ce profil : "
        case let .profileCreated(directory, device, fingerprint):
            """
            Profil créé dans \(directory)
            Ce poste :         \(device)
            Son empreinte :    \(fingerprint)
            Rien n'est encore de confiance : les clés du relais sont vérifiées avec votre invitation à l'inscription.
            Ensuite : `relais enrol <invitation>` avec l'invitation que votre structure vous a donnée
            (l'opérateur du relais : `relais enrol --operator <invitation d'opérateur>`).
            """
        case .enrolAbstract: "Utiliser une invitation à usage unique avec la clé de ce poste."
        case .enrolInviteHelp: "Le code d'invitation (ri2_…)."
        case .enrolOperatorHelp: "C'est l'invitation d'opérateur du relais : ce poste devient l'opérateur, la racine de l'annuaire."
        case .notAnInvite: "ce n'est pas un code d'invitation (ri2_<id>_<secret>_<ancre>)"
        case let .enrolled(role, active, operatorFingerprint, fingerprint):
            active
                ? "Inscrit comme \(role) ; ce poste est actif. Les clés du relais correspondent à l'invitation ; empreinte de l'opérateur \(operatorFingerprint)."
                : """
                  Inscrit comme \(role), en attente d'approbation. Lisez cette empreinte à la personne qui vous a invité·e :
                    \(fingerprint)
                  Puis lancez `relais whoami` jusqu'à ce qu'il indique actif.
                  """
        case .passphraseAbstract: "Changer la phrase de passe de ce profil (le coffre est rechiffré avec un sel neuf)."
        case .passphraseDiscussion:
            "Sans terminal, la nouvelle phrase de passe est lue dans RELAIS_NEW_PASSPHRASE. Les copies de l'ancien fichier du coffre s'ouvrent toujours avec l'ancienne."
        case let .passphraseChanged(directory):
            "Phrase de passe changée pour \(directory). Les sauvegardes de l'ancien fichier du coffre s'ouvrent toujours avec l'ancienne : supprimez-les."
        case .whoamiAbstract: "Afficher ce poste, son rôle, sa structure et son état."
        case let .whoami(device, fingerprint, role, organisation, status, relay, warnings):
            ([
                "poste         \(device)", "empreinte     \(fingerprint)", "rôle          \(role)", "structure     \(organisation ?? "aucune")",
                "état          \(status)", "relais        \(relay)",
            ] + warnings.map { "attention     clé d'organisation : \($0)" }).joined(separator: "\n")
        case .fingerprintAbstract: "Afficher l'empreinte de ce poste, d'un autre poste, ou des postes d'une structure."
        case .fingerprintIdHelp: "Un identifiant de poste, ou une structure (son nom, une partie du nom, ou son identifiant) ; rien pour ce poste."
        case let .safetyNumber(n): "numéro de sécurité avec ce poste : \(n)"
        case .trustAbstract: "Accepter les postes actuels d'une structure après avoir comparé leurs empreintes avec elle, hors de Relais."
        case .trustOrganisationHelp: "La structure : son nom, une partie du nom, ou son identifiant."
        case .trustQuestion: "Ces empreintes correspondent-elles à ce que la structure vous a dit ?"
        case let .trusted(count, organisation): "\(count) poste(s) de \(organisation) accepté(s)."

        case .directoryAbstract: "Lister et chercher les structures ; chaque fiche est vérifiée avec la clé de l'opérateur."
        case .directoryDiscussion:
            """
            Les filtres se combinent. Les structures nationales valent pour tout --departement. Une structure publiée avant la version 2 \
            de la fiche ne dit rien de ses services, langues ou public : elle ne répond à aucun --need, --language ou --public.
            """
        case .directoryCategoryHelp: "Catégorie de partenaires."
        case .directoryDepartementHelp: "Code du département, par exemple 93."
        case .directoryNeedHelp: "Un besoin auquel elle répond."
        case .directoryLanguageHelp: "Une langue parlée, code ISO 639 (fr, en, ro…)."
        case .directoryPublicHelp: "Qui elle accueille."
        case .directoryAccreditedHelp: "Seulement les associations agréées pour le parcours de sortie aujourd'hui (dans --departement, s'il est donné)."
        case .departementFormat: "--departement prend un code comme 75, 2A ou 971"
        case .languageFormat: "--language prend un code ISO 639 en minuscules comme fr, en, ro"
        case let .publicChoices(choices): "--public vaut \(choices.joined(separator: ", "))"
        case .noOrganisation: "Aucune structure ne correspond."
        case .nationalScope: "nationale"
        case let .publicServed(women, men, trans, minors, ages, traffickingOnly):
            ([women ? "femmes" : nil, men ? "hommes" : nil, trans ? "personnes trans" : nil, minors ? "mineur·e·s accueilli·e·s" : "majeur·e·s seulement",
              ages.map { "âges \($0)" }, traffickingOnly ? "victimes de traite seulement" : nil] as [String?]).compactMap { $0 }.joined(separator: ", ")
        case let .directoryLine(line, value):
            switch line {
            case .publicServed: "  public : \(value)"
            case .languages: "  langues : \(value)"
            case .services: "  services : \(value)"
            case .phone: "  téléphone : \(value)"
            case .hours: "  horaires : \(value)"
            }
        case let .accreditedUntil(until): "  agréée (parcours de sortie) jusqu'au \(until)"
        case let .exitProgrammeIn(departement, state, from, until):
            "  parcours de sortie dans le \(departement) : \(["agréée", "agrément échu", "agrément à venir"][max(0, min(2, state))]), du \(from) au \(until)"

        case .adminAbstract: "Commandes de l'opérateur et des administrateur·rices de structure."
        case .createOrgAbstract:
            "Créer une structure, ou publier une nouvelle version d'une structure (--org), signée par la clé de l'opérateur (opérateur seulement)."
        case .inviteAbstract: "Émettre une invitation à usage unique : l'opérateur pour les admins et auditeur·rices, un·e admin pour sa structure."
        case .pendingAbstract: "Les postes qui ont utilisé vos invitations et attendent votre approbation."
        case .approveAbstract: "Signer la fiche d'un poste en attente après avoir comparé son empreinte avec sa ou son propriétaire."
        case .devicesAbstract: "Lister les postes d'une structure (par défaut : la vôtre)."
        case .revokeAbstract: "Révoquer un poste, aussitôt (l'opérateur, ou un·e admin de sa structure)."
        case let .organisationPublished(created, id, name): "Structure \(created ? "créée" : "mise à jour") : \(id)  \(name)"
        case let .inviteIssued(until, code): "Invitation (un seul usage, jusqu'au \(until)) ; à donner à la personne seulement :\n\(code)"
        case .noPending: "Aucune inscription en attente."
        case let .pendingMismatch(why): "\n    NE CORRESPOND PAS À VOTRE INVITATION : \(why) ; l'approbation sera refusée"
        case let .asksToBecome(device, what): "Le poste \(device) demande à devenir : \(what)"
        case let .deviceFingerprint(device, fingerprint): "Empreinte du poste \(device) : \(fingerprint)"
        case .approveQuestion: "La personne vous lit-elle exactement ces chiffres ?"
        case let .approved(device, role): "Approuvé : \(device) est un poste actif (\(role))."
        case let .revokeQuestion(device): "Révoquer le poste \(device) ? Il ne recevra plus rien."
        case let .revoked(device): "Révoqué : \(device)."
        case let .roleOf(role, organisation, id):
            id == nil ? "\(role) (sans structure)" : "\(role) de \(organisation ?? "une structure absente de l'annuaire") (\(id ?? ""))"

        case .keysAbstract: "Gestion des clés de session (prekeys)."

        case .rotateAbstract: "Publier une nouvelle clé de session maintenant, et effacer les clés privées dont plus aucune enveloppe ne peut avoir besoin."
        case .purgeAbstract: "Effacer les orientations ouvertes plus anciennes que la durée de conservation de ce profil, et les clés de session expirées."
        case .contactsAbstract: "Les contacts utiles du guide : 119, 3919, 0 800 05 95 95, 115, AcSé, signalement en ligne (avec leurs horaires)."
        case .contactsHeading: "Contacts utiles (guide d'Île-de-France pour les professionnel·les)"
        case let .prekeyPublished(held):
            "Nouvelle clé de session publiée. Clés privées gardées : \(held) (chacune tant qu'une enveloppe scellée pour elle peut encore exister)."
        case let .purged(erased, retentionDays, kept):
            "\(erased) orientation(s) effacée(s), au-delà de la conservation de \(retentionDays) jours ; \(kept) gardée(s)."

        case .configAbstract: "Afficher ou modifier les réglages de ce profil."





        case .configRetentionHelp: "Jours pendant lesquels une orientation ouverte reste dans le coffre local chiffré (90 par défaut)."
        case .configRelayHelp: "La nouvelle adresse du relais (le même relais : clés et empreintes sont gardées)."
        case .configRelayURL: "--relay doit être une adresse http(s)"
        case .configWitnessHelp: "La clé de vérification d'un témoin (relais-witness key), répétable : la liste remplace celle du profil ; chaque point de contrôle doit alors être cosigné par assez d'entre eux."
        case .configWitnessesRequiredHelp: "Combien de ces témoins doivent avoir cosigné chaque point de contrôle (k sur n ; 1 par défaut)."
        case .configNoWitnessesHelp: "Ne plus exiger de témoin."
        case let .configWitnessKey(why): "--witness : \(why)"
        case let .configWitnesses(required, keys):
            keys.isEmpty ? "témoins              aucun exigé" : "témoins              \(required) sur \(keys.count) exigés\n" + keys.map { "  \($0)" }.joined(separator: "\n")
        case let .configShow(relay, retentionDays, language):
            "relais               \(relay)\nconservation (jours)  \(retentionDays)\nlangue               \(language ?? "celle du système")"
        }
    }
}

extension ReferralField {
    var fr: String {
        switch self {
        case .needs: "Besoins :"
        case .person: "Personne :"
        case .safety: "Sécurité :"
        case .freeText: "Texte libre :"
        case .coveredBy: "Couverte par :"
        case .to: "À :"
        case .device: "Poste :"
        case .expires: "Expire :"
        case .from: "De :"
        case .contact: "Contact :"
        case .codeWord: "Mot de code :"
        case .text: "Texte :"
        case .situation: "Situation :"
        case .lead: "Référent·e :"
        case .minor: "Mineur·e :"
        case .exitProgramme: "Parcours de sortie :"
        case .outcome: "Issue :"
        case .note: "Note :"
        }
    }
}

extension ReferralSituationPart {
    var fr: String {
        switch self {
        case .exploitation: "exploitation"
        case .inDanger: "en danger localement"
        case .moveAway: "doit s'éloigner"
        case .currentDepartement: "département actuel"
        case .avoid: "départements à éviter"
        case .children: "enfants"
        case .childrenWith: "avec la personne"
        case .childrenAtRisk: "en danger"
        case .threats: "menaces sur les proches"
        case .debt: "dette"
        case .documents: "papiers d'identité détenus par un tiers"
        case .complaint: "plainte déposée"
        case .pregnancy: "grossesse"
        case .interview: "entretien"
        }
    }
}

extension DirectoryInclusion.Subject {
    /// Ce que la réponse d'annuaire a servi (`Message.directoryNotLogged`).
    var frenchLabel: String {
        switch self {
        case let .organisation(id): "l'enregistrement de l'organisation \(id)"
        case let .deviceRecord(id): "l'enregistrement de l'appareil \(id)"
        case let .revocation(id): "la révocation de l'appareil \(id)"
        case let .prekey(id): "une clé de session (prekey) de l'appareil \(id)"
        }
    }
}
