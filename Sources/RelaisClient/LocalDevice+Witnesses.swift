public import RelaisCore

/// The witnesses a device requires (SPEC.md, "Witnesses"): `relais config --witness KEY …
/// --witnesses-required K` keeps their verifier keys and k in the keystore (a trust root, like the
/// pinned log key); from then on every log check (`checkLog`) refuses a checkpoint without k valid
/// cosignatures from them (`WitnessPolicy`, the one rule).
extension LocalDevice {
    /// The policy kept in this profile, nil when it requires no witness.
    ///
    /// - Throws: `LocalError.verification` when the kept keys no longer parse (a damaged keystore).
    public func witnessPolicy() throws -> WitnessPolicy? {
        guard let keys = vault.witnesses, !keys.isEmpty else { return nil }
        do {
            return try WitnessPolicy(witnesses: try keys.map { try CosignerKey(parsing: $0) }, required: vault.witnessesRequired ?? 1)
        } catch {
            throw LocalError.verification(Message.configWitnessKey("\(error)").text)
        }
    }

    /// Requires `required` of the witnesses `keys` (their verifier keys, `name+id+base64(0x04 ‖ key)`);
    /// an empty list requires none. Nothing changes when a key or the number is refused.
    ///
    /// - Throws: `LocalError.usage` naming the refused key or number.
    public func setWitnesses(_ keys: [String], required: Int?) throws {
        if keys.isEmpty {
            vault.witnesses = nil
            vault.witnessesRequired = nil
        } else {
            let policy: WitnessPolicy
            do {
                policy = try WitnessPolicy(witnesses: try keys.map { try CosignerKey(parsing: $0) }, required: required ?? 1)
            } catch {
                throw LocalError.usage(Message.configWitnessKey("\(error)").text)
            }
            vault.witnesses = policy.witnesses.map(\.encoded)
            vault.witnessesRequired = policy.required
        }
        try save()
    }

    /// The witnesses required, as kept (verifier keys), and how many.
    public var requiredWitnesses: (keys: [String], required: Int) {
        (vault.witnesses ?? [], vault.witnesses == nil ? 0 : vault.witnessesRequired ?? 1)
    }
}
