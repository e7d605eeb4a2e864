public import Foundation

/// One entry of the relay's audit log (SPEC.md, "Audit log"): canonical JSON, versioned, with no
/// personal data, no content and no ciphertext. Identifiers, times, categories, public keys and
/// hashes of signed records only.
public struct AuditEvent: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case organisationPut, deviceEnrolled, deviceActivated, deviceRevoked, prekeyPublished
        case consentGranted, consentWithdrawn, declarationMade
        case envelopeSubmitted, envelopeAcknowledged, envelopeDeleted, envelopeExpired, envelopeDeletedByWithdrawal
        /// A device fetched an envelope for the first time (SPEC.md, "Audit log entries").
        case envelopeDelivered
        /// An invite was issued: its id, issuer, role, organisation and expiry, never its secret.
        case inviteIssued
        /// A child-protection report made outside Relais was recorded: the organisation, the
        /// recording device and the signed `OutsideReportRecord` (case pseudonym, to whom, when).
        case outsideReportRecorded
    }

    public var version: Int = 1
    public var kind: Kind
    /// Relay time of the change, Unix seconds.
    public var time: UInt64
    public var organisation: OrganisationID?
    public var device: DeviceID?
    /// The device that signed the change (enroller, revoker, recorder, sender).
    public var actor: DeviceID?
    public var role: DeviceRole?
    public var category: PartnerCategory?
    /// Ed25519 public key (hex) of an activated device: auditors comparing logs see the same keys.
    public var publicKey: String?
    /// The signed record behind a directory or consent change (base64 of its exact bytes, and of
    /// its signature), so an auditor can check who signed it. Public parts only: no personal data.
    public var record: String?
    public var signature: String?
    public var sequence: UInt64?
    public var accreditedUntil: UInt64?
    public var prekey: String?
    public var consent: ConsentID?
    /// 1 consent, 2 child-protection declaration, 3 exit-programme consent (header byte).
    public var consentKind: UInt8?
    public var recipientOrganisations: [OrganisationID]?
    public var recipientCategories: [PartnerCategory]?
    public var exitProgramme: Bool?
    public var validFrom: UInt64?
    public var validUntil: UInt64?
    public var envelope: EnvelopeID?
    public var sizeClass: UInt8?
    public var expiresAt: UInt64?
    /// The invite an `inviteIssued` entry issues or a `deviceEnrolled` entry redeems.
    public var invite: InviteID?

    public init(kind: Kind, time: UInt64) {
        self.kind = kind
        self.time = time
    }

    /// Attaches a signed record.
    public mutating func attach(_ signed: SignedObject) {
        record = Base64.encode(signed.bytes)
        signature = Base64.encode(signed.signature)
    }

    /// The attached signed record, if any.
    public var signedRecord: SignedObject? {
        guard let r = record.flatMap(Base64.decode), let s = signature.flatMap(Base64.decode) else { return nil }
        return SignedObject(bytes: r, signature: s)
    }

    /// The exact bytes that become the Merkle leaf: sorted keys, no whitespace, absent fields omitted.
    ///
    /// They are what `JSONEncoder` gives with `.sortedKeys` and `.withoutEscapingSlashes`
    /// (`jsonEncoderBytes`), written directly: the relay encodes one to three entries per request on
    /// its hot path, and JSONEncoder cost about a sixth of a submit's handler time (BENCHMARKS.md).
    /// The members are written in the byte order of their names. A string that would need escaping
    /// or is not ASCII (none of the fields can hold one today) falls back to `JSONEncoder`.
    /// `AuditEventEncodingTests` compares both over every field, and `audit.json` pins the bytes.
    public var encoded: [UInt8] {
        var w = CanonicalWriter()
        w.number("accreditedUntil", accreditedUntil)
        w.string("actor", actor?.hex)
        w.string("category", category?.rawValue)
        w.string("consent", consent?.hex)
        w.number("consentKind", consentKind.map(UInt64.init))
        w.string("device", device?.hex)
        w.string("envelope", envelope?.hex)
        if let exitProgramme { w.raw("exitProgramme", exitProgramme ? "true" : "false") }
        w.number("expiresAt", expiresAt)
        w.string("invite", invite?.hex)
        w.string("kind", kind.rawValue)
        w.string("organisation", organisation?.hex)
        w.string("prekey", prekey)
        w.string("publicKey", publicKey)
        w.strings("recipientCategories", recipientCategories?.map(\.rawValue))
        w.strings("recipientOrganisations", recipientOrganisations?.map(\.hex))
        w.string("record", record)
        w.string("role", role?.rawValue)
        w.number("sequence", sequence)
        w.string("signature", signature)
        w.number("sizeClass", sizeClass.map(UInt64.init))
        w.number("time", time)
        w.number("validFrom", validFrom)
        w.number("validUntil", validUntil)
        w.raw("version", String(version))
        return w.finish() ?? jsonEncoderBytes
    }

    /// `encoded` as Foundation's `JSONEncoder` writes it.
    var jsonEncoderBytes: [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try! e.encode(self))
    }

    /// Decodes many entries quickly (an auditor's million): one JSON decoding per entry, and the
    /// canonical check done by comparing lengths of a re-encoding only when asked.
    public static func decodeForAudit(_ bytes: [UInt8], decoder: JSONDecoder) throws(AuditEventError) -> AuditEvent {
        do {
            let event = try decoder.decode(AuditEvent.self, from: Data(bytes))
            guard event.version == 1 else { throw AuditEventError.malformed("audit event version \(event.version)") }
            return event
        } catch let e as AuditEventError {
            throw e
        } catch {
            throw .malformed("\(error)")
        }
    }

    public static func decode(_ bytes: [UInt8]) throws(AuditEventError) -> AuditEvent {
        do {
            let event = try CanonicalJSON.decode(AuditEvent.self, from: bytes)
            guard event.version == 1 else { throw AuditEventError.malformed("audit event version \(event.version)") }
            // Canonical: re-encoding gives the same bytes, so one event has one leaf.
            guard event.encoded == bytes else { throw AuditEventError.malformed("audit event is not in canonical form") }
            return event
        } catch let e as AuditEventError {
            throw e
        } catch {
            throw .malformed("\(error)")
        }
    }
}

public enum AuditEventError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    public var description: String {
        switch self {
        case let .malformed(why): why
        }
    }
}

/// A JSON object written member by member, in the order given, with no whitespace. Strings are
/// copied as they are: one that would need escaping, or is not ASCII, makes `finish` return nil.
private struct CanonicalWriter {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var plain = true

    init() { bytes.reserveCapacity(320) }

    private mutating func key(_ name: StaticString) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    private mutating func quoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in value.utf8 {
            if b < 0x20 || b >= 0x80 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { plain = false }
            bytes.append(b)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func raw(_ name: StaticString, _ value: String) {
        key(name)
        bytes.append(contentsOf: value.utf8)
    }

    mutating func number(_ name: StaticString, _ value: UInt64?) {
        if let value { raw(name, String(value)) }
    }

    mutating func string(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        quoted(value)
    }

    mutating func strings(_ name: StaticString, _ values: [String]?) {
        guard let values else { return }
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            quoted(v)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    func finish() -> [UInt8]? { plain ? bytes + [UInt8(ascii: "}")] : nil }
}
