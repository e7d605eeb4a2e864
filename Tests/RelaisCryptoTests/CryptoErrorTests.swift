import Testing
@testable import RelaisCrypto

@Suite("CryptoError")
struct CryptoErrorTests {
    static let all: [CryptoError] = [
        .invalidLength("X25519 public key", expected: 32, got: 31),
        .invalidKey("X25519 peer key has small order"),
        .authenticationFailure,
        .invalidSignature,
        .outputTooLong(8161),
        .libsodium("crypto_pwhash"),
    ]

    @Test(arguments: all)
    func descriptionIsASentence(error: CryptoError) {
        let text = error.description
        #expect(text.count > 10, "\(text)")
        #expect(text.contains(" "), "\(text)")
        #expect(!text.contains("Code"), "\(text)")
        #expect(!text.contains("("), "a case dump, not a sentence: \(text)")
        #expect(text.first?.isLetter == true, "\(text)")
        #expect(String(describing: error) == text)
    }

    @Test func descriptionsCarryTheDetails() {
        #expect(CryptoError.invalidLength("X25519 public key", expected: 32, got: 31).description
                == "X25519 public key must be 32 bytes, got 31")
        #expect(CryptoError.outputTooLong(8161).description.contains("8161"))
        #expect(CryptoError.libsodium("crypto_pwhash").description.contains("crypto_pwhash"))
        #expect(CryptoError.invalidKey("why").description.contains("why"))
    }

    @Test func authenticationFailureSaysNothingMore() {
        #expect(CryptoError.authenticationFailure.isAuthenticationFailure)
        #expect(!CryptoError.invalidSignature.isAuthenticationFailure)
        #expect(!CryptoError.authenticationFailure.description.contains("tag"))
    }

    @Test func equality() {
        #expect(CryptoError.invalidLength("a", expected: 1, got: 2) == .invalidLength("a", expected: 1, got: 2))
        #expect(CryptoError.invalidLength("a", expected: 1, got: 2) != .invalidLength("a", expected: 1, got: 3))
        #expect(CryptoError.authenticationFailure != .invalidSignature)
        #expect(Set(Self.all.map(\.description)).count == Self.all.count)
    }
}
