import ArgumentParser
import Foundation
import RelaisClient

/// `relais monitor [--strict] [--json]`: an admin's report of the devices added, approved or
/// revoked in its organisation's name since its last run, each entry proved in the checkpoint this
/// device verified (SPEC.md, "Monitoring an organisation"). With `--strict`, a device that no admin
/// of the organisation approved exits 65.
struct Monitor: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.monitorAbstract.text) }
    @OptionGroup var options: ProfileOptions
    @Flag(name: .long, help: ArgumentHelp(Message.monitorStrictHelp.text)) var strict = false

    func run() async throws {
        try await guarded {
            let report = try await options.open().monitor()
            try emit(options.json, report) { Self.text(report) }
            if strict, !report.alerts.isEmpty {
                FileHandle.standardError.write(Data((Message.monitorAlerts(count: report.alerts.count).text + "\n").utf8))
                throw ExitCode(Exit.verification)
            }
        }
    }

    static func text(_ r: MonitorReport) -> String {
        var lines = [Message.monitorRange(organisation: r.organisationName ?? r.organisation, from: r.from, next: r.next).text]
        if r.items.isEmpty && r.prekeysPublished == 0 { lines.append(Message.monitorNothingNew.text) }
        for i in r.items {
            lines.append(Message.monitorLine(index: i.index, kind: i.kind.rawValue, device: i.device, role: i.role, by: i.by, byRole: i.byRole,
                                             byOrganisation: i.byOrganisation).text)
            if let alert = i.alert { lines.append(Message.monitorAlert(why: alert).text) }
        }
        if r.prekeysPublished > 0 { lines.append(Message.monitorPrekeys(count: r.prekeysPublished).text) }
        return lines.joined(separator: "\n")
    }
}
