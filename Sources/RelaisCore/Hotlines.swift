/// The national contacts of the guide (« Permanences téléphoniques d'écoute et d'orientation »,
/// AcSé, the 115, the Ministry of the Interior's reporting platform), as data, in French, with the
/// guide's own words for their hours. `relais contacts` lists them; the notices for danger level 3
/// and for any minor name them.
public struct Hotline: Codable, Hashable, Sendable {
    /// A stable key: `119`, `3919`, `0800059595`, `115`, `acse`, `pharos`.
    public var key: String
    /// What to dial, as the guide writes it ("0 800 05 95 95"); nil for a website.
    public var phone: String?
    public var name: String
    /// Hours as the guide gives them; nil when the guide gives none.
    public var hours: String?
    /// What it is for, in French.
    public var purpose: String
    public var email: String?
    public var website: String?

    public init(key: String, phone: String?, name: String, hours: String?, purpose: String, email: String? = nil, website: String? = nil) {
        self.key = key
        self.phone = phone
        self.name = name
        self.hours = hours
        self.purpose = purpose
        self.email = email
        self.website = website
    }

    /// One line for a notice: "119 (Allô enfance en danger, 24h/24, 7j/7)".
    public var shortLine: String {
        let what = [name, hours].compactMap(\.self).joined(separator: ", ")
        return "\(phone ?? website ?? key) (\(what))"
    }

    /// What `relais contacts` prints for it.
    public var text: String {
        var lines = ["\(phone ?? website ?? key) — \(name)"]
        lines.append("  Horaires : \(hours ?? "non indiqués dans le guide")")
        lines.append("  \(purpose)")
        if let email { lines.append("  Courriel : \(email)") }
        if let website, phone != nil { lines.append("  Site : \(website)") }
        return lines.joined(separator: "\n")
    }
}

public enum Hotlines {
    /// « 119 - Allô enfance en danger 24/24h- 7/7j. Ligne d'écoute gratuite et confidentielle pour
    /// la protection des mineur.e.s en danger ou en risque de l'être. »
    public static let enfanceEnDanger = Hotline(
        key: "119", phone: "119", name: "Allô enfance en danger", hours: "24h/24, 7j/7",
        purpose: "Ligne d'écoute gratuite et confidentielle pour la protection des mineur·es en danger ou en risque de l'être.")

    /// « 3919 - Violences Femmes Info Lundi au vendredi- 9h à 22h ; samedi, dimanche et jours
    /// fériés- 9h à 18h. Numéro d'écoute et d'orientation anonyme et gratuit pour les femmes
    /// victimes de toutes formes de violences. »
    public static let violencesFemmesInfo = Hotline(
        key: "3919", phone: "3919", name: "Violences Femmes Info",
        hours: "du lundi au vendredi de 9h à 22h ; samedi, dimanche et jours fériés de 9h à 18h",
        purpose: "Numéro d'écoute et d'orientation anonyme et gratuit pour les femmes victimes de toutes formes de violences.")

    /// « 0 800 05 95 95 - Viols Femmes Informations Lundi au vendredi- 10h à 19h. Ligne
    /// téléphonique pour accompagner et guider les victimes de viols et agressions sexuelles. »
    public static let violsFemmesInformations = Hotline(
        key: "0800059595", phone: "0 800 05 95 95", name: "Viols Femmes Informations", hours: "du lundi au vendredi de 10h à 19h",
        purpose: "Ligne téléphonique pour accompagner et guider les victimes de viols et agressions sexuelles.")

    /// The guide names the 115 with the SIAO for sheltering (« des conventions entre l'Etat, le
    /// SIAO, le 115 et les associations spécialisées […] facilitent le processus d'hébergement »)
    /// and gives no hours.
    public static let urgenceSociale = Hotline(
        key: "115", phone: "115", name: "Hébergement d'urgence (SIAO)", hours: nil,
        purpose: "Mise à l'abri : dans certains départements, des conventions entre l'État, le SIAO, le 115 et les associations spécialisées facilitent l'hébergement des femmes victimes de violences, dont la prostitution.")

    /// « Dispositif national Accueil Sécurisant (AcSé). Évaluation, mise à l'abri et prise en charge
    /// globale des personnes victimes de la TEH en danger localement et nécessitant un éloignement
    /// géographique […] ac.se@association-alc.org / 04 92 15 10 51 »
    public static let acse = Hotline(
        key: "acse", phone: "04 92 15 10 51", name: "Dispositif national Accueil Sécurisant (AcSé)", hours: nil,
        purpose: "Évaluation, mise à l'abri et prise en charge globale des victimes de traite des êtres humains en danger localement et nécessitant un éloignement géographique.",
        email: "ac.se@association-alc.org")

    /// « s'adresser aux services spécialisés en cas de prostitution sur internet (plateforme de
    /// signalement du ministère de l'Intérieur : www.internet-signalement.gouv.fr) »
    public static let pharos = Hotline(
        key: "pharos", phone: nil, name: "Plateforme de signalement du ministère de l'Intérieur (PHAROS)", hours: nil,
        purpose: "Signaler la prostitution de mineur·es sur internet.", website: "www.internet-signalement.gouv.fr")

    /// Every contact, in the order `relais contacts` lists them.
    public static let all = [enfanceEnDanger, violencesFemmesInfo, violsFemmesInformations, urgenceSociale, acse, pharos]

    /// The notice for a referral at danger level 3 (« danger immédiat »), in French.
    public static var dangerNotice: String {
        """
        Danger immédiat (niveau 3) : Relais ne remplace pas les secours ni le dépôt de plainte, possible dans tout commissariat ou brigade de gendarmerie.
        Mise à l'abri : \(urgenceSociale.shortLine) ; victime de traite en danger localement : \(acse.phone!) (AcSé, \(acse.email!)).
        Femmes victimes de violences : \(violencesFemmesInfo.shortLine) ; viols : \(violsFemmesInformations.shortLine).
        """
    }

    /// The notice for any referral about a minor (or a person who may be one), in French: a minor
    /// in prostitution is a child in danger, even if silent; every professional must act.
    public static var minorNotice: String {
        """
        Mineur·e : toute situation de prostitution d'un·e mineur·e est une situation de danger. Tout·e professionnel·le qui en a connaissance a le devoir d'agir, même si le·la mineur·e exige le silence.
        Signalez aux services départementaux de protection de l'enfance (CRIP), aux forces de l'ordre ou à la justice, ou au \(enfanceEnDanger.shortLine).
        Prostitution sur internet : \(pharos.website!) (\(pharos.name)).
        """
    }
}
