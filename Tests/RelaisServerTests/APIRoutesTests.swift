import Foundation
import HTTPTypes
import RelaisAPI
import RelaisCore
@testable import RelaisServer
import Testing

/// `APIRoutes` (the 405 table) must list exactly the paths and methods of Protocol/openapi.yaml.
@Suite struct APIRoutesTests {
    @Test func theTableMatchesTheContract() throws {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("Protocol/openapi.yaml"), encoding: .utf8)
        var contract: [String: Set<String>] = [:]
        var path: String?
        var inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, let first = line.first, first != " " { break }  // the next top-level key
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let p = path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "delete", "patch"].contains(method) { contract[p, default: []].insert(method.uppercased()) }
            }
        }
        #expect(contract.count >= 20, "the contract's paths were not found")
        // Both sides as "/v1/devices/{1}/record": parameters numbered, whatever their names.
        func template(_ segments: [Substring]) -> String {
            var n = 0
            return "/" + segments.map { s -> String in
                guard s.hasPrefix("{") else { return String(s) }
                n += 1
                return "{\(n)}"
            }.joined(separator: "/")
        }
        var table: [String: Set<String>] = [:]
        for route in APIRoutes.methods {
            table[template(route.segments.map { Substring($0) }), default: []].formUnion(route.methods.map(\.rawValue))
        }
        let normalised = Dictionary(uniqueKeysWithValues: contract.map { (template($0.key.split(separator: "/")), $0.value) })
        #expect(table == normalised)
        #expect(APIRoutes.allowed("/v1/envelopes/abc/ack")?.map(\.rawValue) == ["POST"])
        #expect(APIRoutes.allowed("/v1/envelopes//ack") == nil, "an empty segment is no id")
        #expect(APIRoutes.allowed("/v1/nope") == nil)
    }

    /// The contract's `PartnerCategory` enum is RelaisCore's, value for value: the relay maps one
    /// to the other (`RelayAPI.listOrganisations`).
    @Test func theCategoriesMatchTheContract() {
        let generated = Components.Schemas.PartnerCategory.allCases.map(\.rawValue)
        #expect(generated == PartnerCategory.allCases.map(\.rawValue))
    }
}
