// relais-fuzz: the project's decoders under libFuzzer (RELIABILITY.md row 11). Each input goes to
// one decoder, chosen by its first byte (or by RELAIS_FUZZ_TARGET, to give one decoder a whole
// run); every decoder must answer with a value or a thrown error, never a trap or a hang.
//
//   scripts/fuzz-decoders.sh      # builds with --sanitize=fuzzer,address and runs each decoder
//
// Built normally (no RELAIS_FUZZ), the same executable replays files through the decoders:
// `relais-fuzz FILE...`, to rerun a crash that libFuzzer saved. Nothing is printed of an input.
import Foundation
import RelaisCore
import RelaisCrypto

enum FuzzTarget: Int, CaseIterable {
    case envelopeHeader, auditEvent, checkpointNote, verifierKey, consentPublicPart, requestHeaders, referral, authenticationHeaders

    /// A fixed checkpoint verifier: the note's parsing runs before its signature is checked.
    static let verifier = try! CheckpointVerifierKey(name: "relais.log/fuzz",
                                                     publicKey: Ed25519PrivateKey(seed: [UInt8](repeating: 7, count: 32)).publicKey)

    func run(_ data: [UInt8]) {
        switch self {
        case .envelopeHeader:
            _ = try? EnvelopeHeader.parse(data)
        case .auditEvent:
            _ = try? AuditEvent.decode(data)
        case .checkpointNote:
            _ = try? Checkpoint.verify(note: data, verifier: Self.verifier)
        case .verifierKey:
            _ = try? CheckpointVerifierKey(parsing: String(decoding: data, as: UTF8.self))
        case .consentPublicPart:
            _ = try? ConsentPublic.parse(SignedObject(bytes: data, signature: [UInt8](repeating: 0, count: 64)))
        case .requestHeaders:
            // Four header values, one per line: device, timestamp, nonce, signature.
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            func line(_ i: Int) -> String? { i < lines.count ? lines[i] : nil }
            _ = RequestSignature(device: line(0), timestamp: line(1), nonce: line(2), signature: line(3))
            _ = line(1).flatMap(RequestSignature.parseTimestamp)
            _ = line(2).flatMap(RequestSignature.parseNonce)
            _ = line(3).flatMap(Base64.decode)
            _ = line(0).flatMap(DeviceID.init(hex:))
        case .referral:
            _ = try? Referral.decode(data)
        case .authenticationHeaders:
            // What the relay reads before authenticating (issue 14, finding 0), one value per line:
            // the relay's clock, its allowed skew, then "Name: value" headers. The same parse and
            // the same freshness comparison as AuthenticationMiddleware, with any values at all.
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            guard lines.count >= 2, let now = UInt64(lines[0]), let skew = UInt64(lines[1]) else { return }
            var headers: [String: String] = [:]
            for line in lines.dropFirst(2) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...].drop { $0 == " " })
            }
            guard let credentials = RequestCredentials(header: { headers[$0.lowercased()] }) else { return }
            if RequestSignature.isFresh(timestamp: credentials.timestamp, now: now, skew: skew) {
                // Fresh means within `skew` of `now`, whichever side: check it independently.
                let distance = credentials.timestamp >= now ? credentials.timestamp - now : now - credentials.timestamp
                precondition(distance <= skew)
            }
        }
    }

    /// The target of an input: RELAIS_FUZZ_TARGET when set, else its first byte (then dropped).
    static func route(_ input: [UInt8]) -> (FuzzTarget, [UInt8])? {
        if let forced { return (forced, input) }
        guard let first = input.first else { return nil }
        return (allCases[Int(first) % allCases.count], Array(input.dropFirst()))
    }

    static let forced: FuzzTarget? = ProcessInfo.processInfo.environment["RELAIS_FUZZ_TARGET"].flatMap { name in
        allCases.first { "\($0)" == name }
    }
}

func fuzzOne(_ input: [UInt8]) {
    guard let (target, data) = FuzzTarget.route(input) else { return }
    target.run(data)
}

#if RELAIS_FUZZ
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzOne(size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
@main
enum Replay {
    static func main() {
        let files = CommandLine.arguments.dropFirst()
        guard !files.isEmpty else {
            FileHandle.standardError.write(Data("usage: relais-fuzz FILE...  (replays inputs; build with scripts/fuzz-decoders.sh to fuzz)\n".utf8))
            exit(2)
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("relais-fuzz: cannot read \(file)\n".utf8))
                exit(1)
            }
            fuzzOne(Array(data))
        }
        print("replayed \(files.count) input(s): no trap")
    }
}
#endif
