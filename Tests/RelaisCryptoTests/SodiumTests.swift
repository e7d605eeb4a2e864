import Testing
@testable import RelaisCrypto

@Suite("libsodium")
struct SodiumTests {
    @Test func versionIsReported() {
        let version = libsodiumVersion()
        #expect(version.split(separator: ".").count == 3, "\(version)")
        #expect(version.hasPrefix("1."), "\(version)")
    }

    @Test func uint8PointerReadsTheBytes() {
        let bytes: [UInt8] = [42, 43]
        bytes.withUnsafeBytes { raw in
            #expect(raw.uint8Pointer.pointee == 42)
            #expect(raw.uint8Pointer[1] == 43)
        }
    }
}
