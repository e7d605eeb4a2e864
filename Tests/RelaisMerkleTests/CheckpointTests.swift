import RelaisCore
import Testing

/// The checkpoint body (c2sp.org/tlog-checkpoint): exact text, strict parsing.
@Suite("Checkpoint body")
struct CheckpointTests {
    static let root = MerkleTestSupport.hex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
    static let rootBase64 = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="

    @Test("body is origin, decimal size and base64 root, one per line")
    func body() throws {
        let checkpoint = try Checkpoint(origin: "relais.example/log", size: 8, root: Self.root)
        #expect(checkpoint.body == "relais.example/log\n8\n\(Self.rootBase64)\n")
        #expect(checkpoint.extensionLines.isEmpty)
        #expect(try Checkpoint(parsingBody: checkpoint.body) == checkpoint)
        let empty = try Checkpoint(origin: "o", size: 0, root: MerkleHashing.emptyRoot)
        #expect(empty.body == "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
        #expect(try Checkpoint(parsingBody: empty.body) == empty)
        let largest = try Checkpoint(origin: "o", size: .max, root: Self.root)
        #expect(try Checkpoint(parsingBody: largest.body).size == .max)
    }

    @Test("extension lines are read and kept, so the body is the exact signed text")
    func extensionLines() throws {
        let text = "relais.example/log\n8\n\(Self.rootBase64)\nextension one\n— two\n"
        let checkpoint = try Checkpoint(parsingBody: text)
        #expect(checkpoint.extensionLines == ["extension one", "— two"])
        #expect(checkpoint.body == text)
    }

    @Test("init refuses an empty origin, control characters and roots that are not 32 bytes")
    func invalidInit() {
        #expect(throws: AuditLogError.self) { try Checkpoint(origin: "", size: 1, root: Self.root) }
        #expect(throws: AuditLogError.self) { try Checkpoint(origin: "a\nb", size: 1, root: Self.root) }
        #expect(throws: AuditLogError.self) { try Checkpoint(origin: "a\tb", size: 1, root: Self.root) }
        #expect(throws: AuditLogError.invalidHashLength(what: "checkpoint root", expected: 32, got: 31)) {
            try Checkpoint(origin: "o", size: 1, root: Array(Self.root.dropLast()))
        }
    }

    static let malformed: [(text: String, why: String)] = [
        ("relais.example/log\n8\n\(rootBase64)", "no final newline"),
        ("relais.example/log\n8\n", "two lines"),
        ("", "empty"),
        ("\n8\n\(rootBase64)\n", "empty origin"),
        ("relais.example/log\n08\n\(rootBase64)\n", "leading zero"),
        ("relais.example/log\n+8\n\(rootBase64)\n", "sign"),
        ("relais.example/log\n-1\n\(rootBase64)\n", "negative"),
        ("relais.example/log\n 8\n\(rootBase64)\n", "space before size"),
        ("relais.example/log\n8 \n\(rootBase64)\n", "space after size"),
        ("relais.example/log\n\n\(rootBase64)\n", "empty size"),
        ("relais.example/log\n0x8\n\(rootBase64)\n", "hex size"),
        ("relais.example/log\n١\n\(rootBase64)\n", "non-ASCII digit"),
        ("relais.example/log\n18446744073709551616\n\(rootBase64)\n", "size 2^64"),
        ("relais.example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n", "unpadded root"),
        ("relais.example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n", "non-canonical root"),
        ("relais.example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=\n", "URL-safe base64"),
        ("relais.example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQw==\n", "31-byte root"),
        ("relais.example/log\n8\n\(rootBase64)AAAA\n", "35-byte root"),
        ("relais.example/log\n8\n\(rootBase64)\n\n", "empty extension line"),
        ("relais.example/log\r\n8\r\n\(rootBase64)\r\n", "CRLF"),
        ("relais.example/log\n8\n\(rootBase64)\nbad\tline\n", "tab in an extension line"),
        ("relais\u{0}example/log\n8\n\(rootBase64)\n", "NUL in the origin"),
    ]

    @Test("malformed bodies are refused", arguments: malformed)
    func malformedBody(_ example: (text: String, why: String)) {
        #expect(throws: AuditLogError.self, "\(example.why)") { try Checkpoint(parsingBody: example.text) }
        if case .malformedCheckpoint? = MerkleTestSupport.outcome({ () throws(AuditLogError) in _ = try Checkpoint(parsingBody: example.text) }) {
        } else {
            Issue.record("\(example.why): not reported as malformedCheckpoint")
        }
    }
}
