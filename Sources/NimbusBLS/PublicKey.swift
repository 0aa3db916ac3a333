// Public keys: points of G1 that passed KeyValidate.

/// A BLS public key: a G1 point other than the identity, 48 bytes compressed.
public struct PublicKey: Sendable, Equatable {
    /// The point; never the identity, always in G1.
    public let point: G1Point

    init(point: G1Point) {
        self.point = point
    }

    /// Decodes and validates (KeyValidate, draft-irtf-cfrg-bls-signature-05 section 2.5): 48 bytes, valid flags,
    /// x < p, on the curve, in the G1 subgroup, not the identity.
    public init(compressed bytes: [UInt8]) throws(BLSError) {
        let point = try G1Point(compressed: bytes, subject: "public key")
        guard !point.isIdentity else {
            throw BLSError(.identityPublicKey, "public key is the point at infinity")
        }
        self.init(point: point)
    }

    /// The 48-byte compressed encoding.
    public var compressed: [UInt8] { point.compressed }
}
