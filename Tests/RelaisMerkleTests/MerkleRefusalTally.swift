import RelaisCore
import Testing

/// Counts altered inputs that must be refused and records those that were not, so that a suite
/// can try tens of thousands of alterations and report them in one expectation.
struct MerkleRefusalTally {
    private(set) var checked = 0
    private(set) var accepted: [String] = []

    /// Runs `body`, which must throw.
    mutating func refuse(_ what: @autoclosure () -> String, _ body: () throws(AuditLogError) -> Void) {
        checked += 1
        if MerkleTestSupport.outcome(body) == nil { accepted.append(what()) }
    }

    /// Fails when any alteration verified, or when fewer than `minimum` were tried.
    func finish(atLeast minimum: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(accepted.isEmpty, "\(accepted.count) of \(checked) altered inputs verified: \(accepted.prefix(20))",
                sourceLocation: sourceLocation)
        #expect(checked >= minimum, "only \(checked) alterations tried, expected at least \(minimum)", sourceLocation: sourceLocation)
    }
}
