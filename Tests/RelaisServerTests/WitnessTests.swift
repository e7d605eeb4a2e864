import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import RelaisStore
import Testing

let witnessBinary = packageRoot.appendingPathComponent(".build/debug/relais-witness").path

/// Issue 17, witnessed checkpoints (SPEC.md, "Witnesses"): the real `relais-witness` binary on
/// 127.0.0.1, a real relay configured with it, and the real `relais` CLI. The relay's log key is
/// written into its data folder first, so the witness can be told the log's key before the relay
/// starts (and a test can sign forks with it, as a compromised relay would).
@Suite("Witnesses cosign consistent checkpoints only", .serialized)
struct WitnessTests {
    static let witnessName = "witness.test/w1"

    /// A running `relais-witness serve`, stopped by SIGTERM at the end of `body`.
    struct RunningWitness: Sendable {
        let url: URL
        let directory: String
        let key: CosignerKey

        func post(_ request: AddCheckpointRequest) async throws -> (status: Int, contentType: String?, body: String) {
            var r = HTTPClientRequest(url: url.absoluteString + "/add-checkpoint")
            r.method = .POST
            r.body = .bytes(ByteBuffer(bytes: request.encoded))
            let response = try await HTTPClient.shared.execute(r, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 64 * 1024)
            return (Int(response.status.code), response.headers.first(name: "Content-Type"), String(buffer: body))
        }

        var state: WitnessState? {
            FileManager.default.contents(atPath: Witness.statePath(directory)).flatMap { try? JSONDecoder().decode(WitnessState.self, from: $0) }
        }
    }

    static func withWitness<T: Sendable>(directory: String, log: CheckpointVerifierKey, _ body: @Sendable (RunningWitness) async throws -> T) async throws -> T {
        try #require(FileManager.default.isExecutableFile(atPath: witnessBinary), "build relais-witness first: swift build --build-tests builds it")
        let keyText = try runProcess(witnessBinary, ["key", "--data", directory, "--name", witnessName]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let key = try CosignerKey(parsing: keyText)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: witnessBinary)
        process.arguments = ["serve", "--data", directory, "--name", witnessName, "--log", log.encoded, "--listen", "127.0.0.1:0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let port: Int = try await offCooperativePool {
            var text = ""
            while !text.contains("listening on http://127.0.0.1:") || !text.hasSuffix("\n") {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            guard text.contains("relais-witness \(keyText)"), let line = text.split(separator: "\n").first(where: { $0.contains("listening on") }),
                  let port = Int(line.split(separator: ":").last ?? "") else { throw WitnessError("no address in \(text)") }
            return port
        }
        return try await body(RunningWitness(url: URL(string: "http://127.0.0.1:\(port)")!, directory: directory, key: key))
    }

    struct WitnessError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// A relay (real clock, for the CLI) whose log key is known in advance, with a witness it asks.
    func withRelayAndWitness(_ body: @Sendable (LiveRelay, RunningWitness, Ed25519PrivateKey, String) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("relais-witness-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let relayDirectory = root + "/relay"
        try FileManager.default.createDirectory(atPath: relayDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let seed = SystemRandom().bytes(32)
        try Data((Hex.encode(seed) + "\n").utf8).write(to: URL(fileURLWithPath: relayDirectory + "/relay-key"))
        let logKey = try Ed25519PrivateKey(seed: seed)
        let log = try CheckpointVerifierKey(name: LogCheckCLITests.origin(logKey), publicKey: logKey.publicKey)
        try await Self.withWitness(directory: root + "/witness", log: log) { witness in
            try await LiveRelay.run(configure: { $0.witnesses = [WitnessEndpoint(url: witness.url.absoluteString, key: witness.key)] },
                                    at: Date().timeIntervalSince1970, followingRealTime: true, dataDirectory: relayDirectory) { live in
                try await body(live, witness, logKey, root)
            }
        }
    }

    /// The note the relay serves once the round it starts now has ended.
    static func cosigned(_ live: LiveRelay) async throws -> String {
        _ = try await live.relay.servedCheckpoint()
        await live.relay.cosignaturesSettled()
        return try await live.relay.servedCheckpoint()
    }

    // MARK: an honest relay

    @Test func aWitnessCosignsAnHonestRelaysGrowingLog() async throws {
        try await withRelayAndWitness { live, witness, logKey, _ in
            let log = try CheckpointVerifierKey(name: LogCheckCLITests.origin(logKey), publicKey: logKey.publicKey)
            let policy = try WitnessPolicy(witnesses: [witness.key], required: 1)
            let first = try await Self.cosigned(live)
            let size1 = try Checkpoint.verify(note: first, verifier: log).size
            #expect(try policy.verify(note: first) == [witness.key])
            // The log grows (a whole network enrolled): the next checkpoint goes with a proof from size1.
            _ = try await Network.build(on: live)
            let second = try await Self.cosigned(live)
            let checkpoint = try Checkpoint.verify(note: second, verifier: log)
            #expect(checkpoint.size > size1)
            #expect(try policy.verify(note: second) == [witness.key], "cosigned at \(checkpoint.size)")
            // The witness kept the larger one, with its cosignature, and serves it to monitors.
            let kept = try #require(witness.state?.logs[log.name])
            #expect(kept.note == second)
            let hash = Hex.encode(SHA256.hash(Array(log.name.utf8)))
            let monitor = try await HTTPClient.shared.execute(HTTPClientRequest(url: witness.url.absoluteString + "/\(hash)/checkpoint"), timeout: .seconds(10))
            let monitored = String(buffer: try await monitor.body.collect(upTo: 64 * 1024))
            #expect(monitor.status == .ok && monitored == second)
            // Served over HTTP as the devices read it.
            let served = try await live.raw(.GET, "/v1/log/checkpoint")
            #expect(served.status == 200 && String(decoding: served.body, as: UTF8.self) == second)
            // The witness's own 409: an old size that is not its own gets the size it has, as text/x.tlog.size.
            let stale = try await witness.post(AddCheckpointRequest(oldSize: 0, proof: [], note: second))
            #expect(stale.status == 409 && stale.body == "\(checkpoint.size)\n" && stale.contentType == "text/x.tlog.size")
            #expect(!FileManager.default.fileExists(atPath: Witness.evidencePath(witness.directory)), "an honest log leaves no evidence")
        }
    }

    // MARK: a relay that forks or rolls back

    @Test func aForkedLogIsRefusedByTheWitnessWhichKeepsBothCheckpoints() async throws {
        try await withRelayAndWitness { live, witness, logKey, _ in
            let log = try CheckpointVerifierKey(name: LogCheckCLITests.origin(logKey), publicKey: logKey.publicKey)
            let network = try await Network.build(on: live)
            let genuine = try await Self.cosigned(live)
            let cosignedSize = try Checkpoint.verify(note: genuine, verifier: log).size
            let stateBefore = try #require(witness.state)
            // A history forked after 3 entries, of the same size, then larger, signed with the relay's key.
            let real = try await live.relay.store.auditEntries(from: 0, count: 3)
            var forked = MerkleTree()
            for entry in real { _ = forked.append(entry: entry) }
            while forked.size < cosignedSize { _ = forked.append(entry: Array("invented \(forked.size)".utf8)) }
            func note(_ tree: MerkleTree) throws -> String {
                try Checkpoint(origin: log.name, size: tree.size, root: tree.root).signedNote(name: log.name, key: logKey)
            }
            let sameSize = try note(forked)
            let refused = try await witness.post(AddCheckpointRequest(oldSize: cosignedSize, proof: [], note: sameSize))
            #expect(refused.status == 422, "\(refused.body)")
            _ = forked.append(entry: Array("invented more".utf8))
            _ = forked.append(entry: Array("and more".utf8))
            let larger = try note(forked)
            let refusedLarger = try await witness.post(AddCheckpointRequest(oldSize: cosignedSize, proof: try forked.consistencyProof(from: cosignedSize, to: forked.size), note: larger))
            #expect(refusedLarger.status == 422, "\(refusedLarger.body)")
            // A rollback: a genuine, smaller checkpoint signed earlier.
            var past = MerkleTree()
            for entry in try await live.relay.store.auditEntries(from: 0, count: 2) { _ = past.append(entry: entry) }
            let rolledBack = try await witness.post(AddCheckpointRequest(oldSize: cosignedSize, proof: [], note: try note(past)))
            #expect(rolledBack.status == 400)
            // Never cosigned: the state is what it was.
            #expect(witness.state == stateBefore)
            // Both checkpoints of each finding are kept, signed by the log key: a third party checks them with it alone.
            let printed = try runProcess(witnessBinary, ["evidence", "--data", witness.directory])
            let evidence = try JSONDecoder().decode(WitnessEvidence.self, from: Data(printed.out.utf8))
            #expect(evidence.format == "relais-witness-evidence/1" && evidence.witness == witness.key.encoded)
            #expect(evidence.items.map(\.kind) == ["fork", "fork", "rollback"])
            for item in evidence.items {
                #expect(item.logVerifierKey == log.encoded && item.kept == genuine)
                let kept = try Checkpoint.verify(note: item.kept, verifier: log)
                let served = try Checkpoint.verify(note: item.served, verifier: log)
                let proof = try item.consistencyProof.map { try #require(Base64.decode($0)) }
                if served.size >= kept.size {
                    #expect(throws: AuditLogError.self) { try kept.verifyExtended(by: served, proof: proof) }
                } else {
                    #expect(served.size < kept.size)
                }
            }
            // The same lie again adds nothing; the honest relay's next checkpoint is still cosigned.
            _ = try await witness.post(AddCheckpointRequest(oldSize: cosignedSize, proof: [], note: sameSize))
            #expect(try JSONDecoder().decode(WitnessEvidence.self, from: Data(contentsOf: URL(fileURLWithPath: Witness.evidencePath(witness.directory)))).items.count == 3)
            try await network.operatorClient.putOrganisation(OrganisationRecord(
                id: OrganisationID.random(using: SystemRandom()), name: "Association Témoin", category: .specialisedAssociation,
                departements: ["75"], issuedAt: live.clock.now()).signed(by: network.operatorIdentity))
            let next = try await Self.cosigned(live)
            #expect(try Checkpoint.verify(note: next, verifier: log).size > cosignedSize)
            #expect(try WitnessPolicy(witnesses: [witness.key], required: 1).verify(note: next) == [witness.key])
        }
    }

    // MARK: a client that requires k of n

    @Test func aClientRequiringOneOfOneAcceptsACosignedCheckpointAndRefusesOneWithout() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisBinary), "build relais first")
        try await withRelayAndWitness { live, witness, _, root in
            let cli = CLI(root: root + "/cli", relay: live.url)
            try await cli.ok("op", ["init", "--relay", live.url.absoluteString])
            try await cli.ok("op", ["enrol", "--operator", live.operatorInvite.description])
            // A key that is not a witness's is refused and changes nothing.
            let bad = try await cli.run("op", ["config", "--witness", "witness.test/w1+00000000+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"])
            #expect(bad.status != 0 && bad.err.contains("--witness"), "\(bad.err)")
            let shown = try await cli.ok("op", ["config", "--witness", witness.key.encoded, "--witnesses-required", "1", "--json"])
            #expect(try shown.string("witnessesRequired") == "1" && shown.string("witnesses") == witness.key.encoded)
            _ = try await Self.cosigned(live)
            try await cli.ok("op", ["whoami"])
            // The relay grows and collects again: still cosigned.
            try await cli.ok("op", ["admin", "create-org", "--name", "Association Témoin", "--category", "specialisedAssociation", "--departement", "75"])
            _ = try await Self.cosigned(live)
            try await cli.ok("op", ["whoami"])
            let kept = FileManager.default.contents(atPath: root + "/cli/op/log-state.json")
            // Behind a proxy that strips the cosignatures, the same relay's checkpoint is refused.
            try await LyingRelay.run(in: live) { proxy in
                try await cli.ok("op", ["config", "--relay", proxy.url.absoluteString])
                proxy.lie { method, target, status, _, body in
                    guard method == "GET", LyingRelay.path(of: target) == "/v1/log/checkpoint", status == 200 else { return nil }
                    let text = String(decoding: body, as: UTF8.self)
                    let stripped = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("\u{2014} \(Self.witnessName) ") }
                    return .init(status: 200, body: Array(stripped.joined(separator: "\n").utf8), contentType: "text/plain")
                }
                let r = try await cli.run("op", ["whoami"])
                #expect(r.status == 65, "exit \(r.status): \(r.err)")
                #expect(r.err.contains("cosigned by 0 of the 1 witnesses") && r.err.contains("1 are required"), "\(r.err)")
                let fr = try await cli.run("op", ["whoami", "--lang", "fr"])
                #expect(fr.status == 65 && fr.err.contains("cosigné par 0 des 1 témoins"), "\(fr.err)")
                #expect(FileManager.default.contents(atPath: root + "/cli/op/log-state.json") == kept, "the kept checkpoint is not replaced")
                proxy.lie(nil)
                try await cli.ok("op", ["whoami"])
            }
            // Two of two, one of them unknown to the relay: refused; no witness required again: accepted.
            let other = try CosignerKey(name: "witness.test/w2", publicKey: Ed25519PrivateKey.generate().publicKey)
            try await cli.ok("op", ["config", "--relay", live.url.absoluteString, "--witness", witness.key.encoded, "--witness", other.encoded,
                                    "--witnesses-required", "2"])
            let two = try await cli.run("op", ["whoami"])
            #expect(two.status == 65 && two.err.contains("cosigned by 1 of the 2 witnesses"), "\(two.err)")
            try await cli.ok("op", ["config", "--no-witnesses"])
            try await cli.ok("op", ["whoami"])
        }
    }
}
