import Foundation
import Testing

/// Every referral of Protocol/vectors/ is valid under Protocol/referral.schema.json for a real JSON
/// Schema 2020-12 validator (Python `jsonschema`), as a third party would check it; the script
/// also makes sure the schema refuses mutated copies. Skipped without the package unless
/// `RELAIS_REQUIRE_INTEROP=1` (CI), which makes a missing package a failure.
@Suite("Referral schema (jsonschema)", .enabled(if: JSONSchemaValidator.shouldRun, "python3 with jsonschema is not installed (pip install jsonschema)"))
struct ReferralSchemaTests {
    @Test func everyVectorReferralIsValidUnderTheSchema() throws {
        try #require(JSONSchemaValidator.available, "RELAIS_REQUIRE_INTEROP=1 but python3 with jsonschema is not available")
        let script = packageRoot.appendingPathComponent("Protocol/interop/validate_referrals.py").path
        let (status, output) = try Interop.python([script, protocolVectors.path], script: false)
        let lines = output.split(separator: "\n").map(String.init)
        print("Referral schema: \(lines.last ?? "")")
        #expect(status == 0, "validate_referrals.py failed:\n\(output)")
        // Each consent kind a referral can rest on is among the validated vectors.
        let kinds = lines.first { $0.hasPrefix("kinds: ") } ?? ""
        for pair in ["orientation/consent", "childProtectionReport/childProtectionDeclaration", "exitProgrammeRequest/exitProgrammeConsent"] {
            #expect(kinds.contains(pair), "no vector referral of \(pair)")
        }
    }
}

enum JSONSchemaValidator {
    static let available: Bool = (try? Interop.python(["-c", "import jsonschema"], script: false).status) == 0
    static var shouldRun: Bool { available || Interop.required }
}
