import Foundation
import Testing

/// `relais consent` through the real binary: calendar months, nothing read to the person before
/// every input is valid (issue 15, defect 1), and withdrawal by any device of the recording
/// organisation (defect 6).
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
                                (["--purpose", "housing"], "--to-org")] {
                let r = try await w.cli.run("pro", ["consent", "grant", "--case", "CASE-0078", "--data", "situation", "--yes"] + args)
                #expect(r.status == 64, "\(args): \(r.err)")
                #expect(r.err.contains(why), "\(r.err)")
                #expect(!r.err.contains("À lire à la personne"), "the summary was read before the input was checked")
            }
            #expect(try await w.cli.ok("pro", ["consent", "list", "--json"]).out == before, "nothing recorded")
        }
    }

    @Test func anyDeviceOfTheRecordingOrganisationWithdraws() async throws {
        try await withWorld { w in
            // A device of another organisation cannot, and learns nothing about the consent.
            let foreign = try await w.cli.run("assoc1", ["consent", "withdraw", w.consent])
            #expect(foreign.status == 66, "\(foreign.err)")
            #expect(try await w.cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("envelopeId").count == 32,
                    "the consent still stands")
            // The professional's colleague (the service's admin, who did not record it) withdraws it.
            let withdrawn = try await w.cli.ok("svcadmin", ["consent", "withdraw", w.consent, "--json"])
            #expect(try withdrawn.string("deletedEnvelopes") == "1")
            let refused = try await w.cli.run("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            #expect(refused.status != 0)
            #expect(refused.err.contains("consent_withdrawn"), "\(refused.err)")
        }
    }
}
