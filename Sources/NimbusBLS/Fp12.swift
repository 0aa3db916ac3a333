// F_p12 = F_p6[w] / (w^2 - v), so w^6 = xi. The pairing's values live here (in its order-r subgroup GT).

/// An element c0 + c1 w of F_p12. Branch-free arithmetic; the pairing runs only on public data in this module, but
/// nothing here depends on the values.
struct Fp12: Sendable, Equatable {
    var c0: Fp6
    var c1: Fp6

    @inline(__always)
    init(_ c0: Fp6, _ c1: Fp6) {
        self.c0 = c0
        self.c1 = c1
    }

    static let one = Fp12(.one, .zero)
    static let zero = Fp12(.zero, .zero)

    static func * (a: Fp12, b: Fp12) -> Fp12 {
        let t0 = a.c0 * b.c0
        let t1 = a.c1 * b.c1
        return Fp12(t1.timesV() + t0, (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1)
    }

    static func *= (a: inout Fp12, b: Fp12) { a = a * b }

    /// (c0 + c1 w)^2 = (c0 + c1)(c0 + v c1) - (1 + v) c0 c1 + 2 c0 c1 w: two F_p6 multiplications.
    func squared() -> Fp12 {
        let product = c0 * c1
        let c0New = (c0 + c1) * (c0 + c1.timesV()) - product - product.timesV()
        return Fp12(c0New, product.doubled())
    }

    /// Conjugation over F_p6, which is the p^6-power Frobenius; on the cyclotomic subgroup it is the inverse.
    func conjugated() -> Fp12 { Fp12(c0, -c1) }

    /// (c0 - c1 w) / (c0^2 - v c1^2); zero maps to zero.
    func inverse() -> Fp12 {
        let inverse = (c0.squared() - c1.squared().timesV()).inverse()
        return Fp12(c0 * inverse, -(c1 * inverse))
    }

    /// Multiplication by a line value l0 + l1 w^2 + l4 w^3 = (l0 + l1 v) + (l4 v) w: the shape produced by the
    /// Miller loop on the M-type twist (see `Pairing.swift`). 13 F_p2 multiplications instead of 18.
    func timesLine(_ l0: Fp2, _ l1: Fp2, _ l4: Fp2) -> Fp12 {
        let t0 = c0.times(l0, l1)
        let t1 = c1.times(v: l4)
        let c1New = (c0 + c1).times(l0, l1 + l4) - t0 - t1
        return Fp12(t1.timesV() + t0, c1New)
    }

    /// self^e for a public exponent given as a Natural.
    func pow(_ exponent: Natural) -> Fp12 {
        var result = Fp12.one
        for index in stride(from: exponent.bitWidth - 1, through: 0, by: -1) {
            result = result.squared()
            if exponent.bit(index) { result = result * self }
        }
        return result
    }

    var isOne: Bool { self == .one }
}

extension Fp12 {
    /// (a + b s)^2 in F_p4 = F_p2[s] / (s^2 - xi), as (a^2 + xi b^2, 2ab) with 2ab = (a + b)^2 - a^2 - b^2.
    @inline(__always)
    private static func fp4Squared(_ a: Fp2, _ b: Fp2) -> (Fp2, Fp2) {
        let a2 = a.squared()
        let b2 = b.squared()
        return (b2.timesXi() + a2, (a + b).squared() - a2 - b2)
    }

    /// Squaring in the cyclotomic subgroup (the elements with f^(p^4 - p^2 + 1) = 1, where every value lands
    /// after the easy part of the final exponentiation), after Granger and Scott ("Faster squaring in the
    /// cyclotomic subgroup of sixth degree extensions", PKC 2010, section 3.1). F_p12 is seen as a cubic extension
    /// of F_p4 = F_p2[w^3]; for a unitary element the squares of its three F_p4 coefficients determine the result,
    /// so nine F_p2 squarings replace a full F_p12 squaring. Only valid in that subgroup (the tests check it).
    func cyclotomicSquared() -> Fp12 {
        // With s = w^3 (s^2 = xi), f = A0 + A1 w + A2 w^2 over F_p4 = F_p2[s], where A0 = g0 + g3 s,
        // A1 = g1 + g4 s, A2 = g2 + g5 s and g_k is the coefficient of w^k (c0 = g0, g2, g4; c1 = g1, g3, g5).
        // For unitary f: f^2 = (3 A0^2 - 2 conj(A0)) + (3 s A2^2 + 2 conj(A1)) w + (3 A1^2 - 2 conj(A2)) w^2,
        // where conj negates the s part (it is the p^2-power Frobenius of F_p4).
        let (a0, a1) = Fp12.fp4Squared(c0.c0, c1.c1)  // A0^2
        let (b0, b1) = Fp12.fp4Squared(c1.c0, c0.c2)  // A1^2
        let (d0, d1) = Fp12.fp4Squared(c0.c1, c1.c2)  // A2^2
        func threeMinusTwo(_ t: Fp2, _ z: Fp2) -> Fp2 { let u = t - z; return u + u + t }
        func threePlusTwo(_ t: Fp2, _ z: Fp2) -> Fp2 { let u = t + z; return u + u + t }
        return Fp12(
            Fp6(threeMinusTwo(a0, c0.c0), threeMinusTwo(b0, c0.c1), threeMinusTwo(d0, c0.c2)),
            Fp6(threePlusTwo(d1.timesXi(), c1.c0), threePlusTwo(a1, c1.c1), threePlusTwo(b1, c1.c2))
        )
    }
}
