/// The node's slashing protection: what each key signed, and the refusal to sign anything that could conflict.
///
/// The rule is a high watermark per key, stricter than EIP-3076 requires and never weaker: a block only above the
/// highest signed block slot; an attestation only with a target above the highest signed target and a source not
/// below the highest signed source. Imported EIP-3076 histories raise the watermarks; that is how a node that takes
/// over keys from another refuses what the other one already signed.
public struct SlashingProtection: Sendable, Equatable {
    /// Why an interchange document was refused.
    public enum ImportError: Error, Equatable, CustomStringConvertible {
        case unsupportedFormat(String)
        case otherChain
        case malformed(String)

        public var description: String {
            switch self {
            case .unsupportedFormat(let version): "Unsupported interchange format version \(version)"
            case .otherChain:
                "The slashing protection database and imported file refer to different blockchains."
            case .malformed(let what): "Invalid slashing protection data: \(what)"
            }
        }
    }

    private struct History: Sendable, Equatable {
        var blocks: [UInt64] = []
        var attestations: [(source: UInt64, target: UInt64)] = []

        static func == (a: History, b: History) -> Bool {
            a.blocks == b.blocks && a.attestations.elementsEqual(b.attestations) { $0 == $1 }
        }

        var highestBlock: UInt64? { blocks.max() }
        var highestTarget: UInt64? { attestations.map(\.target).max() }
        var highestSource: UInt64? { attestations.map(\.source).max() }
    }

    /// The chain this history belongs to.
    public let genesisValidatorsRoot: String
    private var histories: [String: History] = [:]

    /// Empty protection for a chain.
    public init(genesisValidatorsRoot: String) {
        self.genesisValidatorsRoot = genesisValidatorsRoot.lowercased()
    }

    /// Whether `pubkey` may sign a block at `slot`.
    public func maySignBlock(pubkey: String, slot: UInt64) -> Bool {
        guard let highest = histories[pubkey]?.highestBlock else { return true }
        return slot > highest
    }

    /// Whether `pubkey` may sign an attestation from `source` to `target`.
    public func maySignAttestation(pubkey: String, source: UInt64, target: UInt64) -> Bool {
        guard let history = histories[pubkey], let highestTarget = history.highestTarget else { return true }
        return target > highestTarget && source >= (history.highestSource ?? 0)
    }

    /// Records a signed block.
    public mutating func recordBlock(pubkey: String, slot: UInt64) {
        histories[pubkey, default: History()].blocks.append(slot)
    }

    /// Records a signed attestation.
    public mutating func recordAttestation(pubkey: String, source: UInt64, target: UInt64) {
        histories[pubkey, default: History()].attestations.append((source, target))
    }

    /// Whether anything is known of `pubkey`.
    public func knows(pubkey: String) -> Bool { histories[pubkey] != nil }

    /// Merges an interchange document (all or nothing).
    public mutating func importInterchange(_ document: SlashingInterchange) throws(ImportError) {
        guard document.metadata.interchangeFormatVersion == "5" else {
            throw .unsupportedFormat(document.metadata.interchangeFormatVersion)
        }
        guard document.metadata.genesisValidatorsRoot.lowercased() == genesisValidatorsRoot else { throw .otherChain }
        var merged = histories
        for entry in document.data {
            guard let key = Hex.canonicalPubkey(entry.pubkey) else { throw .malformed("pubkey \(entry.pubkey)") }
            for block in entry.signedBlocks {
                guard let slot = UInt64(block.slot) else { throw .malformed("slot \(block.slot)") }
                merged[key, default: History()].blocks.append(slot)
            }
            for attestation in entry.signedAttestations {
                guard let source = UInt64(attestation.sourceEpoch), let target = UInt64(attestation.targetEpoch) else {
                    throw .malformed("attestation epochs")
                }
                merged[key, default: History()].attestations.append((source, target))
            }
        }
        histories = merged
    }

    /// The history of `pubkeys` (those known) as an interchange document; all keys if nil.
    public func exportInterchange(pubkeys: [String]? = nil) -> SlashingInterchange {
        let keys = pubkeys.map { wanted in wanted.filter { histories[$0] != nil } } ?? histories.keys.sorted()
        var seen = Set<String>()
        let entries = keys.filter { seen.insert($0).inserted }.map { key in
            let history = histories[key]!
            return SlashingInterchange.Entry(
                pubkey: key,
                signedBlocks: history.blocks.map { SlashingInterchange.SignedBlock(slot: "\($0)") },
                signedAttestations: history.attestations.map {
                    SlashingInterchange.SignedAttestation(sourceEpoch: "\($0.source)", targetEpoch: "\($0.target)")
                })
        }
        return SlashingInterchange(genesisValidatorsRoot: genesisValidatorsRoot, data: entries)
    }
}
