// Group laws of G1 and G2 in projective coordinates, the generators and orders, the endomorphisms behind the fast
// subgroup checks (compared with multiplication by r on points inside and outside the subgroups), cofactor
// clearing and the isogeny, and the scalar multiplications (constant-time versus plain).

import Testing

@testable import NimbusBLS

/// An independent affine addition (the textbook chord-and-tangent rule), to check the projective formulas.
func affineAdd<F: FieldElement>(_ p: (x: F, y: F)?, _ q: (x: F, y: F)?) -> (x: F, y: F)? {
    guard let p else { return q }
    guard let q else { return p }
    let slope: F
    if p.x == q.x {
        if p.y == -q.y { return nil }
        slope = (p.x.squared() + p.x.squared() + p.x.squared()) * p.y.doubled().inverse()
    } else {
        slope = (q.y - p.y) * (q.x - p.x).inverse()
    }
    let x = slope.squared() - p.x - q.x
    return (x, slope * (p.x - x) - p.y)
}

/// A random point of E (G1's curve) that is almost surely outside G1 (the cofactor is about 2^125).
func randomCurvePointG1(_ random: inout SeededGenerator) -> G1Projective {
    while true {
        let x = random.fp()
        if let y = (x.squared() * x + G1Curve.b).sqrt() { return G1Projective(affineX: x, affineY: y) }
    }
}

/// A random point of the twist E' that is almost surely outside G2.
func randomCurvePointG2(_ random: inout SeededGenerator) -> G2Projective {
    while true {
        let x = random.fp2()
        if let y = (x.squared() * x + G2Curve.b).sqrt() { return G2Projective(affineX: x, affineY: y) }
    }
}

@Suite("Curves")
struct CurveTests {
    @Test func generators() {
        #expect(G1Point.generator.projective.isOnCurve)
        #expect(G2Point.generator.projective.isOnCurve)
        #expect(G1Point.generator.isInSubgroupByOrder)
        #expect(G2Point.generator.isInSubgroupByOrder)
        #expect(hex(G1Point.generator.compressed)
            == "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb")
        #expect(hex(G2Point.generator.compressed)
            == "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"
            + "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8")
    }

    @Test func projectiveFormulasMatchAffineArithmetic() {
        var random = SeededGenerator(seed: 10)
        for _ in 0..<10 {
            let p = randomCurvePointG1(&random), q = randomCurvePointG1(&random)
            #expect(p.adding(q).affine.map { [$0.x, $0.y] } == affineAdd(p.affine, q.affine).map { [$0.x, $0.y] })
            #expect(p.doubled().affine.map { [$0.x, $0.y] } == affineAdd(p.affine, p.affine).map { [$0.x, $0.y] })
            let r = randomCurvePointG2(&random), s = randomCurvePointG2(&random)
            #expect(r.adding(s).affine.map { [$0.x, $0.y] } == affineAdd(r.affine, s.affine).map { [$0.x, $0.y] })
            #expect(r.doubled().affine.map { [$0.x, $0.y] } == affineAdd(r.affine, r.affine).map { [$0.x, $0.y] })
        }
    }

    @Test func groupLaws() {
        var random = SeededGenerator(seed: 11)
        for _ in 0..<5 {
            let a = random.g1(), b = random.g1(), c = random.g1()
            #expect(a.adding(b).adding(c) == a.adding(b.adding(c)))
            #expect(a.adding(b) == b.adding(a))
            #expect(a.adding(.identity) == a)
            #expect(a.adding(a.negated()).isIdentity)
            #expect(a.adding(a) == a.doubled())
            #expect(a.adding(b).isOnCurve)
            let d = random.g2(), e = random.g2(), f = random.g2()
            #expect(d.adding(e).adding(f) == d.adding(e.adding(f)))
            #expect(d.adding(e) == e.adding(d))
            #expect(d.adding(d.negated()).isIdentity)
            #expect(d.adding(d) == d.doubled())
        }
        #expect(G1Projective.identity.doubled().isIdentity)
        #expect(G2Projective.identity.adding(.identity).isIdentity)
        #expect(G1Projective.identity == G1Projective(x: .zero, y: Fp(5), z: .zero))
    }

    @Test func scalarMultiplication() {
        var random = SeededGenerator(seed: 12)
        for _ in 0..<4 {
            let k = random.scalar(), m = random.scalar()
            let kNatural = Natural(words: [k.w0, k.w1, k.w2, k.w3])
            let p = random.g1(), q = random.g2()
            #expect(p.multiplied(bySecret: k) == p.multiplied(byPublic: kNatural))
            #expect(q.multiplied(bySecret: k) == q.multiplied(byPublic: kNatural))
            // (k + m) P = k P + m P, with k + m reduced mod r.
            let sum = (kNatural + Natural(words: [m.w0, m.w1, m.w2, m.w3])) % Scalar.orderNatural
            #expect(p.multiplied(byPublic: sum) == p.multiplied(bySecret: k).adding(p.multiplied(bySecret: m)))
        }
        // Small and edge scalars through the constant-time path.
        let g = G1Point.generator.projective
        #expect(g.multiplied(bySecret: Scalar(1, 0, 0, 0)) == g)
        #expect(g.multiplied(bySecret: Scalar(16, 0, 0, 0)) == g.doubled().doubled().doubled().doubled())
        #expect(g.multiplied(bySecret: .zero).isIdentity)
        #expect(g.multiplied(bySecret: Scalar.order).isIdentity)
        var rMinusOne = Scalar.order
        rMinusOne.w0 -= 1
        #expect(g.multiplied(bySecret: rMinusOne) == g.negated())
    }

    @Test func endomorphismsActAsTheirEigenvalues() {
        let g1 = G1Point.generator.projective
        let beta = G1Point.cubeRootOfUnity
        #expect(beta != .one && beta.squared() * beta == .one)
        let phi = G1Projective(x: g1.x * beta, y: g1.y, z: g1.z)
        #expect(phi == g1.multiplied(byPublic: G1Point.seedSquared).negated())
        let g2 = G2Point.generator.projective
        #expect(G2Point.psi(g2) == G2Point.timesSeed(g2))
        #expect(G2Point.psi(g2).isOnCurve)
    }

    @Test func fastSubgroupChecksAgreeWithMultiplicationByR() {
        var random = SeededGenerator(seed: 13)
        for _ in 0..<6 {
            let inside1 = G1Point(random.g1()), inside2 = G2Point(random.g2())
            #expect(inside1.isInSubgroup && inside1.isInSubgroupByOrder)
            #expect(inside2.isInSubgroup && inside2.isInSubgroupByOrder)
            let outside1 = G1Point(randomCurvePointG1(&random)), outside2 = G2Point(randomCurvePointG2(&random))
            #expect(outside1.isInSubgroup == outside1.isInSubgroupByOrder)
            #expect(outside2.isInSubgroup == outside2.isInSubgroupByOrder)
            #expect(!outside1.isInSubgroup && !outside2.isInSubgroup)
        }
        #expect(G1Point.identity.isInSubgroup && G2Point.identity.isInSubgroup)
    }

    @Test func cofactorClearingIsMultiplicationByHEff() {
        // The value printed in RFC 9380 section 8.8.2.
        let rfcValue = "bc69f08f2ee75b3584c6a0ea91b352888e2a8e9145ad7689986ff031508ffe1329c2f178731db956d82bf015d1212b0"
            + "2ec0ec69d7477c1ae954cbc06689f6a359894c0adebbf6b4e8020005aaa95551"
        #expect(HashToG2.effectiveCofactor == Natural(hex: rfcValue))
        var random = SeededGenerator(seed: 14)
        for _ in 0..<3 {
            let p = randomCurvePointG2(&random)
            let cleared = HashToG2.clearCofactor(p)
            #expect(cleared == p.multiplied(byPublic: HashToG2.effectiveCofactor))
            #expect(G2Point(cleared).isInSubgroupByOrder)
        }
    }

    @Test func isogenyMapsOntoTheTwist() {
        var random = SeededGenerator(seed: 15)
        var mapped = 0
        while mapped < 5 {
            let x = random.fp2()
            guard let y = ((x.squared() + HashToG2.isoA) * x + HashToG2.isoB).sqrt() else { continue }
            let image = HashToG2.isogeny((x, y))
            #expect(image.isOnCurve && !image.isIdentity)
            mapped += 1
        }
        // The SSWU map lands on E2' for arbitrary inputs, the exceptional u = 0 included.
        for u in [Fp2.zero, Fp2.one, random.fp2(), random.fp2()] {
            let (x, y) = HashToG2.simplifiedSWU(u)
            #expect(y.squared() == (x.squared() + HashToG2.isoA) * x + HashToG2.isoB)
        }
    }

    @Test func serializationRoundTrips() throws {
        var random = SeededGenerator(seed: 16)
        for _ in 0..<8 {
            let p = G1Point(random.g1()), q = G2Point(random.g2())
            #expect(try G1Point(compressed: p.compressed) == p)
            #expect(try G2Point(compressed: q.compressed) == q)
            #expect(try G1Point(compressed: (-p).compressed) == -p)
            #expect(try G2Point(compressed: (-q).compressed) == -q)
            #expect(p.compressed != (-p).compressed)
            #expect(p.uncompressed.count == 96 && q.uncompressed.count == 192)
        }
        #expect(try G1Point(compressed: G1Point.identity.compressed).isIdentity)
        #expect(try G2Point(compressed: G2Point.identity.compressed).isIdentity)
        #expect(G1Point.identity.compressed == [0xc0] + [UInt8](repeating: 0, count: 47))
    }
}
