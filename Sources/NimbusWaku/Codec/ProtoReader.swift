/// A strict reader for the protobuf wire format (protobuf.dev/programming-guides/encoding), shared by every Waku and
/// gossipsub decoder here. It yields fields in wire order; the message decoders give them meaning.
///
/// Kept free of imports so that the fuzz targets can compile the codecs alone.
struct ProtoReader {
    /// One field as it appears on the wire.
    struct Field {
        /// The field number.
        let number: Int
        /// The field's value by wire type.
        let value: Value
    }

    /// A field value by wire type.
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case lengthDelimited(ArraySlice<UInt8>)
        case fixed32(UInt32)

        var wireType: Int {
            switch self {
            case .varint: 0
            case .fixed64: 1
            case .lengthDelimited: 2
            case .fixed32: 5
            }
        }
    }

    private var remaining: ArraySlice<UInt8>
    private let context: String

    /// A reader over one whole message; `context` names the message in errors.
    init(_ bytes: ArraySlice<UInt8>, context: String) {
        remaining = bytes
        self.context = context
    }

    /// The next field, or nil at the end of the message.
    mutating func next() throws(WakuCodecError) -> Field? {
        guard !remaining.isEmpty else { return nil }
        let key = try readVarint()
        let number = key >> 3
        guard number >= 1, number <= (1 << 29) - 1 else { throw .invalidFieldNumber(number) }
        switch key & 7 {
        case 0:
            return Field(number: Int(number), value: .varint(try readVarint()))
        case 1:
            return Field(number: Int(number), value: .fixed64(try readLittleEndian(8)))
        case 2:
            let length = try readVarint()
            guard length <= UInt64(remaining.count) else { throw .truncated(context) }
            let value = remaining.prefix(Int(length))
            remaining = remaining.dropFirst(Int(length))
            return Field(number: Int(number), value: .lengthDelimited(value))
        case 5:
            return Field(number: Int(number), value: .fixed32(UInt32(truncatingIfNeeded: try readLittleEndian(4))))
        case let wireType:
            throw .unsupportedWireType(Int(wireType))
        }
    }

    /// Protobuf varints take up to 10 bytes and need not be minimal.
    private mutating func readVarint() throws(WakuCodecError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = remaining.startIndex
        while index < remaining.endIndex {
            let offset = index - remaining.startIndex
            let byte = remaining[index]
            guard offset < 10, offset < 9 || byte <= 1 else { throw .malformedVarint }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                remaining = remaining[(index + 1)...]
                return value
            }
            shift += 7
            index += 1
        }
        throw .truncated(context)
    }

    private mutating func readLittleEndian(_ count: Int) throws(WakuCodecError) -> UInt64 {
        guard remaining.count >= count else { throw .truncated(context) }
        var value: UInt64 = 0
        for (offset, byte) in remaining.prefix(count).enumerated() { value |= UInt64(byte) << (8 * UInt64(offset)) }
        remaining = remaining.dropFirst(count)
        return value
    }
}

extension ProtoReader.Field {
    /// The value of a varint field (uint64, uint32, bool, enum), or a wire-type error naming `name`.
    func varint(_ name: String) throws(WakuCodecError) -> UInt64 {
        guard case .varint(let value) = value else { throw .wrongWireType(field: name, wireType: value.wireType) }
        return value
    }

    /// A uint32 field; values above 2^32 - 1 are refused instead of truncated.
    func uint32(_ name: String) throws(WakuCodecError) -> UInt32 {
        let raw = try varint(name)
        guard raw <= UInt64(UInt32.max) else { throw .invalidValue(field: name, reason: "above 2^32 - 1") }
        return UInt32(raw)
    }

    /// A bool field: only 0 and 1 are accepted, since every encoder writes those.
    func bool(_ name: String) throws(WakuCodecError) -> Bool {
        switch try varint(name) {
        case 0: return false
        case 1: return true
        default: throw .invalidValue(field: name, reason: "bool is neither 0 nor 1")
        }
    }

    /// A sint64 field (zigzag encoding).
    func sint64(_ name: String) throws(WakuCodecError) -> Int64 {
        let raw = try varint(name)
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A bytes or embedded-message field, at most `limit` bytes.
    func bytes(_ name: String, limit: Int = Int.max) throws(WakuCodecError) -> ArraySlice<UInt8> {
        guard case .lengthDelimited(let bytes) = value else {
            throw .wrongWireType(field: name, wireType: value.wireType)
        }
        guard bytes.count <= limit else { throw .tooLarge(what: name, size: bytes.count, limit: limit) }
        return bytes
    }

    /// A string field: valid UTF-8, at most `limit` bytes.
    func string(_ name: String, limit: Int = Int.max) throws(WakuCodecError) -> String {
        let raw = try bytes(name, limit: limit)
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw .invalidValue(field: name, reason: "not UTF-8")
        }
        return text
    }
}

/// Remembers which singular fields a decoder has seen, so that a repeated one is refused instead of silently
/// overriding the first (the protobuf rule "last one wins" lets a middlebox-free attacker hide a value).
struct SeenFields {
    private var seen: Set<Int> = []

    /// Records field `number`, throwing if it was already seen.
    mutating func once(_ number: Int, _ name: String) throws(WakuCodecError) {
        guard seen.insert(number).inserted else { throw .duplicateField(name) }
    }

    /// Whether field `number` was seen.
    func contains(_ number: Int) -> Bool { seen.contains(number) }
}

extension ProtoReader.Field {
    /// The varints of a packed repeated field, at most `limit` of them.
    func packedVarints(_ name: String, limit: Int) throws(WakuCodecError) -> [UInt64] {
        var values: [UInt64] = []
        var rest = try bytes(name)
        while !rest.isEmpty {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            var length = 0
            var done = false
            for byte in rest {
                guard length < 10, length < 9 || byte <= 1 else { throw .malformedVarint }
                value |= UInt64(byte & 0x7F) << shift
                length += 1
                if byte & 0x80 == 0 {
                    done = true
                    break
                }
                shift += 7
            }
            guard done else { throw .truncated(name) }
            rest = rest.dropFirst(length)
            values.append(value)
            guard values.count <= limit else { throw .tooMany(what: name, count: values.count, limit: limit) }
        }
        return values
    }
}
