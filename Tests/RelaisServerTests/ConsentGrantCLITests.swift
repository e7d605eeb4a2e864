import Foundation
import Testing

/// `relais consent grant` through the real binary: calendar months, and nothing read to the person
/// before every input is valid (issue 15, defect 1).
extension CLITests {
    @Test func consentForTwentyFourMonthsIsAccepted() async throws {
        try await withWorld { w in
            let r = try await w.cli.ok("pro", ["consent", "grant", "--case", "CASE-0077", "--to-org", w.association, "--purpose", "housing",
                                             "--data", "situation", "--months", "24", "--yes", "--json"])
            let validUntil = try #require(UInt64(try r.string("validUntil")))
            let shown = try await w.cli.ok("pro", ["consent", "list", "--json"])
            #expect(shown.out.contains(try r.string("consentId")))
            // 24 calendar months after now: 730 or 731 days.
            let days = (Double(validUntil) - Date().timeIntervalSince1970) / 86_400
            #expect(days > 729.9 && days <= 731)
        }
    }

    @Test func invalidInputIsRefusedBeforeAnythingIsReadToThePerson() async throws {
        try await withWorld { w in
            let before = try await w.cli.ok("pro", ["consent", "list", "--json"]).out
            for (args, why) in [(["--to-org", w.association, "--purpose", "housing", "--purpose", "housing"], "no repeats"),
                                (["--purpose", "housing"], "recipient")] {
                let r = try await w.cli.run("pro", ["consent", "grant", "--case", "CASE-0078", "--data", "situation", "--yes"] + args)
                #expect(r.status == 64, "\(args): \(r.err)")
                #expect(r.err.contains(why), "\(r.err)")
                #expect(!r.err.contains("À lire à la personne"), "the summary was read before the input was checked")
            }
            #expect(try await w.cli.ok("pro", ["consent", "list", "--json"]).out == before, "nothing recorded")
        }
    }
}
