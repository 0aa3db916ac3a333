/// Hand-made protobuf bytes for bad-input tests, independent of the encoders under test.
enum RawProto {
    static func varint(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
        return bytes
    }

    static func key(_ field: Int, _ wireType: Int) -> [UInt8] { varint(UInt64(field << 3 | wireType)) }

    static func varintField(_ field: Int, _ value: UInt64) -> [UInt8] { key(field, 0) + varint(value) }

    static func bytesField(_ field: Int, _ value: [UInt8]) -> [UInt8] {
        key(field, 2) + varint(UInt64(value.count)) + value
    }

    static func stringField(_ field: Int, _ value: String) -> [UInt8] { bytesField(field, Array(value.utf8)) }

    static func fixed32Field(_ field: Int, _ value: UInt32) -> [UInt8] {
        key(field, 5) + (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
    }

    static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
}
