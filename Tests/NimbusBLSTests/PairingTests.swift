// The pairing: bilinearity on random scalars, non-degeneracy, order r of the values, and the multi-pairing.

import Testing

@testable import NimbusBLS

@Suite("Pairing")
struct PairingTests {
    @Test func bilinearity() {
        var random = SeededGenerator(seed: 20)
        let p = G1Point.generator, q = G2Point.generator
        let base = Pairing.pairing(p, q)
        for _ in 0..<3 {
            let a = random.scalar(), b = random.scalar()
            let aNatural = Natural(words: [a.w0, a.w1, a.w2, a.w3]), bNatural = Natural(words: [b.w0, b.w1, b.w2, b.w3])
            let left = Pairing.pairing(
                G1Point(p.projective.multiplied(bySecret: a)), G2Point(q.projective.multiplied(bySecret: b))
            )
            // e(aP, bQ) = e(P, Q)^(ab)
            #expect(left == base.pow(aNatural).pow(bNatural))
            // e(aP, Q) = e(P, aQ)
            #expect(Pairing.pairing(G1Point(p.projective.multiplied(bySecret: a)), q)
                == Pairing.pairing(p, G2Point(q.projective.multiplied(bySecret: a))))
        }
        // Bilinear in each argument for random points (not only the generators).
        let p1 = G1Point(random.g1()), p2 = G1Point(random.g1()), q1 = G2Point(random.g2())
        #expect(Pairing.pairing(p1 + p2, q1) == Pairing.pairing(p1, q1) * Pairing.pairing(p2, q1))
    }

    @Test func nonDegenerateWithValuesOfOrderR() {
        let value = Pairing.pairing(G1Point.generator, G2Point.generator)
        #expect(!value.isOne)
        #expect(value.pow(Scalar.orderNatural).isOne)
        #expect(Pairing.pairing(.identity, G2Point.generator).isOne)
        #expect(Pairing.pairing(G1Point.generator, .identity).isOne)
    }

    @Test func multiPairing() {
        var random = SeededGenerator(seed: 21)
        let p = G1Point(random.g1()), q = G2Point(random.g2())
        #expect(Pairing.productIsOne([(p, q), (-p, q)]))
        #expect(Pairing.productIsOne([(p, q), (p, -q)]))
        #expect(!Pairing.productIsOne([(p, q), (p, q)]))
        #expect(Pairing.productIsOne([]))
        let product = Pairing.finalExponentiation(Pairing.millerLoop([(p, q), (G1Point.generator, G2Point.generator)]))
        #expect(product == Pairing.pairing(p, q) * Pairing.pairing(G1Point.generator, G2Point.generator))
    }
}
