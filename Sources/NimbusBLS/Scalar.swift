// Scalars modulo the group order r = x^4 - x^2 + 1 (x = -0xd201000000010000), a 255-bit prime: secret keys and
// the exponents of scalar multiplication. The operations on them are constant time because secret keys pass
// through them.

/// An integer below 2^256 in four little-endian 64-bit words. Secret keys are kept as one; it is a plain value,
/// so its copies are not wiped (see `SecretKey.wipe()`).
struct Scalar: Sendable {
    var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        (self.w0, self.w1, self.w2, self.w3) = (w0, w1, w2, w3)
    }

    static let zero = Scalar(0, 0, 0, 0)

    /// The group order r.
    static let order = Scalar(
        0xffff_ffff_0000_0001, 0x53bd_a402_fffe_5bfe, 0x3339_d808_09a1_d805, 0x73ed_a753_299d_7d48
    )

    static var orderNatural: Natural { Natural(words: [order.w0, order.w1, order.w2, order.w3]) }

    /// Reads 32 big-endian bytes as they are (no reduction).
    init(bigEndian bytes: ArraySlice<UInt8>) {
        precondition(bytes.count == 32, "a scalar is 32 bytes")
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for (index, byte) in bytes.enumerated() {
            switch index / 8 {
            case 0: words.3 = (words.3 << 8) | UInt64(byte)
            case 1: words.2 = (words.2 << 8) | UInt64(byte)
            case 2: words.1 = (words.1 << 8) | UInt64(byte)
            default: words.0 = (words.0 << 8) | UInt64(byte)
            }
        }
        self.init(words.0, words.1, words.2, words.3)
    }

    /// OS2IP(bytes) mod r for a big-endian string of any length, in constant time: the value is built one bit at a
    /// time (acc = 2 acc + bit) with a masked subtraction of r after each bit, so that acc stays below r.
    init(reducingBigEndian bytes: [UInt8]) {
        var accumulator = Scalar.zero
        for byte in bytes {
            for shift in stride(from: 7, through: 0, by: -1) {
                let bit = UInt64(byte >> UInt8(shift)) & 1
                // acc < r < 2^255, so 2 acc + 1 < 2^256 fits in four words.
                let doubled = Scalar(
                    (accumulator.w0 << 1) | bit, (accumulator.w1 << 1) | (accumulator.w0 >> 63),
                    (accumulator.w2 << 1) | (accumulator.w1 >> 63), (accumulator.w3 << 1) | (accumulator.w2 >> 63)
                )
                accumulator = doubled.reducedOnce()
            }
        }
        self = accumulator
    }

    /// self - r when self >= r, else self; branch-free.
    private func reducedOnce() -> Scalar {
        let (difference, borrow) = subtractingOrder()
        let keep = bitMask(borrow)
        return Scalar(
            difference.w0 ^ ((difference.w0 ^ w0) & keep), difference.w1 ^ ((difference.w1 ^ w1) & keep),
            difference.w2 ^ ((difference.w2 ^ w2) & keep), difference.w3 ^ ((difference.w3 ^ w3) & keep)
        )
    }

    private func subtractingOrder() -> (Scalar, UInt64) {
        let r = Scalar.order
        var b: UInt64 = 0
        let (d0, b0) = subtractWithBorrow(w0, r.w0, b); b = b0
        let (d1, b1) = subtractWithBorrow(w1, r.w1, b); b = b1
        let (d2, b2) = subtractWithBorrow(w2, r.w2, b); b = b2
        let (d3, b3) = subtractWithBorrow(w3, r.w3, b); b = b3
        return (Scalar(d0, d1, d2, d3), b)
    }

    /// All ones when 0 < self < r, else zero; branch-free.
    var isValidSecretMask: UInt64 {
        let (_, borrow) = subtractingOrder()
        return bitMask(borrow) & ~zeroMask(w0 | w1 | w2 | w3)
    }

    /// Four bits starting at bit 4 * index (index 0 is the least significant nibble). The index is public; the
    /// shift amounts depend only on it.
    @inline(__always)
    func nibble(_ index: Int) -> UInt64 {
        let word: UInt64
        switch index / 16 {
        case 0: word = w0
        case 1: word = w1
        case 2: word = w2
        default: word = w3
        }
        return (word >> UInt64((index % 16) * 4)) & 0xF
    }

    /// 32 big-endian bytes.
    var bigEndianBytes: [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(32)
        for word in [w3, w2, w1, w0] {
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return bytes
    }
}
