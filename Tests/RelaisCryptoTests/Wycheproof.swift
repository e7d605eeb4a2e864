import Foundation
import Testing

/// Loader for the C2SP/wycheproof `testvectors_v1` JSON files used here (only the fields we read).
enum Wycheproof {
    enum Result: String, Decodable, Sendable {
        case valid, invalid, acceptable
    }

    struct File<Group: Decodable & Sendable>: Decodable, Sendable {
        let algorithm: String
        let numberOfTests: Int
        let testGroups: [Group]
    }

    // MARK: XDH (x25519_test.json)

    struct XDHGroup: Decodable, Sendable {
        let curve: String
        let tests: [XDHCase]
    }

    struct XDHCase: Decodable, Sendable {
        let tcId: Int
        let comment: String
        let flags: [String]
        let `public`: HexBytes
        let `private`: HexBytes
        let shared: HexBytes
        let result: Result
    }

    // MARK: EdDSA (ed25519_test.json)

    struct EdDSAGroup: Decodable, Sendable {
        struct PublicKey: Decodable, Sendable {
            let curve: String
            let pk: HexBytes
        }
        let publicKey: PublicKey
        let tests: [EdDSACase]
    }

    struct EdDSACase: Decodable, Sendable {
        let tcId: Int
        let comment: String
        let flags: [String]
        let msg: HexBytes
        let sig: HexBytes
        let result: Result
    }

    // MARK: AEAD (chacha20_poly1305_test.json, xchacha20_poly1305_test.json)

    struct AEADGroup: Decodable, Sendable {
        let ivSize: Int
        let keySize: Int
        let tagSize: Int
        let tests: [AEADCase]
    }

    struct AEADCase: Decodable, Sendable {
        let tcId: Int
        let comment: String
        let flags: [String]
        let key: HexBytes
        let iv: HexBytes
        let aad: HexBytes
        let msg: HexBytes
        let ct: HexBytes
        let tag: HexBytes
        let result: Result
    }

    // MARK: HKDF (hkdf_sha256_test.json)

    struct HKDFGroup: Decodable, Sendable {
        let keySize: Int
        let tests: [HKDFCase]
    }

    struct HKDFCase: Decodable, Sendable {
        let tcId: Int
        let comment: String
        let flags: [String]
        let ikm: HexBytes
        let salt: HexBytes
        let info: HexBytes
        let size: Int
        let okm: HexBytes
        let result: Result
    }

    /// Reads `wycheproof/<name>` from the external vectors folder.
    static func load<Group: Decodable & Sendable>(
        _ name: String, as: Group.Type, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> File<Group> {
        let url = try ExternalVectors.url("wycheproof/\(name)", sourceLocation: sourceLocation)
        let data = try Data(contentsOf: url)
        return try JSONDecoder().decode(File<Group>.self, from: data)
    }

    /// Counts the cases run per expected result, plus notes, and prints the summary line.
    struct Tally {
        let name: String
        private(set) var counts: [Result: Int] = [:]
        private(set) var failures = 0
        private var notes: [String: Int] = [:]

        init(_ name: String) { self.name = name }

        var total: Int { counts.values.reduce(0, +) }

        /// Records one case; `passed` is what the test's own `#expect` saw.
        mutating func record(_ result: Result, passed: Bool) {
            counts[result, default: 0] += 1
            if !passed { failures += 1 }
        }

        /// Something worth reporting about how the primitive handled cases (e.g. rejections).
        mutating func note(_ what: String) { notes[what, default: 0] += 1 }

        var summary: String {
            let split = [Result.valid, .invalid, .acceptable]
                .compactMap { r in counts[r].map { "\($0) \(r.rawValue)" } }
                .joined(separator: ", ")
            let extra = notes.keys.sorted().map { "\(notes[$0]!) \($0)" }.joined(separator: "; ")
            let outcome = failures == 0 ? "passed" : "\(failures) FAILED"
            return "Wycheproof \(name): \(total) cases (\(split)) \(outcome)" + (extra.isEmpty ? "" : " [\(extra)]")
        }

        /// Prints the summary and checks that every case of the file ran.
        func finish<Group>(_ file: File<Group>, casesInFile: Int, sourceLocation: SourceLocation = #_sourceLocation) {
            print(summary)
            #expect(total > 0, "no \(name) cases ran", sourceLocation: sourceLocation)
            #expect(total == file.numberOfTests, "\(name): ran \(total) of numberOfTests \(file.numberOfTests)",
                    sourceLocation: sourceLocation)
            #expect(total == casesInFile, "\(name): ran \(total) of \(casesInFile) cases in the file",
                    sourceLocation: sourceLocation)
        }
    }
}

/// A hex string field decoded to bytes; bad hex is a decoding error.
struct HexBytes: Decodable, Sendable {
    let bytes: [UInt8]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let bytes = [UInt8](hex: string) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a hex string: \(string)")
        }
        self.bytes = bytes
    }
}
