import Foundation
@testable import RelaisClient
import RelaisCore
import RelaisCrypto
import Testing

/// Issue 16, "The auditor's report as a document": the figures the verifier counts (exchanges
/// per ISO week and kind in local time, findings by rule and organisation), the Markdown and the
/// self-contained HTML written from them, and the HTML as Chromium draws it.
@Suite("Audit report: figures, Markdown and HTML")
struct AuditReportTests {
    static let sender = OrganisationID(bytes: Array(repeating: 0x51, count: 16))!
    static let recipient = OrganisationID(bytes: Array(repeating: 0xA1, count: 16))!
    static let hostile = #"<script>alert(1)</script> & "guillemets" 'apostrophes' <img src=x onerror=alert(2)>"#

    /// Submissions at known instants (Unix seconds), with the kind of cover they name.
    static func log(_ submissions: [(UInt64, ConsentReference.Kind)]) -> [[UInt8]] {
        submissions.enumerated().map { i, s in
            var e = AuditEvent(kind: .envelopeSubmitted, time: s.0)
            e.envelope = EnvelopeID(bytes: Array(repeating: UInt8(i + 1), count: 16))!
            e.organisation = sender
            e.consent = ConsentID(bytes: Array(repeating: 0xC1, count: 16))!
            e.consentKind = s.1.rawValue
            e.recipientOrganisations = [recipient]
            e.expiresAt = s.0 + 86_400
            return e.encoded
        }
    }

    /// Sunday 29 November 2026 23:30 in Paris is still week 48 there; 00:30 on Monday is week 49
    /// (both are week 48 in UTC); 1 January 2027 is in 2026's week 53; week 50 has no exchange.
    static let known: [(UInt64, ConsentReference.Kind)] = [
        (1_795_991_400, .consent),                     // 2026-11-29 22:30 UTC: W48 in Paris
        (1_795_995_000, .consent),                     // 2026-11-29 23:30 UTC: W49 in Paris, W48 in UTC
        (1_796_205_600, .exitProgrammeConsent),        // 2026-12-02: W49
        (1_796_205_700, .childProtectionDeclaration),  // W49
        (1_797_415_200, .consent),                     // 2026-12-16: W51
        (1_798_804_800, .consent),                     // 2027-01-01: 2026-W53
    ]

    @Test func exchangesAreCountedPerLocalIsoWeekAndKind() throws {
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        let report = try LocalDevice.compliance(entries: Self.log(Self.known), purgeInterval: 60, now: 1_800_000_000, timeZone: paris)
        #expect(report.exchangesByWeek == [
            "2026-W48": ["referral": 1],
            "2026-W49": ["referral": 1, "exitProgrammeRequest": 1, "childProtectionReport": 1],
            "2026-W51": ["referral": 1],
            "2026-W53": ["referral": 1],
        ])
        #expect(report.timeZone == "Europe/Paris")
        #expect(report.receivedByOrganisation == [Self.recipient.hex: 6] && report.submissionsByOrganisation == [Self.sender.hex: 6])
        // The consent is not in this log: every submission is a consent-coverage finding of its
        // sender; none was purged, a finding of the relay's (no organisation).
        #expect(report.findings.filter { $0.rule == "consent-coverage" }.count == 6)
        #expect(report.findings.allSatisfy { $0.organisation == ($0.rule == "purged-on-time" ? nil : Self.sender.hex) })
        #expect(report.findings.filter { $0.rule == "purged-on-time" }.count == 6)

        let utc = try LocalDevice.compliance(entries: Self.log(Self.known), purgeInterval: 60, now: 1_800_000_000, timeZone: TimeZone(identifier: "UTC")!)
        #expect(utc.exchangesByWeek["2026-W48"] == ["referral": 2] && utc.exchangesByWeek["2026-W49"]?["referral"] == nil)

        // The document fills the weeks without exchange, and both documents state the same rows.
        let document = AuditReportDocument(report, language: .en)
        #expect(document.weeks == ["2026-W48", "2026-W49", "2026-W50", "2026-W51", "2026-W52", "2026-W53"])
        #expect(document.exchanges[1] == [1, 0, 1, 1] && document.exchanges[2] == [0, 0, 0, 0])
        #expect(document.markdown.contains("| 2026-W49 | 1 | 0 | 1 | 1 | 3 |") && document.markdown.contains("| 2026-W50 | 0 | 0 | 0 | 0 | 0 |"))
        #expect(document.markdown.contains("| consent-coverage | 6 | 6 |"))
        #expect(document.organisations.map(\.id) == [Self.sender.hex, Self.recipient.hex, nil])
        #expect(document.organisations.map(\.findings) == [report.findings.count - 6, 0, 6])
        #expect(document.organisations.map(\.sent) == [6, 0, 0] && document.organisations.map(\.received) == [0, 6, 0])
        #expect(document.html.contains("<td>2026-W49</td><td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">3</td>"))
        // Dates in the report's zone, with its name.
        #expect(document.date(1_795_995_000) == "29 Nov 2026 23:30 (UTC)" || document.date(1_795_995_000) == "30 Nov 2026 00:30 (Europe/Paris)")
        #expect(AuditReportDocument(report, language: .fr).date(1_795_995_000) == "30 nov. 2026 00:30 (Europe/Paris)")
    }

    /// What a browser could fetch or run from the file, in its markup (tags and the style sheet;
    /// escaped text has no `<`): none of it may appear. And no URL at all, even as text.
    static let external = try! NSRegularExpression(
        pattern: #"(?i)(ftp:|file:|data:|//[a-z0-9]|\bsrc\s*=|\bhref\s*=|url\s*\(|@import|@font-face|<script|<link|<img|<iframe|<object|<embed|<image|<use|<base|<form|xmlns|xlink|\bon[a-z]+\s*=)"#)
    static let markup = try! NSRegularExpression(pattern: #"<style>.*?</style>|<[^>]*>"#, options: .dotMatchesLineSeparators)

    static func externalReferences(_ html: String) -> [String] {
        func all(_ re: NSRegularExpression, _ s: String) -> [String] {
            re.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { String(s[Range($0.range, in: s)!]) }
        }
        return all(markup, html).flatMap { all(external, $0) } + all(try! NSRegularExpression(pattern: "(?i)https?:"), html)
    }

    @Test(arguments: [Language.fr, .en]) func theHTMLFetchesNothingAndEscapesAHostileName(language: Language) throws {
        var report = try LocalDevice.compliance(entries: Self.log(Self.known), purgeInterval: 60, now: 1_800_000_000,
                                                timeZone: TimeZone(identifier: "Europe/Paris")!)
        report.organisationNames = [Self.sender.hex: Self.hostile, Self.recipient.hex: "Association « l'Abri » & Cie"]
        report.findings[0].message = "</td></tr></table><script>alert(3)</script>"
        let document = AuditReportDocument(report, language: language)
        let html = document.html
        #expect(Self.externalReferences(html).isEmpty, "\(Self.externalReferences(html))")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;guillemets&quot; &#39;apostrophes&#39; &lt;img src=x onerror=alert(2)&gt;"))
        #expect(html.contains("Association « l&#39;Abri » &amp; Cie"))
        #expect(html.contains("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(3)&lt;/script&gt;"))
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"\(language.rawValue)\">"))
        #expect(html.contains(language == .fr ? "Rapport d&#39;audit Relais" : "Relais audit report"))
        #expect(html.contains(language == .fr ? "Demande de parcours de sortie" : "Exit-programme request"))
        #expect(html.contains("<svg role=\"img\" aria-labelledby=\"weeks-title\"") && html.contains("<svg role=\"img\" aria-labelledby=\"rules-title\""))
        // The Markdown shows the name as text too: nothing a Markdown renderer would read as HTML.
        let markdown = document.markdown
        #expect(!markdown.contains(#"<script>"#) && markdown.contains(#"\<script\>alert(1)\</script\> \& "guillemets""#))
        #expect(markdown.contains(language == .fr ? "# Rapport d'audit Relais" : "# Relais audit report"))
        // The scanner itself sees what it must refuse.
        for bad in ["<img src=\"x.png\">", "<a href=\"#\">", "https://example.org", "<style>p{background:url(x.png)}</style>", "<svg xmlns=\"http://www.w3.org/2000/svg\">", "<p onclick=\"x\">"] {
            #expect(!Self.externalReferences(bad).isEmpty, "\(bad)")
        }
    }
}

/// Headless Chromium (Debian's `chromium`), run as a program: absent, the suite is skipped, unless
/// `RELAIS_REQUIRE_CHROMIUM=1` (CI), which makes its absence a failure.
enum Chromium {
    static let required = ProcessInfo.processInfo.environment["RELAIS_REQUIRE_CHROMIUM"] == "1"
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static var shouldRun: Bool { path != nil || required }

    /// Runs a program to its end (a minute at most), giving its status and standard output.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let r = try runProcess("/usr/bin/timeout", ["120", executable] + arguments)
        return (r.status, r.out, r.err)
    }

    static func headless(_ arguments: [String], profile: String) throws -> (status: Int32, out: String, err: String) {
        let chromium = try #require(path, "RELAIS_REQUIRE_CHROMIUM=1 but chromium is not installed (scripts/install-deps.sh --tests)")
        return try run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile)"] + arguments)
    }

    /// Decodes an 8-bit RGB or RGBA PNG with Python's zlib (no imaging library): width, height,
    /// the number of distinct colours, the pixels that are not white, and whether each of `colours`
    /// (hex, `2b6cb0`) is drawn somewhere.
    static let pngScript = #"""
    import sys, zlib, struct
    data = open(sys.argv[1], 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    pos, idat = 8, b''
    while pos < len(data):
        n, = struct.unpack('>I', data[pos:pos + 4]); kind = data[pos + 4:pos + 8]; body = data[pos + 8:pos + 8 + n]; pos += 12 + n
        if kind == b'IHDR': w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT': idat += body
    assert depth == 8 and ctype in (2, 6) and interlace == 0, (depth, ctype, interlace)
    bpp = 3 if ctype == 2 else 4
    raw, stride, prev, i = zlib.decompress(idat), w * bpp, bytearray(w * bpp), 0
    counts = {}
    for y in range(h):
        f = raw[i]; i += 1
        line = bytearray(raw[i:i + stride]); i += stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp):
            px = bytes(line[x:x + 3]); counts[px] = counts.get(px, 0) + 1
        prev = line
    nonwhite = w * h - counts.get(b'\xff\xff\xff', 0)
    drawn = ' '.join(c for c in sys.argv[2:] if counts.get(bytes.fromhex(c), 0) > 20)
    print(w, h, len(counts), nonwhite, drawn)
    """#

    /// The rows of every table: the cells' text, markup removed and references decoded.
    static func htmlRows(_ html: String) -> [[String]] {
        let row = try! NSRegularExpression(pattern: "<tr[^>]*>(.*?)</tr>", options: .dotMatchesLineSeparators)
        let cell = try! NSRegularExpression(pattern: "<t[hd][^>]*>(.*?)</t[hd]>", options: .dotMatchesLineSeparators)
        let tag = try! NSRegularExpression(pattern: "<[^>]*>")
        func groups(_ re: NSRegularExpression, _ s: String) -> [String] {
            re.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { String(s[Range($0.range(at: 1), in: s)!]) }
        }
        return groups(row, html).map { r in
            groups(cell, r).map { c in
                tag.stringByReplacingMatches(in: c, range: NSRange(c.startIndex..., in: c), withTemplate: "")
                    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
                    .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&amp;", with: "&")
            }
        }
    }

    /// The rows of every Markdown table (separator lines left out), cells unescaped.
    static func markdownRows(_ markdown: String) -> [[String]] {
        markdown.split(separator: "\n").filter { $0.hasPrefix("| ") }.map { line in
            var cells: [String] = [], current = "", escaped = false
            for c in line.dropFirst(2).dropLast(2) {
                if escaped { current.append(c); escaped = false; continue }
                if c == "\\" { escaped = true; continue }
                if c == "|" { cells.append(current.trimmingCharacters(in: .whitespaces)); current = ""; continue }
                current.append(c)
            }
            cells.append(current.trimmingCharacters(in: .whitespaces))
            return cells.map { $0.replacingOccurrences(of: "`", with: "") }
        }
    }
}

/// The report written by the real `relais` binary from a live relay's log, drawn by Chromium.
@Suite("Audit report drawn by headless Chromium", .serialized,
       .enabled(if: Chromium.shouldRun, "chromium is not installed (apt-get install chromium); set RELAIS_REQUIRE_CHROMIUM=1 to fail instead"))
struct AuditReportChromiumTests {
    @Test func theHTMLReportIsDrawnAndStatesTheMarkdownFigures() async throws {
        try await CLITests().withWorld { w in
            let cli = w.cli
            // An association whose name is hostile HTML receives a referral; the other replies to one.
            let hostile = try await cli.ok("op", ["admin", "create-org", "--name", AuditReportTests.hostile, "--category", "specialisedAssociation",
                                                  "--departement", "93", "--json"]).string("organisationId")
            try await cli.enrol("hostile1", by: "op", role: "admin", org: hostile)
            let consent = try await cli.ok("pro", ["consent", "grant", "--case", "CASE-0042", "--to-org", hostile, "--purpose", "emergencyShelter",
                                                   "--purpose", "legalHelp", "--data", "situation", "--data", "safety", "--yes", "--json"]).string("consentId")
            try await cli.ok("pro", CLI.sendArgs(to: hostile, consent: consent))
            let envelope = try await cli.ok("pro", CLI.sendArgs(to: w.association, consent: w.consent)).string("envelopeId")
            try await cli.ok("assoc1", ["open", envelope])
            try await cli.ok("assoc1", ["reply", envelope, "--outcome", "placeOffered", "--text", "Place disponible jeudi.", "--sender-name", "Sam",
                                        "--sender-role", "éducatrice", "--yes", "--json"])
            try await cli.enrol("aud", by: "op", role: "auditor")

            let dir = cli.root + "/report"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let french = ["LANG": "fr_FR.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", "TZ": "Europe/Paris"]
            let md = try await cli.run("aud", ["audit", "report", "--format", "markdown", "--output", dir + "/rapport.md"], environment: french)
            #expect(md.status == 0 && md.out.hasPrefix("Rapport écrit dans \(dir)/rapport.md : "), "\(md.out) \(md.err)")
            let html = try await cli.run("aud", ["audit", "report", "--format", "html", "--out", dir + "/rapport.html", "--json"], environment: french)
            #expect(html.status == 0, "\(html.err)")
            #expect(try html.string("format") == "html")
            let bad = try await cli.run("aud", ["audit", "report", "--format", "pdf", "--out", dir + "/x"], environment: french)
            #expect(bad.status == 64 && !FileManager.default.fileExists(atPath: dir + "/x"), "an unknown format is a usage error")
            let markdown = try String(contentsOfFile: dir + "/rapport.md", encoding: .utf8)
            let page = try String(contentsOfFile: dir + "/rapport.html", encoding: .utf8)
            #expect(markdown.hasPrefix("# Rapport d'audit Relais") && page.contains("<html lang=\"fr\">"))
            #expect(AuditReportTests.externalReferences(page).isEmpty, "\(AuditReportTests.externalReferences(page))")
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.contains("<script"))

            // Chromium draws it: not blank, and the chart's colours are there.
            let profile = cli.root + "/chromium"
            let shot = try Chromium.headless(["--hide-scrollbars", "--screenshot=\(dir)/rapport.png", "--window-size=1200,1600",
                                              "file://\(dir)/rapport.html"], profile: profile)
            #expect(shot.status == 0, "\(shot.err)")
            let colours = ["2b6cb0", "2f855a"]  // referral, answer
            let decoded = try Chromium.run("/usr/bin/env", ["python3", "-c", Chromium.pngScript, dir + "/rapport.png"] + colours)
            try #require(decoded.status == 0, "\(decoded.err)")
            let figures = decoded.out.split(whereSeparator: \.isWhitespace).map(String.init)
            try #require(figures.count >= 4, "\(decoded.out)")
            #expect(figures[0] == "1200" && figures[1] == "1600")
            #expect(Int(figures[2])! > 16, "a blank page has one colour, text a few: \(decoded.out)")
            #expect(Int(figures[3])! > 20_000, "most of the page is white, not all of it: \(decoded.out)")
            #expect(Array(figures.dropFirst(4)) == colours, "the bars of both kinds are drawn: \(decoded.out)")

            // What Chromium parsed states the Markdown's figures, table by table, row by row.
            let dom = try Chromium.headless(["--dump-dom", "file://\(dir)/rapport.html"], profile: profile)
            #expect(dom.status == 0, "\(dom.err)")
            #expect(!dom.out.contains("<script") && !dom.out.contains("<img"), "the hostile name stayed text")
            let htmlRows = Chromium.htmlRows(dom.out), markdownRows = Chromium.markdownRows(markdown)
            #expect(!markdownRows.isEmpty && htmlRows == markdownRows,
                    "\(htmlRows.filter { !markdownRows.contains($0) }) against \(markdownRows.filter { !htmlRows.contains($0) })")
            // The exchanges: two referrals and one answer, in this week, in both.
            let weeks = markdownRows.drop { $0.first != "semaine" }.dropFirst().prefix { $0.first?.contains("-W") == true }
            #expect(weeks.reduce(0) { $0 + Int($1[1])! } == 2 && weeks.reduce(0) { $0 + Int($1[2])! } == 1, "\(markdownRows)")
            #expect(markdownRows.contains { $0.first == AuditReportTests.hostile && $0.suffix(3) == ["0", "1", "0"] }, "\(markdownRows)")
            for week in weeks where week[1] != "0" {
                #expect(dom.out.contains("\(week[0]) · Orientation : \(week[1])"), "each bar carries its figure: \(week)")
            }
        }
    }
}
