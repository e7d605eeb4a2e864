import Foundation
import RelaisCore
import RelaisCrypto

/// The device's log state (SPEC.md, "The client's log state"): at each contact with the relay
/// (`refresh`), the device fetches the latest checkpoint, verifies its signature with the log key
/// pinned at enrolment, and verifies that it extends the last checkpoint this device verified
/// (`Checkpoint.verifyExtended`). A bad signature, a smaller tree or a proof that fails stops the
/// client (exit 65) and keeps both signed notes as evidence; the kept checkpoint is replaced only by
/// one that verified.
extension LocalDevice {
    static func logStatePath(_ dir: String) -> String { dir + "/log-state.json" }
    static func logEvidencePath(_ dir: String) -> String { dir + "/log-evidence.json" }

    /// The last checkpoint this device verified: the relay's signed note, exactly as served.
    struct LogState: Codable {
        var checkpoint: String
        var verifiedAt: UInt64
    }

    /// Verifies the relay's latest checkpoint against the one this device kept, then keeps it.
    /// A device without a pinned log key (never enrolled) checks nothing.
    func checkLog() async throws {
        guard let keyText = logVerifierKey else { return }
        guard let verifier = try? CheckpointVerifierKey(parsing: keyText) else {
            throw LocalError.verification(Message.damaged(.logKey).text)
        }
        let statePath = Self.logStatePath(directory)
        var kept: (note: String, checkpoint: Checkpoint)?
        if let data = FileManager.default.contents(atPath: statePath) {
            // The kept note is verified again: a damaged file is not a checkpoint to compare with.
            guard let state = try? JSONDecoder().decode(LogState.self, from: data),
                  let checkpoint = try? Checkpoint.verify(note: state.checkpoint, verifier: verifier) else {
                throw LocalError.verification(Message.damagedFile(path: statePath, detail: nil).text)
            }
            kept = (state.checkpoint, checkpoint)
        }
        let note = try await client.checkpoint()
        let served: Checkpoint
        do {
            served = try Checkpoint.verify(note: note, verifier: verifier)
        } catch {
            try keepEvidence(.badSignature, verifier: keyText, kept: kept?.note, served: note, proof: [], error: error)
            throw LocalError.verification(Message.logBadSignature.text)
        }
        // k of n known witnesses (SPEC.md, "Witnesses"): without them, nothing of the checkpoint is used.
        if let policy = try witnessPolicy() {
            do { try policy.verify(note: note) } catch {
                let got = (try? CheckpointNote(parsing: note).cosignatures(by: policy.witnesses).count) ?? 0
                throw LocalError.verification(Message.logNotWitnessed(required: policy.required, got: got, witnesses: policy.witnesses.count).text)
            }
        }
        if let kept {
            // No proof is asked for a smaller tree (there is none) nor for the same size (it is empty).
            let proof = served.size > kept.checkpoint.size && kept.checkpoint.size > 0
                ? try await client.consistencyProof(first: kept.checkpoint.size, second: served.size) : []
            do {
                try kept.checkpoint.verifyExtended(by: served, proof: proof)
            } catch {
                let rollback = served.size < kept.checkpoint.size
                try keepEvidence(rollback ? .rollback : .fork, verifier: keyText, kept: kept.note, served: note, proof: proof, error: error)
                throw LocalError.verification(rollback ? Message.logRollback(kept: kept.checkpoint.size, served: served.size).text
                                                       : Message.logFork(kept: kept.checkpoint.size, served: served.size).text)
            }
            if kept.note == note { return }
        }
        let state = LogState(checkpoint: note, verifiedAt: clock.now())
        try Keystore.writeAtomically(Array(try JSONEncoder().encode(state)), to: statePath)
    }

    /// The size of the last checkpoint this device verified, nil before its first contact.
    public var verifiedLogSize: UInt64? { keptCheckpoint?.size }

    private func keepEvidence(_ kind: LogEvidence.Kind, verifier: String, kept: String?, served: String, proof: [[UInt8]], error: any Error) throws {
        let path = Self.logEvidencePath(directory)
        var document = try Self.logEvidence(directory: directory)
            ?? LogEvidence(relay: settings.relay, device: identity.deviceID.hex, logVerifierKey: verifier, items: [])
        let item = LogEvidence.Item(kind: kind, detectedAt: clock.now(), relay: settings.relay, kept: kept.map(LogEvidence.Note.init), served: .init(served),
                                    consistencyProof: proof.map(Base64.encode), expected: .init(kept: kept, verifier: verifier),
                                    failure: "\(error)")
        // The same lie served again adds nothing: the first time it was seen is kept.
        guard !document.items.contains(where: { $0.kind == item.kind && $0.kept == item.kept && $0.served == item.served }) else { return }
        document.items.append(item)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try Keystore.writeAtomically(Array(try encoder.encode(document)), to: path)
    }

    /// The evidence kept in the profile at `directory`, nil when the relay was never caught. Reading
    /// it needs no passphrase: it holds only what the relay published and signed.
    public static func logEvidence(directory: String) throws -> LogEvidence? {
        guard let data = FileManager.default.contents(atPath: logEvidencePath(directory)) else { return nil }
        do {
            return try JSONDecoder().decode(LogEvidence.self, from: data)
        } catch {
            throw LocalError.verification(Message.damagedFile(path: logEvidencePath(directory), detail: "\(error)").text)
        }
    }
}

/// What a device kept when the relay's log failed its check (SPEC.md, "The client's log state",
/// evidence format): enough for a third party holding only the log's verifier key to check it.
public struct LogEvidence: Codable, Sendable, Equatable {
    public static let formatName = "relais-log-evidence/1"
    public var format = LogEvidence.formatName
    /// The relay's URL as this profile knows it (the relay at the last item).
    public var relay: String
    /// The device that was shown the history (hex id).
    public var device: String
    /// The log's verifier key pinned at enrolment (C2SP signed-note verifier key text).
    public var logVerifierKey: String
    public var items: [Item]

    public enum Kind: String, Codable, Sendable {
        /// A correctly signed checkpoint of a smaller tree than the kept one.
        case rollback
        /// A correctly signed checkpoint that the consistency proof served does not link to the kept one.
        case fork
        /// A checkpoint the pinned log key did not sign (or that is not a checkpoint of this log).
        case badSignature
    }

    /// A signed note as served, with the size and root read from it (for the reader's convenience:
    /// the note is what counts).
    public struct Note: Codable, Sendable, Equatable {
        public var note: String
        public var size: UInt64?
        public var root: String?
        init(_ note: String) {
            self.note = note
            let checkpoint = note.split(separator: "\n\n", maxSplits: 1).first.flatMap { try? Checkpoint(parsingBody: String($0) + "\n") }
            size = checkpoint?.size
            root = checkpoint.map { Base64.encode($0.root) }
        }
    }

    /// What the device expected of the served note.
    public struct Expected: Codable, Sendable, Equatable {
        /// The note is signed by this key (verifier key text), and its origin is the key's name.
        public var signedBy: String
        /// Its tree has at least this many entries (the kept checkpoint's size), nil without one.
        public var minimumSize: UInt64?
        /// Its tree extends the kept checkpoint's: `consistencyProof` is the RFC 9162 proof from the
        /// kept size to the served size, empty when the sizes are equal (then the roots are equal).
        public var extendsKept: Bool
        init(kept: String?, verifier: String) {
            signedBy = verifier
            minimumSize = kept.flatMap { Note($0).size }
            extendsKept = kept != nil
        }
    }

    public struct Item: Codable, Sendable, Equatable {
        public var kind: Kind
        public var detectedAt: UInt64
        public var relay: String
        /// The last checkpoint this device verified before (nil for a bad signature on first contact).
        public var kept: Note?
        /// What the relay served instead.
        public var served: Note
        /// The consistency proof the relay served (base64 hashes), empty when none was asked.
        public var consistencyProof: [String]
        public var expected: Expected
        /// The verifier's error, in English (`AuditLogError`).
        public var failure: String
    }
}

extension LogEvidence {
    /// The document as exported (sorted keys, indented), ending in a newline.
    public var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data()) + [0x0A]
    }

    /// Writes the document to `path`, a new file of mode 0600 created exclusively and without
    /// following a link: an existing file is refused and left as it is.
    public func write(to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw LocalError.usage(Message.evidenceFileExists(path: path).text) }
            throw LocalError.usage(Message.fileError(path: path, reason: String(cString: strerror(errno))).text)
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data(json))
        } catch {
            unlink(path)
            throw error
        }
    }
}
