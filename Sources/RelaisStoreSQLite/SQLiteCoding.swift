import Foundation
import GRDB
import RelaisCore
import RelaisStore

/// Conversions between the store's Swift values and SQLite columns.
///
/// SQLite integers are signed 64-bit. Times, sequences and expiries are `UInt64` in the protocol:
/// they are stored unchanged as long as they fit in `Int64` (every realistic Unix time and
/// sequence does), so the raw database stays readable (`expires_at` is plain Unix seconds).
/// A value to be *stored* above `Int64.max` is refused with `conflict` (see `stored(_:_:)`);
/// a value only *compared* against stored ones (`now`) is clamped to `Int64.max`, which gives
/// exactly the same answers since every stored value is at most `Int64.max`.
///
/// Reading a row that does not decode (wrong id length, unknown enum text, negative time) means
/// the file was damaged or written by something else: that is `StoreError.database`, with a
/// message that names the table but never the values.
enum SQLiteCoding {
    /// The largest time, sequence or expiry the store can keep.
    static let maximumStoredValue = StoredInteger.maximum

    /// `value` as a column value, or `conflict` naming the field when it is above `Int64.max`.
    static func stored(_ value: UInt64, _ field: String) throws -> Int64 { try StoredInteger.stored(value, field) }

    /// A comparison bound (`now`): clamped, see `StoredInteger`.
    static func bound(_ value: UInt64) -> Int64 { StoredInteger.bound(value) }

    static func blob(_ bytes: [UInt8]) -> Data { Data(bytes) }
    static func blob<Kind>(_ id: Identifier<Kind>) -> Data { Data(id.bytes) }

    // MARK: Reading

    static func corrupt(_ table: String) -> StoreError {
        StoreError.database("a row of \(table) does not decode: the database file is damaged or was written by another program")
    }

    static func bytes(_ row: Row, _ column: String, _ table: String) throws -> [UInt8] {
        guard let d = try? row.decode(Data?.self, forColumn: column) else { throw corrupt(table) }
        return Array(d)
    }

    static func optionalBytes(_ row: Row, _ column: String, _ table: String) throws -> [UInt8]? {
        let d: Data?
        do { d = try row.decode(Data?.self, forColumn: column) } catch { throw corrupt(table) }
        return d.map { Array($0) }
    }

    static func id<Kind>(_ row: Row, _ column: String, _ table: String) throws -> Identifier<Kind> {
        guard let id = Identifier<Kind>(bytes: try bytes(row, column, table)) else { throw corrupt(table) }
        return id
    }

    static func optionalID<Kind>(_ row: Row, _ column: String, _ table: String) throws -> Identifier<Kind>? {
        guard let b = try optionalBytes(row, column, table) else { return nil }
        guard let id = Identifier<Kind>(bytes: b) else { throw corrupt(table) }
        return id
    }

    static func uint64(_ row: Row, _ column: String, _ table: String) throws -> UInt64 {
        guard let v = try? row.decode(Int64?.self, forColumn: column), let u = UInt64(exactly: v) else { throw corrupt(table) }
        return u
    }

    static func optionalUInt64(_ row: Row, _ column: String, _ table: String) throws -> UInt64? {
        let v: Int64?
        do { v = try row.decode(Int64?.self, forColumn: column) } catch { throw corrupt(table) }
        guard let v else { return nil }
        guard let u = UInt64(exactly: v) else { throw corrupt(table) }
        return u
    }

    static func int(_ row: Row, _ column: String, _ table: String) throws -> Int {
        guard let v = try? row.decode(Int?.self, forColumn: column) else { throw corrupt(table) }
        return v
    }

    static func text(_ row: Row, _ column: String, _ table: String) throws -> String {
        guard let v = try? row.decode(String?.self, forColumn: column) else { throw corrupt(table) }
        return v
    }

    static func enumeration<E: RawRepresentable>(_ row: Row, _ column: String, _ table: String) throws -> E where E.RawValue == String {
        guard let e = E(rawValue: try text(row, column, table)) else { throw corrupt(table) }
        return e
    }

    /// A `SignedObject` kept as two columns; both or neither must be present.
    static func optionalSigned(_ row: Row, _ bytesColumn: String, _ signatureColumn: String, _ table: String) throws -> SignedObject? {
        let b = try optionalBytes(row, bytesColumn, table)
        let s = try optionalBytes(row, signatureColumn, table)
        switch (b, s) {
        case (nil, nil): return nil
        case let (b?, s?): return SignedObject(bytes: b, signature: s)
        default: throw corrupt(table)
        }
    }
}
