/// A read position over a byte buffer, for decoders that consume a message from front to back.
///
/// Every read checks the remaining length first, so a truncated message yields `ByteCursorError.truncated`
/// instead of a trap.
public struct ByteCursor: Sendable {
    /// The bytes not yet read.
    public private(set) var remaining: ArraySlice<UInt8>

    /// A cursor at the start of `bytes`.
    public init<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        remaining = ArraySlice(bytes)
    }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { remaining.isEmpty }

    /// The number of bytes not yet read.
    public var remainingCount: Int { remaining.count }

    /// Reads one byte.
    public mutating func readByte() throws(ByteCursorError) -> UInt8 {
        guard let byte = remaining.first else { throw .truncated(needed: 1, available: 0) }
        remaining = remaining.dropFirst()
        return byte
    }

    /// Reads exactly `count` bytes.
    public mutating func readBytes(_ count: Int) throws(ByteCursorError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining.count else {
            throw .truncated(needed: count, available: remaining.count)
        }
        let bytes = remaining.prefix(count)
        remaining = remaining.dropFirst(count)
        return bytes
    }

    /// Reads a multiformats varint no larger than `limit`.
    public mutating func readVarint(limit: UInt64 = Varint.maxValue) throws(ByteCursorError) -> UInt64 {
        let decoded: (value: UInt64, length: Int)?
        do {
            decoded = try Varint.decode(remaining, limit: limit)
        } catch {
            throw .varint(error)
        }
        guard let decoded else { throw .truncated(needed: remaining.count + 1, available: remaining.count) }
        remaining = remaining.dropFirst(decoded.length)
        return decoded.value
    }

    /// Reads a big-endian unsigned integer of `count` bytes (at most 8).
    public mutating func readBigEndian(_ count: Int) throws(ByteCursorError) -> UInt64 {
        precondition(count <= 8)
        var value: UInt64 = 0
        for byte in try readBytes(count) { value = value << 8 | UInt64(byte) }
        return value
    }
}

/// Why a `ByteCursor` read failed.
public enum ByteCursorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended early.
    case truncated(needed: Int, available: Int)
    /// A varint was malformed or too large.
    case varint(VarintError)

    /// A reason for logs and test failures.
    public var description: String {
        switch self {
        case .truncated(let needed, let available): "input truncated: needed \(needed) bytes, had \(available)"
        case .varint(let error): error.description
        }
    }
}
