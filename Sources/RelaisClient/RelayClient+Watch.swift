import OpenAPIRuntime
import RelaisAPI
import RelaisCore

extension RelayClient {
    /// One inbox answer and the cursor that names it (SPEC.md, "Waiting for the inbox").
    public struct InboxPage: Sendable, Equatable {
        public let items: [InboxItem]
        /// Send it back as `after` to wait for a change; nil from a relay without long-poll.
        public let cursor: String?
    }

    /// The inbox; with `wait` (seconds, 1 to 60), a long-poll: the relay answers at once if the
    /// inbox differs from the one `after` names (an empty one when nil), otherwise when an envelope
    /// for this device arrives or at its bound (`Limits.maxInboxWaitSeconds`), unchanged then.
    public func inboxPage(limit: Int? = nil, wait: Int? = nil, after cursor: String? = nil) async throws -> InboxPage {
        switch try await client.listInbox(query: .init(limit: limit, wait: wait, after: cursor)) {
        case let .ok(r):
            let body = try r.body.json
            return InboxPage(items: try body.envelopes.map { e in
                guard let id = EnvelopeID(hex: e.envelopeId), let d = DeviceID(hex: e.senderDeviceId),
                      let o = OrganisationID(hex: e.senderOrganisationId) else { throw ClientError.verification(Message.relayMalformed(.inboxEntry).text) }
                return InboxItem(envelopeID: id, senderDeviceID: d, senderOrganisationID: o, size: Int(e.size),
                                 submittedAt: UInt64(max(0, e.submittedAt)), expiresAt: UInt64(max(0, e.expiresAt)),
                                 coverKind: e.coverKind.flatMap { name in ConsentReference.Kind.allCases.first { $0.name == name } })
            }, cursor: body.cursor)
        case let other: throw Self.failure(other)
        }
    }
}
