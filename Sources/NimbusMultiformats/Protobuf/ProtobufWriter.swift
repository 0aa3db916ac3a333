/// A writer for the protobuf wire format that emits fields in the order it is given them; callers write fields
/// in field-number order, which makes the output the deterministic encoding libp2p signs and hashes (peer ids
/// hash the PublicKey message, so its bytes must match every other implementation's).
public struct ProtobufWriter: Sendable {
    /// The message so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty message.
    public init() {}

    /// Writes a varint field (wire type 0).
    public mutating func writeVarint(field: Int, _ value: UInt64) {
        writeKey(field: field, wireType: 0)
        Self.appendVarint(value, to: &bytes)
    }

    /// Writes a bytes, string or embedded-message field (wire type 2).
    public mutating func writeBytes<Bytes: Collection<UInt8>>(field: Int, _ value: Bytes) {
        writeKey(field: field, wireType: 2)
        Self.appendVarint(UInt64(value.count), to: &bytes)
        bytes.append(contentsOf: value)
    }

    /// Writes a string field as UTF-8 (wire type 2).
    public mutating func writeString(field: Int, _ value: String) {
        writeBytes(field: field, Array(value.utf8))
    }

    private mutating func writeKey(field: Int, wireType: UInt64) {
        Self.appendVarint(UInt64(field) << 3 | wireType, to: &bytes)
    }

    /// Protobuf varints cover the full 64 bits (10 bytes), unlike multiformats varints.
    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }
}
