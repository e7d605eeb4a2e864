/// The one error type of RelaisCrypto.
///
/// Decryption and unwrapping failures are deliberately opaque (`authenticationFailure`): a caller
/// learns that the bytes did not open, never why.
public struct CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    enum Code: Equatable, Sendable {
        case invalidLength(what: String, expected: Int, got: Int)
        case invalidKey(String)
        case authenticationFailure
        case invalidSignature
        case outputTooLong(Int)
        case libsodium(String)
    }

    let code: Code

    /// Bytes did not have the length a primitive requires.
    public static func invalidLength(_ what: String, expected: Int, got: Int) -> CryptoError {
        CryptoError(code: .invalidLength(what: what, expected: expected, got: got))
    }
    /// A key was rejected by the primitive (for example an X25519 point that yields an all-zero secret).
    public static func invalidKey(_ why: String) -> CryptoError { CryptoError(code: .invalidKey(why)) }
    /// Ciphertext, tag, associated data or key did not match. Nothing more is said, on purpose.
    public static let authenticationFailure = CryptoError(code: .authenticationFailure)
    /// An Ed25519 signature did not verify.
    public static let invalidSignature = CryptoError(code: .invalidSignature)
    /// HKDF cannot produce more than 255 × 32 bytes.
    public static func outputTooLong(_ n: Int) -> CryptoError { CryptoError(code: .outputTooLong(n)) }
    /// libsodium refused an operation that should not fail (out of memory, not initialised).
    public static func libsodium(_ call: String) -> CryptoError { CryptoError(code: .libsodium(call)) }

    public var isAuthenticationFailure: Bool { code == .authenticationFailure }

    public var description: String {
        switch code {
        case let .invalidLength(what, expected, got):
            return "\(what) must be \(expected) bytes, got \(got)"
        case let .invalidKey(why):
            return "invalid key: \(why)"
        case .authenticationFailure:
            return "decryption failed: the data was altered, or is not for this key"
        case .invalidSignature:
            return "signature does not verify"
        case let .outputTooLong(n):
            return "HKDF-SHA256 output of \(n) bytes exceeds 8160"
        case let .libsodium(call):
            return "libsodium call \(call) failed"
        }
    }
}
