/// Refuses JSON objects that repeat a member name (RFC 7493, I-JSON). Readers disagree on which
/// copy of a repeated key wins, so two clients could read different content under one valid
/// signature. Runs on text that a JSON parser has already accepted; compares names after
/// unescaping, so `"a"` and `"\u0061"` are the same name.
enum DuplicateKeyCheck {
    struct Duplicate: Error { let name: String }

    static func check(_ bytes: [UInt8]) throws(Duplicate) {
        var scanner = Scanner(bytes: bytes)
        try scanner.value()
    }

    private struct Scanner {
        let bytes: [UInt8]
        var i = 0

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[i]) { i += 1 }
        }

        mutating func value() throws(Duplicate) {
            skipSpace()
            guard i < bytes.count else { return }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var names = Set<String>()
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return }
                while i < bytes.count {
                    skipSpace()
                    let name = string()
                    guard names.insert(name).inserted else { throw Duplicate(name: name) }
                    skipSpace()
                    i += 1  // ':'
                    try value()
                    skipSpace()
                    guard i < bytes.count else { return }
                    let c = bytes[i]
                    i += 1
                    if c == UInt8(ascii: "}") { return }
                }
            case UInt8(ascii: "["):
                i += 1
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return }
                while i < bytes.count {
                    try value()
                    skipSpace()
                    guard i < bytes.count else { return }
                    let c = bytes[i]
                    i += 1
                    if c == UInt8(ascii: "]") { return }
                }
            case UInt8(ascii: "\""):
                _ = string()
            default:
                // number, true, false, null: up to the next delimiter
                while i < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0a, 0x0d].contains(bytes[i]) { i += 1 }
            }
        }

        /// Reads a string starting at its opening quote and returns it unescaped.
        mutating func string() -> String {
            i += 1
            var units: [UInt16] = []
            var raw: [UInt8] = []
            func flushRaw() {
                units += String(decoding: raw, as: UTF8.self).utf16
                raw.removeAll()
            }
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count {
                    flushRaw()
                    let e = bytes[i + 1]
                    i += 2
                    switch e {
                    case UInt8(ascii: "u"):
                        let hex = String(decoding: bytes[i..<min(i + 4, bytes.count)], as: UTF8.self)
                        units.append(UInt16(hex, radix: 16) ?? 0xfffd)
                        i += 4
                    case UInt8(ascii: "n"): units.append(0x0a)
                    case UInt8(ascii: "t"): units.append(0x09)
                    case UInt8(ascii: "r"): units.append(0x0d)
                    case UInt8(ascii: "b"): units.append(0x08)
                    case UInt8(ascii: "f"): units.append(0x0c)
                    default: units.append(UInt16(e))
                    }
                } else {
                    raw.append(bytes[i])
                    i += 1
                }
            }
            flushRaw()
            i += 1
            return String(decoding: units, as: UTF16.self)
        }
    }
}
