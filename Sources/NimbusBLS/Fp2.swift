// The quadratic extension F_p2 = F_p[u] / (u^2 + 1): -1 is a non-square in F_p because p = 3 mod 4.

/// An element c0 + c1 u of F_p2. Arithmetic is branch-free; `sqrt` and the sign helpers are for public data.
struct Fp2: Sendable, Equatable {
    var c0: Fp
    var c1: Fp

    @inline(__always)
    init(_ c0: Fp, _ c1: Fp) {
        self.c0 = c0
        self.c1 = c1
    }

    static let zero = Fp2(.zero, .zero)
    static let one = Fp2(.one, .zero)
    /// The non-residue xi = 1 + u: F_p6 is F_p2[v] / (v^3 - xi) and the G2 twist is y^2 = x^3 + 4 xi.
    static let xi = Fp2(.one, .one)

    @inline(__always)
    static func + (a: Fp2, b: Fp2) -> Fp2 { Fp2(a.c0 + b.c0, a.c1 + b.c1) }
    @inline(__always)
    static func - (a: Fp2, b: Fp2) -> Fp2 { Fp2(a.c0 - b.c0, a.c1 - b.c1) }
    @inline(__always)
    static prefix func - (a: Fp2) -> Fp2 { Fp2(-a.c0, -a.c1) }

    /// Karatsuba: three F_p multiplications instead of four.
    @inline(__always)
    static func * (a: Fp2, b: Fp2) -> Fp2 {
        let t0 = a.c0 * b.c0
        let t1 = a.c1 * b.c1
        let t2 = (a.c0 + a.c1) * (b.c0 + b.c1)
        return Fp2(t0 - t1, t2 - t0 - t1)
    }

    @inline(__always)
    static func * (a: Fp2, b: Fp) -> Fp2 { Fp2(a.c0 * b, a.c1 * b) }

    @inline(__always)
    static func += (a: inout Fp2, b: Fp2) { a = a + b }
    @inline(__always)
    static func -= (a: inout Fp2, b: Fp2) { a = a - b }
    @inline(__always)
    static func *= (a: inout Fp2, b: Fp2) { a = a * b }

    /// (c0 + c1 u)^2 = (c0 + c1)(c0 - c1) + 2 c0 c1 u: two multiplications.
    @inline(__always)
    func squared() -> Fp2 {
        let product = c0 * c1
        return Fp2((c0 + c1) * (c0 - c1), product + product)
    }

    @inline(__always)
    func doubled() -> Fp2 { Fp2(c0.doubled(), c1.doubled()) }

    func halved() -> Fp2 { Fp2(c0.halved(), c1.halved()) }

    /// Multiplication by xi = 1 + u: (c0 - c1) + (c0 + c1) u.
    @inline(__always)
    func timesXi() -> Fp2 { Fp2(c0 - c1, c0 + c1) }

    /// The p-power Frobenius map, which on F_p2 is conjugation (u^p = -u).
    @inline(__always)
    func conjugated() -> Fp2 { Fp2(c0, -c1) }

    /// The norm c0^2 + c1^2, in F_p.
    var norm: Fp { c0.squared() + c1.squared() }

    /// 1 / (c0 + c1 u) = (c0 - c1 u) / (c0^2 + c1^2); zero maps to zero. Constant time.
    func inverse() -> Fp2 {
        let inverseNorm = norm.inverse()
        return Fp2(c0 * inverseNorm, -(c1 * inverseNorm))
    }

    /// self^e for a public exponent (little-endian words).
    func pow(_ exponent: [UInt64]) -> Fp2 {
        var result = Fp2.one
        for word in exponent.reversed() {
            for bit in stride(from: 63, through: 0, by: -1) {
                result = result.squared()
                if (word >> UInt64(bit)) & 1 == 1 { result = result * self }
            }
        }
        return result
    }

    var isZeroMask: UInt64 { c0.isZeroMask & c1.isZeroMask }
    var isZero: Bool { isZeroMask != 0 }

    @inline(__always)
    static func select(_ a: Fp2, _ b: Fp2, mask: UInt64) -> Fp2 {
        Fp2(Fp.select(a.c0, b.c0, mask: mask), Fp.select(a.c1, b.c1, mask: mask))
    }

    @inline(__always)
    static func equalMask(_ a: Fp2, _ b: Fp2) -> UInt64 {
        Fp.equalMask(a.c0, b.c0) & Fp.equalMask(a.c1, b.c1)
    }

    static func == (a: Fp2, b: Fp2) -> Bool { equalMask(a, b) != 0 }

    // MARK: Public-data helpers

    /// The ZCash/IETF rule for F_p2: compare c1 first, and c0 only when c1 is zero.
    var isLexicographicallyLargest: Bool {
        c1.isZero ? c0.isLexicographicallyLargest : c1.isLexicographicallyLargest
    }

    /// sgn0 of RFC 9380 section 4.1 for m = 2: the parity of c0, or of c1 when c0 is zero.
    var sgn0: Bool {
        c0.sgn0 || (c0.isZero && c1.sgn0)
    }

    /// A square root, or nil when there is none, by the "complex" method for p = 3 mod 4 (Scott, "Implementing
    /// cryptographic pairings", 2007, section 4.2): a = c0 + c1 u is a square iff its norm n = c0^2 + c1^2 is a
    /// square in F_p; then with s = sqrt(n), one of (c0 + s)/2 and (c0 - s)/2 (their product -c1^2/4 is a
    /// non-square) is a non-zero square t, and sqrt(a) = sqrt(t) + c1 / (2 sqrt(t)) u. Three or four
    /// exponentiations in F_p. Variable time: public data only (decompression and hashing).
    func sqrt() -> Fp2? {
        if c1.isZero {
            // A base-field element: its root is in F_p, or u times the root of -c0 (u^2 = -1).
            if let root = c0.sqrt() { return Fp2(root, .zero) }
            guard let root = (-c0).sqrt() else { return nil }
            return Fp2(.zero, root)
        }
        guard let s = norm.sqrt() else { return nil }
        var x0: Fp? = nil
        for t in [(c0 + s).halved(), (c0 - s).halved()] where !t.isZero {
            if let root = t.sqrt() {
                x0 = root
                break
            }
        }
        guard let x0 else { return nil }
        let candidate = Fp2(x0, c1 * x0.doubled().inverse())
        return candidate.squared() == self ? candidate : nil
    }
}

extension Fp2: FieldElement {}
