/// Reads what `WireWriter` wrote, checking every length against the bytes actually present.
/// `finish()` insists the body was consumed exactly: a longer body is as wrong as a shorter one.
public struct WireReader: Sendable {
    private let bytes: ArraySlice<UInt8>
    private var offset: Int

    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        offset = bytes.startIndex
    }

    public init(_ bytes: [UInt8]) { self.init(bytes[...]) }

    /// Bytes not read yet.
    public var remaining: Int { bytes.endIndex - offset }

    public mutating func u8() throws(IPCError) -> UInt8 { try integer() }
    public mutating func u16() throws(IPCError) -> UInt16 { try integer() }
    public mutating func u32() throws(IPCError) -> UInt32 { try integer() }
    public mutating func u64() throws(IPCError) -> UInt64 { try integer() }
    public mutating func i32() throws(IPCError) -> Int32 { Int32(bitPattern: try integer() as UInt32) }

    /// A boolean is one byte, 0 or 1; anything else is malformed.
    public mutating func bool() throws(IPCError) -> Bool {
        switch try u8() {
        case 0: return false
        case 1: return true
        case let other: throw .invalidEnum(field: "bool", value: UInt64(other))
        }
    }

    /// A byte string of exactly `count` bytes.
    public mutating func raw(_ count: Int) throws(IPCError) -> [UInt8] {
        guard count <= remaining else { throw .truncated(needed: count, available: remaining) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// A u32 length, then that many bytes.
    public mutating func byteString() throws(IPCError) -> [UInt8] {
        let count = Int(try u32())
        return try raw(count)
    }

    public mutating func string() throws(IPCError) -> String {
        let count = Int(try u32())
        let utf8 = try raw(count)
        guard let value = String(validating: utf8, as: UTF8.self) else { throw .invalidUTF8 }
        return value
    }

    /// Reads a count, then that many elements. The count is checked against the bytes left (every element takes at
    /// least one byte), so a forged count cannot make the reader reserve memory.
    public mutating func array<Element>(
        _ decode: (inout WireReader) throws(IPCError) -> Element
    ) throws(IPCError) -> [Element] {
        let count = Int(try u32())
        guard count <= remaining else { throw .truncated(needed: count, available: remaining) }
        var values: [Element] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try decode(&self)) }
        return values
    }

    /// Reads an enum stored as its UInt8 raw value.
    public mutating func enumeration<E: RawRepresentable>(_: E.Type, field: String) throws(IPCError) -> E
    where E.RawValue == UInt8 {
        let raw = try u8()
        guard let value = E(rawValue: raw) else { throw .invalidEnum(field: field, value: UInt64(raw)) }
        return value
    }

    /// Throws unless the whole body was consumed.
    public func finish() throws(IPCError) {
        guard remaining == 0 else { throw .trailingBytes(remaining) }
    }

    private mutating func integer<T: FixedWidthInteger>() throws(IPCError) -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw .truncated(needed: size, available: remaining) }
        var value: T = 0
        for index in offset..<offset + size { value = value << 8 | T(bytes[index]) }
        offset += size
        return value
    }
}
