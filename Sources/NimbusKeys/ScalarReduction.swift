/// Reduction of a big-endian integer modulo r, the order of the BLS12-381 groups, for EIP-2333's HKDF_mod_r.
///
/// Bit-serial (shift in one bit, subtract r when the accumulator reaches it) with the subtraction chosen by a mask,
/// so that the sequence of operations does not depend on the secret value. 384 input bits cost 384 small steps:
/// negligible next to the HKDF calls around it.
enum ScalarReduction {
    /// r = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001, least significant limb first.
    static let order: [UInt64] = [
        0xffff_ffff_0000_0001, 0x53bd_a402_fffe_5bfe, 0x3339_d808_09a1_d805, 0x73ed_a753_299d_7d48,
    ]

    /// Writes `input mod r` as 32 big-endian bytes into `output`. Returns whether the result is zero.
    @discardableResult
    static func reduce(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        precondition(output.count == 32, "a scalar is 32 bytes")
        var accumulator: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for byte in input {
            for shift in stride(from: 7, through: 0, by: -1) {
                // acc < r < 2^255, so 2·acc + 1 < 2^256 never overflows four limbs.
                let bit = UInt64(byte >> UInt8(shift)) & 1
                accumulator = (
                    accumulator.0 << 1 | bit,
                    accumulator.1 << 1 | accumulator.0 >> 63,
                    accumulator.2 << 1 | accumulator.1 >> 63,
                    accumulator.3 << 1 | accumulator.2 >> 63
                )
                accumulator = subtractOrderIfNotBelow(accumulator)
            }
        }
        let limbs = [accumulator.3, accumulator.2, accumulator.1, accumulator.0]
        for (limbIndex, limb) in limbs.enumerated() {
            for byteIndex in 0..<8 {
                output[limbIndex * 8 + byteIndex] = UInt8(truncatingIfNeeded: limb >> UInt64(56 - byteIndex * 8))
            }
        }
        return (accumulator.0 | accumulator.1 | accumulator.2 | accumulator.3) == 0
    }

    /// `value - r` when value ≥ r, else `value`, selected by a mask rather than a branch. Borrows are turned
    /// into integers by reinterpreting the Bool's byte, not with `?:` or `||`, which may compile to branches.
    private static func subtractOrderIfNotBelow(
        _ value: (UInt64, UInt64, UInt64, UInt64)
    ) -> (UInt64, UInt64, UInt64, UInt64) {
        let (d0, b0) = subtract(value.0, order[0], borrow: 0)
        let (d1, b1) = subtract(value.1, order[1], borrow: b0)
        let (d2, b2) = subtract(value.2, order[2], borrow: b1)
        let (d3, b3) = subtract(value.3, order[3], borrow: b2)
        // b3 = 1: value < r, keep value; b3 = 0: take the difference.
        let keep = 0 &- b3
        return (
            (value.0 & keep) | (d0 & ~keep),
            (value.1 & keep) | (d1 & ~keep),
            (value.2 & keep) | (d2 & ~keep),
            (value.3 & keep) | (d3 & ~keep)
        )
    }

    /// a - b - borrow, with the outgoing borrow as 0 or 1.
    private static func subtract(_ a: UInt64, _ b: UInt64, borrow: UInt64) -> (UInt64, UInt64) {
        let (first, overflow1) = a.subtractingReportingOverflow(b)
        let (second, overflow2) = first.subtractingReportingOverflow(borrow)
        return (second, bit(overflow1) | bit(overflow2))
    }

    private static func bit(_ flag: Bool) -> UInt64 {
        UInt64(unsafeBitCast(flag, to: UInt8.self))
    }
}
