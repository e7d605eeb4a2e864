/// Times, sequences and expiries are `UInt64` in the protocol; SQLite and PostgreSQL both store
/// signed 64-bit integers. Values are stored unchanged while they fit in `Int64` (every realistic
/// Unix time and sequence does), so the raw database stays readable. A value to be *stored* above
/// `Int64.max` is refused with `conflict` (`stored`); a value only *compared* with stored ones
/// (`now`) is clamped to `Int64.max` (`bound`), which gives the same answers since every stored
/// value is at most `Int64.max`.
public enum StoredInteger {
    /// The largest time, sequence or expiry a store can keep.
    public static let maximum = UInt64(Int64.max)

    /// `value` as a column value, or `conflict` naming the field when it is above `Int64.max`.
    public static func stored(_ value: UInt64, _ field: String) throws -> Int64 {
        guard let v = Int64(exactly: value) else {
            throw StoreError.conflict("\(field) \(value) is above the largest value the store keeps (\(maximum))")
        }
        return v
    }

    /// A comparison bound (`now`): clamped, see the type's comment.
    public static func bound(_ value: UInt64) -> Int64 { Int64(clamping: value) }
}
