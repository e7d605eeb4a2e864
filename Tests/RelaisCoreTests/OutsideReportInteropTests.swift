import Foundation
import Testing

/// Protocol/interop/outside_report.py, an independent implementation of SPEC.md "Report made
/// outside Relais" in Python with PyNaCl, checks every value and refusal of `outside-report.json`.
/// Skipped without PyNaCl, as `InteropTests`.
@Suite("PyNaCl interop: outside report", .enabled(if: Interop.shouldRun, "PyNaCl is not installed (pip install pynacl); set RELAIS_REQUIRE_INTEROP=1 to fail instead"))
struct OutsideReportInteropTests {
    @Test func pythonChecksTheVectorFile() throws {
        try #require(Interop.available, "RELAIS_REQUIRE_INTEROP=1 but python3 with PyNaCl is not available")
        let script = packageRoot.appendingPathComponent("Protocol/interop/outside_report.py").path
        let (status, output) = try Interop.python([script, "check", protocolVectors.appendingPathComponent("outside-report.json").path], script: false)
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        print("PyNaCl interop (outside report): \(last)")
        #expect(status == 0 && last.hasSuffix(" 0 failed") && !last.hasPrefix("0 passed"), "\(output)")
    }
}
