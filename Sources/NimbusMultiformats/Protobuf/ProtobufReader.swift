/// A reader for the protobuf wire format (protobuf.dev/programming-guides/encoding), enough for the few small
/// libp2p messages (PublicKey, NoiseHandshakePayload, Identify): it yields fields in order and leaves their
/// meaning to the message decoder.
///
/// Groups (wire types 3 and 4) are refused: no libp2p message uses them, and skipping them needs nesting state.
public struct ProtobufReader: Sendable {
    /// One field as it appears on the wire.
    public struct Field: Sendable, Equatable {
        /// The field number.
        public let number: Int
        /// The field's value.
        public let value: Value
    }

    /// A field value by wire type.
    public enum Value: Sendable, Equatable {
        /// Wire type 0.
        case varint(UInt64)
        /// Wire type 1.
        case fixed64(UInt64)
        /// Wire type 2: bytes, strings and embedded messages.
        case lengthDelimited(ArraySlice<UInt8>)
        /// Wire type 5.
        case fixed32(UInt32)
    }

    private var remaining: ArraySlice<UInt8>

    /// A reader over one whole message.
    public init<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        remaining = ArraySlice(bytes)
    }

    /// The next field, or nil at the end of the message.
    public mutating func next() throws(ProtobufError) -> Field? {
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
            guard length <= UInt64(remaining.count) else { throw .truncated }
            let value = remaining.prefix(Int(length))
            remaining = remaining.dropFirst(Int(length))
            return Field(number: Int(number), value: .lengthDelimited(value))
        case 5:
            return Field(number: Int(number), value: .fixed32(UInt32(try readLittleEndian(4))))
        case let wireType:
            throw .unsupportedWireType(Int(wireType))
        }
    }

    /// Protobuf varints may take 10 bytes (64 bits) and need not be minimal, unlike multiformats varints.
    private mutating func readVarint() throws(ProtobufError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for (offset, byte) in remaining.enumerated() {
            guard offset < 10 else { throw .malformedVarint }
            if offset == 9 && byte > 1 { throw .malformedVarint }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                remaining = remaining.dropFirst(offset + 1)
                return value
            }
            shift += 7
        }
        throw .truncated
    }

    private mutating func readLittleEndian(_ count: Int) throws(ProtobufError) -> UInt64 {
        guard remaining.count >= count else { throw .truncated }
        var value: UInt64 = 0
        for (offset, byte) in remaining.prefix(count).enumerated() { value |= UInt64(byte) << (8 * UInt64(offset)) }
        remaining = remaining.dropFirst(count)
        return value
    }
}

/// Why bytes are not an acceptable protobuf message.
public enum ProtobufError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message ended inside a field.
    case truncated
    /// A varint longer than 10 bytes or above 2^64 - 1.
    case malformedVarint
    /// Field number 0 or above 2^29 - 1.
    case invalidFieldNumber(UInt64)
    /// Wire types 3, 4 (groups), 6 and 7.
    case unsupportedWireType(Int)
    /// A known field with the wrong wire type.
    case wrongWireType(field: String)
    /// A required field is absent.
    case missingField(String)
    /// A field's value is not acceptable (a bad enum value, bad UTF-8, a size over its limit).
    case invalidValue(field: String, reason: String)
    /// The message exceeds the decoder's size limit.
    case messageTooLarge(size: Int, limit: Int)

    /// A reason for logs and test failures.
    public var description: String {
        switch self {
        case .truncated: "protobuf message truncated"
        case .malformedVarint: "malformed protobuf varint"
        case .invalidFieldNumber(let number): "invalid protobuf field number \(number)"
        case .unsupportedWireType(let type): "unsupported protobuf wire type \(type)"
        case .wrongWireType(let field): "wrong wire type for protobuf field \(field)"
        case .missingField(let field): "missing protobuf field \(field)"
        case .invalidValue(let field, let reason): "invalid protobuf field \(field): \(reason)"
        case .messageTooLarge(let size, let limit): "protobuf message of \(size) bytes above limit \(limit)"
        }
    }
}
