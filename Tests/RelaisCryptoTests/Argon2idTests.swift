import Testing
@testable import RelaisCrypto

@Suite("Argon2id")
struct Argon2idTests {
    let passphrase = utf8("correct horse battery staple")
    let salt: [UInt8] = Array(0..<16)

    @Test func minimumParametersAreLibsodiumsMinimum() {
        #expect(Argon2id.Parameters.minimum == Argon2id.Parameters(opsLimit: 1, memLimit: 8192))
        #expect(Argon2id.Parameters.interactive.memLimit == 64 << 20)
        #expect(Argon2id.Parameters.moderate.memLimit == 256 << 20)
    }

    /// Cross-checked with the reference implementation (argon2-cffi: Argon2id v19, t=1, m=8 KiB, p=1).
    @Test func knownAnswer() throws {
        let key = try Argon2id.deriveKey(passphrase: SecretBytes(passphrase), salt: salt, parameters: .minimum)
        #expect(key.bytes.hex == "d17ea6341ca93da6079ea2f64dc4aa31dd1aaf9caa67fb42ac4afd0714706f26")
    }

    @Test func samePassphraseAndSaltSameKey() throws {
        let a = try Argon2id.deriveKey(passphrase: SecretBytes(passphrase), salt: salt, parameters: .minimum)
        let b = try Argon2id.deriveKey(passphrase: SecretBytes(passphrase), salt: salt, parameters: .minimum)
        #expect(a.count == 32)
        #expect(a == b)
    }

    @Test func differentSaltOrPassphraseDifferentKey() throws {
        let a = try Argon2id.deriveKey(passphrase: SecretBytes(passphrase), salt: salt, parameters: .minimum)
        var otherSalt = salt
        otherSalt[15] ^= 1
        let b = try Argon2id.deriveKey(passphrase: SecretBytes(passphrase), salt: otherSalt, parameters: .minimum)
        let c = try Argon2id.deriveKey(passphrase: SecretBytes(utf8("Correct horse battery staple")), salt: salt, parameters: .minimum)
        #expect(a != b)
        #expect(a != c)
    }

    @Test func lengthAndEmptyPassphrase() throws {
        let long = try Argon2id.deriveKey(passphrase: SecretBytes([]), salt: salt, length: 64, parameters: .minimum)
        #expect(long.count == 64)
        #expect(long.bytes != [UInt8](repeating: 0, count: 64))
    }

    @Test(arguments: [0, 15, 17, 32])
    func wrongSaltLengthThrows(count: Int) {
        expectCryptoError(.invalidLength) {
            try Argon2id.deriveKey(passphrase: SecretBytes(passphrase), salt: [UInt8](repeating: 0, count: count),
                                   parameters: .minimum)
        }
    }

    @Test func parametersBelowMinimumThrow() {
        expectCryptoError(.libsodium) {
            try Argon2id.deriveKey(passphrase: SecretBytes(passphrase), salt: salt,
                                   parameters: .init(opsLimit: 0, memLimit: 8192))
        }
    }
}
