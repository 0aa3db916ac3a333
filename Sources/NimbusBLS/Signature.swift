// Signatures: points of G2.

/// A BLS signature: a G2 point, 96 bytes compressed. The identity decodes (it is a valid group element) but
/// verifies against no valid key.
public struct Signature: Sendable, Equatable {
    /// The point; always in G2.
    public let point: G2Point

    init(point: G2Point) {
        self.point = point
    }

    /// Decodes and validates: 96 bytes, valid flags, both coordinates below p, on the curve, in the G2 subgroup
    /// (signature_subgroup_check of draft-irtf-cfrg-bls-signature-05 section 2.7).
    public init(compressed bytes: [UInt8]) throws(BLSError) {
        point = try G2Point(compressed: bytes, subject: "signature")
    }

    /// The 96-byte compressed encoding.
    public var compressed: [UInt8] { point.compressed }

    /// Verify (CoreVerify, draft section 2.7): e(PK, H(message)) = e(G1, signature). Public data, variable time.
    public func verify(_ message: [UInt8], publicKey: PublicKey) -> Bool {
        BLS.aggregateVerify([(publicKey, message)], signature: self)
    }
}
