// F_p6 = F_p2[v] / (v^3 - xi), xi = 1 + u: xi is neither a square nor a cube in F_p2, so v^3 - xi is irreducible.

/// An element c0 + c1 v + c2 v^2 of F_p6. Branch-free arithmetic.
struct Fp6: Sendable, Equatable {
    var c0: Fp2
    var c1: Fp2
    var c2: Fp2

    @inline(__always)
    init(_ c0: Fp2, _ c1: Fp2, _ c2: Fp2) {
        self.c0 = c0
        self.c1 = c1
        self.c2 = c2
    }

    static let zero = Fp6(.zero, .zero, .zero)
    static let one = Fp6(.one, .zero, .zero)

    @inline(__always)
    static func + (a: Fp6, b: Fp6) -> Fp6 { Fp6(a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2) }
    @inline(__always)
    static func - (a: Fp6, b: Fp6) -> Fp6 { Fp6(a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2) }
    @inline(__always)
    static prefix func - (a: Fp6) -> Fp6 { Fp6(-a.c0, -a.c1, -a.c2) }

    /// Karatsuba-style interpolation: six F_p2 multiplications; v^3 = xi folds the high terms back.
    static func * (a: Fp6, b: Fp6) -> Fp6 {
        let t0 = a.c0 * b.c0
        let t1 = a.c1 * b.c1
        let t2 = a.c2 * b.c2
        let c0 = ((a.c1 + a.c2) * (b.c1 + b.c2) - t1 - t2).timesXi() + t0
        let c1 = (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1 + t2.timesXi()
        let c2 = (a.c0 + a.c2) * (b.c0 + b.c2) - t0 - t2 + t1
        return Fp6(c0, c1, c2)
    }

    /// Chung-Hasan squaring (SQR2): two squarings and three multiplications in F_p2.
    func squared() -> Fp6 {
        let s0 = c0.squared()
        let ab = c0 * c1
        let s1 = ab.doubled()
        let s2 = (c0 - c1 + c2).squared()
        let bc = c1 * c2
        let s3 = bc.doubled()
        let s4 = c2.squared()
        return Fp6(s3.timesXi() + s0, s4.timesXi() + s1, s1 + s2 + s3 - s0 - s4)
    }

    @inline(__always)
    func doubled() -> Fp6 { Fp6(c0.doubled(), c1.doubled(), c2.doubled()) }

    /// Multiplication by v: (c0 + c1 v + c2 v^2) v = xi c2 + c0 v + c1 v^2.
    @inline(__always)
    func timesV() -> Fp6 { Fp6(c2.timesXi(), c0, c1) }

    /// Multiplication by a sparse b0 + b1 v (a line function's shape).
    func times(_ b0: Fp2, _ b1: Fp2) -> Fp6 {
        let t0 = c0 * b0
        let t1 = c1 * b1
        let r0 = (c2 * b1).timesXi() + t0
        let r1 = (c0 + c1) * (b0 + b1) - t0 - t1
        let r2 = (c0 + c2) * b0 - t0 + t1
        return Fp6(r0, r1, r2)
    }

    /// Multiplication by a sparse b1 v.
    func times(v b1: Fp2) -> Fp6 {
        Fp6((c2 * b1).timesXi(), c0 * b1, c1 * b1)
    }

    /// The inverse via the norm to F_p2; zero maps to zero.
    func inverse() -> Fp6 {
        let t0 = c0.squared() - (c1 * c2).timesXi()
        let t1 = c2.squared().timesXi() - c0 * c1
        let t2 = c1.squared() - c0 * c2
        let determinant = c0 * t0 + (c2 * t1 + c1 * t2).timesXi()
        let inverse = determinant.inverse()
        return Fp6(t0 * inverse, t1 * inverse, t2 * inverse)
    }

    var isZero: Bool { c0.isZero && c1.isZero && c2.isZero }
}
