import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import Testing

/// SPEC.md, "Checkpoints": the relay's log origin, which is also its key name, is `relais.log/`
/// and 8 bytes of SHA-256 of the log key in hex, not the relay's URL.
@Suite struct LogOriginTests {
    @Test func theOriginNamesTheLogKeyNotTheRelaysAddress() async throws {
        try await LiveRelay.run { live in
            let client = live.client(nil)
            let key = try CheckpointVerifierKey(parsing: try #require(try await client.relayInfo().logVerifierKey))
            #expect(key.name == "relais.log/" + Hex.encode(Array(SHA256.hash(key.publicKey.bytes).prefix(8))))
            let checkpoint = try Checkpoint.verify(note: try await client.checkpoint(), verifier: key)
            #expect(checkpoint.origin == key.name)
            #expect(!checkpoint.origin.contains("127.0.0.1") && !checkpoint.origin.contains("localhost"))
        }
    }
}

/// SPEC.md, "Auditor verification": an auditor is refused the directory it might be tempted to
/// check chains against (403 `role`); it reads the log, which carries every key and signed record.
@Suite struct AuditorDirectoryTests {
    @Test func anAuditorMayNotReadTheDirectoryButReadsTheLog() async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let auditor = live.client(try await Network.enrol(live, by: net.operatorIdentity, role: .auditor, organisation: nil))
            await expectRefusal(403, "role") { _ = try await auditor.organisations() }
            await expectRefusal(403, "role") { _ = try await auditor.device(net.professional.deviceID) }
            await expectRefusal(403, "role") { _ = try await auditor.devices(organisation: net.association) }
            #expect(try await !auditor.logEntries(start: 0, end: 5).isEmpty)
        }
    }
}
