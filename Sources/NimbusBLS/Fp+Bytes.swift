// Conversions between F_p elements and big-endian byte strings (the I2OSP/OS2IP of RFC 9380 section 4), and the
// sign conventions the encodings need. These work on public data only: they branch on the values.

extension Fp {
    /// The canonical integer in [0, p) as raw limbs (Montgomery reduction of self * 1).
    var canonical: Fp {
        self * Fp(1, 0, 0, 0, 0, 0)
    }

    /// Parses 48 big-endian bytes; nil unless the integer is below p.
    init?(canonicalBigEndian bytes: ArraySlice<UInt8>) {
        guard bytes.count == 48 else { return nil }
        var limbs = [UInt64](repeating: 0, count: 6)
        for (index, byte) in bytes.enumerated() {
            let limb = 5 - index / 8
            limbs[limb] = (limbs[limb] << 8) | UInt64(byte)
        }
        let raw = Fp(limbs[0], limbs[1], limbs[2], limbs[3], limbs[4], limbs[5])
        guard Natural(words: limbs) < Fp.modulusNatural else { return nil }
        self = raw * Fp.rSquared
    }

    /// The canonical integer as 48 big-endian bytes.
    var bigEndianBytes: [UInt8] {
        let c = canonical
        var bytes = [UInt8]()
        bytes.reserveCapacity(48)
        for limb in [c.l5, c.l4, c.l3, c.l2, c.l1, c.l0] {
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: limb >> UInt64(shift)))
            }
        }
        return bytes
    }

    /// OS2IP(bytes) mod p for a big-endian string of any length (RFC 9380 section 5.2, hash_to_field), by Horner's
    /// rule over 64-bit words in Montgomery arithmetic, so no wide intermediate integer is needed.
    init(reducingBigEndian bytes: ArraySlice<UInt8>) {
        // 2^64 mod p in Montgomery form.
        let radix = Fp(0, 1, 0, 0, 0, 0) * Fp.rSquared
        var accumulator = Fp.zero
        let padding = (8 - bytes.count % 8) % 8
        let padded = [UInt8](repeating: 0, count: padding) + bytes
        for start in stride(from: 0, to: padded.count, by: 8) {
            var word: UInt64 = 0
            for byte in padded[start..<(start + 8)] { word = (word << 8) | UInt64(byte) }
            accumulator = accumulator * radix + Fp(word, 0, 0, 0, 0, 0) * Fp.rSquared
        }
        self = accumulator
    }

    /// (p - 1) / 2: an element is "lexicographically largest" (ZCash encoding) when its integer exceeds this.
    static let halfModulus = (modulusNatural - Natural(1)) / Natural(2)

    /// True when the canonical integer is greater than (p - 1) / 2.
    var isLexicographicallyLargest: Bool {
        let c = canonical
        return Natural(words: [c.l0, c.l1, c.l2, c.l3, c.l4, c.l5]) > Fp.halfModulus
    }

    /// sgn0 of RFC 9380 section 4.1 for m = 1: the parity of the canonical integer.
    var sgn0: Bool {
        canonical.l0 & 1 == 1
    }
}
