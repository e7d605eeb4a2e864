import RelaisCrypto

/// What the relay may read: everything it needs to route, check consent and expire an envelope,
/// nothing about the person or the sender's words (SPEC.md, "Envelope header").
public struct EnvelopeHeader: Hashable, Sendable {
    public static let magic: [UInt8] = Array("RLSE".utf8)
    public static let version: UInt8 = 1
    public static let maxSizeClass: UInt8 = 12
    public static let stanzaByteCount = 16 + 8 + WrappedKey.byteCount

    /// One recipient device's copy of the content key.
    public struct Stanza: Hashable, Sendable {
        public let deviceID: DeviceID
        public let prekeyID: PrekeyID
        public let wrappedKey: [UInt8]
        public init(deviceID: DeviceID, prekeyID: PrekeyID, wrappedKey: [UInt8]) {
            self.deviceID = deviceID
            self.prekeyID = prekeyID
            self.wrappedKey = wrappedKey
        }
    }

    public let envelopeID: EnvelopeID
    public let expiresAt: UInt64
    public let consent: ConsentReference
    public let sizeClass: UInt8
    public let recipientOrganisations: [OrganisationID]
    public let stanzas: [Stanza]
    /// The exact header bytes: the AEAD associated data and the input of the header hash.
    public let encoded: [UInt8]

    /// Builds a canonical header; organisations and stanzas are sorted here.
    public init(envelopeID: EnvelopeID, expiresAt: UInt64, consent: ConsentReference, sizeClass: UInt8,
                recipientOrganisations: [OrganisationID], stanzas: [Stanza]) throws(EnvelopeError) {
        let orgs = recipientOrganisations.sorted()
        let st = stanzas.sorted { $0.deviceID < $1.deviceID }
        var w = ByteWriter()
        w.write(Self.magic)
        w.write(Self.version)
        w.write(envelopeID)
        w.write(expiresAt)
        w.write(consent.kind.rawValue)
        w.write(consent.id)
        w.write(sizeClass)
        guard (1...255).contains(orgs.count) else { throw .invalidSealInput("1 to 255 recipient organisations") }
        w.write(UInt8(orgs.count))
        orgs.forEach { w.write($0) }
        guard (1...255).contains(st.count) else { throw .invalidSealInput("1 to 255 recipient devices") }
        w.write(UInt8(st.count))
        for s in st {
            w.write(s.deviceID)
            w.write(s.prekeyID.bytes)
            w.write(s.wrappedKey)
        }
        // Parsing our own output enforces every canonical rule in one place.
        do {
            self = try EnvelopeHeader.parse(w.bytes).header
        } catch let EnvelopeError.malformedHeader(why) {
            throw .invalidSealInput(why)
        }
    }

    private init(envelopeID: EnvelopeID, expiresAt: UInt64, consent: ConsentReference, sizeClass: UInt8,
                 orgs: [OrganisationID], stanzas: [Stanza], encoded: [UInt8]) {
        self.envelopeID = envelopeID
        self.expiresAt = expiresAt
        self.consent = consent
        self.sizeClass = sizeClass
        self.recipientOrganisations = orgs
        self.stanzas = stanzas
        self.encoded = encoded
    }

    /// Padded plaintext length for this header's size class: `1024 << size_class`.
    public var paddedLength: Int { EnvelopeHeader.paddedLength(sizeClass: sizeClass) }
    public static func paddedLength(sizeClass: UInt8) -> Int { 1024 << Int(sizeClass) }

    /// `SHA-256("relais/v1/envelope-header" ‖ 0x00 ‖ header)`, signed inside the envelope.
    public var hash: [UInt8] { SHA256.hash(domainSeparated(.envelopeHeader, encoded)) }

    public var recipientDevices: [DeviceID] { stanzas.map(\.deviceID) }

    /// Parses the header at the start of `envelope`; returns it and the offset where the body
    /// starts. Strict: magic, version, known consent kind, size class ≤ 12, counts ≥ 1,
    /// organisation ids and stanza device ids strictly increasing (sorted, no duplicates).
    public static func parse(_ envelope: [UInt8]) throws(EnvelopeError) -> (header: EnvelopeHeader, bodyOffset: Int) {
        var r = ByteReader(envelope)
        do {
            guard try r.read(4, "magic") == magic else { throw EnvelopeError.malformedHeader("not a Relais envelope (bad magic)") }
            let v = try r.readByte("version")
            guard v == version else { throw EnvelopeError.malformedHeader("unsupported version \(v)") }
            let id: EnvelopeID = try r.readIdentifier("envelope_id")
            let expires = try r.readUInt64("expires_at")
            let kindByte = try r.readByte("consent_kind")
            guard let kind = ConsentReference.Kind(rawValue: kindByte) else {
                throw EnvelopeError.malformedHeader("unknown consent kind \(kindByte)")
            }
            let consentID: ConsentID = try r.readIdentifier("consent_id")
            let sizeClass = try r.readByte("size_class")
            guard sizeClass <= maxSizeClass else { throw EnvelopeError.malformedHeader("size class \(sizeClass) above \(maxSizeClass)") }
            let orgCount = Int(try r.readByte("org_count"))
            guard orgCount >= 1 else { throw EnvelopeError.malformedHeader("no recipient organisation") }
            var orgs: [OrganisationID] = []
            for _ in 0..<orgCount {
                let o: OrganisationID = try r.readIdentifier("org_id")
                if let last = orgs.last, !(last < o) { throw EnvelopeError.malformedHeader("organisation ids not strictly increasing") }
                orgs.append(o)
            }
            let stanzaCount = Int(try r.readByte("stanza_count"))
            guard stanzaCount >= 1 else { throw EnvelopeError.malformedHeader("no stanza") }
            var stanzas: [Stanza] = []
            for _ in 0..<stanzaCount {
                let d: DeviceID = try r.readIdentifier("stanza device_id")
                let p = PrekeyID(unchecked: try r.read(8, "stanza prekey_id"))
                let k = try r.read(WrappedKey.byteCount, "stanza wrapped_key")
                if let last = stanzas.last, !(last.deviceID < d) { throw EnvelopeError.malformedHeader("stanza device ids not strictly increasing") }
                stanzas.append(Stanza(deviceID: d, prekeyID: p, wrappedKey: k))
            }
            let end = r.offset
            let header = EnvelopeHeader(envelopeID: id, expiresAt: expires, consent: ConsentReference(kind: kind, id: consentID),
                                        sizeClass: sizeClass, orgs: orgs, stanzas: stanzas, encoded: Array(envelope[0..<end]))
            return (header, end)
        } catch let e as EnvelopeError {
            throw e
        } catch {
            throw .malformedHeader(String(describing: error))
        }
    }
}

/// The content key sealed to one prekey: `crypto_box_seal` output, 32 + 48 bytes.
public enum WrappedKey {
    public static let byteCount = 32 + SealedBox.overhead
}

/// What covers a referral: a consent record, or for a child-protection report, a signed
/// legal-basis declaration (CASF L.226-2-1 / L.226-2-2). Header byte values in SPEC.md.
public struct ConsentReference: Hashable, Sendable, Codable {
    public enum Kind: UInt8, Sendable, Codable, CaseIterable {
        case consent = 1
        case childProtectionDeclaration = 2
        /// A consent covering an exit-programme request: the relay checks accreditation.
        case exitProgrammeConsent = 3

        public init(from decoder: any Decoder) throws {
            let s = try decoder.singleValueContainer().decode(String.self)
            guard let k = Self.allCases.first(where: { $0.name == s }) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown consent kind"))
            }
            self = k
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(name)
        }
        /// The JSON name.
        public var name: String {
            switch self {
            case .consent: "consent"
            case .childProtectionDeclaration: "childProtectionDeclaration"
            case .exitProgrammeConsent: "exitProgrammeConsent"
            }
        }
    }

    public let kind: Kind
    public let id: ConsentID
    public init(kind: Kind, id: ConsentID) {
        self.kind = kind
        self.id = id
    }
}
