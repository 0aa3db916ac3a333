/// The simulated chain's validator set: `size` active validators, of which some are this node's.
///
/// Keys that are not the node's get synthetic public keys derived from their index. A node key gets the index
/// `hash(pubkey) mod size`, moved past indices already taken (linear probing); once given, an index is kept (the
/// node state remembers it), so a key keeps its duties across restarts and re-imports.
public struct ValidatorRegistry: Sendable, Equatable {
    /// Number of active validators on the simulated chain.
    public let size: UInt64
    private let hash: SimHash
    /// Index of each node key, by canonical pubkey.
    public private(set) var indexByPubkey: [String: UInt64]
    private var pubkeyByIndex: [UInt64: String]

    /// A registry; `assigned` are indices given in earlier runs.
    public init(size: UInt64, hash: SimHash, assigned: [String: UInt64] = [:]) {
        precondition(size > 0, "empty validator set")
        self.size = size
        self.hash = hash
        self.indexByPubkey = assigned
        self.pubkeyByIndex = Dictionary(assigned.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
    }

    /// The index of `pubkey`, assigning one if it has none yet.
    public mutating func index(for pubkey: String) -> UInt64 {
        if let index = indexByPubkey[pubkey] { return index }
        precondition(UInt64(indexByPubkey.count) < size, "more node keys than validators on the simulated chain")
        var index = hash.number(below: size, "validator-index", pubkey)
        while pubkeyByIndex[index] != nil { index = (index + 1) % size }
        indexByPubkey[pubkey] = index
        pubkeyByIndex[index] = pubkey
        return index
    }

    /// The public key of validator `index` (a node key, or a synthetic one), nil past the end of the set.
    public func pubkey(of index: UInt64) -> String? {
        guard index < size else { return nil }
        if let key = pubkeyByIndex[index] { return key }
        // Synthetic keys start with 0x8 or 0xa-0xb like real compressed G1 points; nobody verifies them.
        var bytes = hash.bytes(count: 48, "synthetic-pubkey", "\(index)")
        bytes[0] = 0x80 | (bytes[0] & 0x3F)
        return Hex.prefixed(bytes)
    }

    /// The index for a validator id as the REST API takes it (decimal index or 0x pubkey), nil if unknown.
    public func resolve(id: String) -> UInt64? {
        if id.hasPrefix("0x") {
            guard let key = Hex.canonicalPubkey(id) else { return nil }
            return indexByPubkey[key]
        }
        guard let index = UInt64(id), index < size else { return nil }
        return index
    }
}
