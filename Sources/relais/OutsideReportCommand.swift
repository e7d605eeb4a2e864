import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

/// `relais outside-report`: records that a child-protection report about a minor was made outside
/// Relais (when, to whom), so that the minor's other referrals may go (SPEC.md, "Report made
/// outside Relais"). The relay logs it under the case's pseudonym only.
struct OutsideReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outside-report",
        abstract: "Enregistrer un signalement de protection de l'enfance fait hors de Relais (à qui, quand) pour une situation.",
        discussion: """
        Le guide : tout·e professionnel·le qui a connaissance d'une situation de prostitution de mineur·e·s \
        a le devoir d'agir, même si le·la mineur·e exige le silence : signaler aux services sociaux \
        départementaux (CRIP), aux forces de l'ordre, à l'institution judiciaire ou au 119. Une fois le \
        signalement enregistré, les autres orientations de cette situation peuvent partir pendant \
        \(OutsideReportRecord.maximumAge / 86_400) jours. Le relais en garde une trace pseudonyme : la \
        structure, le destinataire du signalement et sa date, jamais le nom ni le libellé de la situation.
        """)
    @OptionGroup var options: ProfileOptions
    @Option(name: .customLong("case"), help: "Le libellé local de la situation, comme pour consent grant --case (seul son pseudonyme quitte ce poste).")
    var caseID: String
    @Option(help: "À qui le signalement a été fait : crip (protection de l'enfance du département), police (police ou gendarmerie), justice (procureur·e), 119.")
    var to: String
    @Option(name: .customLong("date"), help: "Le jour du signalement, AAAA-MM-JJ (heure de Paris ; ni dans le futur, ni il y a plus de \(OutsideReportRecord.maximumAge / 86_400) jours).")
    var dayText: String
    @Flag(help: "Ne pas demander de confirmation.") var yes = false

    func run() async throws {
        try await guarded {
            guard let recipient = OutsideReportRecord.Recipient(rawValue: to) else {
                throw ValidationError("--to vaut crip, police, justice ou 119")
            }
            guard let day = Self.startOfDay(dayText) else { throw ValidationError("--date s'écrit AAAA-MM-JJ (par exemple 2026-03-14)") }
            let now = UInt64(Date().timeIntervalSince1970)
            guard day <= now else { throw ValidationError("--date est dans le futur : donnez le jour où le signalement a été fait") }
            guard now - day <= OutsideReportRecord.maximumAge else {
                throw ValidationError("""
                    --date : le signalement date de plus de \(OutsideReportRecord.maximumAge / 86_400) jours ; pour la situation \
                    d'aujourd'hui, faites un nouveau signalement (relais declare, ou hors de Relais puis relais outside-report)
                    """)
            }
            guard !caseID.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--case ne peut pas être vide") }
            let device = try options.open()
            if !options.json {
                FileHandle.standardError.write(Data("""
                    Signalement fait hors de Relais, situation « \(caseID) » : \(Self.describe(recipient)), le \(dayText).
                    Le relais en gardera une trace pseudonyme (structure, destinataire, date).

                    """.utf8))
            }
            try Self.confirm("Enregistrer ce signalement ?", yes: yes)
            let record = try await device.recordOutsideReport(caseID: caseID, to: recipient, reportedAt: day)
            let until = record.reportedAt + OutsideReportRecord.maximumAge
            try emit(options.json, ["reportId": record.reportId.hex, "reportedTo": record.reportedTo.rawValue,
                                    "reportedAt": String(record.reportedAt), "coversUntil": String(until)]) {
                """
                Signalement enregistré : \(record.reportId) (\(Self.describe(recipient)), le \(dayText)).
                Les orientations de la situation « \(caseID) » peuvent partir jusqu'au \(date(until)), avec le consentement de la personne.
                """
            }
        }
    }

    /// The start of `text` (YYYY-MM-DD) in Paris, in Unix seconds; nil for anything else.
    static func startOfDay(_ text: String) -> UInt64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        guard let paris = TimeZone(identifier: "Europe/Paris") else { return nil }
        calendar.timeZone = paris
        let wanted = DateComponents(year: y, month: m, day: d)
        guard wanted.isValidDate(in: calendar), let start = calendar.date(from: wanted), start.timeIntervalSince1970 >= 0 else { return nil }
        return UInt64(start.timeIntervalSince1970)
    }

    static func describe(_ r: OutsideReportRecord.Recipient) -> String {
        switch r {
        case .crip: "à la protection de l'enfance du département (CRIP)"
        case .police: "à la police ou à la gendarmerie"
        case .justice: "au procureur ou à la procureure de la République"
        case .hotline119: "au 119 (Allô Enfance en Danger)"
        }
    }

    /// Asks «oui» on the terminal; without a terminal, `--yes` is required.
    static func confirm(_ question: String, yes: Bool) throws {
        if yes { return }
        guard isatty(STDIN_FILENO) == 1 else { throw LocalError.usage("non confirmé : ajoutez --yes pour continuer sans terminal ; rien n'a été enregistré") }
        FileHandle.standardError.write(Data("\(question) [oui/non] ".utf8))
        guard let answer = readLine()?.lowercased(), answer == "oui" || answer == "o" else {
            throw LocalError.usage("annulé ; rien n'a été enregistré")
        }
    }
}
