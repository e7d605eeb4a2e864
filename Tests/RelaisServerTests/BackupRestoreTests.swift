import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import Testing

/// `relais-server backup` and `restore` through the real binary, on real relays and SQLite files
/// (issue 19; RELIABILITY.md row 22): a backup taken while submits run holds every submit the
/// relay acknowledged before it began, restores into a new folder, and the relay started on it
/// serves a log that extends the checkpoints signed before the backup; a wrong passphrase, an
/// altered file, a too old backup, an occupied folder and a running relay are refused, leaving
/// everything as it was.
@Suite("relais-server backup and restore", .serialized)
struct BackupRestoreTests {
    static func server(_ arguments: [String]) async throws -> (status: Int32, out: String, err: String) {
        let (status, out, err) = try await offCooperativePool { try ServerConfigurationTests.run(arguments) }
        return (status, out, err)
    }

    @Test func backupUnderLoadRestoresEverythingAcknowledgedBeforeIt() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first: swift build --build-tests builds it")
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("relais-backup-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: root) }
        let (data, restored, backup, secret) = (root + "/data", root + "/restored", root + "/relay.backup", root + "/passphrase")
        _ = fm.createFile(atPath: secret, contents: Data("correct horse battery staple\n".utf8), attributes: [.posixPermissions: 0o600])

        let server = try await ServerProcess(data: data)
        let invite = try #require(InviteCode(try String(contentsOfFile: data + "/operator-invite", encoding: .utf8)))
        let (sender, recipient, recipientOrg, consent) = try await KillNineTests.enrolPair(url: server.url, invite: invite)
        let verifierText = try #require(try await RelayClient(relay: server.url, identity: nil).relayInfo().logVerifierKey)
        let verifier = try CheckpointVerifierKey(parsing: verifierText)
        let reader = RelayClient(relay: server.url, identity: sender)  // the log is for enrolled devices
        let early = try Checkpoint.verify(note: try await reader.checkpoint(), verifier: verifier)

        // Submits run before, during and after the backup.
        let ledger = SubmitLedger()
        let url = server.url
        let submitters = Task { [sender, recipient, recipientOrg, consent, ledger] in
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let client = RelayClient(relay: url, identity: sender)
                        while !ledger.isStopped {
                            guard let sealed = try? Envelope.seal(referral: Array("{}".utf8), from: sender,
                                                                  to: [RecipientDevice(organisationID: recipientOrg, prekey: recipient.signed)],
                                                                  consent: consent, expiresAt: SystemClock().now() + 86_400,
                                                                  clock: SystemClock(), rng: SystemRandom()),
                                  (try? await client.submit(sealed.bytes)) != nil else { continue }
                            ledger.record(sealed.header.envelopeID)
                        }
                    }
                }
            }
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while ledger.all.count < 40, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let signedBefore = try Checkpoint.verify(note: try await reader.checkpoint(), verifier: verifier)
        let acknowledgedBefore = ledger.all
        let taken = try await Self.server(["backup", "--data", data, "--to", backup, "--passphrase-file", secret])
        let duringBackup = ledger.all.count - acknowledgedBefore.count
        try await Task.sleep(for: .milliseconds(200))
        ledger.stop()
        _ = await submitters.result
        #expect(taken.status == 0, "\(taken.err)")
        #expect(taken.out.contains("relay key included"), "\(taken.out)")
        #expect(taken.out.contains("oldest expiry"), "\(taken.out)")
        #expect(duringBackup > 0 || ledger.all.count > acknowledgedBefore.count, "no submit ran while the backup was taken")
        #expect(!fm.fileExists(atPath: backup + ".partial"))
        #expect(try fm.contentsOfDirectory(atPath: data).allSatisfy { !$0.hasPrefix("backup-") }, "the plain copy was left in the data folder")
        #expect(Self.mode(backup) == 0o600)
        let sealed = try Data(contentsOf: URL(fileURLWithPath: backup))
        #expect(sealed.range(of: Data("SQLite format 3".utf8)) == nil, "the store is in clear in the backup")
        #expect(sealed.range(of: Data(try String(contentsOfFile: data + "/relay-key", encoding: .utf8).utf8.prefix(64))) == nil,
                "the relay key is in clear in the backup")

        // While the relay runs, its folder is refused even with --force.
        let busy = try await Self.server(["restore", "--from", backup, "--data", data, "--force", "--passphrase-file", secret])
        #expect(busy.status != 0 && busy.err.contains("stop it first"), "\(busy.err)")
        kill(server.process.processIdentifier, SIGTERM)
        _ = try? await offCooperativePool { server.process.waitUntilExit() }

        let put = try await Self.server(["restore", "--from", backup, "--data", restored, "--passphrase-file", secret])
        #expect(put.status == 0, "\(put.err)")
        #expect(Self.mode(restored + "/relais.sqlite") == 0o600 && Self.mode(restored + "/relay-key") == 0o600)
        #expect(try fm.contentsOfDirectory(atPath: restored).sorted() == ["relais.sqlite", "relay-key"])
        #expect(try String(contentsOfFile: restored + "/relay-key", encoding: .utf8) == (try String(contentsOfFile: data + "/relay-key", encoding: .utf8)))

        let again = try await ServerProcess(data: restored)
        let client = RelayClient(relay: again.url, identity: recipient.identity)
        var missing = 0
        for id in acknowledgedBefore where (try? await client.fetch(id)) == nil { missing += 1 }
        #expect(missing == 0, "\(missing) of \(acknowledgedBefore.count) envelopes acknowledged before the backup are missing")
        // The restored relay signs with the same key a log that extends what it signed before the backup.
        let after = RelayClient(relay: again.url, identity: sender)
        #expect(try await after.relayInfo().logVerifierKey == verifierText)
        let now = try Checkpoint.verify(note: try await after.checkpoint(), verifier: verifier)
        #expect(now.size >= signedBefore.size)
        for old in [early, signedBefore] {
            try old.verifyExtended(by: now, proof: try await after.consistencyProof(first: old.size, second: now.size))
        }
        // While the relay runs, refused even with --force; once stopped, refused without it.
        let running = try await Self.server(["restore", "--from", backup, "--data", restored, "--force", "--passphrase-file", secret])
        #expect(running.status != 0 && running.err.contains("stop it first"), "\(running.err)")
        await again.kill9()
        let occupied = try await Self.server(["restore", "--from", backup, "--data", restored, "--passphrase-file", secret])
        #expect(occupied.status != 0 && occupied.err.contains("--force"), "\(occupied.err)")

        try await refusals(backup: backup, secret: secret, root: root)
    }

    /// A wrong passphrase, a flipped byte in the header or the sealed part, a cut file and a
    /// backup older than --max-age: each refused, and the target folder never created.
    func refusals(backup: String, secret: String, root: String) async throws {
        let fm = FileManager.default
        let target = root + "/never"
        let wrong = root + "/wrong"
        _ = fm.createFile(atPath: wrong, contents: Data("incorrect horse battery staple\n".utf8), attributes: [.posixPermissions: 0o600])
        let refused = try await Self.server(["restore", "--from", backup, "--data", target, "--passphrase-file", wrong])
        #expect(refused.status != 0 && refused.err.contains("wrong passphrase"), "\(refused.err)")
        #expect(!fm.fileExists(atPath: target))

        let bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        // "RLSB" 0x01, the header's length (u32, big-endian), the header.
        let headerEnd = 9 + bytes[5..<9].reduce(0) { $0 << 8 | Int($1) }
        let digits = try #require(bytes[..<headerEnd].firstRange(of: Data("\"logSize\":".utf8))).upperBound
        for (name, offset) in [("header", digits), ("middle", headerEnd + (bytes.count - headerEnd) / 2), ("last", bytes.count - 1)] {
            var altered = bytes
            altered[offset] = altered[offset] == UInt8(ascii: "1") ? UInt8(ascii: "2") : (name == "header" ? UInt8(ascii: "1") : altered[offset] ^ 0x01)
            let path = root + "/altered-\(name)"
            try altered.write(to: URL(fileURLWithPath: path))
            let result = try await Self.server(["restore", "--from", path, "--data", target, "--passphrase-file", secret])
            #expect(result.status != 0 && result.err.contains("altered"), "\(name): \(result.err)")
            #expect(!fm.fileExists(atPath: target), "\(name)")
        }
        for cut in [bytes.count - 1, headerEnd + 65_552] where cut < bytes.count {
            let path = root + "/cut-\(cut)"
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: path))
            let result = try await Self.server(["restore", "--from", path, "--data", target, "--passphrase-file", secret])
            #expect(result.status != 0 && result.err.contains("cut short"), "cut at \(cut): \(result.err)")
            #expect(!fm.fileExists(atPath: target))
        }
        try await Task.sleep(for: .seconds(1))
        let old = try await Self.server(["restore", "--from", backup, "--data", target, "--max-age", "0h", "--passphrase-file", secret])
        #expect(old.status != 0 && old.err.contains("--max-age"), "\(old.err)")
        #expect(!fm.fileExists(atPath: target))
        let exposed = root + "/exposed"
        _ = fm.createFile(atPath: exposed, contents: Data("correct horse battery staple\n".utf8), attributes: [.posixPermissions: 0o644])
        let open = try await Self.server(["restore", "--from", backup, "--data", target, "--passphrase-file", exposed])
        #expect(open.status != 0 && open.err.contains("chmod 600"), "\(open.err)")
        #expect(!fm.fileExists(atPath: target))
    }

    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? NSNumber)?.intValue ?? -1
    }
}
