import GRDB
import RelaisStore

/// Turns whatever a database access threw into what the protocol promises callers.
///
/// `StoreError`s thrown on purpose (conflict, notFound, corrupt rows) pass through unchanged, and so
/// does `CancellationError` (GRDB rolls back a cancelled access, so nothing changed). Anything else
/// (a `DatabaseError`: I/O, full disk, corruption, a constraint the code did not expect) becomes
/// `StoreError.database` naming the operation and SQLite's result code only: GRDB's own messages
/// can quote SQL and its arguments, which may be personal data, and they must never reach a log.
enum StoreFailure {
    static func map(_ error: any Error, during operation: String) -> any Error {
        if let passed = StoreError.passedThrough(error) { return passed }
        switch error {
        case let e as DatabaseError:
            return StoreError.database("the database failed during \(operation) (SQLite result \(e.extendedResultCode))",
                                       failure: .init(sqliteResultCode: e.extendedResultCode.rawValue))
        default:
            return StoreError.database("the database failed during \(operation) (\(type(of: error)))")
        }
    }

    /// Runs `body`, mapping its error with `map(_:during:)`.
    static func run<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw map(error, during: operation)
        }
    }
}
