import Foundation
import RelaisCore
import Testing

/// SPEC.md, "Audit log entries": the table of each kind's members names every kind once, and only
/// members the format has.
@Suite struct AuditEntryTableTests {
    @Test func theTableNamesEveryKindOnceAndOnlyRealMembers() throws {
        let spec = try String(contentsOf: packageRoot.appendingPathComponent("Protocol/SPEC.md"), encoding: .utf8)
        let header = "| kind | members | `record` is, signed by |"
        let start = try #require(spec.range(of: header)).upperBound
        let rows = spec[start...].split(separator: "\n").dropFirst().prefix { $0.hasPrefix("| `") }
        var kinds: [String] = []
        var members = Set<String>()
        for row in rows {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            kinds.append(cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`")))
            // Backquoted words of the members column, up to its parenthesised remarks' own words.
            let column = cells[1].replacingOccurrences(of: #"\([^)]*\)"#, with: "", options: .regularExpression)
            for m in column.split(separator: "`", omittingEmptySubsequences: false).enumerated() where m.offset % 2 == 1 { members.insert(String(m.element)) }
        }
        #expect(kinds.sorted() == AuditEvent.Kind.allCases.map(\.rawValue).sorted(), "one row per kind of AuditEvent.Kind")
        #expect(Set(kinds).count == kinds.count)
        let every = AuditEvent(kind: .organisationPut, time: 0)
        let names = Set(Mirror(reflecting: every).children.compactMap(\.label))
        #expect(members.count >= 15)
        #expect(members.isSubset(of: names), "not members of AuditEvent: \(members.subtracting(names).sorted())")
    }
}
