// The optimal ate pairing on BLS12-381: a Miller loop over the bits of |x| (x = -0xd201000000010000, the curve
// seed) followed by the final exponentiation to the power (p^12 - 1) / r. Pairing inputs and outputs are public
// in BLS (public keys, messages' hashes, signatures), so this code may branch on the loop's public bits.

/// Pairing computations over G1 x G2 into GT, a subgroup of F_p12.
enum Pairing {
    /// A G2 point during the Miller loop, in homogeneous projective coordinates on the twist.
    private struct LoopPoint {
        var x: Fp2
        var y: Fp2
        var z: Fp2
    }

    /// The coefficients (l0, l1, l4) of a line value l0 + l1 w^2 + l4 w^3, the line through twist points T and Q
    /// (or tangent at T) evaluated at P = (xP, yP) in G1, multiplied by w^3 and by F_p2 factors, all of which the
    /// final exponentiation removes. For the untwisted points (x / w^2, y / w^3), a line of twist slope s through
    /// (x1, y1) is yP - y1 / w^3 - (s / w)(xP - x1 / w^2); times w^3 this is (s x1 - y1) - s xP w^2 + yP w^3.
    private typealias Line = (Fp2, Fp2, Fp2)

    /// T = 2T and the tangent line at T, in the formulas of Costello, Lange and Naehrig ("Faster pairing
    /// computations on curves with high-degree twists", 2010) as written by Aranha et al. ("Faster explicit
    /// formulas for computing pairings over ordinary curves", 2011, section 4, a = 0, b' = 4 xi).
    private static func doublingStep(_ t: inout LoopPoint, xP: Fp, yP: Fp) -> Line {
        let a = (t.x * t.y).halved()
        let b = t.y.squared()
        let c = t.z.squared()
        let e = G2Curve.timesB3(c)  // 3 b' Z^2
        let f = e + e + e
        let g = (b + f).halved()
        let h = (t.y + t.z).squared() - (b + c)  // 2 Y Z
        let i = e - b
        let j = t.x.squared()
        let eSquared = e.squared()
        t.x = a * (b - f)
        t.y = g.squared() - (eSquared + eSquared + eSquared)
        t.z = b * h
        // Slope 3X^2 / 2YZ; scaled by -2YZ: constant 3b'Z^2 - Y^2, w^2 term 3X^2 xP, w^3 term -2YZ yP.
        return (i, (j + j + j) * xP, -(h * yP))
    }

    /// T = T + Q for an affine Q and the line through T and Q (same sources, mixed addition).
    private static func additionStep(_ t: inout LoopPoint, qx: Fp2, qy: Fp2, xP: Fp, yP: Fp) -> Line {
        let theta = t.y - qy * t.z
        let lambda = t.x - qx * t.z
        let c = theta.squared()
        let d = lambda.squared()
        let e = lambda * d
        let f = t.z * c
        let g = t.x * d
        let h = e + f - g.doubled()
        t.x = lambda * h
        t.y = theta * (g - h) - e * t.y
        t.z = t.z * e
        // Slope theta / lambda through Q; scaled by lambda: constant theta xQ - lambda yQ, w^2 term -theta xP,
        // w^3 term lambda yP.
        return (theta * qx - lambda * qy, -(theta * xP), lambda * yP)
    }

    /// The product of the Miller loop values f_{|x|, Q}(P) over the pairs, conjugated because x < 0. Pairs with
    /// an identity on either side contribute 1 and are skipped.
    static func millerLoop(_ pairs: [(G1Point, G2Point)]) -> Fp12 {
        var g1s = [(x: Fp, y: Fp)]()
        var g2s = [(x: Fp2, y: Fp2)]()
        for (p, q) in pairs {
            guard let pAffine = p.projective.affine, let qAffine = q.projective.affine else { continue }
            g1s.append(pAffine)
            g2s.append(qAffine)
        }
        if g1s.isEmpty { return .one }
        var ts = g2s.map { LoopPoint(x: $0.x, y: $0.y, z: .one) }
        var f = Fp12.one
        let seed = BLS12381.seedMagnitude
        // The top bit of |x| is the starting point T = Q.
        for bit in stride(from: 62, through: 0, by: -1) {
            f = f.squared()
            for index in ts.indices {
                let line = doublingStep(&ts[index], xP: g1s[index].x, yP: g1s[index].y)
                f = f.timesLine(line.0, line.1, line.2)
            }
            if (seed >> UInt64(bit)) & 1 == 1 {
                for index in ts.indices {
                    let line = additionStep(
                        &ts[index], qx: g2s[index].x, qy: g2s[index].y, xP: g1s[index].x, yP: g1s[index].y
                    )
                    f = f.timesLine(line.0, line.1, line.2)
                }
            }
        }
        // f_{x,Q} = 1 / f_{|x|,Q} up to factors the final exponentiation removes, and 1/f = conj(f) there.
        return f.conjugated()
    }

    /// g^x for g in the cyclotomic subgroup, where the inverse is the conjugate: conj(g^|x|).
    private static func powerBySeed(_ g: Fp12) -> Fp12 {
        var result = g
        let seed = BLS12381.seedMagnitude
        for bit in stride(from: 62, through: 0, by: -1) {
            result = result.cyclotomicSquared()
            if (seed >> UInt64(bit)) & 1 == 1 { result = result * g }
        }
        return result.conjugated()
    }

    /// f^(3 (p^12 - 1) / r). The easy part f^((p^6 - 1)(p^2 + 1)) lands in the cyclotomic subgroup; the hard
    /// part uses 3 (p^4 - p^2 + 1) / r = (x - 1)^2 (x + p)(x^2 + p^2 - 1) + 3 (Hayashida, Hayasaka and Teruya,
    /// "Efficient final exponentiation via cyclotomic structure for pairings over families of elliptic curves",
    /// 2020), which costs four powers by x. The extra factor 3 is prime to r, so the result is still a
    /// non-degenerate bilinear pairing, and "equals one" (all verification needs) is unchanged.
    static func finalExponentiation(_ f: Fp12) -> Fp12 {
        var g = f.conjugated() * f.inverse()  // f^(p^6 - 1)
        g = g.frobenius(2) * g  // ^(p^2 + 1)
        var a = powerBySeed(g) * g.conjugated()  // g^(x - 1)
        a = powerBySeed(a) * a.conjugated()  // g^((x - 1)^2)
        let b = powerBySeed(a) * a.frobenius(1)  // ^(x + p)
        let c = powerBySeed(powerBySeed(b)) * b.frobenius(2) * b.conjugated()  // ^(x^2 + p^2 - 1)
        return c * g.squared() * g  // times g^3
    }

    /// e(P, Q).
    static func pairing(_ p: G1Point, _ q: G2Point) -> Fp12 {
        finalExponentiation(millerLoop([(p, q)]))
    }

    /// Whether the product of e(P_i, Q_i) is one, with one shared Miller loop and one final exponentiation.
    static func productIsOne(_ pairs: [(G1Point, G2Point)]) -> Bool {
        finalExponentiation(millerLoop(pairs)).isOne
    }
}
