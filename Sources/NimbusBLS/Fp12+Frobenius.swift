// Frobenius maps f -> f^(p^n) on F_p12, used by the final exponentiation.
//
// Written over w (w^6 = xi), an element is the sum of g_k w^k for k = 0...5 with g_k in F_p2, stored as
// c0 = g0 + g2 v + g4 v^2 and c1 = g1 + g3 v + g5 v^2 (v = w^2). Then (g_k w^k)^(p^n) = g_k^(p^n) w^k
// w^(k (p^n - 1)) and w^(k (p^n - 1)) = xi^(k (p^n - 1) / 6), which is in F_p2 because p = 1 mod 6.

extension Fp12 {
    /// gamma[n - 1][k - 1] = xi^(k (p^n - 1) / 6) for n = 1, 2, 3 and k = 1...5, derived from p at first use.
    static let frobeniusCoefficients: [[Fp2]] = (1...3).map { n in
        var pPower = Natural(1)
        for _ in 0..<n { pPower = pPower * Fp.modulusNatural }
        let gamma1 = Fp2.xi.pow(((pPower - Natural(1)) / Natural(6)).words)
        var powers = [gamma1]
        for _ in 2...5 { powers.append(powers[powers.count - 1] * gamma1) }
        return powers
    }

    /// f^(p^n) for n in 1...3.
    func frobenius(_ n: Int) -> Fp12 {
        let gamma = Fp12.frobeniusCoefficients[n - 1]
        // g^(p^n) on F_p2 is conjugation for odd n, the identity for even n.
        let map: (Fp2) -> Fp2 = n % 2 == 1 ? { $0.conjugated() } : { $0 }
        return Fp12(
            Fp6(map(c0.c0), map(c0.c1) * gamma[1], map(c0.c2) * gamma[3]),
            Fp6(map(c1.c0) * gamma[0], map(c1.c1) * gamma[2], map(c1.c2) * gamma[4])
        )
    }
}
