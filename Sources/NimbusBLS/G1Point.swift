// Points of G1, the order-r subgroup of E(F_p): y^2 = x^3 + 4. Public keys live here.

/// A point of the prime-order group G1 (or the identity). Values built through the public API are always in G1.
public struct G1Point: Sendable, Equatable {
    var projective: G1Projective

    init(_ projective: G1Projective) {
        self.projective = projective
    }

    /// The standard generator of G1 (draft-irtf-cfrg-pairing-friendly-curves section 4.2.1); the tests check
    /// that it is on the curve, has order r and encodes to the known compressed form.
    public static let generator = G1Point(
        G1Projective(
            affineX: Fp(canonicalBigEndian: hexBytes(
                "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"
            )[...])!,
            affineY: Fp(canonicalBigEndian: hexBytes(
                "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1"
            )[...])!
        )
    )

    /// The point at infinity.
    public static let identity = G1Point(.identity)

    /// Decodes a 48-byte compressed point and checks that it lies in G1. The point at infinity is accepted.
    public init(compressed bytes: [UInt8]) throws(BLSError) {
        try self.init(compressed: bytes, subject: "G1 point")
    }

    init(compressed bytes: [UInt8], subject: String) throws(BLSError) {
        switch try PointEncoding.parse(bytes, length: 48, subject: subject) {
        case .identity:
            self = .identity
        case .point(let xBytes, let yIsLargest):
            guard let x = Fp(canonicalBigEndian: xBytes[...]) else { throw BLSError.coordinateNotInField(subject) }
            guard var y = (x.squared() * x + G1Curve.b).sqrt() else { throw BLSError.notOnCurve(subject) }
            if y.isLexicographicallyLargest != yIsLargest { y = -y }
            self.init(G1Projective(affineX: x, affineY: y))
            guard isInSubgroup else { throw BLSError.notInSubgroup(subject, group: "G1") }
        }
    }

    /// The 48-byte compressed encoding.
    public var compressed: [UInt8] {
        guard let (x, y) = projective.affine else { return PointEncoding.compressedIdentity(length: 48) }
        return PointEncoding.compressed(xBytes: x.bigEndianBytes, yIsLargest: y.isLexicographicallyLargest)
    }

    /// The 96-byte uncompressed encoding x || y (infinity: 0x40 then zeros).
    public var uncompressed: [UInt8] {
        guard let (x, y) = projective.affine else {
            return [PointEncoding.infinityFlag] + [UInt8](repeating: 0, count: 95)
        }
        return x.bigEndianBytes + y.bigEndianBytes
    }

    /// Whether this is the point at infinity.
    public var isIdentity: Bool { projective.isIdentity }

    /// Group addition.
    public static func + (a: G1Point, b: G1Point) -> G1Point { G1Point(a.projective.adding(b.projective)) }

    /// Group negation.
    public static prefix func - (a: G1Point) -> G1Point { G1Point(a.projective.negated()) }

    /// Equality of the points (not of their representations).
    public static func == (a: G1Point, b: G1Point) -> Bool { a.projective == b.projective }

    // MARK: Subgroup membership

    /// A primitive cube root of unity in F_p, 2^((p-1)/3): 2 is not a cube mod p. Of the two primitive roots this
    /// is the one whose endomorphism (x, y) -> (beta x, y) acts on G1 as multiplication by -x^2 (checked by the
    /// tests on the generator).
    static let cubeRootOfUnity = Fp(2).pow(((Fp.modulusNatural - Natural(1)) / Natural(3)).words)

    /// x^2 for the curve seed x: the G1 eigenvalue of the endomorphism above is -x^2 mod r.
    static let seedSquared = Natural(BLS12381.seedMagnitude) * Natural(BLS12381.seedMagnitude)

    /// P is in G1 iff phi(P) = -[x^2] P (Scott, "A note on group membership tests for G1, G2 and GT on BLS
    /// pairing-friendly curves", 2021, section 6), a 128-bit multiplication instead of one by the 255-bit r.
    /// Variable time: used on public points only.
    var isInSubgroup: Bool {
        let p = projective
        guard p.isOnCurve else { return false }
        let endomorphism = G1Projective(x: p.x * G1Point.cubeRootOfUnity, y: p.y, z: p.z)
        return endomorphism == p.multiplied(byPublic: G1Point.seedSquared).negated()
    }

    /// The slow, obviously correct check: [r] P = identity. For tests.
    var isInSubgroupByOrder: Bool {
        projective.isOnCurve && projective.multiplied(byPublic: Scalar.orderNatural).isIdentity
    }
}
