import Testing
@testable import RelaisCrypto

@Suite("constantTimeEqual")
struct ConstantTimeTests {
    @Test func equal() {
        #expect(constantTimeEqual(utf8("same bytes"), utf8("same bytes")))
        let big = DeterministicRandom(seed: utf8("ct")).bytes(4096)
        #expect(constantTimeEqual(big, big))
    }

    @Test func different() {
        #expect(!constantTimeEqual(utf8("same bytes"), utf8("same bytez")))
        #expect(!constantTimeEqual(utf8("Xame bytes"), utf8("same bytes")))
        #expect(!constantTimeEqual([0], [0x80]))
    }

    @Test func differentLengths() {
        #expect(!constantTimeEqual(utf8("abc"), utf8("abcd")))
        #expect(!constantTimeEqual(utf8("abcd"), utf8("abc")))
        #expect(!constantTimeEqual([], [0]))
    }

    @Test func empty() {
        #expect(constantTimeEqual([], []))
        #expect(constantTimeEqual(UnsafeRawBufferPointer(start: nil, count: 0), UnsafeRawBufferPointer(start: nil, count: 0)))
    }

    @Test func rawBufferOverload() {
        let a = utf8("abc"), b = utf8("abc"), c = utf8("abd")
        a.withUnsafeBytes { ra in
            b.withUnsafeBytes { rb in #expect(constantTimeEqual(ra, rb)) }
            c.withUnsafeBytes { rc in #expect(!constantTimeEqual(ra, rc)) }
        }
    }
}
