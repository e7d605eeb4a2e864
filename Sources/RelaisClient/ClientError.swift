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
        // In the interface language: the relay's code stays as sent, its meaning is translated.
        case let .refused(status, code, message): Message.relayRefused(status: status, code: code, message: message).text
        case let .unexpected(status): Message.relayUnexpected(status: status).text
        case let .verification(why): Message.verificationFailed(why).text
        }
    }
}
