import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
public import RelaisCore

/// A witness the relay asks for cosignatures (`relais-server --witness URL=KEY`): the prefix of
/// its `add-checkpoint` URL and its cosigner key.
public struct WitnessEndpoint: Sendable, Hashable {
    public let url: String
    public let key: CosignerKey

    public init(url: String, key: CosignerKey) {
        self.url = url
        self.key = key
    }

    /// Parses `URL=KEY`, the URL an http(s) prefix, the key a cosigner verifier key.
    public init(parsing text: String) throws(AuditLogError) {
        guard let eq = text.firstIndex(of: "="), let url = URL(string: String(text[..<eq])), url.scheme == "http" || url.scheme == "https",
              url.host != nil else {
            throw .malformedVerifierKey("\"\(text)\" is not URL=KEY with an http or https URL")
        }
        self.init(url: String(text[..<eq]), key: try CosignerKey(parsing: String(text[text.index(after: eq)...])))
    }
}

/// The relay's side of c2sp.org/tlog-witness (SPEC.md, "Witnesses"): when the log has grown, the
/// new checkpoint goes to every configured witness with a consistency proof from the size each
/// witness last cosigned, in the background (one round at a time, each request bounded by a
/// timeout, never on a request's path); the relay then serves that checkpoint with the
/// cosignatures that verified. Until a round ends it serves the previous round's checkpoint, so
/// that what a device reads carries cosignatures whenever the witnesses gave them.
actor CosignatureCollector {
    private let witnesses: [WitnessEndpoint]
    private let timeout: TimeAmount
    private let logger: Logger
    /// The size each witness is known to have cosigned (learned from its answers, a 409 included).
    private var known: [Int: UInt64] = [:]
    /// The checkpoint served: the last round's, with its cosignature lines.
    private var served: (size: UInt64, note: String)?
    private var roundRunning = false
    /// When the last round ended: one that missed a witness is tried again after `retryAfter`.
    private var lastRound: ContinuousClock.Instant?
    private var lastRoundComplete = false
    static let retryAfter = Duration.seconds(10)

    init(witnesses: [WitnessEndpoint], timeoutSeconds: Double, logger: Logger) {
        self.witnesses = witnesses
        self.timeout = .milliseconds(Int64(max(0.1, timeoutSeconds) * 1000))
        self.logger = logger
    }

    var isEmpty: Bool { witnesses.isEmpty }

    /// What to serve, given the log's latest signed note; starts a round when the log has grown
    /// since the last one and none is running.
    func note(latest: String, proof: @escaping @Sendable (UInt64, UInt64) async throws -> [[UInt8]]) -> String {
        guard !witnesses.isEmpty, let checkpoint = Self.checkpoint(latest) else { return latest }
        let missed = !lastRoundComplete && lastRound.map { ContinuousClock.now - $0 > Self.retryAfter } ?? true
        if !roundRunning, served == nil || checkpoint.size > served?.size ?? 0 || missed {
            roundRunning = true
            Task { await self.round(note: latest, checkpoint: checkpoint, proof: proof) }
        }
        return served?.note ?? latest
    }

    /// Waits until no round is running (tests, and a relay that wants its first cosignatures).
    func settled() async {
        while roundRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    private func round(note: String, checkpoint: Checkpoint, proof: @escaping @Sendable (UInt64, UInt64) async throws -> [[UInt8]]) async {
        let known = self.known
        let results = await withTaskGroup(of: (Int, UInt64?, Cosignature?).self) { group in
            for (i, witness) in witnesses.enumerated() {
                group.addTask {
                    await Self.submit(note: note, checkpoint: checkpoint, to: witness, old: known[i] ?? 0, proof: proof,
                                      timeout: self.timeout, logger: self.logger).map { (i, $0.size, $0.cosignature) } ?? (i, nil, nil)
                }
            }
            var all: [(Int, UInt64?, Cosignature?)] = []
            for await result in group { all.append(result) }
            return all.sorted { $0.0 < $1.0 }
        }
        for (i, size, _) in results { if let size { self.known[i] = size } }
        let lines = results.compactMap { $0.2?.line }
        served = (checkpoint.size, note + lines.joined())
        lastRoundComplete = lines.count == witnesses.count
        lastRound = .now
        roundRunning = false
    }

    /// One witness: `add-checkpoint` from the size it is believed to have; on a 409, once more from
    /// the size it says it has. Returns the size it has now and its cosignature, nil on failure.
    private static func submit(note: String, checkpoint: Checkpoint, to witness: WitnessEndpoint, old: UInt64,
                               proof: @Sendable (UInt64, UInt64) async throws -> [[UInt8]], timeout: TimeAmount,
                               logger: Logger) async -> (size: UInt64, cosignature: Cosignature?)? {
        var old = old
        for _ in 0..<2 {
            guard old <= checkpoint.size else { return (old, nil) }  // the witness is ahead of this checkpoint
            do {
                let hashes = old > 0 && old < checkpoint.size ? try await proof(old, checkpoint.size) : []
                var request = HTTPClientRequest(url: witness.url.hasSuffix("/") ? witness.url + "add-checkpoint" : witness.url + "/add-checkpoint")
                request.method = .POST
                request.body = .bytes(ByteBuffer(bytes: AddCheckpointRequest(oldSize: old, proof: hashes, note: note).encoded))
                let response = try await HTTPClient.shared.execute(request, timeout: timeout)
                let body = String(buffer: try await response.body.collect(upTo: 16 * 1024))
                switch response.status.code {
                case 200:
                    let found = try CheckpointNote(parsing: note + body).cosignatures(by: [witness.key])
                    return (checkpoint.size, found.first?.cosignature)
                case 409:
                    guard let size = UInt64(body.trimmingCharacters(in: .newlines)) else { return nil }
                    old = size
                default:
                    // A refusal of a consistent checkpoint is the witness's to explain; the status is enough here.
                    logger.warning("witness refused the checkpoint", metadata: ["witness": .string(witness.key.name), "status": .stringConvertible(response.status.code)])
                    return nil
                }
            } catch {
                logger.warning("witness unreachable", metadata: ["witness": .string(witness.key.name), "error": .string("\(type(of: error))")])
                return nil
            }
        }
        return (old, nil)
    }

    static func checkpoint(_ note: String) -> Checkpoint? {
        (try? CheckpointNote(parsing: note)).flatMap { try? Checkpoint(parsingBody: $0.text) }
    }
}
