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
    /// Squaring for elements of the cyclotomic subgroup (norm 1 over F_p6). Plain squaring for now.
    func cyclotomicSquared() -> Fp12 {
        squared()
    }
}
