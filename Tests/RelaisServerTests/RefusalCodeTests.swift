import Foundation
import RelaisAPI
import RelaisCore
import RelaisServer
import Testing

/// Every refusal the relay sends is in the contract: `RelayError.documented` lists each (status,
/// code); the contract's `ErrorCode` enum (generated from Protocol/openapi.yaml) has exactly its
/// codes, SPEC.md's table exactly its pairs, and the relay's sources use no code or status outside it.
@Suite struct RefusalCodeTests {
    static let documented = Set(RelayError.documented)

    /// The statuses `RelayError` is built with in the sources, by name.
    static let statuses = [
        "badRequest": 400, "unauthorized": 401, "forbidden": 403, "notFound": 404, "methodNotAllowed": 405, "conflict": 409,
        "contentTooLarge": 413, "tooLarge": 413, "unprocessable": 422, "unprocessableContent": 422, "tooManyRequests": 429,
        "serviceUnavailable": 503,
    ]

    /// The (status, code) pairs written in the relay's sources, and the refusals whose code is not
    /// a literal there.
    static func scanSources() throws -> (pairs: Set<RelayError.Documented>, dynamic: [String]) {
        let folder = packageRoot.appendingPathComponent("Sources/RelaisServer")
        let patterns: [(NSRegularExpression, (String, String) -> RelayError.Documented?)] = [
            // RelayError.forbidden("code", …), RelayError(.tooManyRequests, "code", …), .init(.notFound, "code", …)
            // (`RelayError.notFound("device")` names the object; its code is always `not_found`.)
            (try NSRegularExpression(pattern: #"RelayError\.(\w+)\(\s*"([a-z_]+)""#),
             { s, c in s == "notFound" ? .init(status: 404, code: "not_found") : statuses[s].map { .init(status: $0, code: c) } }),
            (try NSRegularExpression(pattern: #"(?:RelayError|\.init)\(\.(\w+),\s*"([a-z_]+)""#), { s, c in statuses[s].map { .init(status: $0, code: c) } }),
            // A signed object that does not verify is a 400 with the code given here.
            (try NSRegularExpression(pattern: #"verifiedFromCaller\((\w+),\s*"([a-z_]+)""#), { _, c in .init(status: 400, code: c) }),
        ]
        let dynamic = try NSRegularExpression(pattern: #"RelayError(?:\.(\w+))?\((?!\s*")(?!\s*\.\w+,\s*")([^,)]*)"#)
        var pairs = Set<RelayError.Documented>(), dynamicSites: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            func group(_ m: NSTextCheckingResult, _ i: Int) -> String { Range(m.range(at: i), in: text).map { String(text[$0]) } ?? "" }
            for (regex, pair) in patterns {
                for m in regex.matches(in: text, range: range) {
                    let status = group(m, 1), code = group(m, 2)
                    let found = pair(status, code)
                    #expect(found != nil, "\(name): a refusal with status \(status) that this test does not know")
                    if let found { pairs.insert(found) }
                }
            }
            for m in dynamic.matches(in: text, range: range) {
                switch group(m, 1) {
                case "tooLarge": pairs.insert(.init(status: 413, code: "too_large"))
                case "notFound": pairs.insert(.init(status: 404, code: "not_found"))
                case let method: dynamicSites.append("\(name): \(method)(\(group(m, 2))")
                }
            }
        }
        return (pairs, dynamicSites)
    }

    @Test func theContractsEnumHasEveryCodeTheRelaySends() {
        #expect(RelayError.documented.count == Self.documented.count, "a pair is listed twice")
        let contract = Set(Components.Schemas.ErrorCode.allCases.map(\.rawValue))
        #expect(contract == Set(RelayError.documented.map(\.code)),
                "Protocol/openapi.yaml ErrorCode and RelayError.documented differ: \(contract.symmetricDifference(RelayError.documented.map(\.code)).sorted())")
    }

    @Test func theSourcesUseNoUndocumentedRefusal() throws {
        let (pairs, dynamic) = try Self.scanSources()
        #expect(pairs.count >= 50, "the scan found too few refusals: the patterns no longer match the sources")
        let missing = pairs.subtracting(Self.documented)
        #expect(missing.isEmpty, "used by the relay, missing from RelayError.documented: \(missing.map { "\($0.status) \($0.code)" }.sorted())")
        // Two refusals take their code from elsewhere: a signed object that does not verify (the
        // code given to verifiedFromCaller, scanned above) and a cover refusal (CoverPolicy.Code).
        #expect(dynamic == ["Relay+Consents.swift: forbidden(code.rawValue", "Relay.swift: badRequest(code"],
                "a refusal whose code is not a literal: list its codes in RelayError.documented and here")
        let cover = Set(CoverPolicy.Code.allCases.map { RelayError.Documented(status: 403, code: $0.rawValue) })
        #expect(cover.isSubset(of: Self.documented))
        // Nothing documented that the relay never sends.
        let unused = Self.documented.subtracting(pairs).subtracting(cover)
        #expect(unused.isEmpty, "documented but sent nowhere: \(unused.map { "\($0.status) \($0.code)" }.sorted())")
    }

    @Test func specListsEveryPairInItsTable() throws {
        let spec = try String(contentsOf: packageRoot.appendingPathComponent("Protocol/SPEC.md"), encoding: .utf8)
        let table = try #require(spec.range(of: "### Errors and refusal codes")).upperBound
        let rows = try NSRegularExpression(pattern: #"^\| (\d{3}) \| ((?:`[a-z_]+`(?:, )?)+) \|"#, options: .anchorsMatchLines)
        let after = spec[table...]
        let end = after.range(of: "\n## ")?.lowerBound ?? after.endIndex
        let section = String(after[..<end])
        var listed = Set<RelayError.Documented>()
        for m in rows.matches(in: section, range: NSRange(section.startIndex..., in: section)) {
            let status = Int(section[Range(m.range(at: 1), in: section)!])!
            for code in section[Range(m.range(at: 2), in: section)!].split(separator: ",") {
                listed.insert(.init(status: status, code: code.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`"))))
            }
        }
        #expect(listed == Self.documented,
                "SPEC.md's table and RelayError.documented differ: \(listed.symmetricDifference(Self.documented).map { "\($0.status) \($0.code)" }.sorted())")
    }
}
