
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

    /// What kind of database failure a `database` error was, for the relay's readiness and its
    /// metrics (`relais_store_failures_total{kind}`): a fixed list, never the database's own text.
    public enum Failure: String, Sendable, CaseIterable {
        /// No space left on the device (SQLITE_FULL, SQLSTATE 53100).
        case full
        /// The file or the server refuses writes (SQLITE_READONLY, SQLSTATE 25006).
        case readOnly = "read_only"
        /// An input/output error or a file that cannot be opened (SQLITE_IOERR, SQLITE_CANTOPEN, SQLSTATE 58030).
        case io
        /// A lock or a deadline was not obtained in time (SQLITE_BUSY, SQLITE_LOCKED, SQLSTATE 55P03, 57014).
        case busy
        /// The database is damaged (SQLITE_CORRUPT, SQLITE_NOTADB, SQLSTATE XX001, XX002, a row that does not decode).
        case corrupt
        /// Anything else.
        case other

        /// The kind of an SQLite result code (primary or extended).
        public init(sqliteResultCode code: Int32) {
            switch code & 0xff {
            case 13: self = .full
            case 8: self = .readOnly
            case 10, 14: self = .io
            case 5, 6: self = .busy
            case 11, 26: self = .corrupt
            default: self = .other
            }
        }

        /// The kind of a PostgreSQL SQLSTATE.
        public init(sqlState: String?) {
            switch sqlState {
            case "53100": self = .full
            case "25006": self = .readOnly
            case "58030": self = .io
            case "55P03", "57014", "40P01": self = .busy
            case "XX001", "XX002": self = .corrupt
            default: self = .other
            }
        }
    }

    public let code: Code
    public let message: String
    /// Set for `database` errors.
    public let failure: Failure?

    public init(_ code: Code, _ message: String, failure: Failure? = nil) {
        self.code = code
        self.message = message
        self.failure = code == .database ? failure ?? .other : nil
    }

    public static func conflict(_ m: String) -> StoreError { StoreError(.conflict, m) }
    public static func notFound(_ m: String) -> StoreError { StoreError(.notFound, m) }
    public static func database(_ m: String, failure: Failure = .other) -> StoreError { StoreError(.database, m, failure: failure) }

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
