/// An EIP-3076 slashing protection interchange document (format version 5). Numbers are decimal strings.
public struct SlashingInterchange: Sendable, Equatable, Codable {
    /// The metadata block.
    public struct Metadata: Sendable, Equatable, Codable {
        /// "5".
        public var interchangeFormatVersion: String
        /// The chain the history belongs to.
        public var genesisValidatorsRoot: String

        private enum CodingKeys: String, CodingKey {
            case interchangeFormatVersion = "interchange_format_version"
            case genesisValidatorsRoot = "genesis_validators_root"
        }
    }

    /// A signed block.
    public struct SignedBlock: Sendable, Equatable, Codable {
        /// Decimal slot.
        public var slot: String
        /// Optional signing root (the simulator writes none).
        public var signingRoot: String?

        private enum CodingKeys: String, CodingKey {
            case slot
            case signingRoot = "signing_root"
        }
    }

    /// A signed attestation.
    public struct SignedAttestation: Sendable, Equatable, Codable {
        /// Decimal source epoch.
        public var sourceEpoch: String
        /// Decimal target epoch.
        public var targetEpoch: String
        /// Optional signing root (the simulator writes none).
        public var signingRoot: String?

        private enum CodingKeys: String, CodingKey {
            case sourceEpoch = "source_epoch"
            case targetEpoch = "target_epoch"
            case signingRoot = "signing_root"
        }
    }

    /// One validator's history.
    public struct Entry: Sendable, Equatable, Codable {
        /// The validator key.
        public var pubkey: String
        /// Blocks it signed.
        public var signedBlocks: [SignedBlock]
        /// Attestations it signed.
        public var signedAttestations: [SignedAttestation]

        private enum CodingKeys: String, CodingKey {
            case pubkey
            case signedBlocks = "signed_blocks"
            case signedAttestations = "signed_attestations"
        }
    }

    /// Format and chain.
    public var metadata: Metadata
    /// Per-key histories.
    public var data: [Entry]

    /// A document.
    public init(genesisValidatorsRoot: String, data: [Entry]) {
        self.metadata = Metadata(interchangeFormatVersion: "5", genesisValidatorsRoot: genesisValidatorsRoot)
        self.data = data
    }
}
