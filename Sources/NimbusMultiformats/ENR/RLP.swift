/// An RLP item (Ethereum Yellow Paper, appendix B): a byte string or a list of items.
public indirect enum RLPItem: Hashable, Sendable {
    /// A byte string.
    case bytes([UInt8])
    /// A list of items.
    case list([RLPItem])

    /// The bytes, or nil for a list.
    public var byteString: [UInt8]? {
        if case .bytes(let bytes) = self { return bytes }
        return nil
    }

    /// The items, or nil for a byte string.
    public var items: [RLPItem]? {
        if case .list(let items) = self { return items }
        return nil
    }

    /// The value of a canonical RLP integer (big-endian, no leading zeros, at most 8 bytes), or nil.
    public var unsignedInteger: UInt64? {
        guard case .bytes(let bytes) = self, bytes.count <= 8, bytes.first != 0 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The canonical encoding of an unsigned integer.
    public static func unsignedInteger(_ value: UInt64) -> RLPItem {
        var bytes: [UInt8] = []
        var rest = value
        while rest != 0 {
            bytes.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        }
        return .bytes(bytes)
    }
}

/// Recursive length prefix encoding, strict: only canonical encodings decode, so that re-encoding a decoded item
/// gives back the same bytes (EIP-778 signatures cover the encoding).
public enum RLP {
    /// Nesting deeper than this is refused; node records nest two levels.
    public static let maxDepth = 8

    /// Decodes exactly one item that spans all of `bytes`.
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(RLPError) -> RLPItem {
        var cursor = ArraySlice(bytes)
        let item = try decodeItem(&cursor, depth: 0)
        guard cursor.isEmpty else { throw .trailingBytes }
        return item
    }

    /// The canonical encoding of `item`.
    public static func encode(_ item: RLPItem) -> [UInt8] {
        switch item {
        case .bytes(let bytes):
            if bytes.count == 1 && bytes[0] < 0x80 { return bytes }
            return header(length: bytes.count, shortBase: 0x80) + bytes
        case .list(let items):
            let payload = items.flatMap(encode)
            return header(length: payload.count, shortBase: 0xC0) + payload
        }
    }

    private static func header(length: Int, shortBase: UInt8) -> [UInt8] {
        if length < 56 { return [shortBase + UInt8(length)] }
        var lengthBytes: [UInt8] = []
        var rest = length
        while rest != 0 {
            lengthBytes.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        }
        return [shortBase + 55 + UInt8(lengthBytes.count)] + lengthBytes
    }

    private static func decodeItem(_ cursor: inout ArraySlice<UInt8>, depth: Int) throws(RLPError) -> RLPItem {
        guard depth <= maxDepth else { throw .tooDeep }
        guard let prefix = cursor.first else { throw .truncated }
        cursor = cursor.dropFirst()
        switch prefix {
        case 0x00...0x7F:
            return .bytes([prefix])
        case 0x80...0xB7:
            let payload = try take(&cursor, Int(prefix - 0x80))
            if payload.count == 1 && payload[payload.startIndex] < 0x80 { throw .nonCanonical }
            return .bytes(Array(payload))
        case 0xB8...0xBF:
            let length = try longLength(&cursor, lengthOfLength: Int(prefix - 0xB7))
            return .bytes(Array(try take(&cursor, length)))
        case 0xC0...0xF7:
            return .list(try decodeList(try take(&cursor, Int(prefix - 0xC0)), depth: depth))
        default:
            let length = try longLength(&cursor, lengthOfLength: Int(prefix - 0xF7))
            return .list(try decodeList(try take(&cursor, length), depth: depth))
        }
    }

    private static func decodeList(_ payload: ArraySlice<UInt8>, depth: Int) throws(RLPError) -> [RLPItem] {
        var cursor = payload
        var items: [RLPItem] = []
        while !cursor.isEmpty { items.append(try decodeItem(&cursor, depth: depth + 1)) }
        return items
    }

    /// A long-form length: big-endian, no leading zero byte, and at least 56 (shorter ones have a short form).
    private static func longLength(_ cursor: inout ArraySlice<UInt8>, lengthOfLength: Int) throws(RLPError) -> Int {
        let bytes = try take(&cursor, lengthOfLength)
        guard bytes.first != 0 else { throw .nonCanonical }
        guard bytes.count <= 4 else { throw .truncated }
        let length = bytes.reduce(0) { $0 << 8 | Int($1) }
        guard length >= 56 else { throw .nonCanonical }
        return length
    }

    private static func take(_ cursor: inout ArraySlice<UInt8>, _ count: Int) throws(RLPError) -> ArraySlice<UInt8> {
        guard cursor.count >= count else { throw .truncated }
        let bytes = cursor.prefix(count)
        cursor = cursor.dropFirst(count)
        return bytes
    }
}

/// Why bytes are not acceptable RLP.
public enum RLPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ends inside an item (or declares a length beyond it).
    case truncated
    /// Bytes follow the top-level item.
    case trailingBytes
    /// A non-minimal length or a single small byte wrapped in a string header.
    case nonCanonical
    /// Lists nested deeper than `RLP.maxDepth`.
    case tooDeep

    /// A reason for logs and test failures.
    public var description: String {
        switch self {
        case .truncated: "RLP truncated"
        case .trailingBytes: "bytes after the RLP item"
        case .nonCanonical: "non-canonical RLP encoding"
        case .tooDeep: "RLP nested too deeply"
        }
    }
}
