// Points of G2, the order-r subgroup of the twist E'(F_p2): y^2 = x^3 + 4 (1 + u). Signatures live here.

/// A point of the prime-order group G2 (or the identity). Values built through the public API are always in G2.
public struct G2Point: Sendable, Equatable {
    var projective: G2Projective

    init(_ projective: G2Projective) {
        self.projective = projective
    }

    /// The standard generator of G2 (draft-irtf-cfrg-pairing-friendly-curves section 4.2.1).
    public static let generator = G2Point(
        G2Projective(
            affineX: fp2(
                "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
                "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"
            ),
            affineY: fp2(
                "0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801",
                "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be"
            )
        )
    )

    /// The point at infinity.
    public static let identity = G2Point(.identity)

    /// Decodes a 96-byte compressed point and checks that it lies in G2. The point at infinity is accepted.
    public init(compressed bytes: [UInt8]) throws(BLSError) {
        try self.init(compressed: bytes, subject: "G2 point")
    }

    init(compressed bytes: [UInt8], subject: String) throws(BLSError) {
        switch try PointEncoding.parse(bytes, length: 96, subject: subject) {
        case .identity:
            self = .identity
        case .point(let xBytes, let yIsLargest):
            // The encoding puts c1 (the coefficient of u) first.
            guard let c1 = Fp(canonicalBigEndian: xBytes[0..<48]), let c0 = Fp(canonicalBigEndian: xBytes[48..<96])
            else { throw BLSError.coordinateNotInField(subject) }
            let x = Fp2(c0, c1)
            guard var y = (x.squared() * x + G2Curve.b).sqrt() else { throw BLSError.notOnCurve(subject) }
            if y.isLexicographicallyLargest != yIsLargest { y = -y }
            self.init(G2Projective(affineX: x, affineY: y))
            guard isInSubgroup else { throw BLSError.notInSubgroup(subject, group: "G2") }
        }
    }

    /// The 96-byte compressed encoding.
    public var compressed: [UInt8] {
        guard let (x, y) = projective.affine else { return PointEncoding.compressedIdentity(length: 96) }
        return PointEncoding.compressed(
            xBytes: x.c1.bigEndianBytes + x.c0.bigEndianBytes, yIsLargest: y.isLexicographicallyLargest
        )
    }

    /// The 192-byte uncompressed encoding x.c1 || x.c0 || y.c1 || y.c0 (infinity: 0x40 then zeros).
    public var uncompressed: [UInt8] {
        guard let (x, y) = projective.affine else {
            return [PointEncoding.infinityFlag] + [UInt8](repeating: 0, count: 191)
        }
        return x.c1.bigEndianBytes + x.c0.bigEndianBytes + y.c1.bigEndianBytes + y.c0.bigEndianBytes
    }

    /// Whether this is the point at infinity.
    public var isIdentity: Bool { projective.isIdentity }

    /// Group addition.
    public static func + (a: G2Point, b: G2Point) -> G2Point { G2Point(a.projective.adding(b.projective)) }

    /// Group negation.
    public static prefix func - (a: G2Point) -> G2Point { G2Point(a.projective.negated()) }

    /// Equality of the points (not of their representations).
    public static func == (a: G2Point, b: G2Point) -> Bool { a.projective == b.projective }

    // MARK: The untwist-Frobenius-twist endomorphism

    /// psi(x, y) = (conj(x) / xi^((p-1)/3), conj(y) / xi^((p-1)/2)): the p-power Frobenius of E(F_p12) carried to
    /// the twist through the M-type isomorphism (x, y) -> (x / w^2, y / w^3), w^6 = xi.
    static let psiX = Fp2.xi.pow(((Fp.modulusNatural - Natural(1)) / Natural(3)).words).inverse()
    static let psiY = Fp2.xi.pow(((Fp.modulusNatural - Natural(1)) / Natural(2)).words).inverse()

    static func psi(_ point: G2Projective) -> G2Projective {
        G2Projective(
            x: point.x.conjugated() * psiX, y: point.y.conjugated() * psiY, z: point.z.conjugated()
        )
    }

    /// [x] P for the (negative) curve seed x.
    static func timesSeed(_ point: G2Projective) -> G2Projective {
        point.multiplied(byPublic: [BLS12381.seedMagnitude]).negated()
    }

    // MARK: Subgroup membership

    /// P is in G2 iff psi(P) = [x] P (Scott 2021, section 4; also the check of the IETF pairing-friendly-curves
    /// draft): a 64-bit multiplication instead of one by r. Variable time: public points only.
    var isInSubgroup: Bool {
        projective.isOnCurve && G2Point.psi(projective) == G2Point.timesSeed(projective)
    }

    /// The slow, obviously correct check: [r] P = identity. For tests.
    var isInSubgroupByOrder: Bool {
        projective.isOnCurve && projective.multiplied(byPublic: Scalar.orderNatural).isIdentity
    }
}

/// An F_p2 constant from the hexadecimal digits of c0 and c1.
func fp2(_ c0: String, _ c1: String) -> Fp2 {
    Fp2(fpConstant(c0), fpConstant(c1))
}

/// An F_p constant from hexadecimal digits (reduced mod p, so small negative numbers can be written as p - k).
func fpConstant(_ hex: String) -> Fp {
    guard let value = Natural(hex: hex) else { preconditionFailure("bad constant \(hex)") }
    return Fp(reducingBigEndian: wordsToBigEndian(value.words)[...])
}

/// Little-endian words to big-endian bytes.
func wordsToBigEndian(_ words: [UInt64]) -> [UInt8] {
    var bytes = [UInt8]()
    for word in words.reversed() {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
        }
    }
    return bytes
}
