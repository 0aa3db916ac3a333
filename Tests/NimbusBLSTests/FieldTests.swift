// Field laws for F_p, F_p2, F_p6 and F_p12 on random elements from fixed seeds, and the derived constants checked
// against their definitions.

import Testing

@testable import NimbusBLS

@Suite("Fields")
struct FieldTests {
    static let iterations = 40

    /// s = |x| for the curve seed x = -s.
    let s = Natural(BLS12381.seedMagnitude)

    @Test func modulusAndOrderFollowFromTheSeed() {
        // p = (x - 1)^2 (x^4 - x^2 + 1) / 3 + x and r = x^4 - x^2 + 1 with x = -s.
        let r = s * s * s * s - s * s + Natural(1)
        #expect(r == Scalar.orderNatural)
        let p = (s + Natural(1)) * (s + Natural(1)) * r / Natural(3) - s
        #expect(p == Fp.modulusNatural)
        #expect(p.bitWidth == 381)
        #expect(r.bitWidth == 255)
    }

    @Test func montgomeryConstants() {
        let p = Fp.modulusNatural
        let r = Natural(words: [0, 0, 0, 0, 0, 0, 1])  // 2^384
        func words(_ value: Fp) -> Natural {
            Natural(words: [value.l0, value.l1, value.l2, value.l3, value.l4, value.l5])
        }
        #expect(words(Fp.one) == r % p)
        #expect(words(Fp.rSquared) == (r * r) % p)
        #expect(Fp.modulus.l0 &* Fp.montgomeryInverse == UInt64.max)  // p * (-p^-1) = -1 mod 2^64
        #expect(Natural(words: Fp.modulusMinusTwo) == p - Natural(2))
        #expect(Fp(7).canonical == Fp(7, 0, 0, 0, 0, 0))
    }

    @Test func fpLaws() {
        var random = SeededGenerator(seed: 1)
        for _ in 0..<Self.iterations {
            let a = random.fp(), b = random.fp(), c = random.fp()
            #expect((a + b) + c == a + (b + c))
            #expect(a + b == b + a)
            #expect((a * b) * c == a * (b * c))
            #expect(a * b == b * a)
            #expect(a * (b + c) == a * b + a * c)
            #expect(a - b == a + (-b))
            #expect(a + (-a) == .zero)
            #expect(a * a.inverse() == .one)
            #expect(a.squared() == a * a)
            #expect(a.halved().doubled() == a)
            #expect(a.squared().sqrt().map { $0 == a || $0 == -a } == true)
            #expect(Fp(canonicalBigEndian: a.bigEndianBytes[...]) == a)
        }
        // Edge values through the dedicated squaring: 0, 1, -1 = p - 1, and 2^383 mod p.
        let large = Fp(reducingBigEndian: ([0x80] + [UInt8](repeating: 0, count: 47))[...])
        for edge in [Fp.zero, Fp.one, -Fp.one, large, -large] {
            #expect(edge.squared() == edge * edge)
        }
        #expect((-Fp.one).squared() == .one)
        #expect(Fp.zero.inverse() == .zero)
        #expect((-Fp.one).sqrt() == nil)  // p = 3 mod 4: -1 is not a square
        #expect(Fp(canonicalBigEndian: wordsToBigEndian(Fp.modulusNatural.words)[...]) == nil)
    }

    @Test func fpReductionMatchesIntegerReduction() {
        var random = SeededGenerator(seed: 2)
        for length in [1, 7, 8, 33, 48, 64, 100] {
            let bytes = random.bytes(length)
            var value = Natural(0)
            for byte in bytes { value = value * Natural(256) + Natural(UInt64(byte)) }
            let reduced = Fp(reducingBigEndian: bytes[...]).canonical
            #expect(Natural(words: [reduced.l0, reduced.l1, reduced.l2, reduced.l3, reduced.l4, reduced.l5])
                == value % Fp.modulusNatural)
        }
    }

    @Test func fp2Laws() {
        var random = SeededGenerator(seed: 3)
        for _ in 0..<Self.iterations {
            let a = random.fp2(), b = random.fp2(), c = random.fp2()
            #expect((a * b) * c == a * (b * c))
            #expect(a * (b + c) == a * b + a * c)
            #expect(a * a.inverse() == .one)
            #expect(a.squared() == a * a)
            #expect(a.timesXi() == a * Fp2.xi)
            #expect((a * b).conjugated() == a.conjugated() * b.conjugated())
            #expect(a.squared().sqrt().map { $0 == a || $0 == -a } == true)
            #expect(a.pow(Fp.modulusNatural.words) == a.conjugated())  // Frobenius is conjugation
        }
        // Every element of F_p is a square in F_p2, -1 included; xi is neither a square nor a cube (so the tower's
        // polynomials are irreducible).
        #expect((-Fp2.one).sqrt().map { $0.squared() == -Fp2.one } == true)
        let order = Fp.modulusNatural * Fp.modulusNatural - Natural(1)
        #expect(Fp2.xi.pow((order / Natural(2)).words) != .one)
        #expect(Fp2.xi.pow((order / Natural(3)).words) != .one)
        #expect(Fp2.xi.sqrt() == nil)
    }

    @Test func fp6AndFp12Laws() {
        var random = SeededGenerator(seed: 4)
        for _ in 0..<10 {
            let a = random.fp6(), b = random.fp6(), c = random.fp6()
            #expect((a * b) * c == a * (b * c))
            #expect(a.squared() == a * a)
            #expect(a * a.inverse() == .one)
            #expect(a.timesV() == a * Fp6(.zero, .one, .zero))
            let b0 = random.fp2(), b1 = random.fp2()
            #expect(a.times(b0, b1) == a * Fp6(b0, b1, .zero))
            #expect(a.times(v: b1) == a * Fp6(.zero, b1, .zero))

            let f = random.fp12(), g = random.fp12(), h = random.fp12()
            #expect((f * g) * h == f * (g * h))
            #expect(f * g == g * f)
            #expect(f.squared() == f * f)
            #expect(f * f.inverse() == .one)
            let l0 = random.fp2(), l1 = random.fp2(), l4 = random.fp2()
            #expect(f.timesLine(l0, l1, l4) == f * Fp12(Fp6(l0, l1, .zero), Fp6(.zero, l4, .zero)))
        }
    }

    @Test func frobeniusIsThePowerByP() {
        var random = SeededGenerator(seed: 5)
        let p = Fp.modulusNatural
        for _ in 0..<2 {
            let f = random.fp12()
            let fp = f.pow(p)
            #expect(f.frobenius(1) == fp)
            #expect(f.frobenius(2) == fp.pow(p))
            #expect(f.frobenius(3) == f.frobenius(2).frobenius(1))
            // p^6-power Frobenius is conjugation over F_p6.
            #expect(f.frobenius(3).frobenius(3) == f.conjugated())
        }
    }

    @Test func cyclotomicSquaringMatchesSquaring() {
        var random = SeededGenerator(seed: 6)
        for _ in 0..<10 {
            // Map a random element into the cyclotomic subgroup with the easy part of the final exponentiation.
            let f = random.fp12()
            var g = f.conjugated() * f.inverse()
            g = g.frobenius(2) * g
            #expect(g.cyclotomicSquared() == g.squared())
            #expect(g * g.conjugated() == .one)
        }
    }

    @Test func naturalArithmetic() {
        let a = Natural(hex: "0x1234567890abcdef1234567890abcdef1234567890")!
        let b = Natural(hex: "fedcba0987654321")!
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        #expect(q * b + r == a)
        #expect(r < b)
        #expect(a.description == "0x1234567890abcdef1234567890abcdef1234567890")
        #expect(Natural(hex: "xyz") == nil)
    }
}
