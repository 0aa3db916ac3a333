// The two curves of BLS12-381 (draft-irtf-cfrg-pairing-friendly-curves, section 4.2.1): E: y^2 = x^3 + 4 over F_p
// carries G1; its M-type sextic twist E': y^2 = x^3 + 4 (1 + u) over F_p2 carries G2.

/// E over F_p, b = 4.
enum G1Curve: CurveDescription {
    static let b = Fp(4)

    /// 12 a by doublings and one addition.
    @inline(__always)
    static func timesB3(_ value: Fp) -> Fp {
        let four = value.doubled().doubled()
        let eight = four.doubled()
        return eight + four
    }
}

/// E' over F_p2, b = 4 xi with xi = 1 + u.
enum G2Curve: CurveDescription {
    static let b = Fp2(Fp(4), Fp(4))

    /// 12 xi a: the multiplication by xi is one subtraction and one addition.
    @inline(__always)
    static func timesB3(_ value: Fp2) -> Fp2 {
        let shifted = value.timesXi()
        let four = shifted.doubled().doubled()
        let eight = four.doubled()
        return eight + four
    }
}

typealias G1Projective = ProjectivePoint<G1Curve>
typealias G2Projective = ProjectivePoint<G2Curve>
