/// Appends big-endian integers, length-prefixed strings and arrays: the body encoding of every IPC message.
public struct WireWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func u8(_ value: UInt8) { bytes.append(value) }
    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
    public mutating func u16(_ value: UInt16) { append(value) }
    public mutating func u32(_ value: UInt32) { append(value) }
    public mutating func u64(_ value: UInt64) { append(value) }
    public mutating func i32(_ value: Int32) { append(UInt32(bitPattern: value)) }
    public mutating func raw(_ value: [UInt8]) { bytes.append(contentsOf: value) }
    /// A u32 length, then the bytes.
    public mutating func byteString(_ value: [UInt8]) {
        u32(UInt32(value.count))
        raw(value)
    }

    /// A UInt32 byte count, then the UTF-8 bytes.
    public mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        u32(UInt32(utf8.count))
        raw(utf8)
    }

    /// A UInt32 element count, then each element.
    public mutating func array<Element>(_ values: [Element], _ encode: (inout WireWriter, Element) -> Void) {
        u32(UInt32(values.count))
        for value in values { encode(&self, value) }
    }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
