/// "k of n known witnesses" (SPEC.md, "Witnesses"): a checkpoint is trusted only when at least
/// `required` of `witnesses` cosigned it. The one rule a device applies at each log check.
public struct WitnessPolicy: Hashable, Sendable {
    /// The most witnesses a policy names (each is a signature line; a note holds at most 100).
    public static let maxWitnesses = 32

    public let witnesses: [CosignerKey]
    public let required: Int

    /// - Throws: `AuditLogError.invalidName` unless `1 <= required <= witnesses.count <= 32` and no
    ///   two witnesses share a name or a key (a key serves one name: its message does not sign the name).
    public init(witnesses: [CosignerKey], required: Int) throws(AuditLogError) {
        guard !witnesses.isEmpty, witnesses.count <= Self.maxWitnesses else {
            throw .invalidName("a witness policy names 1 to \(Self.maxWitnesses) witnesses, not \(witnesses.count)")
        }
        guard (1...witnesses.count).contains(required) else {
            throw .invalidName("\(required) cosignatures required of \(witnesses.count) witnesses: require 1 to \(witnesses.count)")
        }
        guard Set(witnesses.map(\.name)).count == witnesses.count, Set(witnesses.map(\.publicKey)).count == witnesses.count else {
            throw .invalidName("two witnesses share a name or a key")
        }
        self.witnesses = witnesses
        self.required = required
    }

    /// Verifies that at least `required` known witnesses cosigned `note` (whose log signature the
    /// caller has verified), and returns the witnesses that did.
    ///
    /// - Throws: `AuditLogError.tooFewCosignatures` when fewer did; the errors of
    ///   `CheckpointNote.cosignatures(by:)` for a known witness's line that is malformed or false.
    @discardableResult
    public func verify(note: String) throws(AuditLogError) -> [CosignerKey] {
        let found = try CheckpointNote(parsing: note).cosignatures(by: witnesses).map(\.key)
        guard found.count >= required else {
            throw .tooFewCosignatures(required: required, got: found.count, witnesses: witnesses.count)
        }
        return found
    }
}
