import Foundation
import RelaisCore

/// The audit report as one self-contained HTML file (issue 16): inline CSS and inline SVG charts,
/// no script, and no reference to anything outside the file (no URL, font, image or style sheet
/// to fetch; the Content-Security-Policy forbids them too). Every text from the log or the
/// directory (an organisation's name is the operator's choice) is escaped.
extension AuditReportDocument {
    public var html: String {
        var h = """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.escape(title))</title>
        <style>\(Self.css)</style>
        </head>
        <body>
        <h1>\(Self.escape(title))</h1>
        <p class="verdict \(compliant ? "ok" : "bad")">\(Self.escape(verdict))</p>
        <section id="verification"><h2>\(Self.escape(t(.verification)))</h2>
        <dl>
        """
        for (label, value) in summary { h += "<dt>\(Self.escape(label))</dt><dd>\(Self.escape(value))</dd>\n" }
        h += "</dl></section>\n"
        h += "<section id=\"exchanges\"><h2>\(Self.escape(weekTable.title))</h2>\n\(weekChart)\n\(table(weekTable))</section>\n"
        h += "<section id=\"findings-by-rule\"><h2>\(Self.escape(ruleTable.title))</h2>\n\(ruleChart)\n\(table(ruleTable))</section>\n"
        h += "<section id=\"by-organisation\"><h2>\(Self.escape(organisationTable.title))</h2>\n\(table(organisationTable))</section>\n"
        h += "<section id=\"invites\"><h2>\(Self.escape(inviteTable.title))</h2>\n<p>\(Self.escape(invitesLine))</p>\n"
        if !report.outstandingInvites.isEmpty { h += table(inviteTable) }
        h += "</section>\n<section id=\"events\"><h2>\(Self.escape(eventTable.title))</h2>\n\(table(eventTable))</section>\n"
        h += "<section id=\"findings\"><h2>\(Self.escape(findingTable.title))</h2>\n"
        h += report.findings.isEmpty ? "<p>\(Self.escape(t(.none)))</p>\n" : table(findingTable)
        h += "</section>\n<footer><p>\(Self.escape(privacyNote))</p></footer>\n</body>\n</html>\n"
        return h
    }

    /// Text for HTML or SVG content and attribute values: `& < > " '` as references, control
    /// characters (none is valid in a name, but the renderer does not rely on it) dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out += " "
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    func table(_ t: Table) -> String {
        let numeric = Set(t.headers.indices.filter { i in !t.rows.isEmpty && t.rows.allSatisfy { Int($0[i]) != nil } })
        var h = "<table id=\"table-\(t.id)\">\n<thead><tr>"
        for (i, header) in t.headers.enumerated() { h += "<th\(numeric.contains(i) ? " class=\"n\"" : "")>\(Self.escape(header))</th>" }
        h += "</tr></thead>\n<tbody>\n"
        for row in t.rows {
            h += "<tr>"
            for (i, cell) in row.enumerated() {
                let text = Self.escape(cell)
                h += numeric.contains(i) ? "<td class=\"n\">\(text)</td>" : t.codeColumns.contains(i) && cell != "–" ? "<td><code>\(text)</code></td>" : "<td>\(text)</td>"
            }
            h += "</tr>\n"
        }
        return h + "</tbody>\n</table>\n"
    }

    // MARK: Charts

    static let colours: [AuditReport.ExchangeKind: String] = [
        .referral: "#2b6cb0", .answer: "#2f855a", .exitProgrammeRequest: "#805ad5", .childProtectionReport: "#c53030",
    ]

    /// The smallest of 1, 2, 5 × 10ⁿ at least `maximum / 5`, and the top of the axis (a multiple of it).
    static func scale(_ maximum: Int) -> (step: Int, top: Int) {
        let target = max(1, Int((Double(max(maximum, 1)) / 5).rounded(.up)))
        var step = 1
        while true {
            if step >= target { break }
            if step * 2 >= target { step *= 2; break }
            if step * 5 >= target { step *= 5; break }
            step *= 10
        }
        return (step, max(step, Int((Double(max(maximum, 1)) / Double(step)).rounded(.up)) * step))
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }

    /// Stacked bars: one per week, one colour per kind, with the y axis, the weeks, and a legend.
    var weekChart: String {
        let width = 960.0, height = 400.0, left = 56.0, right = 16.0, top = 48.0, bottom = 84.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let totals = exchanges.map { $0.reduce(0, +) }
        let (step, maximum) = Self.scale(totals.max() ?? 0)
        let chartTitle = t(.weeksChartTitle)
        var s = "<svg role=\"img\" aria-labelledby=\"weeks-title\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" class=\"chart\">\n"
        s += "<title id=\"weeks-title\">\(Self.escape(chartTitle))</title>\n"
        // The legend, in the kinds' order.
        var x = left
        for kind in kinds {
            s += "<rect x=\"\(Self.f(x))\" y=\"10\" width=\"14\" height=\"14\" fill=\"\(Self.colours[kind]!)\"/>"
            s += "<text x=\"\(Self.f(x + 20))\" y=\"22\" class=\"legend\">\(Self.escape(label(kind)))</text>\n"
            x += 40 + Double(label(kind).count) * 7
        }
        // The y axis: grid lines and counts.
        for value in stride(from: 0, through: maximum, by: step) {
            let y = top + plotHeight - plotHeight * Double(value) / Double(maximum)
            s += "<line x1=\"\(Self.f(left))\" y1=\"\(Self.f(y))\" x2=\"\(Self.f(width - right))\" y2=\"\(Self.f(y))\" class=\"grid\"/>"
            s += "<text x=\"\(Self.f(left - 6))\" y=\"\(Self.f(y + 4))\" class=\"tick\" text-anchor=\"end\">\(value)</text>\n"
        }
        s += "<text x=\"14\" y=\"\(Self.f(top + plotHeight / 2))\" class=\"axis\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(Self.f(top + plotHeight / 2)))\">\(Self.escape(t(.exchangesAxis)))</text>\n"
        s += "<text x=\"\(Self.f(left + plotWidth / 2))\" y=\"\(Self.f(height - 6))\" class=\"axis\" text-anchor=\"middle\">\(Self.escape(t(.weekAxis(zone: zone.identifier))))</text>\n"
        if weeks.isEmpty {
            s += "<text x=\"\(Self.f(left + plotWidth / 2))\" y=\"\(Self.f(top + plotHeight / 2))\" class=\"axis\" text-anchor=\"middle\">\(Self.escape(t(.noExchange)))</text>\n"
        }
        let band = plotWidth / Double(max(weeks.count, 1)), barWidth = max(1, min(band * 0.7, 64))
        let every = max(1, Int((Double(weeks.count) / 26).rounded(.up)))
        for (w, week) in weeks.enumerated() {
            let bx = left + band * Double(w) + (band - barWidth) / 2
            var y = top + plotHeight
            for (k, kind) in kinds.enumerated() where exchanges[w][k] > 0 {
                let h = plotHeight * Double(exchanges[w][k]) / Double(maximum)
                y -= h
                s += "<rect x=\"\(Self.f(bx))\" y=\"\(Self.f(y))\" width=\"\(Self.f(barWidth))\" height=\"\(Self.f(h))\" fill=\"\(Self.colours[kind]!)\">"
                s += "<title>\(Self.escape("\(week) · \(label(kind)) : \(exchanges[w][k])"))</title></rect>\n"
            }
            if w % every == 0 {
                let lx = left + band * Double(w) + band / 2, ly = top + plotHeight + 14
                s += "<text x=\"\(Self.f(lx))\" y=\"\(Self.f(ly))\" class=\"tick\" text-anchor=\"end\" transform=\"rotate(-45 \(Self.f(lx)) \(Self.f(ly)))\">\(Self.escape(week))</text>\n"
            }
        }
        s += "<line x1=\"\(Self.f(left))\" y1=\"\(Self.f(top + plotHeight))\" x2=\"\(Self.f(width - right))\" y2=\"\(Self.f(top + plotHeight))\" class=\"axisline\"/>"
        s += "<line x1=\"\(Self.f(left))\" y1=\"\(Self.f(top))\" x2=\"\(Self.f(left))\" y2=\"\(Self.f(top + plotHeight))\" class=\"axisline\"/>\n"
        return s + "</svg>"
    }

    /// Horizontal bars: the findings of each rule, with its count of checks beside it.
    var ruleChart: String {
        let width = 960.0, left = 260.0, right = 120.0, top = 40.0, row = 28.0, bottom = 40.0
        let height = top + row * Double(max(rules.count, 1)) + bottom
        let plotWidth = width - left - right
        let (step, maximum) = Self.scale(rules.map(\.findings).max() ?? 0)
        let chartTitle = t(.rulesChartTitle)
        var s = "<svg role=\"img\" aria-labelledby=\"rules-title\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" class=\"chart\">\n"
        s += "<title id=\"rules-title\">\(Self.escape(chartTitle))</title>\n"
        s += "<rect x=\"\(Self.f(left))\" y=\"10\" width=\"14\" height=\"14\" class=\"finding\"/><text x=\"\(Self.f(left + 20))\" y=\"22\" class=\"legend\">\(Self.escape(t(.rulesLegend)))</text>\n"
        let bottomY = top + row * Double(max(rules.count, 1))
        for value in stride(from: 0, through: maximum, by: step) {
            let x = left + plotWidth * Double(value) / Double(maximum)
            s += "<line x1=\"\(Self.f(x))\" y1=\"\(Self.f(top))\" x2=\"\(Self.f(x))\" y2=\"\(Self.f(bottomY))\" class=\"grid\"/>"
            s += "<text x=\"\(Self.f(x))\" y=\"\(Self.f(bottomY + 16))\" class=\"tick\" text-anchor=\"middle\">\(value)</text>\n"
        }
        s += "<text x=\"\(Self.f(left + plotWidth / 2))\" y=\"\(Self.f(height - 4))\" class=\"axis\" text-anchor=\"middle\">\(Self.escape(t(.findingsAxis)))</text>\n"
        if rules.isEmpty {
            s += "<text x=\"\(Self.f(left))\" y=\"\(Self.f(top + 18))\" class=\"axis\">\(Self.escape(t(.noRule)))</text>\n"
        }
        for (i, r) in rules.enumerated() {
            let y = top + row * Double(i)
            let w = plotWidth * Double(r.findings) / Double(maximum)
            s += "<text x=\"\(Self.f(left - 8))\" y=\"\(Self.f(y + row / 2 + 4))\" class=\"tick\" text-anchor=\"end\">\(Self.escape(r.rule))</text>"
            s += "<rect x=\"\(Self.f(left))\" y=\"\(Self.f(y + 5))\" width=\"\(Self.f(w))\" height=\"\(Self.f(row - 10))\" class=\"\(r.findings > 0 ? "finding" : "clean")\">"
            s += "<title>\(Self.escape("\(r.rule) : \(r.findings) / \(r.checked)"))</title></rect>"
            s += "<text x=\"\(Self.f(left + w + 6))\" y=\"\(Self.f(y + row / 2 + 4))\" class=\"tick\">\(r.findings) (\(r.checked))</text>\n"
        }
        s += "<line x1=\"\(Self.f(left))\" y1=\"\(Self.f(top))\" x2=\"\(Self.f(left))\" y2=\"\(Self.f(bottomY))\" class=\"axisline\"/>\n"
        return s + "</svg>"
    }

    static let css = """
    body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:#1a202c;background:#fff;margin:2rem auto;max-width:1000px;padding:0 1rem;line-height:1.4}
    h1{font-size:1.6rem;margin-bottom:.3rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #cbd5e0;padding-bottom:.2rem}
    .verdict{font-weight:bold;padding:.5rem .8rem;border-radius:4px}.verdict.ok{background:#e6fffa;color:#234e52}.verdict.bad{background:#fff5f5;color:#742a2a}
    dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:bold}dd{margin:0;word-break:break-all}
    table{border-collapse:collapse;margin:.8rem 0;font-size:.9rem}th,td{border:1px solid #cbd5e0;padding:.25rem .5rem;text-align:left;vertical-align:top}
    th{background:#edf2f7}.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.85em;word-break:break-all}
    svg.chart{max-width:100%;height:auto;display:block;margin:.5rem 0}
    .grid{stroke:#e2e8f0;stroke-width:1}.axisline{stroke:#4a5568;stroke-width:1}
    .tick{font-size:11px;fill:#2d3748}.axis{font-size:12px;fill:#2d3748}.legend{font-size:12px;fill:#1a202c}
    .finding{fill:#c53030}.clean{fill:#a0aec0}
    footer{margin-top:2rem;font-size:.85rem;color:#4a5568}
    """
}
