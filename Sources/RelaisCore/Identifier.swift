public import RelaisCrypto

/// A 16-byte identifier; `Kind` keeps device, organisation, envelope and consent ids apart at
/// compile time. Text form: 32 lowercase hex digits. Ordered bytewise (canonical order in layouts).
public struct Identifier<Kind>: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static var byteCount: Int { 16 }
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// Parses the 32-hex-digit text form.
    public init?(hex: String) {
        guard let b = Hex.decode(hex) else { return nil }
        self.init(bytes: b)
    }

    /// A fresh random identifier.
    public static func random(using rng: some RandomSource) -> Self { Self(unchecked: rng.bytes(byteCount)) }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    public static func < (a: Self, b: Self) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
}

extension Identifier: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = Identifier(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "expected 32 lowercase hex digits"))
        }
        self = id
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}

public enum DeviceKind {}
public enum OrganisationKind {}
public enum EnvelopeKind {}
public enum ConsentKind {}

public typealias DeviceID = Identifier<DeviceKind>
public typealias OrganisationID = Identifier<OrganisationKind>
public typealias EnvelopeID = Identifier<EnvelopeKind>
public typealias ConsentID = Identifier<ConsentKind>
