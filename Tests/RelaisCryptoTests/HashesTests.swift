import Testing
@testable import RelaisCrypto

@Suite("SHA-256")
struct SHA256Tests {
    @Test func abc() {
        #expect(SHA256.hash(utf8("abc")).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func empty() {
        #expect(SHA256.hash([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func rawBufferOverloadAgrees() {
        let message = utf8("abc")
        #expect(message.withUnsafeBytes { SHA256.hash($0) } == SHA256.hash(message))
    }

    @Test(arguments: [1, 3, 63, 64, 65, 1000])
    func incrementalEqualsOneShot(chunkSize: Int) {
        let message = DeterministicRandom(seed: utf8("sha256 incremental")).bytes(1000)
        var hasher = SHA256.Hasher()
        var i = 0
        var useRaw = false
        while i < message.count {
            let chunk = Array(message[i..<min(i + chunkSize, message.count)])
            if useRaw { chunk.withUnsafeBytes { hasher.update($0) } } else { hasher.update(chunk) }
            useRaw.toggle()
            i += chunkSize
        }
        #expect(hasher.finalize() == SHA256.hash(message))
    }

    @Test func incrementalOfNothingIsEmptyHash() {
        var hasher = SHA256.Hasher()
        hasher.update([])
        #expect(hasher.finalize() == SHA256.hash([]))
    }
}

@Suite("SHA-512")
struct SHA512Tests {
    @Test func abc() {
        #expect(SHA512.hash(utf8("abc")).hex ==
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
    }
}

@Suite("BLAKE2b")
struct BLAKE2bTests {
    @Test func empty256() throws {
        #expect(try BLAKE2b.hash([]).hex == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
    }

    @Test func empty512() throws {
        #expect(try BLAKE2b.hash([], outputLength: 64).hex ==
            "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce")
    }

    @Test func keyedDiffersFromUnkeyed() throws {
        let key = [UInt8](repeating: 0x42, count: 32)
        let keyed = try BLAKE2b.hash(utf8("m"), key: key)
        #expect(keyed != (try BLAKE2b.hash(utf8("m"))))
        #expect(keyed == (try BLAKE2b.hash(utf8("m"), key: key)))
    }

    @Test(arguments: [0, 15, 65, -1])
    func badOutputLengthThrows(length: Int) {
        expectCryptoError(.invalidLength) { try BLAKE2b.hash(utf8("x"), outputLength: length) }
    }

    @Test(arguments: [1, 15, 65])
    func badKeyLengthThrows(length: Int) {
        expectCryptoError(.invalidLength) { try BLAKE2b.hash(utf8("x"), key: [UInt8](repeating: 1, count: length)) }
    }
}

@Suite("HMAC-SHA256")
struct HMACSHA256Tests {
    /// RFC 4231, test case 2.
    @Test func rfc4231Case2() {
        let tag = HMACSHA256.authenticate(utf8("what do ya want for nothing?"), key: utf8("Jefe"))
        #expect(tag.hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(HMACSHA256.isValid(tag, for: utf8("what do ya want for nothing?"), key: utf8("Jefe")))
    }

    /// RFC 4231, test case 6: a key longer than the block size is hashed first.
    @Test func rfc4231Case6LongKey() {
        let tag = HMACSHA256.authenticate(utf8("Test Using Larger Than Block-Size Key - Hash Key First"),
                                          key: [UInt8](repeating: 0xaa, count: 131))
        #expect(tag.hex == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func isValidRejectsWrongTag() {
        var tag = HMACSHA256.authenticate(utf8("m"), key: utf8("k"))
        #expect(HMACSHA256.isValid(tag, for: utf8("m"), key: utf8("k")))
        #expect(!HMACSHA256.isValid(tag, for: utf8("m"), key: utf8("K")))
        #expect(!HMACSHA256.isValid(Array(tag.prefix(16)), for: utf8("m"), key: utf8("k")))
        tag[31] ^= 1
        #expect(!HMACSHA256.isValid(tag, for: utf8("m"), key: utf8("k")))
    }

    @Test func emptyKeyAndMessage() {
        // HMAC-SHA256 with empty key and message (computed independently, e.g. Python hmac).
        #expect(HMACSHA256.authenticate([], key: []).hex == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }
}

@Suite("HKDF-SHA256")
struct HKDFSHA256Tests {
    /// RFC 5869, test case 1.
    @Test func rfc5869Case1() throws {
        let ikm = [UInt8](repeating: 0x0b, count: 22)
        let salt = hex("000102030405060708090a0b0c")
        let info = hex("f0f1f2f3f4f5f6f7f8f9")
        let prk = HKDFSHA256.extract(salt: salt, inputKeyMaterial: ikm)
        #expect(prk.bytes.hex == "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5")
        let okm = try HKDFSHA256.expand(pseudoRandomKey: prk, info: info, length: 42)
        #expect(okm.bytes.hex == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
        #expect(try HKDFSHA256.deriveKey(inputKeyMaterial: ikm, salt: salt, info: info, length: 42) == okm)
        #expect(try HKDFSHA256.deriveKey(inputKeyMaterial: SecretBytes(ikm), salt: salt, info: info, length: 42) == okm)
    }

    /// RFC 5869, test case 3: empty salt and info.
    @Test func rfc5869Case3EmptySalt() throws {
        let okm = try HKDFSHA256.deriveKey(inputKeyMaterial: [UInt8](repeating: 0x0b, count: 22), salt: [], info: [], length: 42)
        #expect(okm.bytes.hex == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
    }

    @Test func lengthsAtTheLimits() throws {
        let prk = HKDFSHA256.extract(salt: utf8("salt"), inputKeyMaterial: utf8("ikm"))
        let max = try HKDFSHA256.expand(pseudoRandomKey: prk, info: utf8("info"), length: 8160)
        #expect(max.count == 8160)
        let short = try HKDFSHA256.expand(pseudoRandomKey: prk, info: utf8("info"), length: 33)
        #expect(Array(max.bytes.prefix(33)) == short.bytes)
        #expect(try HKDFSHA256.expand(pseudoRandomKey: prk, info: utf8("info"), length: 0).count == 0)
    }

    @Test(arguments: [8161, 100_000, -1])
    func outOfRangeLengthThrows(length: Int) {
        expectCryptoError(.outputTooLong) {
            try HKDFSHA256.deriveKey(inputKeyMaterial: utf8("ikm"), salt: [], info: [], length: length)
        }
    }
}
