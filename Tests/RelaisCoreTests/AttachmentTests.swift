import Foundation
import RelaisCore
import RelaisCrypto
import Testing

/// Attachments (SPEC.md, "Attachments"): the type detected from the bytes, the name a recipient
/// writes whatever the sender named the file, the schema v2 rules and the human sizes.
@Suite("Attachments")
struct AttachmentTests {
    static let pdf = Data("%PDF-1.7\n%\u{E2}\u{E3}\n1 0 obj\n".utf8)
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52])
    static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46])
    static let webp = Data("RIFF".utf8) + Data([0x24, 0, 0, 0]) + Data("WEBPVP8 ".utf8)
    static let heic = Data([0, 0, 0, 0x18]) + Data("ftypheic".utf8) + Data([0, 0, 0, 0])
    static let elf = Data([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0, 0, 0xFF, 0xFE])

    @Test func theTypeComesFromTheBytes() {
        #expect(AttachmentType.detect(Self.pdf) == .pdf)
        #expect(AttachmentType.detect(Self.png) == .png)
        #expect(AttachmentType.detect(Self.jpeg) == .jpeg)
        #expect(AttachmentType.detect(Self.webp) == .webp)
        #expect(AttachmentType.detect(Self.heic) == .heic)
        #expect(AttachmentType.detect(Data("Bonjour, été ✓\n".utf8)) == .text)
        #expect(AttachmentType.detect(Data()) == .text, "an empty file is empty text")
        // Not text: a NUL, invalid UTF-8; not an image: a truncated magic, a RIFF that is not WebP, another ftyp brand.
        #expect(AttachmentType.detect(Data("a\u{0}b".utf8)) == nil)
        #expect(AttachmentType.detect(Data([0x61, 0xC3, 0x28])) == nil)
        #expect(AttachmentType.detect(Self.elf) == nil)
        #expect(AttachmentType.detect(Self.png.prefix(7)) == nil)
        #expect(AttachmentType.detect(Data("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt ".utf8)) == nil)
        #expect(AttachmentType.detect(Data([0, 0, 0, 0x18]) + Data("ftypisom".utf8) + Data([0, 0xFF])) == nil)
        #expect(AttachmentType.detect(Data("%PDX-1.7".utf8)) == .text, "no magic, valid UTF-8: text, whatever the name says")
    }

    @Test func aMismatchIsFlaggedUnlessNothingWasClaimed() {
        #expect(!Referral.Attachment(filename: "a.pdf", mediaType: "application/pdf", data: Self.pdf).typeMismatch)
        #expect(Referral.Attachment(filename: "a.png", mediaType: "image/png", data: Self.pdf).typeMismatch)
        #expect(Referral.Attachment(filename: "a.pdf", mediaType: "application/pdf", data: Self.elf).typeMismatch)
        #expect(Referral.Attachment(filename: "a", mediaType: "application/x-unknown", data: Self.pdf).typeMismatch)
        #expect(!Referral.Attachment(filename: "a.bin", mediaType: "application/octet-stream", data: Self.elf).typeMismatch)
    }

    @Test(arguments: [
        ("../../etc/passwd", "_._etc_passwd"),
        ("a/b", "a_b"),
        ("..", AttachmentName.fallback),
        (".", AttachmentName.fallback),
        ("", AttachmentName.fallback),
        (".bashrc", "bashrc"),
        ("...hidden..pdf", "hidden.pdf"),
        ("rapport\u{202E}fdp.exe", "rapport_fdp.exe"),
        ("a\u{2066}b\u{200F}c.txt", "a_b_c.txt"),
        ("nul\u{0}byte.pdf", "nul_byte.pdf"),
        ("deux\nlignes\r.txt", "deux_lignes_.txt"),
        ("esc\u{1B}[31mred.txt", "esc_[31mred.txt"),
        ("C:\\x", "C__x"),
        ("\\\\server\\share\\f.pdf", "__server_share_f.pdf"),
        ("CON", "_CON"),
        ("com1.txt", "_com1.txt"),
        ("-rf", "rf"),
        ("  espace .pdf. ", "espace.pdf"),
        ("e\u{301}te\u{301}.txt", "été.txt"),
        ("bilan santé.pdf", "bilan santé.pdf"),
    ])
    func hostileNamesBecomeOnePlainName(name: String, expected: String) {
        let safe = AttachmentName.sanitised(name)
        #expect(safe == expected)
        Self.expectPlain(safe)
    }

    @Test func longNamesAreCutKeepingTheExtension() {
        let long = String(repeating: "a", count: 300) + ".pdf"
        let safe = AttachmentName.sanitised(long)
        #expect(safe.utf8.count == AttachmentName.maxUTF8Bytes && safe.hasSuffix(".pdf"))
        // Multi-byte characters are never split.
        let accents = AttachmentName.sanitised(String(repeating: "é", count: 300))
        #expect(accents.utf8.count <= AttachmentName.maxUTF8Bytes && accents.utf8.count >= AttachmentName.maxUTF8Bytes - 1)
        #expect(accents.allSatisfy { $0 == "é" })
        // A long extension is not one: the name is cut like any other.
        let odd = AttachmentName.sanitised("x." + String(repeating: "y", count: 300))
        #expect(odd.utf8.count == AttachmentName.maxUTF8Bytes)
        for name in [long, String(repeating: "é", count: 300), String(repeating: "../", count: 100)] { Self.expectPlain(AttachmentName.sanitised(name)) }
    }

    @Test func candidatesNeverOverwriteAndStayBounded() {
        #expect(AttachmentName.candidate("bilan.pdf", attempt: 1) == "bilan.pdf")
        #expect(AttachmentName.candidate("bilan.pdf", attempt: 2) == "bilan (2).pdf")
        #expect(AttachmentName.candidate("notes", attempt: 3) == "notes (3)")
        let long = AttachmentName.sanitised(String(repeating: "b", count: 300) + ".png")
        let second = AttachmentName.candidate(long, attempt: 2)
        #expect(second.utf8.count <= AttachmentName.maxUTF8Bytes && second.hasSuffix(" (2).png"))
    }

    /// One plain name: no separator, no `..`, no leading dot, no control or format character, bounded.
    static func expectPlain(_ name: String) {
        #expect(!name.isEmpty && name.utf8.count <= AttachmentName.maxUTF8Bytes)
        #expect(!name.contains("/") && !name.contains("\\") && !name.contains("..") && !name.hasPrefix("."))
        #expect(!name.unicodeScalars.contains { [.control, .format, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory) })
    }

    @Test func schemaV2RefusesWhatAReaderCouldNotSaveOrCheck() throws {
        var r = ReferralV2Tests.base()
        r.attachments = [.init(filename: "bilan.pdf", mediaType: "application/pdf", data: Self.pdf)]
        try r.validate()
        #expect(r.dataCategories == [.situation], "an attachment is the person's situation (SPEC.md, Data categories)")
        var bad = r
        bad.attachments[0].filename = ""
        #expect(throws: ReferralError.invalid("attachments[0].filename: 1 to 255 characters")) { try bad.validate() }
        bad.attachments[0].filename = String(repeating: "n", count: 256)
        #expect(throws: ReferralError.self) { try bad.validate() }
        bad = r
        bad.attachments[0].mediaType = "application/x-msdownload"
        #expect(throws: ReferralError.self) { try bad.validate() }
        bad = r
        bad.attachments = [.init(filename: "a.bin", mediaType: "application/octet-stream",
                                 data: Data(count: Referral.Attachment.maxTotalBytes - 9)), r.attachments[0]]
        #expect(throws: ReferralError.self) { try bad.validate() }
        bad.attachments[0].data = Data(count: Referral.Attachment.maxTotalBytes - Self.pdf.count)
        try bad.validate()
        // Schema v1 is read as it was.
        let v1 = try ReferralV2Tests.vectorReferral("success-one-recipient")
        var old = v1
        old.attachments = [.init(filename: "", mediaType: "x/y", data: Data())]
        try old.validate()
    }

    @Test func sizesReadInHumanUnitsRoundedUp() {
        #expect(ByteSize.human(3_000_000, .fr) == "3 Mo")
        #expect(ByteSize.human(3_000_001, .fr) == "3,1 Mo")
        #expect(ByteSize.human(3_000_001, .en) == "3.1 MB")
        #expect(ByteSize.human(820_000, .fr) == "820 ko")
        #expect(ByteSize.human(1_500, .en) == "1.5 kB")
        #expect(ByteSize.human(12, .fr) == "12 octets")
    }
}

/// `envelope/success-v2-attachments.json`: what a reader makes of each attachment, as pinned.
@Suite("Attachment vector")
struct AttachmentVectorTests {
    @Test func theReaderFindsWhatTheVectorPins() throws {
        let url = protocolVectors.appendingPathComponent("envelope/success-v2-attachments.json")
        let vector = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let expected = try #require(vector["attachments"] as? [[String: Any]])
        let r = try ReferralV2Tests.vectorReferral("success-v2-attachments")
        #expect(r.attachments.count == 3 && expected.count == 3)
        for (a, e) in zip(r.attachments, expected) {
            #expect(a.data.count == e["size"] as? Int)
            #expect(Hex.encode(SHA256.hash(Array(a.data))) == e["sha256"] as? String)
            #expect(a.detectedType?.rawValue == e["detectedType"] as? String)
            #expect(a.typeMismatch == e["typeMismatch"] as? Bool)
            #expect(AttachmentName.sanitised(a.filename) == e["savedAs"] as? String)
        }
        #expect(r.attachments.map(\.typeMismatch) == [false, false, true], "the third is text declared image/png")
        #expect(r.dataCategories == [.situation, .safety])
    }
}
