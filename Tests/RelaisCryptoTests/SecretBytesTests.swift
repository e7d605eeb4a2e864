import Testing
@testable import RelaisCrypto

@Suite("SecretBytes")
struct SecretBytesTests {
    @Test func bytesRoundTrip() {
        let original = DeterministicRandom(seed: utf8("secret")).bytes(77)
        let secret = SecretBytes(original)
        #expect(secret.count == 77)
        #expect(secret.bytes == original)
        #expect(secret.withUnsafeBytes { Array($0) } == original)
    }

    @Test func empty() {
        let secret = SecretBytes([])
        #expect(secret.count == 0)
        #expect(secret.bytes == [])
        #expect(secret == SecretBytes([]))
    }

    @Test func equality() {
        #expect(SecretBytes(utf8("key")) == SecretBytes(utf8("key")))
        #expect(SecretBytes(utf8("key")) != SecretBytes(utf8("kez")))
        #expect(SecretBytes(utf8("key")) != SecretBytes(utf8("key!")))
        #expect(SecretBytes(utf8("key")) != SecretBytes([]))
    }

    @Test func fillInitialiser() {
        let secret = SecretBytes(count: 5) { buf in
            for i in buf.indices { buf[i] = UInt8(i + 1) }
        }
        #expect(secret.bytes == [1, 2, 3, 4, 5])
    }

    /// A throwing `fill` must rethrow its error and release the memory exactly once.
    @Test func throwingFillRethrows() {
        struct Refused: Error, Equatable {}
        for _ in 0..<3 {
            #expect(throws: Refused()) {
                _ = try SecretBytes(count: 32) { buf in
                    buf.storeBytes(of: 0xAB, toByteOffset: 0, as: UInt8.self)
                    throw Refused()
                }
            }
        }
        // The allocator is still sound afterwards.
        #expect(SecretBytes(utf8("after")).bytes == utf8("after"))
    }
}

@Suite("wipe")
struct WipeTests {
    @Test func zeroesAnArray() {
        var bytes = DeterministicRandom(seed: utf8("wipe")).bytes(100)
        #expect(bytes.contains { $0 != 0 })
        wipe(&bytes)
        #expect(bytes.count == 100)
        #expect(bytes == [UInt8](repeating: 0, count: 100))
    }

    @Test func emptyIsFine() {
        var bytes: [UInt8] = []
        wipe(&bytes)
        #expect(bytes.isEmpty)
    }
}
