// Points of a short Weierstrass curve y^2 = x^3 + b in homogeneous projective coordinates (x = X/Z, y = Y/Z), with
// the complete formulas of Renes, Costello and Batina ("Complete addition formulas for prime order elliptic
// curves", 2016, algorithms 7 and 9 for a = 0). Complete means one formula for every input pair, the identity and
// P + P included, so the additions in a constant-time scalar multiplication need no branch.

/// The constants that distinguish G1's curve from G2's twist.
protocol CurveDescription {
    associatedtype Field: FieldElement
    /// The coefficient b of y^2 = x^3 + b.
    static var b: Field { get }
    /// 3 b, multiplied in without a general multiplication.
    static func timesB3(_ value: Field) -> Field
}

/// A curve point in homogeneous projective coordinates; the identity is (0 : 1 : 0).
struct ProjectivePoint<Curve: CurveDescription>: Sendable {
    typealias Field = Curve.Field
    var x: Field
    var y: Field
    var z: Field

    @inline(__always)
    init(x: Field, y: Field, z: Field) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// The affine point (x, y).
    init(affineX: Field, affineY: Field) {
        self.init(x: affineX, y: affineY, z: .one)
    }

    static var identity: ProjectivePoint { ProjectivePoint(x: .zero, y: .one, z: .zero) }

    var isIdentity: Bool { z.isZeroMask != 0 }

    /// Whether Y^2 Z = X^3 + b Z^3 (true for the identity).
    var isOnCurve: Bool {
        let lhs = y.squared() * z
        let rhs = x.squared() * x + Curve.b * z.squared() * z
        return lhs == rhs
    }

    /// (x, y) with x = X/Z, y = Y/Z; nil for the identity. The inversion is constant time.
    var affine: (x: Field, y: Field)? {
        if isIdentity { return nil }
        let inverse = z.inverse()
        return (x * inverse, y * inverse)
    }

    @inline(__always)
    func negated() -> ProjectivePoint { ProjectivePoint(x: x, y: -y, z: z) }

    /// P + Q for any P and Q (RCB algorithm 7): 12 multiplications and two by 3b, no branch.
    func adding(_ q: ProjectivePoint) -> ProjectivePoint {
        var t0 = x * q.x
        var t1 = y * q.y
        var t2 = z * q.z
        var t3 = (x + y) * (q.x + q.y)
        var t4 = t0 + t1
        t3 = t3 - t4
        t4 = (y + z) * (q.y + q.z)
        var x3 = t1 + t2
        t4 = t4 - x3
        x3 = (x + z) * (q.x + q.z)
        var y3 = t0 + t2
        y3 = x3 - y3
        x3 = t0 + t0
        t0 = x3 + t0
        t2 = Curve.timesB3(t2)
        var z3 = t1 + t2
        t1 = t1 - t2
        y3 = Curve.timesB3(y3)
        x3 = t4 * y3
        t2 = t3 * t1
        x3 = t2 - x3
        y3 = y3 * t0
        t1 = t1 * z3
        y3 = t1 + y3
        t0 = t0 * t3
        z3 = z3 * t4
        z3 = z3 + t0
        return ProjectivePoint(x: x3, y: y3, z: z3)
    }

    /// 2P for any P (RCB algorithm 9): six multiplications, two squarings, one by 3b, no branch.
    func doubled() -> ProjectivePoint {
        var t0 = y.squared()
        var z3 = t0 + t0
        z3 = z3 + z3
        z3 = z3 + z3
        var t1 = y * z
        var t2 = z.squared()
        t2 = Curve.timesB3(t2)
        var x3 = t2 * z3
        var y3 = t0 + t2
        z3 = t1 * z3
        t1 = t2 + t2
        t2 = t1 + t2
        t0 = t0 - t2
        y3 = t0 * y3
        y3 = x3 + y3
        t1 = x * y
        x3 = t0 * t1
        x3 = x3 + x3
        return ProjectivePoint(x: x3, y: y3, z: z3)
    }

    func subtracting(_ q: ProjectivePoint) -> ProjectivePoint { adding(q.negated()) }

    @inline(__always)
    static func select(_ a: ProjectivePoint, _ b: ProjectivePoint, mask: UInt64) -> ProjectivePoint {
        ProjectivePoint(
            x: Field.select(a.x, b.x, mask: mask), y: Field.select(a.y, b.y, mask: mask),
            z: Field.select(a.z, b.z, mask: mask)
        )
    }

    // MARK: Scalar multiplication

    /// [k] P for a secret scalar, in constant time: a fixed 4-bit window over all 64 nibbles of k (zero nibbles
    /// included), each table entry fetched by scanning the whole table with masks, every step a complete formula.
    /// The sequence of operations and memory addresses is the same for every k. The masks go through
    /// `hideFromOptimizer` so that the compiler cannot turn the masked selects into branches.
    func multiplied(bySecret scalar: Scalar) -> ProjectivePoint {
        var table = [ProjectivePoint](repeating: .identity, count: 16)
        table[1] = self
        for index in 2..<16 {
            table[index] = index & 1 == 0 ? table[index / 2].doubled() : table[index - 1].adding(self)
        }
        var accumulator = ProjectivePoint.identity
        var masks = [UInt64](repeating: 0, count: 16)
        for nibbleIndex in stride(from: 63, through: 0, by: -1) {
            if nibbleIndex != 63 {
                accumulator = accumulator.doubled().doubled().doubled().doubled()
            }
            let nibble = scalar.nibble(nibbleIndex)
            for candidate in 0..<16 { masks[candidate] = zeroMask(nibble ^ UInt64(candidate)) }
            // Without the barrier the optimiser knows each mask is all ones or zero and compiled the select below
            // into a branch on it (seen in the x86-64 output of Swift 6.3.1): a timing leak of the key's nibbles.
            masks.withUnsafeMutableBytes { hideFromOptimizer($0.baseAddress!) }
            var entry = ProjectivePoint.identity
            for candidate in 1..<16 {
                entry = ProjectivePoint.select(entry, table[candidate], mask: masks[candidate])
            }
            accumulator = accumulator.adding(entry)
        }
        masks.withUnsafeMutableBytes { secureZero($0.baseAddress!, count: $0.count) }
        return accumulator
    }

    /// [k] P for a public scalar (little-endian words): plain double-and-add, variable time.
    func multiplied(byPublic words: [UInt64]) -> ProjectivePoint {
        var accumulator = ProjectivePoint.identity
        var started = false
        for word in words.reversed() {
            for bit in stride(from: 63, through: 0, by: -1) {
                if started { accumulator = accumulator.doubled() }
                if (word >> UInt64(bit)) & 1 == 1 {
                    accumulator = started ? accumulator.adding(self) : self
                    started = true
                }
            }
        }
        return accumulator
    }

    func multiplied(byPublic value: Natural) -> ProjectivePoint {
        multiplied(byPublic: value.words)
    }
}

extension ProjectivePoint: Equatable {
    /// Projective equality: X1 Z2 = X2 Z1 and Y1 Z2 = Y2 Z1 (which also makes any two identities equal).
    static func == (a: ProjectivePoint, b: ProjectivePoint) -> Bool {
        (Field.equalMask(a.x * b.z, b.x * a.z) & Field.equalMask(a.y * b.z, b.y * a.z)) != 0
    }
}
