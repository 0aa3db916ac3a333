// The ciphersuite BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_ (draft-irtf-cfrg-bls-signature-05, section 4.2.3):
// minimal-pubkey-size BLS (public keys in G1, signatures in G2), proof-of-possession scheme, as Ethereum uses.

/// Aggregation and multi-key verification, and the hashing primitives.
public enum BLS {
    /// The ciphersuite identifier, also the DST of message hashing.
    public static let ciphersuite = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_"

    static let dst = Array(ciphersuite.utf8)

    /// Aggregate (draft section 2.8): the sum of the signatures. Throws for an empty list.
    public static func aggregate(_ signatures: [Signature]) throws(BLSError) -> Signature {
        guard let first = signatures.first else {
            throw BLSError(.emptyAggregate, "cannot aggregate an empty list of signatures")
        }
        var sum = first.point.projective
        for signature in signatures.dropFirst() { sum = sum.adding(signature.point.projective) }
        return Signature(point: G2Point(sum))
    }

    /// The sum of public keys, as FastAggregateVerify forms it. Throws for an empty list, and when the sum is the
    /// identity (which KeyValidate rejects).
    public static func aggregatePublicKeys(_ keys: [PublicKey]) throws(BLSError) -> PublicKey {
        guard let first = keys.first else {
            throw BLSError(.emptyAggregate, "cannot aggregate an empty list of public keys")
        }
        var sum = first.point.projective
        for key in keys.dropFirst() { sum = sum.adding(key.point.projective) }
        guard !sum.isIdentity else {
            throw BLSError(.identityPublicKey, "aggregate public key is the point at infinity")
        }
        return PublicKey(point: G1Point(sum))
    }

    /// FastAggregateVerify (draft section 3.3.4): every key signed the same message. False for no keys. The keys'
    /// proofs of possession must have been checked (that is what makes this safe against rogue keys).
    public static func fastAggregateVerify(_ keys: [PublicKey], message: [UInt8], signature: Signature) -> Bool {
        guard let aggregate = try? aggregatePublicKeys(keys) else { return false }
        return signature.verify(message, publicKey: aggregate)
    }

    /// AggregateVerify (CoreAggregateVerify, draft section 2.9): the product of e(PK_i, H(m_i)) equals
    /// e(G1, signature). False for no pairs. The POP scheme needs no distinct-message rule.
    public static func aggregateVerify(_ pairs: [(PublicKey, [UInt8])], signature: Signature) -> Bool {
        guard !pairs.isEmpty else { return false }
        var terms = pairs.map { key, message in (key.point, hashToG2(message, dst: dst)) }
        terms.append((-G1Point.generator, signature.point))
        return Pairing.productIsOne(terms)
    }

    /// Verifies several (key, message, signature) sets at once with random 64-bit weights: the product of
    /// e([c_i] PK_i, H(m_i)) must equal e(G1, sum [c_i] S_i). A forged set passes with probability about 2^-64.
    /// False for an empty list.
    public static func batchVerify(_ sets: [(PublicKey, [UInt8], Signature)]) -> Bool {
        var generator = SystemRandomNumberGenerator()
        return batchVerify(sets, using: &generator)
    }

    /// `batchVerify(_:)` with a caller-supplied random source (for tests).
    public static func batchVerify(
        _ sets: [(PublicKey, [UInt8], Signature)], using generator: inout some RandomNumberGenerator
    ) -> Bool {
        guard !sets.isEmpty else { return false }
        var terms = [(G1Point, G2Point)]()
        var signatureSum = G2Projective.identity
        for (key, message, signature) in sets {
            var weight: UInt64 = 0
            while weight == 0 { weight = generator.next() }
            terms.append((G1Point(key.point.projective.multiplied(byPublic: [weight])), hashToG2(message, dst: dst)))
            signatureSum = signatureSum.adding(signature.point.projective.multiplied(byPublic: [weight]))
        }
        terms.append((-G1Point.generator, G2Point(signatureSum)))
        return Pairing.productIsOne(terms)
    }
}
