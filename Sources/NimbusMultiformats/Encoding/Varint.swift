/// Unsigned varints as multiformats defines them (multiformats/unsigned-varint): little-endian groups of 7 bits,
/// the high bit of each byte set when another byte follows.
///
/// The spec caps a varint at 9 bytes (63 bits) and requires the minimal encoding, so that every value has exactly
/// one byte form; both are enforced when decoding, which keeps a peer from stalling a decoder with endless
/// continuation bytes.
public enum Varint {
    /// The longest varint the spec allows, in bytes.
    public static let maxLength = 9

    /// The largest value a 9-byte varint can carry (2^63 - 1).
    public static let maxValue: UInt64 = (1 << 63) - 1

    /// The encoding of `value`; values above `maxValue` are a programming error.
    public static func encode(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length(of: value))
        append(value, to: &bytes)
        return bytes
    }

    /// Appends the encoding of `value` to `bytes`.
    public static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        precondition(value <= maxValue, "varint value above 2^63 - 1")
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// The number of bytes `encode(value)` produces.
    public static func length(of value: UInt64) -> Int {
        var count = 1
        var rest = value >> 7
        while rest != 0 {
            count += 1
            rest >>= 7
        }
        return count
    }

    /// Decodes the varint at the start of `bytes`.
    ///
    /// - Parameter limit: the largest value the caller accepts (a length limit, say); larger values throw
    ///   `VarintError.tooLarge` as soon as they are known, before the rest of a message arrives.
    /// - Returns: the value and the number of bytes it took, or nil when `bytes` ends inside the varint.
    public static func decode<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, limit: UInt64 = maxValue
    ) throws(VarintError) -> (value: UInt64, length: Int)? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var count = 0
        for byte in bytes {
            count += 1
            if count > maxLength { throw .overlong }
            let group = UInt64(byte & 0x7F)
            value |= group << shift
            if byte & 0x80 == 0 {
                // A last byte of zero after a continuation means the same value fits in fewer bytes.
                if byte == 0 && count > 1 { throw .notMinimal }
                if value > limit { throw .tooLarge(value: value, limit: limit) }
                return (value, count)
            }
            shift += 7
            if value > limit { throw .tooLarge(value: value, limit: limit) }
        }
        return nil
    }
}

/// Why bytes are not an acceptable varint.
public enum VarintError: Error, Equatable, Sendable, CustomStringConvertible {
    /// More than 9 bytes: the spec's limit.
    case overlong
    /// The value has a shorter encoding (a trailing zero group).
    case notMinimal
    /// The value exceeds what the caller accepts.
    case tooLarge(value: UInt64, limit: UInt64)

    /// A reason for logs and test failures.
    public var description: String {
        switch self {
        case .overlong: "varint longer than 9 bytes"
        case .notMinimal: "varint not minimally encoded"
        case .tooLarge(let value, let limit): "varint value \(value) above limit \(limit)"
        }
    }
}
