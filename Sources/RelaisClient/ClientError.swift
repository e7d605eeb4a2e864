/// Why a call to the relay failed.
public enum ClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The relay refused: HTTP status, its error code and message.
    case refused(status: Int, code: String, message: String)
    /// The relay answered something the API does not describe (a 500, or garbage).
    case unexpected(status: Int)
    /// The relay's answer failed a local check (bad signature, wrong record).
    case verification(String)

    public var status: Int? {
        switch self {
        case let .refused(s, _, _), let .unexpected(s): s
        case .verification: nil
        }
    }

    public var code: String? {
        if case let .refused(_, c, _) = self { return c }
        return nil
    }

    public var description: String {
        switch self {
        case let .refused(status, code, message): "the relay refused (\(status) \(code)): \(message)"
        case let .unexpected(status): "the relay answered unexpectedly (HTTP \(status)); try again later or contact the operator"
        case let .verification(why): "verification failed: \(why)"
        }
    }
}
