// hash_to_curve for BLS12381G2_XMD:SHA-256_SSWU_RO_ (RFC 9380 section 8.8.2): hash_to_field to two F_p2 elements,
// the simplified SWU map onto a curve E2' 3-isogenous to the twist (section 6.6.2, because the twist has A = 0),
// the 3-isogeny back to the twist (appendix E.3), and cofactor clearing (section 7, appendix G.3). Messages are
// public, so this code branches freely.

extension BLS {
    /// hash_to_curve(msg) onto G2 with the given DST (random-oracle variant, RFC 9380 section 3).
    public static func hashToG2(_ message: [UInt8], dst: [UInt8]) -> G2Point {
        let u = hashToFieldFp2(message, dst: dst, count: 2)
        let q0 = HashToG2.mapToCurve(u[0])
        let q1 = HashToG2.mapToCurve(u[1])
        return G2Point(HashToG2.clearCofactor(q0.adding(q1)))
    }

    /// hash_to_field for F_p2 (RFC 9380 section 5.2): L = ceil((381 + 128) / 8) = 64 bytes per F_p coefficient,
    /// so that the reduction mod p is within 2^-128 of uniform.
    static func hashToFieldFp2(_ message: [UInt8], dst: [UInt8], count: Int) -> [Fp2] {
        let chunk = 64
        let bytes = expandMessageXMD(message, dst: dst, length: count * 2 * chunk)
        return (0..<count).map { index in
            let start = index * 2 * chunk
            return Fp2(
                Fp(reducingBigEndian: bytes[start..<(start + chunk)]),
                Fp(reducingBigEndian: bytes[(start + chunk)..<(start + 2 * chunk)])
            )
        }
    }
}

/// The G2 map-to-curve pieces.
enum HashToG2 {
    /// E2': y^2 = x^3 + A' x + B' with A' = 240 u and B' = 1012 (1 + u) (RFC 9380 section 8.8.2).
    static let isoA = Fp2(.zero, Fp(240))
    static let isoB = Fp2(Fp(1012), Fp(1012))
    /// Z = -(2 + u): the non-square the RFC fixes for this suite (it meets the criteria of section 6.6.2).
    static let sswuZ = -Fp2(Fp(2), Fp(1))
    /// -B'/A' and B'/(Z A'), the x1 of step 2 without its (1 + tv1) factor, and of the exceptional step 3.
    static let minusBOverA = -isoB * isoA.inverse()
    static let exceptionalX = isoB * (sswuZ * isoA).inverse()

    /// The simplified SWU map of RFC 9380 section 6.6.2 (the straight-line description), onto E2'.
    static func simplifiedSWU(_ u: Fp2) -> (x: Fp2, y: Fp2) {
        let a = isoA, b = isoB, z = sswuZ
        let zu2 = z * u.squared()
        let denominator = zu2.squared() + zu2  // Z^2 u^4 + Z u^2
        // Step 3's exceptional case, else step 2.
        let x1 = denominator.isZero ? exceptionalX : minusBOverA * (Fp2.one + denominator.inverse())
        let gx1 = (x1.squared() + a) * x1 + b
        var x = x1
        var y: Fp2
        if let root = gx1.sqrt() {
            y = root
        } else {
            x = zu2 * x1
            let gx2 = (x.squared() + a) * x + b
            // When g(x1) is not square, g(x2) = Z^3 u^6 g(x1) is (Z is a non-square).
            guard let root = gx2.sqrt() else { preconditionFailure("simplified SWU: neither g(x1) nor g(x2) square") }
            y = root
        }
        if u.sgn0 != y.sgn0 { y = -y }
        return (x, y)
    }

    /// The 3-isogeny E2' -> E' of RFC 9380 appendix E.3 as the four polynomials in x', coefficients listed from
    /// the constant term up (the denominators are monic; their leading 1 is included).
    static let xNumerator = [
        fp2(
            "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6",
            "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6"
        ),
        fp2(
            "0",
            "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a"
        ),
        fp2(
            "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e",
            "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d"
        ),
        fp2(
            "171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1",
            "0"
        ),
    ]
    /// x^2 + (12 - 12 u) x - 72 u.
    static let xDenominator = [
        Fp2(.zero, -Fp(72)),
        Fp2(Fp(12), -Fp(12)),
        Fp2.one,
    ]
    static let yNumerator = [
        fp2(
            "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706",
            "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706"
        ),
        fp2(
            "0",
            "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be"
        ),
        fp2(
            "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c",
            "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f"
        ),
        fp2(
            "124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10",
            "0"
        ),
    ]
    /// x^3 + (18 - 18 u) x^2 - 216 u x - 432 (1 + u).
    static let yDenominator = [
        Fp2(-Fp(432), -Fp(432)),
        Fp2(.zero, -Fp(216)),
        Fp2(Fp(18), -Fp(18)),
        Fp2.one,
    ]

    /// Horner evaluation of a polynomial given from the constant term up.
    static func evaluate(_ coefficients: [Fp2], at x: Fp2) -> Fp2 {
        var result = coefficients[coefficients.count - 1]
        for coefficient in coefficients.dropLast().reversed() { result = result * x + coefficient }
        return result
    }

    /// The 3-isogeny, returned in projective form so that no inversion is needed: (x_num y_den : y' y_num x_den :
    /// x_den y_den). A zero denominator (the isogeny's kernel) gives the identity, as RFC 9380 section 6.6.3 says.
    static func isogeny(_ point: (x: Fp2, y: Fp2)) -> G2Projective {
        let xNum = evaluate(xNumerator, at: point.x)
        let xDen = evaluate(xDenominator, at: point.x)
        let yNum = evaluate(yNumerator, at: point.x)
        let yDen = evaluate(yDenominator, at: point.x)
        let z = xDen * yDen
        if z.isZero { return .identity }
        return G2Projective(x: xNum * yDen, y: point.y * yNum * xDen, z: z)
    }

    /// map_to_curve: simplified SWU then the isogeny.
    static func mapToCurve(_ u: Fp2) -> G2Projective {
        isogeny(simplifiedSWU(u))
    }

    /// clear_cofactor(P) = [h_eff] P, computed as [x^2 - x - 1] P + [x - 1] psi(P) + psi^2(2P) (Budroni and
    /// Pintore; RFC 9380 appendix G.3), which the RFC states is the same map as multiplying by h_eff.
    static func clearCofactor(_ p: G2Projective) -> G2Projective {
        let t1 = G2Point.timesSeed(p)  // [x] P
        var t2 = G2Point.psi(p)  // psi(P)
        var t3 = G2Point.psi(G2Point.psi(p.doubled()))  // psi^2(2P)
        t3 = t3.subtracting(t2)
        t2 = G2Point.timesSeed(t1.adding(t2))  // [x]([x] P + psi(P))
        t3 = t3.adding(t2)
        t3 = t3.subtracting(t1)
        return t3.subtracting(p)
    }

    /// h_eff = 3 (x^2 - 1) h2 with h2 = (x^8 - 4x^7 + 5x^6 - 4x^4 + 6x^3 - 4x^2 - 4x + 13) / 9 the cofactor of G2
    /// (RFC 9380 section 8.8.2 gives its value; the tests check both the value and the equivalence above).
    static let effectiveCofactor: Natural = {
        // x is negative: evaluate with |x| and the signs of the odd powers flipped.
        let s = Natural(BLS12381.seedMagnitude)
        let s2 = s * s, s3 = s2 * s, s4 = s3 * s, s6 = s4 * s2, s7 = s6 * s, s8 = s7 * s
        let h2 = (s8 + Natural(4) * s7 + Natural(5) * s6 + Natural(4) * s + Natural(13)
            - Natural(4) * s4 - Natural(6) * s3 - Natural(4) * s2) / Natural(9)
        return Natural(3) * (s2 - Natural(1)) * h2
    }()
}
