import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import RelaisStore
import Testing

/// Issue 17, first bullet: every device checks the relay's log at each contact (SPEC.md, "The
/// client's log state"). The real CLI binary talks to a `LyingRelay` proxy in front of a live relay
/// on 127.0.0.1; the liar holds the relay's real log key (a compromised relay does), so its forks
/// are correctly signed. Each test names the attack and the device that detects it.
@Suite("Each device checks the relay's log at every contact", .serialized)
struct LogCheckCLITests {
    typealias World = CLITests.World

    /// The relay's log key, read from its data folder as a compromised relay would use it.
    static func logKey(_ live: LiveRelay) throws -> Ed25519PrivateKey {
        let text = try String(contentsOfFile: live.dataDirectory + "/relay-key", encoding: .utf8)
        return try Ed25519PrivateKey(seed: try #require(Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines))))
    }

    static func origin(_ key: Ed25519PrivateKey) -> String { "relais.log/" + Hex.encode(Array(SHA256.hash(key.publicKey.bytes).prefix(8))) }

    func profile(_ cli: CLI, _ name: String) -> String { cli.root + "/" + name }

    func keptSize(_ cli: CLI, _ name: String) throws -> UInt64? {
        try LocalDevice.open(directory: profile(cli, name), passphrase: SecretBytes(Array(CLI.passphrase.utf8))).verifiedLogSize
    }

    func keptState(_ cli: CLI, _ name: String) -> Data? { FileManager.default.contents(atPath: profile(cli, name) + "/log-state.json") }

    /// What a third party does with an exported document, holding only the verifier key it expects:
    /// every served note is either not signed by that key (badSignature) or signed but smaller than
    /// (rollback) or not an extension of (fork) the kept note, which is signed too.
    static func thirdPartyCheck(_ data: Data, expectedKey: String) throws -> [LogEvidence.Kind] {
        let document = try JSONDecoder().decode(LogEvidence.self, from: data)
        #expect(document.format == "relais-log-evidence/1")
        #expect(document.logVerifierKey == expectedKey, "the evidence names the relay's real log key")
        let verifier = try CheckpointVerifierKey(parsing: expectedKey)
        for item in document.items {
            #expect(item.expected.signedBy == expectedKey)
            switch item.kind {
            case .badSignature:
                #expect(throws: AuditLogError.self) { try Checkpoint.verify(note: item.served.note, verifier: verifier) }
            case .rollback, .fork:
                let kept = try Checkpoint.verify(note: try #require(item.kept).note, verifier: verifier)
                let served = try Checkpoint.verify(note: item.served.note, verifier: verifier)
                #expect(item.expected.minimumSize == kept.size && item.kept?.size == kept.size && item.served.size == served.size)
                let proof = try item.consistencyProof.map { try #require(Base64.decode($0)) }
                #expect(throws: AuditLogError.self) { try kept.verifyExtended(by: served, proof: proof) }
                #expect((served.size < kept.size) == (item.kind == .rollback))
            }
        }
        return document.items.map(\.kind)
    }

    /// Exports `name`'s evidence to a new file, checks it as a third party would, returns the kinds.
    func exportAndCheck(_ cli: CLI, _ w: World, _ name: String) async throws -> [LogEvidence.Kind] {
        let out = cli.root + "/evidence-\(name)-\(UUID().uuidString).json"
        try await cli.ok(name, ["evidence", "export", "--out", out])
        let again = try await cli.run(name, ["evidence", "export", "--out", out])
        #expect(again.status == 64 && again.err.contains("already exists"), "never overwritten: \(again.err)")
        let attributes = try FileManager.default.attributesOfItem(atPath: out)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let key = try Self.logKey(w.live)
        let expected = try CheckpointVerifierKey(name: Self.origin(key), publicKey: key.publicKey).description
        let kinds = try Self.thirdPartyCheck(try Data(contentsOf: URL(fileURLWithPath: out)), expectedKey: expected)
        // The same document on standard output.
        let printed = try await cli.ok(name, ["evidence", "export"])
        #expect(try Self.thirdPartyCheck(Data(printed.out.utf8), expectedKey: expected) == kinds)
        return kinds
    }

    // MARK: a normal day

    @Test func aNormalDayDetectsNothing() async throws {
        try await LyingRelayTests().withLiar { w, cli, proxy in
            let before = try #require(try keptSize(cli, "pro"))
            try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            try await cli.ok("assoc1", ["inbox"])
            try await cli.ok("assoc2", ["inbox"])
            try await cli.ok("pro", ["whoami"])
            try await cli.ok("op", ["whoami"])
            let after = try #require(try keptSize(cli, "pro"))
            #expect(after > before, "each contact keeps the newer checkpoint: \(before) then \(after)")
            // Each device fetched the checkpoint; the sender, whose log grew, asked for a proof from its own.
            for name in ["pro", "assoc1", "assoc2", "op"] {
                let id = try await cli.deviceID(name)
                #expect(!proxy.exchanges("GET", "/v1/log/checkpoint").filter { $0.device == id && $0.status == 200 }.isEmpty, "\(name)")
            }
            let pro = try await cli.deviceID("pro")
            #expect(!proxy.exchanges("GET", "/v1/log/proof/consistency").filter { $0.device == pro && $0.status == 200 }.isEmpty)
            for name in ["pro", "assoc1", "assoc2", "op", "svcadmin"] {
                #expect(!FileManager.default.fileExists(atPath: profile(cli, name) + "/log-evidence.json"), "\(name) kept no evidence")
                let export = try await cli.ok(name, ["evidence", "export"])
                #expect(export.out.isEmpty && export.err.contains("No evidence"), "\(export.err)")
            }
        }
    }

    // MARK: rollback

    @Test func aRelayThatRollsBackItsHistoryIsDetectedByTheDevice() async throws {
        try await LyingRelayTests().withLiar { w, cli, proxy in
            // A genuine, correctly signed checkpoint of the past, as the relay served it.
            try await cli.ok("pro", ["whoami"])
            let old = try #require(proxy.exchanges("GET", "/v1/log/checkpoint").last?.body)
            try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent))
            try await cli.ok("pro", ["whoami"])
            let kept = try #require(keptState(cli, "pro"))
            let keptSize = try #require(try keptSize(cli, "pro"))
            let pro = try await cli.deviceID("pro")
            proxy.lie(onlyTo: pro)
            proxy.lie { method, target, _, _, _ in
                method == "GET" && LyingRelay.path(of: target) == "/v1/log/checkpoint" ? .init(status: 200, body: old, contentType: "text/plain") : nil
            }
            let r = try await cli.run("pro", ["inbox"])
            #expect(r.status == 65, "exit \(r.status): \(r.err)")
            #expect(r.err.contains("fewer than the \(keptSize)") && r.err.contains("relais evidence export"), "\(r.err)")
            let fr = try await cli.run("pro", ["whoami", "--lang", "fr"])
            #expect(fr.status == 65 && fr.err.contains("moins que les \(keptSize)"), "\(fr.err)")
            #expect(keptState(cli, "pro") == kept, "the kept checkpoint is not replaced")
            // Another device is shown the real log and sees nothing.
            try await cli.ok("assoc1", ["inbox"])
            #expect(try await exportAndCheck(cli, w, "pro") == [.rollback], "one finding for the same lie seen twice")
            // The relay stops lying: the real log extends the kept checkpoint.
            proxy.lie(nil)
            try await cli.ok("pro", ["whoami"])
        }
    }

    // MARK: fork shown to one device

    /// A forked history signed with the relay's log key: the real entries up to `commonSize`, then
    /// altered and invented ones up to `size`. Returns the note and the tree.
    static func fork(_ w: World, commonSize: UInt64, size: UInt64) async throws -> (note: [UInt8], tree: MerkleTree) {
        let key = try logKey(w.live)
        let real = try await w.live.relay.store.auditEntries(from: 0, count: Int(commonSize))
        var tree = MerkleTree()
        for entry in real { _ = tree.append(entry: entry) }
        var n: UInt8 = 0
        while tree.size < size {
            n &+= 1
            _ = tree.append(entry: Array("an entry only this device is shown \(n)".utf8))
        }
        let note = try Checkpoint(origin: origin(key), size: tree.size, root: tree.root).signedNote(name: origin(key), key: key)
        return (Array(note.utf8), tree)
    }

    /// Serves `note` as the checkpoint and proofs from `tree` to the victim only.
    func serve(_ proxy: LyingRelay, note: [UInt8], tree: MerkleTree) {
        proxy.lie { method, target, _, _, _ in
            guard method == "GET" else { return nil }
            switch LyingRelay.path(of: target) {
            case "/v1/log/checkpoint": return .init(status: 200, body: note, contentType: "text/plain")
            case "/v1/log/proof/consistency":
                let query = URLComponents(string: target)?.queryItems ?? []
                guard let first = query.first(where: { $0.name == "first" })?.value.flatMap(UInt64.init),
                      let second = query.first(where: { $0.name == "second" })?.value.flatMap(UInt64.init),
                      let proof = try? tree.consistencyProof(from: first, to: second) else { return nil }
                return .init(status: 200, body: LyingRelay.json(["proof": proof.map(Base64.encode)]))
            default: return nil
            }
        }
    }

    @Test func aForkOfTheSameSizeShownToOneDeviceIsDetectedByIt() async throws {
        try await LyingRelayTests().withLiar { w, cli, proxy in
            try await cli.ok("pro", ["whoami"])
            let size = try #require(try keptSize(cli, "pro"))
            let kept = try #require(keptState(cli, "pro"))
            let forked = try await Self.fork(w, commonSize: size - 1, size: size)
            proxy.lie(onlyTo: try await cli.deviceID("pro"))
            serve(proxy, note: forked.note, tree: forked.tree)
            let r = try await cli.run("pro", ["whoami"])
            #expect(r.status == 65, "exit \(r.status): \(r.err)")
            #expect(r.err.contains("does not extend the one of \(size) entries") && r.err.contains("fork"), "\(r.err)")
            #expect(keptState(cli, "pro") == kept, "the kept checkpoint is not replaced")
            try await cli.ok("assoc1", ["whoami"])  // shown the real history
            #expect(try await exportAndCheck(cli, w, "pro") == [.fork])
        }
    }

    @Test func aLargerForkShownToOneDeviceIsDetectedByIt() async throws {
        try await LyingRelayTests().withLiar { w, cli, proxy in
            try await cli.ok("assoc2", ["inbox"])
            let size = try #require(try keptSize(cli, "assoc2"))
            let kept = try #require(keptState(cli, "assoc2"))
            // The real history with its last entry replaced, then 5 invented entries.
            let forked = try await Self.fork(w, commonSize: size - 1, size: size + 5)
            let victim = try await cli.deviceID("assoc2")
            proxy.lie(onlyTo: victim)
            serve(proxy, note: forked.note, tree: forked.tree)
            let r = try await cli.run("assoc2", ["inbox"])
            #expect(r.status == 65, "exit \(r.status): \(r.err)")
            #expect(r.err.contains("(\(size + 5) entries) does not extend the one of \(size) entries"), "\(r.err)")
            #expect(!proxy.exchanges("GET", "/v1/log/proof/consistency").filter { $0.device == victim && $0.target.contains("first=\(size)") }.isEmpty,
                    "the device asked for a proof from its own checkpoint")
            #expect(keptState(cli, "assoc2") == kept, "the kept checkpoint is not replaced")
            try await cli.ok("assoc1", ["inbox"])  // the other device of the same organisation is shown the real history
            #expect(try await exportAndCheck(cli, w, "assoc2") == [.fork])
        }
    }

    // MARK: bad signature

    @Test func aCheckpointWithABadSignatureIsDetected() async throws {
        try await LyingRelayTests().withLiar { w, cli, proxy in
            try await cli.ok("svcadmin", ["whoami"])
            let kept = try #require(keptState(cli, "svcadmin"))
            proxy.lie(onlyTo: try await cli.deviceID("svcadmin"))
            proxy.lie { method, target, _, _, body in
                guard method == "GET", LyingRelay.path(of: target) == "/v1/log/checkpoint" else { return nil }
                // Flip one bit of the Ed25519 signature (after the 4-byte key ID) in the signature line.
                var lines = String(decoding: body, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                guard let i = lines.lastIndex(where: { $0.hasPrefix("— ") }), let space = lines[i].lastIndex(of: " "),
                      var signature = Base64.decode(String(lines[i][lines[i].index(after: space)...])) else { return nil }
                signature[10] ^= 0x01
                lines[i] = String(lines[i][...space]) + Base64.encode(signature)
                return .init(status: 200, body: Array(lines.joined(separator: "\n").utf8), contentType: "text/plain")
            }
            let r = try await cli.run("svcadmin", ["whoami"])
            #expect(r.status == 65, "exit \(r.status): \(r.err)")
            #expect(r.err.contains("not signed by the log key pinned"), "\(r.err)")
            let fr = try await cli.run("svcadmin", ["whoami", "--lang", "fr"])
            #expect(fr.status == 65 && fr.err.contains("n'est pas signé par la clé du journal"), "\(fr.err)")
            #expect(keptState(cli, "svcadmin") == kept)
            #expect(try await exportAndCheck(cli, w, "svcadmin") == [.badSignature])
        }
    }
}
