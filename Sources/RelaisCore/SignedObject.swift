import Foundation
public import RelaisCrypto

/// A signed object as it travels: the exact signed bytes and the Ed25519 signature over
/// `context ‖ 0x00 ‖ bytes`. The bytes are parsed only after the signature has been verified
/// (SPEC.md, "Directory records").
public struct SignedObject: Hashable, Sendable, Codable {
    public let bytes: [UInt8]
    public let signature: [UInt8]

    public init(bytes: [UInt8], signature: [UInt8]) {
        self.bytes = bytes
        self.signature = signature
    }

    /// Signs `bytes` under `context`.
    public static func sign(_ bytes: [UInt8], context: DomainSeparation, by identity: DeviceIdentity) -> SignedObject {
        SignedObject(bytes: bytes, signature: identity.sign(context, bytes))
    }

    public func isSigned(by key: Ed25519PublicKey, context: DomainSeparation) -> Bool {
        key.isValidSignature(signature, context: context, message: bytes)
    }

    enum CodingKeys: String, CodingKey { case bytes, signature }

    /// JSON form: `{"bytes": base64, "signature": base64}` (standard base64 with padding).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let b = Data(base64Encoded: try c.decode(String.self, forKey: .bytes)),
              let s = Data(base64Encoded: try c.decode(String.self, forKey: .signature)), s.count == 64 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected base64 bytes and a 64-byte signature"))
        }
        bytes = Array(b)
        signature = Array(s)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Data(bytes).base64EncodedString(), forKey: .bytes)
        try c.encode(Data(signature).base64EncodedString(), forKey: .signature)
    }
}

/// Canonical JSON for signed records: sorted keys, no whitespace, no escaped slashes.
enum CanonicalJSON {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func encode<T: Encodable>(_ value: T) -> [UInt8] { Array(try! encoder.encode(value)) }

    /// Decodes after refusing repeated member names and invalid UTF-8.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(DirectoryError) -> T {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .malformed("\(T.self): not UTF-8") }
        do {
            _ = try JSONSerialization.jsonObject(with: Data(bytes))
            try DuplicateKeyCheck.check(bytes)
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let e as DuplicateKeyCheck.Duplicate {
            throw .malformed("\(T.self): member \"\(e.name)\" appears twice")
        } catch {
            throw .malformed("\(T.self): \(error)")
        }
    }
}
