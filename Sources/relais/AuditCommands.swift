import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the relay's audit log (auditor devices).",
        discussion: "Exit status: 0 verified and compliant, 65 the log's integrity failed (altered, rolled back, forked), 1 compliance findings.",
        subcommands: [Verify.self, Report.self])

    struct AuditOptions: ParsableArguments {
        @Option(help: "The relay's purge interval in seconds, for the purge-on-time rule.") var purgeInterval: UInt64 = 60
    }

    static func run(_ options: ProfileOptions, _ audit: AuditOptions) async throws -> AuditReport {
        let device = try options.open()
        let terminal = isatty(STDERR_FILENO) == 1 && !options.json
        let report = try await device.verifyAuditLog(purgeInterval: audit.purgeInterval) { done, total in
            if terminal { FileHandle.standardError.write(Data("\r  downloaded \(done)/\(total) entries".utf8)) }
        }
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        return report
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the checkpoint signature, recompute the tree, check consistency with the last verified checkpoint, and the compliance rules.")
        @OptionGroup var options: ProfileOptions
        @OptionGroup var audit: AuditOptions

        func run() async throws {
            try await guarded {
                let report = try await Audit.run(options, audit)
                try emit(options.json, report) {
                    var lines = ["Log \(report.origin): \(report.size) entries, root \(report.root)",
                                 "Checkpoint signature verified; root recomputed from every entry; "
                                 + (report.previousSize.map { "consistent with the \($0)-entry checkpoint verified before." } ?? "first verification.")]
                    lines += report.checksByRule.keys.sorted().map { "  \($0): \(report.checksByRule[$0]!) checked" }
                    lines.append("Outstanding invites (issued, not redeemed, not expired): \(report.outstandingInvites.count); expired unredeemed: \(report.expiredInvites)")
                    lines += report.outstandingInvites.map {
                        "  invite \($0.invite)  \($0.role)\($0.organisation.map { " of \($0)" } ?? "")  issued by \($0.issuedBy ?? "the relay")  expires \(date($0.expiresAt))"
                    }
                    lines.append(report.findings.isEmpty ? "Compliant: no finding." : "\(report.findings.count) FINDING(S):")
                    lines += report.findings.map { "  entry \($0.index) [\($0.rule)]: \($0.message)" }
                    return lines.joined(separator: "\n")
                }
                if !report.findings.isEmpty { throw ExitCode(1) }
            }
        }
    }

    /// The report's format: Markdown to file, or one self-contained HTML page with charts.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, html
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: AuditReportText.commandAbstract.text(Messages.language),
                                                        discussion: AuditReportText.commandDiscussion.text(Messages.language))
        @OptionGroup var options: ProfileOptions
        @OptionGroup var audit: AuditOptions
        @Option(name: [.customLong("out"), .customLong("output")], help: ArgumentHelp(AuditReportText.outputHelp.text(Messages.language))) var out: String
        @Option(help: ArgumentHelp(AuditReportText.formatHelp.text(Messages.language))) var format: Format = .markdown

        func run() async throws {
            try await guarded {
                let report = try await Audit.run(options, audit)
                let document = AuditReportDocument(report, language: Messages.language)
                try Data((format == .html ? document.html : document.markdown).utf8).write(to: URL(fileURLWithPath: out))
                try emit(options.json, ["report": out, "format": format.rawValue, "findings": String(report.findings.count)]) {
                    AuditReportText.written(path: out, entries: report.size, findings: report.findings.count).text(Messages.language)
                }
            }
        }
    }
}
