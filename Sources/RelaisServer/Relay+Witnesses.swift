import RelaisCore

extension Relay {
    /// What `GET /v1/log/checkpoint` serves: without witnesses, the latest signed checkpoint; with
    /// witnesses, the checkpoint of the last collection round with the cosignatures it got (SPEC.md,
    /// "Witnesses"), a new round starting in the background when the log has grown.
    public func servedCheckpoint() async throws -> String {
        let latest = try await auditLog.checkpoint()
        guard !(await cosignatures.isEmpty) else { return latest }
        let log = auditLog
        return await cosignatures.note(latest: latest) { from, to in try await log.consistencyProof(from: from, to: to) }
    }

    /// Waits for the collection round in progress, if any (tests; `relais-server` never waits).
    public func cosignaturesSettled() async { await cosignatures.settled() }
}
