import Foundation
public import RelaisCore
public import RelaisCrypto

/// A witness (c2sp.org/tlog-witness; SPEC.md, "Witnesses"): it cosigns a log's checkpoint only
/// after verifying the log's signature and that the checkpoint extends the last one it cosigned
/// for that origin (`WitnessDecision`, over `Checkpoint.verifyExtended`, the devices' rule). Its
/// data folder holds its key (`witness-key`, 0600), its state (`witness-state.json`: per origin,
/// the last checkpoint it cosigned, with its cosignature) and the evidence of the forks and
/// rollbacks it was shown (`witness-evidence.json`), each written atomically before it answers.
/// An actor: checking the old size and keeping the new checkpoint are one step, so two requests
/// cannot roll its state back (the race the spec describes).
public actor Witness {
    public nonisolated let cosigner: CosignerKey
    private let key: Ed25519PrivateKey
    private let logs: [CheckpointVerifierKey]
    private let clock: any RelaisClock
    private let directory: String
    private var state: WitnessState

    public static func keyPath(_ directory: String) -> String { directory + "/witness-key" }
    public static func statePath(_ directory: String) -> String { directory + "/witness-state.json" }
    public static func evidencePath(_ directory: String) -> String { directory + "/witness-evidence.json" }

    /// Opens the witness in `directory`, creating the folder (0700) and its key on first use.
    ///
    /// - Throws: `WitnessError` when the key or the state is unreadable, or the name invalid.
    public init(directory: String, name: String, logs: [CheckpointVerifierKey], clock: any RelaisClock = SystemClock()) throws {
        let key = try Self.loadOrCreateKey(directory: directory)
        do { cosigner = try CosignerKey(name: name, publicKey: key.publicKey) } catch { throw WitnessError("\(error)") }
        self.key = key
        self.logs = logs
        self.clock = clock
        self.directory = directory
        if let data = FileManager.default.contents(atPath: Self.statePath(directory)) {
            guard let state = try? JSONDecoder().decode(WitnessState.self, from: data) else {
                throw WitnessError("\(Self.statePath(directory)) is damaged: restore it from a backup; never start again from an empty state, which would cosign a rolled-back log")
            }
            self.state = state
        } else {
            state = WitnessState(logs: [:])
        }
    }

    /// The key of `directory`, made (0600) when there is none; the folder is made 0700.
    public static func loadOrCreateKey(directory: String) throws -> Ed25519PrivateKey {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = keyPath(directory)
        if !fm.fileExists(atPath: path) {
            var seed = SystemRandom().bytes(32)
            defer { wipe(&seed) }
            try writeAtomically(Array((Hex.encode(seed) + "\n").utf8), to: path)
        }
        guard let text = fm.contents(atPath: path),
              let seed = Hex.decode(String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)), seed.count == 32 else {
            throw WitnessError("\(path) is not a 32-byte seed in hex")
        }
        return try Ed25519PrivateKey(seed: seed)
    }

    /// The answer to `POST /add-checkpoint`: 200 and the cosignature line, or the protocol's status
    /// (409 with the size this witness has, as `text/x.tlog.size`).
    public func addCheckpoint(_ body: [UInt8]) throws -> (status: Int, contentType: String, body: [UInt8]) {
        let request: AddCheckpointRequest
        do { request = try AddCheckpointRequest(parsing: body) } catch {
            return (error.status, "text/plain; charset=utf-8", Array("\(error)\n".utf8))
        }
        let decision = WitnessDecision.decide(request, logs: logs) { origin in
            self.state.logs[origin].flatMap { try? CheckpointNote(parsing: $0.note).text }.flatMap { try? Checkpoint(parsingBody: $0) }
        }
        guard let checkpoint = decision.checkpoint, decision.refusal == nil else {
            if decision.isEvidence, let checkpoint = decision.checkpoint, let kept = state.logs[checkpoint.origin] {
                try keepEvidence(kept: kept.note, served: request, checkpoint: checkpoint, failure: decision.refusal.map { "\($0)" } ?? "")
            }
            let refusal = decision.refusal ?? .malformed("no checkpoint")
            if case let .conflict(size) = refusal { return (409, "text/x.tlog.size", Array("\(size)\n".utf8)) }
            return (refusal.status, "text/plain; charset=utf-8", Array("\(refusal)\n".utf8))
        }
        let now = clock.now()
        let cosignature: Cosignature
        do { cosignature = try Cosignature.sign(body: checkpoint.body, name: cosigner.name, key: key, timestamp: max(1, now)) } catch {
            return (500, "text/plain; charset=utf-8", [])
        }
        // Kept before the answer: a cosignature given is never forgotten by a restart.
        var next = state
        next.logs[checkpoint.origin] = WitnessState.Log(note: request.note + cosignature.line, cosignedAt: now)
        try Self.writeAtomically(Self.json(next), to: Self.statePath(directory))
        state = next
        return (200, "text/plain; charset=utf-8", Array(cosignature.line.utf8))
    }

    /// The last checkpoint cosigned for the log whose origin hashes (SHA-256, lowercase hex) to
    /// `originHash`, with the log's signature and this witness's cosignature; nil for none.
    public func checkpoint(originHash: String) -> String? {
        state.logs.first { Hex.encode(SHA256.hash(Array($0.key.utf8))) == originHash }?.value.note
    }

    /// The evidence kept so far (nil when none).
    public nonisolated static func evidence(directory: String) throws -> WitnessEvidence? {
        guard let data = FileManager.default.contents(atPath: evidencePath(directory)) else { return nil }
        return try JSONDecoder().decode(WitnessEvidence.self, from: data)
    }

    private func keepEvidence(kept: String, served request: AddCheckpointRequest, checkpoint: Checkpoint, failure: String) throws {
        var document = try Self.evidence(directory: directory) ?? WitnessEvidence(witness: cosigner.encoded, items: [])
        let keptCheckpoint = (try? CheckpointNote(parsing: kept)).flatMap { try? Checkpoint(parsingBody: $0.text) }
        let item = WitnessEvidence.Item(kind: keptCheckpoint.map { checkpoint.size < $0.size } == true ? "rollback" : "fork",
                                        detectedAt: clock.now(), origin: checkpoint.origin,
                                        logVerifierKey: logs.first { $0.name == checkpoint.origin }?.encoded ?? "",
                                        kept: kept, served: request.note, oldSize: request.oldSize,
                                        consistencyProof: request.proof.map(Base64.encode), failure: failure)
        guard !document.items.contains(where: { $0.kept == item.kept && $0.served == item.served }) else { return }
        document.items.append(item)
        try Self.writeAtomically(Self.json(document), to: Self.evidencePath(directory))
    }

    static func json(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(value)) + [0x0A]
    }

    /// Writes `bytes` to a new file beside `path` (0600), syncs it, renames it over `path` and syncs
    /// the folder: a crash leaves the old file or the new one, never a part.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let temporary = "\(path).tmp-\(UInt32.random(in: .min ... .max))"
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: temporary) else { throw WitnessError("cannot create \(temporary)") }
        do {
            try handle.write(contentsOf: Data(bytes))
            try handle.synchronize()
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw WitnessError("cannot write \(temporary): \(error)")
        }
        guard rename(temporary, path) == 0 else { throw WitnessError("cannot rename \(temporary) to \(path)") }
        if let folder = FileHandle(forReadingAtPath: (path as NSString).deletingLastPathComponent) {
            try? folder.synchronize()
            try? folder.close()
        }
    }
}

/// What a witness keeps per log: the last checkpoint it cosigned, as the note it received with
/// its own cosignature line appended (what `GET /<origin hash>/checkpoint` serves).
public struct WitnessState: Codable, Sendable, Equatable {
    public struct Log: Codable, Sendable, Equatable {
        public var note: String
        public var cosignedAt: UInt64
    }
    public var format = "relais-witness-state/1"
    /// By origin.
    public var logs: [String: Log]
}

/// The forks and rollbacks a witness was shown (`witness-evidence.json`): each item holds two
/// notes signed by the log's key, the one it had cosigned and the one it refused, and the proof the
/// log sent; a third party checks them with the log's verifier key alone, as a device's evidence.
public struct WitnessEvidence: Codable, Sendable, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        /// `fork` (not an extension of the kept checkpoint) or `rollback` (a smaller tree).
        public var kind: String
        public var detectedAt: UInt64
        public var origin: String
        public var logVerifierKey: String
        /// The last checkpoint this witness cosigned, with the log's signature and its cosignature.
        public var kept: String
        /// The checkpoint it refused, as sent.
        public var served: String
        public var oldSize: UInt64
        public var consistencyProof: [String]
        public var failure: String
    }
    public var format = "relais-witness-evidence/1"
    /// The witness's own verifier key.
    public var witness: String
    public var items: [Item]
}

public struct WitnessError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
