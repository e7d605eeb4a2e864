import Testing
@testable import RelaisCrypto

extension Array where Element == UInt8 {
    /// Bytes from a hex string (either case); nil when the string is not hex of even length.
    init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var i = 0
        while i < digits.count {
            guard let hi = value(digits[i]), let lo = value(digits[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        self = out
    }

    var hex: String {
        let symbols = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for b in self {
            out.append(symbols[Int(b >> 4)])
            out.append(symbols[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Bytes of a hex literal in a test; a typo records a test failure (and gives no bytes).
func hex(_ string: String, sourceLocation: SourceLocation = #_sourceLocation) -> [UInt8] {
    guard let bytes = [UInt8](hex: string) else {
        Issue.record("bad hex literal in test: \(string)", sourceLocation: sourceLocation)
        return []
    }
    return bytes
}

/// UTF-8 bytes of a string.
func utf8(_ string: String) -> [UInt8] { Array(string.utf8) }

/// The case of a `CryptoError`, ignoring its payload, for `#expect` on thrown errors.
enum CryptoErrorKind: Equatable {
    case invalidLength, invalidKey, authenticationFailure, invalidSignature, outputTooLong, libsodium
}

extension CryptoError {
    var kind: CryptoErrorKind {
        switch code {
        case .invalidLength: .invalidLength
        case .invalidKey: .invalidKey
        case .authenticationFailure: .authenticationFailure
        case .invalidSignature: .invalidSignature
        case .outputTooLong: .outputTooLong
        case .libsodium: .libsodium
        }
    }
}

/// Expects `body` to throw a `CryptoError` of the given kind.
func expectCryptoError<R>(
    _ kind: CryptoErrorKind, _ note: String = "",
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> R
) {
    let suffix = note.isEmpty ? "" : " — \(note)"
    do {
        let value = try body()
        Issue.record("expected CryptoError.\(kind), got a result: \(value)\(suffix)", sourceLocation: sourceLocation)
    } catch let error as CryptoError {
        #expect(error.kind == kind, "\(error)\(suffix)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected CryptoError.\(kind), got \(error)\(suffix)", sourceLocation: sourceLocation)
    }
}

/// Whether `body` throws a `CryptoError` of the given kind (for tallies that also `#expect`).
func throwsCryptoError<R>(_ kind: CryptoErrorKind, _ body: () throws -> R) -> Bool {
    do {
        _ = try body()
        return false
    } catch let error as CryptoError {
        return error.kind == kind
    } catch {
        return false
    }
}
