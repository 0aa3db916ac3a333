/// The public facts of a network that the simulator reports: genesis, fork version, deposit contract.
///
/// The genesis times and roots are those of the real networks as far as the simulator knows them; a test can
/// override the genesis time (`--sim-genesis-time`) to get a chain that starts now.
public struct NetworkProfile: Sendable, Equatable {
    /// `--network` name, also CONFIG_NAME.
    public var name: String
    /// Unix time of genesis.
    public var genesisTime: UInt64
    /// The genesis validators root (identifies the chain; EIP-3076 files carry it).
    public var genesisValidatorsRoot: String
    /// GENESIS_FORK_VERSION.
    public var genesisForkVersion: String
    /// DEPOSIT_CONTRACT_ADDRESS.
    public var depositContractAddress: String
    /// DEPOSIT_CHAIN_ID (= DEPOSIT_NETWORK_ID).
    public var depositChainID: UInt64

    /// The networks `--network` accepts by name, as in Nimbus.
    public static let known: [NetworkProfile] = [
        NetworkProfile(
            name: "mainnet", genesisTime: 1_606_824_023,
            genesisValidatorsRoot: "0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95",
            genesisForkVersion: "0x00000000",
            depositContractAddress: "0x00000000219ab540356cBB839Cbe05303d7705Fa", depositChainID: 1),
        NetworkProfile(
            name: "holesky", genesisTime: 1_695_902_400,
            genesisValidatorsRoot: "0x9143aa7c615a7f7115e2b6aac319c03529df8242ae705fba9df39b79c59fa8b1",
            genesisForkVersion: "0x01017000",
            depositContractAddress: "0x4242424242424242424242424242424242424242", depositChainID: 17000),
        NetworkProfile(
            name: "sepolia", genesisTime: 1_655_733_600,
            genesisValidatorsRoot: "0xd8ea171f3c94aea21ebc42a1ed61052acf3f9209c00e4efbaaddac09ed9b8078",
            genesisForkVersion: "0x90000069",
            depositContractAddress: "0x7f02C3E3c98b133055B8B348B2Ac625669Ed295D", depositChainID: 11_155_111),
        NetworkProfile(
            name: "hoodi", genesisTime: 1_742_213_400,
            genesisValidatorsRoot: "0x212f13fc4df078b6cb7db228f1c8307566dcecf900867401a92023d7ba99cb5f",
            genesisForkVersion: "0x10000910",
            depositContractAddress: "0x00000000219ab540356cBB839Cbe05303d7705Fa", depositChainID: 560_048),
    ]

    /// The profile for a `--network` value; nil for an unknown name.
    public static func named(_ name: String) -> NetworkProfile? {
        known.first { $0.name == name.lowercased() }
    }
}
