public import Foundation

/// Attachments (SPEC.md, "Referral schema v2", "Attachments"): files sealed inside the referral
/// (`Referral.attachments`: name, media type, bytes in base64), so they travel under the same seal,
/// signature, consent and expiry as the rest. The rules the sender's client, the recipient's
/// client and any other reader apply alike are here: the accepted types detected from the bytes,
/// the size limit, and the name a recipient may write on its disk.

/// A media type Relais accepts, detected from the file's first bytes (its magic number), never
/// from its name alone. `octetStream` is what a file of any other type is declared as, and only
/// when the sender says so (`relais send --allow-any-type`).
public enum AttachmentType: String, CaseIterable, Sendable {
    case pdf = "application/pdf"
    case png = "image/png"
    case jpeg = "image/jpeg"
    case webp = "image/webp"
    case heic = "image/heic"
    /// Valid UTF-8 without a NUL byte.
    case text = "text/plain"
    case octetStream = "application/octet-stream"

    /// The accepted type these bytes are, by their magic number (text last: valid UTF-8 without
    /// NUL), or nil when they are none of them (`octetStream` is never detected).
    public static func detect(_ data: Data) -> AttachmentType? {
        let b = [UInt8](data.prefix(16))
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            b.count >= offset + magic.count && Array(b[offset..<offset + magic.count]) == magic
        }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("ftyp".utf8), at: 4), ["heic", "heix", "heim", "heis"].contains(where: { starts(Array($0.utf8), at: 8) }) {
            return .heic
        }
        if !data.contains(0), String(validating: data, as: UTF8.self) != nil { return .text }
        return nil
    }
}

extension Referral.Attachment {
    /// The most bytes all of a referral's attachments may hold together (3 000 000, «3 Mo»): in
    /// base64 they take 4 000 000 of the largest envelope's 4 194 304 bytes (4 MiB), leaving the
    /// rest of the referral (free text, the carried consent record, the signed header) room enough.
    public static let maxTotalBytes = 3_000_000
    /// The longest `filename` a v2 referral carries, in Unicode scalars (as JSON Schema counts).
    public static let maxFilenameLength = 255

    /// The declared `mediaType`, when it is one Relais knows.
    public var declaredType: AttachmentType? { AttachmentType(rawValue: mediaType) }

    /// What the bytes are (`AttachmentType.detect`).
    public var detectedType: AttachmentType? { AttachmentType.detect(data) }

    /// True when the bytes are not what the sender declared: the recipient's client flags it.
    /// A file declared `application/octet-stream` claims nothing, so it never mismatches.
    public var typeMismatch: Bool {
        declaredType != .octetStream && (declaredType == nil || detectedType != declaredType)
    }
}

extension Referral {
    /// Schema v2's attachment rules: a name of 1 to 255 scalars, an accepted media type, and at
    /// most `Attachment.maxTotalBytes` in all (SPEC.md, "Attachments").
    func validateAttachmentsV2() throws(ReferralError) {
        for (i, a) in attachments.enumerated() {
            guard (1...Attachment.maxFilenameLength).contains(a.filename.unicodeScalars.count) else {
                throw .invalid("attachments[\(i)].filename: 1 to \(Attachment.maxFilenameLength) characters")
            }
            guard a.declaredType != nil else {
                throw .invalid("attachments[\(i)].mediaType: one of \(AttachmentType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let total = attachments.reduce(0) { $0 + $1.data.count }
        guard total <= Attachment.maxTotalBytes else {
            throw .invalid("attachments: \(total) bytes in all, above the limit of \(Attachment.maxTotalBytes)")
        }
    }
}

/// The name under which a recipient writes an attachment (SPEC.md, "Attachments": the sanitising
/// rule). The sender's name is the sender's choice and anyone's attack: it may climb out of the
/// folder (`../../etc/passwd`), hide (`.bashrc`), name a device (`CON`), reverse its own text
/// (U+202E) or be very long. The result is one plain file name, never empty.
public enum AttachmentName {
    /// At most this many UTF-8 bytes (well under the 255 of common file systems, room for « (99) »).
    public static let maxUTF8Bytes = 120
    /// The name of an attachment whose name leaves nothing.
    public static let fallback = "piece-jointe"

    /// 1. NFC; 2. every path separator (`/`, `\`), `:`, `<>"|?*`, control character (C0, DEL, C1),
    /// format character (the bidirectional overrides and isolates, zero-width characters, BOM),
    /// line or paragraph separator, private-use, surrogate or unassigned code point becomes `_`;
    /// 3. runs of dots become one dot (no `..` anywhere); 4. leading dots, spaces and dashes and
    /// trailing dots and spaces are removed; 5. a Windows device name (`CON`, `NUL`, `COM1`…) gets a
    /// leading `_`; 6. the name is cut to `maxUTF8Bytes`, keeping its extension, and
    /// step 4 applied again (a cut may end on a dot); 7. empty: `fallback`.
    public static func sanitised(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        for s in name.precomposedStringWithCanonicalMapping.unicodeScalars {
            out.append(isRefused(s) ? "_" : s)
        }
        var text = String(out)
        while text.contains("..") { text = text.replacingOccurrences(of: "..", with: ".") }
        text = trimmed(text)
        let stem = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
        if reservedDeviceNames.contains(stem.uppercased()) { text = "_" + text }
        let (base, ext) = split(text)
        text = trimmed(trimmed(cut(base, toUTF8: maxUTF8Bytes - ext.utf8.count)) + ext)
        return text.isEmpty ? fallback : text
    }

    /// The `attempt`-th name to try for `safe` (a `sanitised` name): `safe` itself first, then
    /// `stem (2).ext`, `stem (3).ext`…, never longer than `maxUTF8Bytes`.
    public static func candidate(_ safe: String, attempt: Int) -> String {
        guard attempt > 1 else { return safe }
        let (base, ext) = split(safe)
        let suffix = " (\(attempt))"
        return cut(base, toUTF8: maxUTF8Bytes - ext.utf8.count - suffix.utf8.count) + suffix + ext
    }

    private static let reservedDeviceNames: Set<String> = Set(["CON", "PRN", "AUX", "NUL"]
        + (1...9).map { "COM\($0)" } + (1...9).map { "LPT\($0)" })

    private static func isRefused(_ s: Unicode.Scalar) -> Bool {
        if "/\\:<>\"|?*".unicodeScalars.contains(s) { return true }
        switch s.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned: return true
        default: return false
        }
    }

    private static func trimmed(_ text: String) -> String {
        var t = Substring(text)
        while let f = t.first, f == "." || f == " " || f == "-" { t = t.dropFirst() }
        while let l = t.last, l == "." || l == " " { t = t.dropLast() }
        return String(t)
    }

    /// `name` as stem and extension (the last `.` and up to 16 bytes after it, or none).
    private static func split(_ name: String) -> (String, String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        let ext = String(name[dot...])
        guard (2...17).contains(ext.utf8.count) else { return (name, "") }
        return (String(name[..<dot]), ext)
    }

    /// `text` cut on a character boundary to at most `limit` UTF-8 bytes.
    private static func cut(_ text: String, toUTF8 limit: Int) -> String {
        var t = Substring(text)
        while t.utf8.count > max(0, limit) { t = t.dropLast() }
        return String(t)
    }
}

/// A number of bytes in human units, rounded up so that a size above a limit never reads as the
/// limit: «3,1 Mo», «820 ko», «12 octets» in French (decimal units, comma), «3.1 MB» in English.
public enum ByteSize {
    public static func human(_ bytes: Int, _ language: Language) -> String {
        let (unitFr, unitEn, scale): (String, String, Double) = switch bytes {
        case ..<1_000: ("octets", "bytes", 1)
        case ..<1_000_000: ("ko", "kB", 1_000)
        default: ("Mo", "MB", 1_000_000)
        }
        guard scale > 1 else { return "\(bytes) \(language == .fr ? unitFr : unitEn)" }
        let tenths = Int((Double(bytes) * 10 / scale).rounded(.up))
        let number = tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10)\(language == .fr ? "," : ".")\(tenths % 10)"
        return "\(number) \(language == .fr ? unitFr : unitEn)"
    }
}
