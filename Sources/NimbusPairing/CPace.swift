import CNimbusSodium
import Crypto
import NimbusKeys

/// CPace (draft-irtf-cfrg-cpace), cipher suite CPACE-RISTR255-SHA512: a balanced PAKE. Two parties who share a
/// short secret (PRS) each send one group element; each derives the same intermediate session key (ISK) only if
/// they used the same PRS, channel identifier (CI) and session id (sid). An active attacker gets one guess per run
/// and nothing to test guesses against offline.
///
/// Group operations are libsodium's ristretto255 (constant time); hashing is swift-crypto's SHA-512.
public enum CPace {
    /// The suite's domain separation identifier.
    public static let dsi = Array("CPaceRistretto255".utf8)
    /// SHA-512's input block size: the generator string is zero-padded so that PRS ends the first block.
    static let blockBytes = 128
    public static let pointBytes = 32

    /// Why a run cannot finish.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The peer's element is not a valid ristretto255 encoding, or is the identity, or the shared point is.
        case invalidPeerElement

        public var description: String {
            switch self {
            case .invalidPeerElement: "the peer's PAKE message is not a valid group element"
            }
        }
    }

    /// scalar · point for a received point: refuses an invalid encoding, the identity, and an identity result.
    public static func scalarMultiplyVerified(_ scalar: SecretBytes, _ point: [UInt8]) throws(Failure) -> SecretBytes {
        // RFC 9496 decoding rejects bit 255 set; libsodium 1.0.18 ignores that bit instead, so an element and its
        // twin with the top bit flipped would both be accepted. Refuse it here so that every implementation agrees.
        guard point.count == pointBytes, point[31] & 0x80 == 0 else { throw .invalidPeerElement }
        let result = SecretBytes(count: pointBytes)
        let status = result.withUnsafeMutableBytes { out in
            scalar.withUnsafeBytes { s in
                nm_ristretto255_scalarmult(out.baseAddress!.assumingMemoryBound(to: UInt8.self), s.baseAddress!, point)
            }
        }
        guard status == 0 else { throw .invalidPeerElement }
        return result
    }

    /// LEB128 length, then the bytes.
    public static func prependLength(_ data: [UInt8]) -> [UInt8] {
        var length = data.count
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(length & 0x7F)
            length >>= 7
            if length > 0 { byte |= 0x80 }
            out.append(byte)
        } while length > 0
        return out + data
    }

    /// The concatenation of each part with its length prepended.
    public static func lvCat(_ parts: [UInt8]...) -> [UInt8] {
        parts.flatMap(prependLength)
    }

    /// "oc" and the two strings, the lexicographically larger first: the same bytes whichever side computes it.
    public static func orderedCat(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        Array("oc".utf8) + (lexicographicallyLarger(a, b) ? a + b : b + a)
    }

    static func lexicographicallyLarger(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        for (x, y) in zip(a, b) where x != y { return x > y }
        return a.count > b.count
    }

    /// The generator string: DSI, PRS, zero padding, CI, sid, each length-prefixed. It contains the secret.
    static func generatorString(prs: [UInt8], ci: [UInt8], sid: [UInt8]) -> [UInt8] {
        let padding = max(0, blockBytes - 1 - prependLength(prs).count - prependLength(dsi).count)
        return lvCat(dsi, prs, [UInt8](repeating: 0, count: padding), ci, sid)
    }

    /// The secret generator g = map(SHA-512(generator string)).
    static func generator(prs: SecretBytes, ci: [UInt8], sid: [UInt8]) -> [UInt8] {
        var string = prs.withUnsafeBytes { generatorString(prs: Array($0), ci: ci, sid: sid) }
        defer { SecretBytes.wipe(&string) }
        var hash = Array(SHA512.hash(data: string))
        defer { SecretBytes.wipe(&hash) }
        var point = [UInt8](repeating: 0, count: pointBytes)
        _ = nm_ristretto255_from_hash(&point, hash)
        return point
    }
}

/// One side of a CPace run. The initiator sends (Ya, ADa) first; the responder answers (Yb, ADb).
public struct CPaceParty: Sendable {
    public enum Role: Sendable { case initiator, responder }

    public let role: Role
    public let sid: [UInt8]
    /// This side's message: the element y·g.
    public let share: [UInt8]
    /// This side's associated data (sent in clear beside the share, bound into the key).
    public let associatedData: [UInt8]
    private let scalar: SecretBytes

    /// Starts a run with a fresh random scalar.
    public init(role: Role, prs: SecretBytes, ci: [UInt8], sid: [UInt8], associatedData: [UInt8]) {
        let scalar = SecretBytes(count: 32) { buffer in
            nm_ristretto255_scalar_random(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        self.init(role: role, prs: prs, ci: ci, sid: sid, associatedData: associatedData, scalar: scalar)
    }

    /// Starts a run with a given scalar (test vectors only).
    public init(role: Role, prs: SecretBytes, ci: [UInt8], sid: [UInt8], associatedData: [UInt8], scalar: SecretBytes) {
        self.role = role
        self.sid = sid
        self.associatedData = associatedData
        self.scalar = scalar
        var generator = CPace.generator(prs: prs, ci: ci, sid: sid)
        defer { SecretBytes.wipe(&generator) }
        var share = [UInt8](repeating: 0, count: CPace.pointBytes)
        // A generator from the one-way map is never the identity in practice; a failure here is a broken library.
        let status = scalar.withUnsafeBytes { nm_ristretto255_scalarmult(&share, $0.baseAddress!, generator) }
        precondition(status == 0, "ristretto255 scalar multiplication failed on a generator")
        self.share = share
    }

    /// The result of a finished run.
    public struct Keys: Sendable {
        /// The intermediate session key (64 bytes), the same on both sides exactly when the PRS matched.
        public let isk: SecretBytes
        /// A public session identifier both sides agree on (from the transcript only).
        public let sidOutput: [UInt8]
    }

    /// Finishes with the peer's share and associated data: the initiator-responder transcript (ISK_IR).
    public func finish(peerShare: [UInt8], peerAssociatedData: [UInt8]) throws(CPace.Failure) -> Keys {
        let k = try sharedPoint(peerShare)
        let transcript = role == .initiator
            ? CPace.lvCat(share, associatedData) + CPace.lvCat(peerShare, peerAssociatedData)
            : CPace.lvCat(peerShare, peerAssociatedData) + CPace.lvCat(share, associatedData)
        return keys(k, transcript: transcript)
    }

    /// Finishes with the symmetric (ordered concatenation) transcript (ISK_SY), for runs without roles.
    public func finishSymmetric(peerShare: [UInt8], peerAssociatedData: [UInt8]) throws(CPace.Failure) -> Keys {
        let k = try sharedPoint(peerShare)
        let transcript = CPace.orderedCat(CPace.lvCat(share, associatedData), CPace.lvCat(peerShare, peerAssociatedData))
        return keys(k, transcript: transcript)
    }

    private func sharedPoint(_ peerShare: [UInt8]) throws(CPace.Failure) -> SecretBytes {
        try CPace.scalarMultiplyVerified(scalar, peerShare)
    }

    private func keys(_ k: SecretBytes, transcript: [UInt8]) -> Keys {
        var prefix = k.withUnsafeBytes { CPace.lvCat(CPace.dsi + Array("_ISK".utf8), sid, Array($0)) }
        defer { SecretBytes.wipe(&prefix) }
        var hasher = SHA512()
        hasher.update(data: prefix)
        hasher.update(data: transcript)
        var digest = Array(hasher.finalize())
        defer { SecretBytes.wipe(&digest) }
        let sidOutput = Array(SHA512.hash(data: Array("CPaceSidOutput".utf8) + transcript))
        return Keys(isk: SecretBytes(copying: digest), sidOutput: sidOutput)
    }
}
