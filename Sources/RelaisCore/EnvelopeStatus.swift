/// What became of a sent envelope, as its sender's organisation may see it: the relay's store
/// answers it (`EnvelopeStore.envelopeStatus`), `GET /v1/envelopes/{id}/status` carries it, and
/// the client keeps the last answer for `relais cases` (informative only: a relay could lie about
/// it, and nothing is decided on it).
public struct EnvelopeStatus: Sendable, Equatable, Codable {
    /// Devices the envelope was sealed for, how many fetched it, how many acknowledged it. All 0
    /// once it is deleted (its deliveries go with it).
    public var addressed: Int
    public var delivered: Int
    public var acknowledged: Int
    /// When the relay deleted it (every device acknowledged, or its consent was withdrawn); the
    /// tombstone is kept until `expiresAt`.
    public var deletedAt: UInt64?
    public var expiresAt: UInt64

    public init(addressed: Int, delivered: Int, acknowledged: Int, deletedAt: UInt64?, expiresAt: UInt64) {
        self.addressed = addressed
        self.delivered = delivered
        self.acknowledged = acknowledged
        self.deletedAt = deletedAt
        self.expiresAt = expiresAt
    }
}
