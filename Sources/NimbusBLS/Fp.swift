// The BLS12-381 base field F_p in Montgomery form. p = (x - 1)^2 (x^4 - x^2 + 1) / 3 + x with the curve's seed
// x = -0xd201000000010000 (a fact the tests recompute); it is 381 bits, so six 64-bit limbs leave three spare bits,
// which the multiplication below relies on.

/// An element of the base field F_p, held as a * R mod p (R = 2^384) in six 64-bit limbs, least significant first.
///
/// Arithmetic (`+`, `-`, `*`, `square`, `inverse`, `select`, `==`) is branch-free and touches no memory that depends
/// on the value, so it may carry secret-dependent data. `sqrt`, `pow` with a secret exponent, the byte parsers and
/// the sign helpers branch on their result or on the exponent and are used only on public data.
struct Fp: Sendable {
    var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64, l4: UInt64, l5: UInt64

    /// Raw limbs, least significant first; no Montgomery conversion.
    @inline(__always)
    init(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64, _ l4: UInt64, _ l5: UInt64) {
        (self.l0, self.l1, self.l2, self.l3, self.l4, self.l5) = (l0, l1, l2, l3, l4, l5)
    }

    /// The modulus p itself (raw limbs, not in Montgomery form).
    static let modulus = Fp(
        0xb9fe_ffff_ffff_aaab, 0x1eab_fffe_b153_ffff, 0x6730_d2a0_f6b0_f624,
        0x6477_4b84_f385_12bf, 0x4b1b_a7b6_434b_acd7, 0x1a01_11ea_397f_e69a
    )

    /// -p^-1 mod 2^64, the per-word factor of Montgomery reduction (checked by the tests: p0 * it = -1 mod 2^64).
    static let montgomeryInverse: UInt64 = 0x89f3_fffc_fffc_fffd

    /// R mod p: the Montgomery form of 1 (checked by the tests against 2^384 mod p computed by doubling).
    static let one = Fp(
        0x7609_0000_0002_fffd, 0xebf4_000b_c40c_0002, 0x5f48_9857_53c7_58ba,
        0x77ce_5853_7052_5745, 0x5c07_1a97_a256_ec6d, 0x15f6_5ec3_fa80_e493
    )

    /// R^2 mod p: multiplying a plain integer by it converts the integer into Montgomery form.
    static let rSquared = Fp(
        0xf4df_1f34_1c34_1746, 0x0a76_e6a6_09d1_04f1, 0x8de5_476c_4c95_b6d5,
        0x67eb_88a9_939d_83c0, 0x9a79_3e85_b519_952d, 0x1198_8fe5_92ca_e3aa
    )

    static let zero = Fp(0, 0, 0, 0, 0, 0)

    /// The Montgomery form of a small integer.
    init(_ small: UInt64) {
        self = Fp(small, 0, 0, 0, 0, 0) * Fp.rSquared
    }

    // MARK: Addition

    /// Subtracts p when `self` >= p (self < 2p), without a branch.
    @inline(__always)
    func reducedOnce() -> Fp {
        let m = Fp.modulus
        var b: UInt64 = 0
        let (d0, b0) = subtractWithBorrow(l0, m.l0, b); b = b0
        let (d1, b1) = subtractWithBorrow(l1, m.l1, b); b = b1
        let (d2, b2) = subtractWithBorrow(l2, m.l2, b); b = b2
        let (d3, b3) = subtractWithBorrow(l3, m.l3, b); b = b3
        let (d4, b4) = subtractWithBorrow(l4, m.l4, b); b = b4
        let (d5, b5) = subtractWithBorrow(l5, m.l5, b); b = b5
        // A borrow means self < p: keep self.
        return Fp.select(Fp(d0, d1, d2, d3, d4, d5), self, mask: bitMask(b))
    }

    @inline(__always)
    static func + (a: Fp, b: Fp) -> Fp {
        // Both operands are below p < 2^381, so the sum fits in six words.
        var c: UInt64 = 0
        let (s0, c0) = addWithCarry(a.l0, b.l0, c); c = c0
        let (s1, c1) = addWithCarry(a.l1, b.l1, c); c = c1
        let (s2, c2) = addWithCarry(a.l2, b.l2, c); c = c2
        let (s3, c3) = addWithCarry(a.l3, b.l3, c); c = c3
        let (s4, c4) = addWithCarry(a.l4, b.l4, c); c = c4
        let (s5, _) = addWithCarry(a.l5, b.l5, c)
        return Fp(s0, s1, s2, s3, s4, s5).reducedOnce()
    }

    @inline(__always)
    static func - (a: Fp, b: Fp) -> Fp {
        var w: UInt64 = 0
        let (d0, w0) = subtractWithBorrow(a.l0, b.l0, w); w = w0
        let (d1, w1) = subtractWithBorrow(a.l1, b.l1, w); w = w1
        let (d2, w2) = subtractWithBorrow(a.l2, b.l2, w); w = w2
        let (d3, w3) = subtractWithBorrow(a.l3, b.l3, w); w = w3
        let (d4, w4) = subtractWithBorrow(a.l4, b.l4, w); w = w4
        let (d5, w5) = subtractWithBorrow(a.l5, b.l5, w); w = w5
        // On a borrow add p back, selected by mask rather than by a branch.
        let mask = bitMask(w)
        let m = Fp.modulus
        var c: UInt64 = 0
        let (s0, c0) = addWithCarry(d0, m.l0 & mask, c); c = c0
        let (s1, c1) = addWithCarry(d1, m.l1 & mask, c); c = c1
        let (s2, c2) = addWithCarry(d2, m.l2 & mask, c); c = c2
        let (s3, c3) = addWithCarry(d3, m.l3 & mask, c); c = c3
        let (s4, c4) = addWithCarry(d4, m.l4 & mask, c); c = c4
        let (s5, _) = addWithCarry(d5, m.l5 & mask, c)
        return Fp(s0, s1, s2, s3, s4, s5)
    }

    @inline(__always)
    static prefix func - (a: Fp) -> Fp {
        Fp.zero - a
    }

    @inline(__always)
    static func += (a: inout Fp, b: Fp) { a = a + b }
    @inline(__always)
    static func -= (a: inout Fp, b: Fp) { a = a - b }
    @inline(__always)
    static func *= (a: inout Fp, b: Fp) { a = a * b }

    @inline(__always)
    func doubled() -> Fp { self + self }

    /// self / 2: adds p when the value is odd (then it is even), then shifts right. Branch-free.
    func halved() -> Fp {
        let mask = bitMask(l0)
        let m = Fp.modulus
        var c: UInt64 = 0
        let (s0, c0) = addWithCarry(l0, m.l0 & mask, c); c = c0
        let (s1, c1) = addWithCarry(l1, m.l1 & mask, c); c = c1
        let (s2, c2) = addWithCarry(l2, m.l2 & mask, c); c = c2
        let (s3, c3) = addWithCarry(l3, m.l3 & mask, c); c = c3
        let (s4, c4) = addWithCarry(l4, m.l4 & mask, c); c = c4
        let (s5, _) = addWithCarry(l5, m.l5 & mask, c)
        // self + p < 2^382, so no carry leaves the top word.
        return Fp(
            (s0 >> 1) | (s1 << 63), (s1 >> 1) | (s2 << 63), (s2 >> 1) | (s3 << 63),
            (s3 >> 1) | (s4 << 63), (s4 >> 1) | (s5 << 63), s5 >> 1
        )
    }

    // MARK: Multiplication

    @inline(__always)
    static func * (a: Fp, b: Fp) -> Fp {
        var t0: UInt64 = 0, t1: UInt64 = 0, t2: UInt64 = 0, t3: UInt64 = 0, t4: UInt64 = 0, t5: UInt64 = 0
        var A: UInt64 = 0, C: UInt64 = 0, m: UInt64 = 0
        // Coarsely Integrated Operand Scanning: a row of a * b[i], then one Montgomery reduction step. The top limb
        // of p is below 2^63 - 1, so the running value never needs a seventh word (the "no-carry" variant of
        // CIOS): it stays below 2p after each row, and one conditional subtraction at the end normalises it.
        // a * b.l0, then one reduction step
        (A, t0) = mac(t0, a.l0, b.l0, 0)
        m = t0 &* 0x89f3fffcfffcfffd
        C = mac(t0, m, 0xb9feffffffffaaab, 0).hi
        (A, t1) = mac(t1, a.l1, b.l0, A)
        (C, t0) = mac(t1, m, 0x1eabfffeb153ffff, C)
        (A, t2) = mac(t2, a.l2, b.l0, A)
        (C, t1) = mac(t2, m, 0x6730d2a0f6b0f624, C)
        (A, t3) = mac(t3, a.l3, b.l0, A)
        (C, t2) = mac(t3, m, 0x64774b84f38512bf, C)
        (A, t4) = mac(t4, a.l4, b.l0, A)
        (C, t3) = mac(t4, m, 0x4b1ba7b6434bacd7, C)
        (A, t5) = mac(t5, a.l5, b.l0, A)
        (C, t4) = mac(t5, m, 0x1a0111ea397fe69a, C)
        t5 = C &+ A
        // a * b.l1, then one reduction step
        (A, t0) = mac(t0, a.l0, b.l1, 0)
        m = t0 &* 0x89f3fffcfffcfffd
        C = mac(t0, m, 0xb9feffffffffaaab, 0).hi
        (A, t1) = mac(t1, a.l1, b.l1, A)
        (C, t0) = mac(t1, m, 0x1eabfffeb153ffff, C)
        (A, t2) = mac(t2, a.l2, b.l1, A)
        (C, t1) = mac(t2, m, 0x6730d2a0f6b0f624, C)
        (A, t3) = mac(t3, a.l3, b.l1, A)
        (C, t2) = mac(t3, m, 0x64774b84f38512bf, C)
        (A, t4) = mac(t4, a.l4, b.l1, A)
        (C, t3) = mac(t4, m, 0x4b1ba7b6434bacd7, C)
        (A, t5) = mac(t5, a.l5, b.l1, A)
        (C, t4) = mac(t5, m, 0x1a0111ea397fe69a, C)
        t5 = C &+ A
        // a * b.l2, then one reduction step
        (A, t0) = mac(t0, a.l0, b.l2, 0)
        m = t0 &* 0x89f3fffcfffcfffd
        C = mac(t0, m, 0xb9feffffffffaaab, 0).hi
        (A, t1) = mac(t1, a.l1, b.l2, A)
        (C, t0) = mac(t1, m, 0x1eabfffeb153ffff, C)
        (A, t2) = mac(t2, a.l2, b.l2, A)
        (C, t1) = mac(t2, m, 0x6730d2a0f6b0f624, C)
        (A, t3) = mac(t3, a.l3, b.l2, A)
        (C, t2) = mac(t3, m, 0x64774b84f38512bf, C)
        (A, t4) = mac(t4, a.l4, b.l2, A)
        (C, t3) = mac(t4, m, 0x4b1ba7b6434bacd7, C)
        (A, t5) = mac(t5, a.l5, b.l2, A)
        (C, t4) = mac(t5, m, 0x1a0111ea397fe69a, C)
        t5 = C &+ A
        // a * b.l3, then one reduction step
        (A, t0) = mac(t0, a.l0, b.l3, 0)
        m = t0 &* 0x89f3fffcfffcfffd
        C = mac(t0, m, 0xb9feffffffffaaab, 0).hi
        (A, t1) = mac(t1, a.l1, b.l3, A)
        (C, t0) = mac(t1, m, 0x1eabfffeb153ffff, C)
        (A, t2) = mac(t2, a.l2, b.l3, A)
        (C, t1) = mac(t2, m, 0x6730d2a0f6b0f624, C)
        (A, t3) = mac(t3, a.l3, b.l3, A)
        (C, t2) = mac(t3, m, 0x64774b84f38512bf, C)
        (A, t4) = mac(t4, a.l4, b.l3, A)
        (C, t3) = mac(t4, m, 0x4b1ba7b6434bacd7, C)
        (A, t5) = mac(t5, a.l5, b.l3, A)
        (C, t4) = mac(t5, m, 0x1a0111ea397fe69a, C)
        t5 = C &+ A
        // a * b.l4, then one reduction step
        (A, t0) = mac(t0, a.l0, b.l4, 0)
        m = t0 &* 0x89f3fffcfffcfffd
        C = mac(t0, m, 0xb9feffffffffaaab, 0).hi
        (A, t1) = mac(t1, a.l1, b.l4, A)
        (C, t0) = mac(t1, m, 0x1eabfffeb153ffff, C)
        (A, t2) = mac(t2, a.l2, b.l4, A)
        (C, t1) = mac(t2, m, 0x6730d2a0f6b0f624, C)
        (A, t3) = mac(t3, a.l3, b.l4, A)
        (C, t2) = mac(t3, m, 0x64774b84f38512bf, C)
        (A, t4) = mac(t4, a.l4, b.l4, A)
        (C, t3) = mac(t4, m, 0x4b1ba7b6434bacd7, C)
        (A, t5) = mac(t5, a.l5, b.l4, A)
        (C, t4) = mac(t5, m, 0x1a0111ea397fe69a, C)
        t5 = C &+ A
        // a * b.l5, then one reduction step
        (A, t0) = mac(t0, a.l0, b.l5, 0)
        m = t0 &* 0x89f3fffcfffcfffd
        C = mac(t0, m, 0xb9feffffffffaaab, 0).hi
        (A, t1) = mac(t1, a.l1, b.l5, A)
        (C, t0) = mac(t1, m, 0x1eabfffeb153ffff, C)
        (A, t2) = mac(t2, a.l2, b.l5, A)
        (C, t1) = mac(t2, m, 0x6730d2a0f6b0f624, C)
        (A, t3) = mac(t3, a.l3, b.l5, A)
        (C, t2) = mac(t3, m, 0x64774b84f38512bf, C)
        (A, t4) = mac(t4, a.l4, b.l5, A)
        (C, t3) = mac(t4, m, 0x4b1ba7b6434bacd7, C)
        (A, t5) = mac(t5, a.l5, b.l5, A)
        (C, t4) = mac(t5, m, 0x1a0111ea397fe69a, C)
        t5 = C &+ A
        return Fp(t0, t1, t2, t3, t4, t5).reducedOnce()
    }

    /// self^2 by separated operand scanning: the 15 cross products are computed once and doubled, which saves
    /// 15 of the 36 word multiplications of `*`; then six Montgomery reduction steps. Branch-free like `*`.
    @inline(__always)
    func squared() -> Fp {
        // Off-diagonal products a_i a_j (i < j), each needed twice: summed once into r1...r10, then doubled.
        var r0: UInt64 = 0, r1: UInt64 = 0, r2: UInt64 = 0, r3: UInt64 = 0, r4: UInt64 = 0, r5: UInt64 = 0
        var r6: UInt64 = 0, r7: UInt64 = 0, r8: UInt64 = 0, r9: UInt64 = 0, r10: UInt64 = 0, r11: UInt64 = 0
        var carry: UInt64 = 0
        carry = 0
        (carry, r1) = mac(r1, l0, l1, carry)
        (carry, r2) = mac(r2, l0, l2, carry)
        (carry, r3) = mac(r3, l0, l3, carry)
        (carry, r4) = mac(r4, l0, l4, carry)
        (carry, r5) = mac(r5, l0, l5, carry)
        r6 = carry
        carry = 0
        (carry, r3) = mac(r3, l1, l2, carry)
        (carry, r4) = mac(r4, l1, l3, carry)
        (carry, r5) = mac(r5, l1, l4, carry)
        (carry, r6) = mac(r6, l1, l5, carry)
        r7 = carry
        carry = 0
        (carry, r5) = mac(r5, l2, l3, carry)
        (carry, r6) = mac(r6, l2, l4, carry)
        (carry, r7) = mac(r7, l2, l5, carry)
        r8 = carry
        carry = 0
        (carry, r7) = mac(r7, l3, l4, carry)
        (carry, r8) = mac(r8, l3, l5, carry)
        r9 = carry
        carry = 0
        (carry, r9) = mac(r9, l4, l5, carry)
        r10 = carry
        // Double: shift the 12-word value left by one bit.
        r11 = r10 >> 63
        r10 = (r10 << 1) | (r9 >> 63)
        r9 = (r9 << 1) | (r8 >> 63)
        r8 = (r8 << 1) | (r7 >> 63)
        r7 = (r7 << 1) | (r6 >> 63)
        r6 = (r6 << 1) | (r5 >> 63)
        r5 = (r5 << 1) | (r4 >> 63)
        r4 = (r4 << 1) | (r3 >> 63)
        r3 = (r3 << 1) | (r2 >> 63)
        r2 = (r2 << 1) | (r1 >> 63)
        r1 = r1 << 1
        // Add the squares a_i^2 on the diagonal.
        carry = 0
        var high: UInt64 = 0
        (high, r0) = mac(r0, l0, l0, carry)
        (r1, carry) = addWithCarry(r1, high, 0)
        (high, r2) = mac(r2, l1, l1, carry)
        (r3, carry) = addWithCarry(r3, high, 0)
        (high, r4) = mac(r4, l2, l2, carry)
        (r5, carry) = addWithCarry(r5, high, 0)
        (high, r6) = mac(r6, l3, l3, carry)
        (r7, carry) = addWithCarry(r7, high, 0)
        (high, r8) = mac(r8, l4, l4, carry)
        (r9, carry) = addWithCarry(r9, high, 0)
        (high, r10) = mac(r10, l5, l5, carry)
        (r11, carry) = addWithCarry(r11, high, 0)
        // Montgomery reduction, one word per step; `extra` is the carry out of word i + 6.
        var extra: UInt64 = 0
        var m: UInt64 = 0
        m = r0 &* 0x89f3fffcfffcfffd
        carry = mac(r0, m, 0xb9feffffffffaaab, 0).hi
        (carry, r1) = mac(r1, m, 0x1eabfffeb153ffff, carry)
        (carry, r2) = mac(r2, m, 0x6730d2a0f6b0f624, carry)
        (carry, r3) = mac(r3, m, 0x64774b84f38512bf, carry)
        (carry, r4) = mac(r4, m, 0x4b1ba7b6434bacd7, carry)
        (carry, r5) = mac(r5, m, 0x1a0111ea397fe69a, carry)
        (r6, extra) = addWithCarry(r6, carry, extra)
        m = r1 &* 0x89f3fffcfffcfffd
        carry = mac(r1, m, 0xb9feffffffffaaab, 0).hi
        (carry, r2) = mac(r2, m, 0x1eabfffeb153ffff, carry)
        (carry, r3) = mac(r3, m, 0x6730d2a0f6b0f624, carry)
        (carry, r4) = mac(r4, m, 0x64774b84f38512bf, carry)
        (carry, r5) = mac(r5, m, 0x4b1ba7b6434bacd7, carry)
        (carry, r6) = mac(r6, m, 0x1a0111ea397fe69a, carry)
        (r7, extra) = addWithCarry(r7, carry, extra)
        m = r2 &* 0x89f3fffcfffcfffd
        carry = mac(r2, m, 0xb9feffffffffaaab, 0).hi
        (carry, r3) = mac(r3, m, 0x1eabfffeb153ffff, carry)
        (carry, r4) = mac(r4, m, 0x6730d2a0f6b0f624, carry)
        (carry, r5) = mac(r5, m, 0x64774b84f38512bf, carry)
        (carry, r6) = mac(r6, m, 0x4b1ba7b6434bacd7, carry)
        (carry, r7) = mac(r7, m, 0x1a0111ea397fe69a, carry)
        (r8, extra) = addWithCarry(r8, carry, extra)
        m = r3 &* 0x89f3fffcfffcfffd
        carry = mac(r3, m, 0xb9feffffffffaaab, 0).hi
        (carry, r4) = mac(r4, m, 0x1eabfffeb153ffff, carry)
        (carry, r5) = mac(r5, m, 0x6730d2a0f6b0f624, carry)
        (carry, r6) = mac(r6, m, 0x64774b84f38512bf, carry)
        (carry, r7) = mac(r7, m, 0x4b1ba7b6434bacd7, carry)
        (carry, r8) = mac(r8, m, 0x1a0111ea397fe69a, carry)
        (r9, extra) = addWithCarry(r9, carry, extra)
        m = r4 &* 0x89f3fffcfffcfffd
        carry = mac(r4, m, 0xb9feffffffffaaab, 0).hi
        (carry, r5) = mac(r5, m, 0x1eabfffeb153ffff, carry)
        (carry, r6) = mac(r6, m, 0x6730d2a0f6b0f624, carry)
        (carry, r7) = mac(r7, m, 0x64774b84f38512bf, carry)
        (carry, r8) = mac(r8, m, 0x4b1ba7b6434bacd7, carry)
        (carry, r9) = mac(r9, m, 0x1a0111ea397fe69a, carry)
        (r10, extra) = addWithCarry(r10, carry, extra)
        m = r5 &* 0x89f3fffcfffcfffd
        carry = mac(r5, m, 0xb9feffffffffaaab, 0).hi
        (carry, r6) = mac(r6, m, 0x1eabfffeb153ffff, carry)
        (carry, r7) = mac(r7, m, 0x6730d2a0f6b0f624, carry)
        (carry, r8) = mac(r8, m, 0x64774b84f38512bf, carry)
        (carry, r9) = mac(r9, m, 0x4b1ba7b6434bacd7, carry)
        (carry, r10) = mac(r10, m, 0x1a0111ea397fe69a, carry)
        (r11, extra) = addWithCarry(r11, carry, extra)
        return Fp(r6, r7, r8, r9, r10, r11).reducedOnce()
    }

    /// self^(2^n).
    func squared(times n: Int) -> Fp {
        var result = self
        for _ in 0..<n { result = result.squared() }
        return result
    }

    /// self^e for an exponent given as little-endian 64-bit words. Branches on the exponent's bits, so the exponent
    /// must be public; the base may be secret.
    func pow(_ exponent: [UInt64]) -> Fp {
        var result = Fp.one
        for word in exponent.reversed() {
            for bit in stride(from: 63, through: 0, by: -1) {
                result = result.squared()
                if (word >> UInt64(bit)) & 1 == 1 { result = result * self }
            }
        }
        return result
    }

    /// p as a Natural, from which the exponents below are derived.
    static let modulusNatural = Natural(words: [modulus.l0, modulus.l1, modulus.l2, modulus.l3, modulus.l4, modulus.l5])

    /// p - 2: by Fermat, a^(p-2) = a^-1 for a != 0.
    static let modulusMinusTwo: [UInt64] = (modulusNatural - Natural(2)).words

    /// (p + 1) / 4: since p = 3 mod 4, a^((p+1)/4) is a square root of a whenever one exists.
    static let sqrtExponent: [UInt64] = ((modulusNatural + Natural(1)) / Natural(4)).words

    /// The multiplicative inverse (zero maps to zero). Constant time: the exponent p - 2 is fixed.
    func inverse() -> Fp {
        pow(Fp.modulusMinusTwo)
    }

    /// A square root, or nil when `self` is not a square. Public data only (it branches on the result).
    func sqrt() -> Fp? {
        let candidate = pow(Fp.sqrtExponent)
        return candidate.squared() == self ? candidate : nil
    }

    /// The Legendre symbol's test: true when `self` is a non-zero square or zero.
    var isSquare: Bool { sqrt() != nil }

    // MARK: Comparison and selection

    /// All ones when the value is zero, else zero; branch-free.
    @inline(__always)
    var isZeroMask: UInt64 {
        zeroMask(l0 | l1 | l2 | l3 | l4 | l5)
    }

    var isZero: Bool { isZeroMask != 0 }

    /// `b` where `mask` is all ones, `a` where it is zero; no branch, no secret-dependent memory access.
    @inline(__always)
    static func select(_ a: Fp, _ b: Fp, mask: UInt64) -> Fp {
        Fp(
            a.l0 ^ ((a.l0 ^ b.l0) & mask), a.l1 ^ ((a.l1 ^ b.l1) & mask), a.l2 ^ ((a.l2 ^ b.l2) & mask),
            a.l3 ^ ((a.l3 ^ b.l3) & mask), a.l4 ^ ((a.l4 ^ b.l4) & mask), a.l5 ^ ((a.l5 ^ b.l5) & mask)
        )
    }

    /// All ones when equal, else zero; branch-free.
    @inline(__always)
    static func equalMask(_ a: Fp, _ b: Fp) -> UInt64 {
        zeroMask((a.l0 ^ b.l0) | (a.l1 ^ b.l1) | (a.l2 ^ b.l2) | (a.l3 ^ b.l3) | (a.l4 ^ b.l4) | (a.l5 ^ b.l5))
    }
}

extension Fp: Equatable {
    static func == (a: Fp, b: Fp) -> Bool {
        equalMask(a, b) != 0
    }
}
