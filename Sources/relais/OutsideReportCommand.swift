import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

/// `relais outside-report`: records that a child-protection report about a minor was made outside
/// Relais (when, to whom), so that the minor's other referrals may go (SPEC.md, "Report made
/// outside Relais"). The relay logs it under the case's pseudonym only.
struct OutsideReport: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "outside-report", abstract: Message.outsideReportAbstract.text,
        discussion: Message.outsideReportDiscussion(days: Int(OutsideReportRecord.maximumAge / 86_400)).text) }
    @OptionGroup var options: ProfileOptions
    @Option(name: .customLong("case"), help: ArgumentHelp(Message.declareCaseHelp.text))
    var caseID: String
    @Option(help: ArgumentHelp(Message.outsideReportToHelp.text))
    var to: String
    @Option(name: .customLong("date"), help: ArgumentHelp(Message.outsideReportDateHelp(days: Int(OutsideReportRecord.maximumAge / 86_400)).text))
    var dayText: String
    @Flag(help: ArgumentHelp(Message.yesHelp.text)) var yes = false

    func run() async throws {
        try await guarded {
            guard let recipient = OutsideReportRecord.Recipient(rawValue: to) else {
                throw ValidationError(Message.outsideReportTo.text)
            }
            guard let day = Self.startOfDay(dayText) else { throw ValidationError(Message.outsideReportDateFormat.text) }
            let now = UInt64(Date().timeIntervalSince1970)
            guard day <= now else { throw ValidationError(Message.outsideReportFuture.text) }
            guard now - day <= OutsideReportRecord.maximumAge else {
                throw ValidationError(Message.outsideReportTooOld(days: Int(OutsideReportRecord.maximumAge / 86_400)).text)
            }
            guard !caseID.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError(Message.caseEmpty.text) }
            let device = try options.open()
            if !options.json {
                FileHandle.standardError.write(Data(Message.outsideReportSummary(label: caseID, to: Self.describe(recipient), day: dayText).text.utf8))
            }
            try Self.confirmRecording(Message.outsideReportQuestion.text, yes: yes)
            let record = try await device.recordOutsideReport(caseID: caseID, to: recipient, reportedAt: day)
            let until = record.reportedAt + OutsideReportRecord.maximumAge
            try emit(options.json, ["reportId": record.reportId.hex, "reportedTo": record.reportedTo.rawValue,
                                    "reportedAt": String(record.reportedAt), "coversUntil": String(until)]) {
                Message.outsideReportRecorded(id: record.reportId.hex, to: Self.describe(recipient), day: dayText, label: caseID, until: date(until)).text
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

    static func describe(_ r: OutsideReportRecord.Recipient) -> String { Message.outsideReportRecipient(r).text }

    /// Asks yes or no (`confirm`), saying that nothing was recorded when not confirmed.
    static func confirmRecording(_ question: String, yes: Bool) throws {
        guard yes || isatty(STDIN_FILENO) == 1 else { throw LocalError.usage(Message.notConfirmedNothingRecorded.text) }
        do { try confirm(question, yes: yes) } catch LocalError.usage { throw LocalError.usage(Message.cancelledNothingRecorded.text) }
    }


}
