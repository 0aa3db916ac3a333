/// A writer for the protobuf wire format that emits fields in the order given; every encoder here writes them in
/// field-number order, the canonical order other implementations produce.
struct ProtoWriter {
    /// The message so far.
    private(set) var bytes: [UInt8] = []

    init() {}

    /// Writes a varint field (uint32, uint64, enum).
    mutating func varint(_ field: Int, _ value: UInt64) {
        key(field, wireType: 0)
        Self.appendVarint(value, to: &bytes)
    }

    /// Writes a bool field as 0 or 1.
    mutating func bool(_ field: Int, _ value: Bool) {
        varint(field, value ? 1 : 0)
    }

    /// Writes a sint64 field (zigzag encoding).
    mutating func sint64(_ field: Int, _ value: Int64) {
        varint(field, UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Writes a bytes or embedded-message field.
    mutating func bytes<Bytes: Collection<UInt8>>(_ field: Int, _ value: Bytes) {
        key(field, wireType: 2)
        Self.appendVarint(UInt64(value.count), to: &bytes)
        bytes.append(contentsOf: value)
    }

    /// Writes a string field as UTF-8.
    mutating func string(_ field: Int, _ value: String) {
        bytes(field, Array(value.utf8))
    }

    /// Writes a packed repeated varint field.
    mutating func packedVarints(_ field: Int, _ values: [UInt64]) {
        var packed: [UInt8] = []
        for value in values { Self.appendVarint(value, to: &packed) }
        bytes(field, packed)
    }

    private mutating func key(_ field: Int, wireType: UInt64) {
        Self.appendVarint(UInt64(field) << 3 | wireType, to: &bytes)
    }

    /// Appends a protobuf varint (up to 10 bytes).
    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }
}
