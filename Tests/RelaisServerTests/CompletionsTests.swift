import Foundation
import Testing

/// Issue 16: completions and the man page, generated from the argument definitions and installed
/// by scripts/install-completions.sh under a prefix.
@Suite("Completions and man page (issue 16)")
struct CompletionsTests {
    @Test func theScriptInstallsCompletionsThatCompleteValuesAndAManPageWithExitStatuses() async throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("relais-completions-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let script = packageRoot.appendingPathComponent("scripts/install-completions.sh").path
        let (status, output) = try await offCooperativePool { () -> (Int32, String) in
            let r = try runProcess("/bin/sh", [script, "--prefix", prefix, "--relais", relaisBinary], errorsIntoOutput: true)
            return (r.status, r.out)
        }
        try #require(status == 0, "\(output)")
        func read(_ path: String) throws -> String {
            String(decoding: try #require(FileManager.default.contents(atPath: prefix + "/share/" + path), "no \(path)"), as: UTF8.self)
        }
        let bash = try read("bash-completion/completions/relais")
        // The values of --need complete (typed options list their values).
        #expect(bash.contains("'--need')") && bash.contains("emergency-shelter") && bash.contains("legal-help"))
        #expect(bash.contains("--passphrase-file") && bash.contains("--profile"))
        #expect(try read("zsh/site-functions/_relais").contains("emergency-shelter"))
        #expect(try read("fish/vendor_completions.d/relais.fish").contains("emergency-shelter"))

        let man = try read("man/man1/relais.1")
        #expect(man.hasPrefix(".TH RELAIS 1"))
        let exit = try #require(man.range(of: ".SH EXIT STATUS"), "no EXIT STATUS section")
        let statuses = man[exit.upperBound...]
        for code in ["0", "64", "65", "66", "69", "75", "77"] {
            #expect(statuses.contains("\\fB\(code)\\fR"), "exit status \(code)")
        }
        #expect(man.contains(".SS relais send") && man.contains("\\fB--to <to>\\fR"))
        #expect(man.contains("--passphrase-file") && man.contains("XDG_CONFIG_HOME"))
    }
}
