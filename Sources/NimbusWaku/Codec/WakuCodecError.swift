/// Why bytes from a peer are not an acceptable Waku or gossipsub message.
///
/// Every decoder in this module is strict: it refuses truncated input, sizes over its limit, known fields with the
/// wrong wire type, repeated singular fields, and messages without the fields their RFC requires. Unknown fields
/// are skipped, as protobuf requires for forward compatibility, but they still count against the size limit.
public enum WakuCodecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The input ended inside a field or a frame.
    case truncated(String)
    /// A varint longer than 10 bytes, or one above 2^64 - 1.
    case malformedVarint
    /// Field number 0, or above 2^29 - 1.
    case invalidFieldNumber(UInt64)
    /// Wire types 3 and 4 (groups, which no Waku message uses), 6 and 7 (undefined).
    case unsupportedWireType(Int)
    /// A known field arrived with another wire type than its declaration implies.
    case wrongWireType(field: String, wireType: Int)
    /// A field the RFC requires is absent (or empty where empty means absent in proto3).
    case missingField(String)
    /// A singular field appeared twice.
    case duplicateField(String)
    /// A field's value is not acceptable (bad UTF-8, out of range, wrong length, unknown enum value).
    case invalidValue(field: String, reason: String)
    /// An input or a field is larger than this decoder accepts.
    case tooLarge(what: String, size: Int, limit: Int)
    /// A repeated field has more entries than this decoder accepts.
    case tooMany(what: String, count: Int, limit: Int)

    /// A reason for logs and test failures; never contains payload bytes.
    public var description: String {
        switch self {
        case .truncated(let context): "input truncated in \(context)"
        case .malformedVarint: "malformed protobuf varint"
        case .invalidFieldNumber(let number): "invalid protobuf field number \(number)"
        case .unsupportedWireType(let type): "unsupported protobuf wire type \(type)"
        case .wrongWireType(let field, let type): "field \(field) has wrong wire type \(type)"
        case .missingField(let field): "required field \(field) is missing"
        case .duplicateField(let field): "singular field \(field) appears more than once"
        case .invalidValue(let field, let reason): "invalid value for \(field): \(reason)"
        case .tooLarge(let what, let size, let limit): "\(what) of \(size) bytes exceeds the limit of \(limit)"
        case .tooMany(let what, let count, let limit): "\(count) \(what) exceed the limit of \(limit)"
        }
    }
}
