/// Comparisons whose running time does not depend on secret contents, for checksums and keys.
enum ConstantTime {
    /// True when both buffers hold the same bytes. Time depends on the lengths only (lengths are public here:
    /// checksums, keys and roots have fixed sizes).
    static func equals(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<lhs.count {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }

    /// `equals` over any two byte collections (arrays of public or secret bytes).
    static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in equals(left, right) } }
    }
}
