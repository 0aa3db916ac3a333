/// Writes JSON exactly as Python's `json.dumps` does with its defaults, which is what ethstaker-deposit-cli uses for
/// keystores and deposit data: one line, ", " between items, ": " after keys, non-ASCII as \uXXXX escapes
/// (surrogate pairs above U+FFFF), "/" not escaped. Byte-for-byte equal files make comparisons and audits trivial.
struct PythonJSONWriter {
    private(set) var output = ""

    /// An object whose members are written in the given order by `body`.
    mutating func object(_ body: (inout ObjectWriter) -> Void) {
        var writer = ObjectWriter()
        body(&writer)
        output += "{" + writer.members.joined(separator: ", ") + "}"
    }

    /// The members of one object, in order.
    struct ObjectWriter {
        fileprivate var members: [String] = []

        mutating func string(_ key: String, _ value: String) {
            members.append(PythonJSONWriter.quote(key) + ": " + PythonJSONWriter.quote(value))
        }

        mutating func integer(_ key: String, _ value: UInt64) {
            members.append(PythonJSONWriter.quote(key) + ": " + String(value))
        }

        mutating func object(_ key: String, _ body: (inout ObjectWriter) -> Void) {
            var nested = PythonJSONWriter()
            nested.object(body)
            members.append(PythonJSONWriter.quote(key) + ": " + nested.output)
        }
    }

    /// A list of objects, as `json.dump(list_of_dicts)` writes it.
    static func array(_ elements: [String]) -> String {
        "[" + elements.joined(separator: ", ") + "]"
    }

    /// `value` quoted and escaped with `ensure_ascii=True`.
    static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    if scalar.value > 0xFFFF {
                        let value = scalar.value - 0x10000
                        out += escape(0xD800 + (value >> 10)) + escape(0xDC00 + (value & 0x3FF))
                    } else {
                        out += escape(scalar.value)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func escape(_ unit: UInt32) -> String {
        let hex = String(unit, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
