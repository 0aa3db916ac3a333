// Carry-propagating 64-bit word helpers shared by the field and scalar code. They compile to `mul`/`adc`/`sbb`
// without branches, which is what keeps the field arithmetic constant time.

/// t + a * b + c as a (high, low) pair. It cannot overflow: (2^64 - 1)^2 + 2 (2^64 - 1) = 2^128 - 1.
@inline(__always)
func mac(_ t: UInt64, _ a: UInt64, _ b: UInt64, _ c: UInt64) -> (hi: UInt64, lo: UInt64) {
    let wide = UInt128(a) &* UInt128(b) &+ UInt128(t) &+ UInt128(c)
    return (UInt64(truncatingIfNeeded: wide &>> 64), UInt64(truncatingIfNeeded: wide))
}

/// a + b + carry, with carry in {0, 1}: (sum, carry out).
@inline(__always)
func addWithCarry(_ a: UInt64, _ b: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
    let wide = UInt128(a) &+ UInt128(b) &+ UInt128(carry)
    return (UInt64(truncatingIfNeeded: wide), UInt64(truncatingIfNeeded: wide &>> 64))
}

/// a - b - borrow, with borrow in {0, 1}: (difference, borrow out in {0, 1}).
@inline(__always)
func subtractWithBorrow(_ a: UInt64, _ b: UInt64, _ borrow: UInt64) -> (UInt64, UInt64) {
    let wide = UInt128(a) &- UInt128(b) &- UInt128(borrow)
    return (UInt64(truncatingIfNeeded: wide), UInt64(truncatingIfNeeded: wide &>> 64) & 1)
}

/// All ones when `word` is zero, else zero, without a branch: the top bit of (w | -w) is set for every w != 0.
@inline(__always)
func zeroMask(_ word: UInt64) -> UInt64 {
    ((word | (0 &- word)) >> 63) &- 1
}

/// All ones when `bit` (0 or 1) is 1, else zero.
@inline(__always)
func bitMask(_ bit: UInt64) -> UInt64 {
    0 &- (bit & 1)
}
