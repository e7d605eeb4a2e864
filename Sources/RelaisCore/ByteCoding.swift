import RelaisCrypto

/// Writes the big-endian, length-explicit byte layouts of Protocol/SPEC.md.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public mutating func write(_ b: UInt8) { bytes.append(b) }
    public mutating func write(_ v: UInt32) { bytes += v.bigEndianBytes }
    public mutating func write(_ v: UInt64) { bytes += v.bigEndianBytes }
    public mutating func write(_ raw: [UInt8]) { bytes += raw }
    public mutating func write<K>(_ id: Identifier<K>) { bytes += id.bytes }
}

/// Reads the layouts of Protocol/SPEC.md strictly: every read is bounds-checked and a reader that
/// has not consumed everything is an error (`finish`).
public struct ByteReader: Sendable {
    public enum Failure: Error, Equatable, Sendable {
        case truncated(field: String, needed: Int, remaining: Int)
        case trailingBytes(Int)
    }

    private let data: [UInt8]
    public private(set) var offset = 0
    public init(_ data: [UInt8]) { self.data = data }

    public var remaining: Int { data.count - offset }

    public mutating func read(_ count: Int, _ field: String) throws(Failure) -> [UInt8] {
        guard count >= 0, remaining >= count else {
            throw .truncated(field: field, needed: count, remaining: remaining)
        }
        defer { offset += count }
        return Array(data[offset..<offset + count])
    }
    public mutating func readByte(_ field: String) throws(Failure) -> UInt8 { try read(1, field)[0] }
    public mutating func readUInt32(_ field: String) throws(Failure) -> UInt32 {
        try read(4, field).reduce(0) { $0 << 8 | UInt32($1) }
    }
    public mutating func readUInt64(_ field: String) throws(Failure) -> UInt64 {
        try read(8, field).reduce(0) { $0 << 8 | UInt64($1) }
    }
    public mutating func readIdentifier<K>(_ field: String) throws(Failure) -> Identifier<K> {
        Identifier<K>(unchecked: try read(Identifier<K>.byteCount, field))
    }
    public mutating func readRest() -> [UInt8] {
        defer { offset = data.count }
        return Array(data[offset...])
    }
    public func finish() throws(Failure) {
        guard remaining == 0 else { throw .trailingBytes(remaining) }
    }
}

extension ByteReader.Failure: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .truncated(field, needed, remaining): "\(field) needs \(needed) bytes, only \(remaining) left"
        case let .trailingBytes(n): "\(n) unexpected trailing bytes"
        }
    }
}

/// Lowercase hexadecimal, the text form of identifiers and of bytes in test vectors.
public enum Hex {
    public static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Strict: lowercase only, even length. Returns nil otherwise.
    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var i = 0
        while i < chars.count {
            guard let hi = value(chars[i]), let lo = value(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}

/// `ctx ‖ 0x00 ‖ message`: how every context string of SPEC.md is applied before hashing or signing.
/// Context strings contain no NUL byte, so the encoding is unambiguous.
public func domainSeparated(_ context: DomainSeparation, _ message: [UInt8]) -> [UInt8] {
    Array(context.rawValue.utf8) + [0] + message
}
