import Crypto

/// The simulator's only source of "randomness": SHA-256 over the seed and a labelled tuple.
///
/// Everything that looks random (roots, duty slots, proposers, peer ids, injected misses) is a hash of what it
/// describes, so two runs with the same seed, genesis and scenario agree slot for slot, and a restart agrees with
/// the run before it.
public struct SimHash: Sendable, Equatable {
    /// The seed every value is derived from.
    public let seed: String

    /// A hasher over `seed`.
    public init(seed: String) { self.seed = seed }

    /// SHA-256 of the seed and the parts, each followed by a unit separator so that ("ab","c") ≠ ("a","bc").
    public func digest(_ parts: [String]) -> [UInt8] {
        var hasher = SHA256()
        for part in [seed] + parts {
            hasher.update(data: Array(part.utf8) + [0x1F])
        }
        return Array(hasher.finalize())
    }

    /// The first eight bytes of `digest(parts)`, big-endian.
    public func number(_ parts: String...) -> UInt64 {
        digest(parts).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A number in `0..<bound` (bound > 0); the modulo bias is irrelevant at simulation sizes.
    public func number(below bound: UInt64, _ parts: String...) -> UInt64 {
        precondition(bound > 0, "empty range")
        return digest(parts).prefix(8).reduce(0) { $0 << 8 | UInt64($1) } % bound
    }

    /// A fraction in [0, 1).
    public func fraction(_ parts: String...) -> Double {
        Double(digest(parts).prefix(8).reduce(0) { $0 << 8 | UInt64($1) } >> 11) / Double(UInt64(1) << 53)
    }

    /// A 32-byte root as 0x-prefixed lowercase hex.
    public func root(_ parts: String...) -> String { Hex.prefixed(digest(parts)) }

    /// `count` bytes (any length), by chaining digests.
    public func bytes(count: Int, _ parts: String...) -> [UInt8] {
        var out: [UInt8] = []
        var block = 0
        while out.count < count {
            out += digest(parts + ["\(block)"])
            block += 1
        }
        return Array(out.prefix(count))
    }
}
