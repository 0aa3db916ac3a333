/// A strict RFC 8259 parser for the small documents of this module (keystores, deposit data). It never traps on
/// any input: sizes and nesting are bounded, and every failure is a `JSONParseError` with a byte offset.
///
/// Stricter than most: duplicate object keys, invalid UTF-8 and lone surrogates are errors, because a keystore or
/// deposit file that two parsers could read differently must not be accepted.
struct JSONParser {
    static let maximumDepth = 32
    static let maximumSize = 4 << 20

    private let bytes: [UInt8]
    private var offset = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses one JSON value filling `bytes` (surrounding white space allowed, a UTF-8 byte-order mark not).
    static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        guard bytes.count <= maximumSize else { throw JSONParseError(offset: 0, reason: "the document is too large") }
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.offset == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private func error(_ reason: String) -> JSONParseError {
        JSONParseError(offset: offset, reason: reason)
    }

    private var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { offset += 1 }
    }

    private mutating func expect(_ literal: String) throws(JSONParseError) {
        for byte in literal.utf8 {
            guard current == byte else { throw error("invalid literal") }
            offset += 1
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw error("nested too deeply") }
        guard let byte = current else { throw error("unexpected end of the document") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected character")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        offset += 1
        var members: [(key: String, value: JSONValue)] = []
        var seen: Set<String> = []
        skipWhitespace()
        if current == UInt8(ascii: "}") { offset += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a quoted member name") }
            let keyOffset = offset
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw JSONParseError(offset: keyOffset, reason: "duplicate member \"\(key.jsonDiagnostic)\"")
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected \":\" after a member name") }
            offset += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"): offset += 1; return .object(members)
            default: throw error("expected \",\" or \"}\" in an object")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        offset += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { offset += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"): offset += 1; return .array(elements)
            default: throw error("expected \",\" or \"]\" in an array")
            }
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> String {
        let start = offset
        if current == UInt8(ascii: "-") { offset += 1 }
        guard let first = current, first >= 0x30, first <= 0x39 else { throw error("invalid number") }
        offset += 1
        if first != 0x30 { skipDigits() }
        if current == UInt8(ascii: ".") {
            offset += 1
            guard try digitsFollow() else { throw error("invalid number") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            offset += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { offset += 1 }
            guard try digitsFollow() else { throw error("invalid number") }
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    private mutating func skipDigits() {
        while let byte = current, byte >= 0x30, byte <= 0x39 { offset += 1 }
    }

    private mutating func digitsFollow() throws(JSONParseError) -> Bool {
        let start = offset
        skipDigits()
        return offset > start
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        offset += 1
        var scalars = String.UnicodeScalarView()
        while true {
            guard let byte = current else { throw error("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                offset += 1
                scalars.append(try parseEscape())
            case 0x00..<0x20:
                throw error("control character in a string")
            case 0x00..<0x80:
                scalars.append(Unicode.Scalar(byte))
                offset += 1
            default:
                scalars.append(try parseUTF8Scalar())
            }
        }
    }

    private mutating func parseEscape() throws(JSONParseError) -> Unicode.Scalar {
        guard let byte = current else { throw error("unterminated escape") }
        offset += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try parseHex4()
            switch first {
            case 0xD800..<0xDC00:
                guard current == UInt8(ascii: "\\") else { throw error("lone surrogate in a \\u escape") }
                offset += 1
                guard current == UInt8(ascii: "u") else { throw error("lone surrogate in a \\u escape") }
                offset += 1
                let second = try parseHex4()
                guard (0xDC00..<0xE000).contains(second) else { throw error("lone surrogate in a \\u escape") }
                let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                guard let scalar = Unicode.Scalar(value) else { throw error("invalid \\u escape") }
                return scalar
            case 0xDC00..<0xE000:
                throw error("lone surrogate in a \\u escape")
            default:
                guard let scalar = Unicode.Scalar(first) else { throw error("invalid \\u escape") }
                return scalar
            }
        default:
            throw error("invalid escape")
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let nibble = Hex.value(of: byte) else { throw error("invalid \\u escape") }
            value = value << 4 | UInt32(nibble)
            offset += 1
        }
        return value
    }

    /// One multi-byte UTF-8 sequence, strictly (no overlong forms, no surrogates, nothing above U+10FFFF).
    private mutating func parseUTF8Scalar() throws(JSONParseError) -> Unicode.Scalar {
        let lead = bytes[offset]
        let (length, minimum, initial): (Int, UInt32, UInt32) = switch lead {
        case 0xC2...0xDF: (2, 0x80, UInt32(lead & 0x1F))
        case 0xE0...0xEF: (3, 0x800, UInt32(lead & 0x0F))
        case 0xF0...0xF4: (4, 0x10000, UInt32(lead & 0x07))
        default: (0, 0, 0)
        }
        guard length > 0, offset + length <= bytes.count else { throw error("invalid UTF-8") }
        var value = initial
        for index in 1..<length {
            let continuation = bytes[offset + index]
            guard continuation & 0xC0 == 0x80 else { throw error("invalid UTF-8") }
            value = value << 6 | UInt32(continuation & 0x3F)
        }
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { throw error("invalid UTF-8") }
        offset += length
        return scalar
    }
}

/// Where and why a document is not valid JSON.
struct JSONParseError: Error, Equatable, Sendable {
    let offset: Int
    let reason: String
}

extension String {
    /// This string cut to 40 characters with control characters escaped, safe to put in an error message about
    /// a public document (a member name, a function name). Never used for secrets.
    var jsonDiagnostic: String {
        let clipped = unicodeScalars.prefix(40).map { scalar -> String in
            scalar.value < 0x20 || scalar.value == 0x7F ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }.joined()
        return unicodeScalars.count > 40 ? clipped + "…" : clipped
    }
}
