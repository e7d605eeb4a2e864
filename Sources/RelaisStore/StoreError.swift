
/// Errors of every store implementation. The relay maps them to HTTP statuses at its edge.
public struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: Equatable, Sendable {
        /// A uniqueness or state rule was broken: the message says which.
        case conflict
        /// The row the operation needs does not exist.
        case notFound
        /// The database failed (I/O, corruption). Never shown to clients.
        case database
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public static func conflict(_ m: String) -> StoreError { StoreError(.conflict, m) }
    public static func notFound(_ m: String) -> StoreError { StoreError(.notFound, m) }
    public static func database(_ m: String) -> StoreError { StoreError(.database, m) }

    public var description: String { message }
}

extension StoreError {
    /// What every store lets through its failure mapping unchanged: its own refusals (`StoreError`)
    /// and cancellation (a cancelled access is rolled back, so nothing changed). Nil for anything
    /// else, which the store maps to `database` without quoting it.
    public static func passedThrough(_ error: any Error) -> (any Error)? {
        switch error {
        case let e as StoreError: e
        case let e as CancellationError: e
        default: nil
        }
    }
}
