// The parameter from which every BLS12-381 constant follows.

/// Curve-wide facts.
enum BLS12381 {
    /// |x| for the curve seed x = -0xd201000000010000: p = (x-1)^2 (x^4 - x^2 + 1)/3 + x, r = x^4 - x^2 + 1. The
    /// Miller loop runs over its bits; it is negative, which the pairing and the endomorphism checks account for.
    static let seedMagnitude: UInt64 = 0xd201_0000_0001_0000
}

/// Bytes from hexadecimal digits (an optional "0x" prefix is skipped); for constants and tests, traps on bad input.
func hexBytes(_ hex: String) -> [UInt8] {
    var digits = Substring(hex)
    if digits.hasPrefix("0x") { digits = digits.dropFirst(2) }
    precondition(digits.count % 2 == 0, "odd number of hex digits")
    var bytes = [UInt8]()
    bytes.reserveCapacity(digits.count / 2)
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        guard let byte = UInt8(digits[index..<next], radix: 16) else { preconditionFailure("bad hex digit") }
        bytes.append(byte)
        index = next
    }
    return bytes
}
