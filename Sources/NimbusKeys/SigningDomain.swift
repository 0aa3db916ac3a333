/// The consensus-spec signing domain and signing root (compute_domain, compute_signing_root) for deposits.
public enum SigningDomain {
    /// DOMAIN_DEPOSIT.
    public static let depositDomainType: [UInt8] = [0x03, 0x00, 0x00, 0x00]

    /// compute_fork_data_root: hash_tree_root(ForkData(current_version, genesis_validators_root)).
    public static func forkDataRoot(forkVersion: [UInt8], genesisValidatorsRoot: [UInt8]) -> [UInt8] {
        precondition(forkVersion.count == 4 && genesisValidatorsRoot.count == 32, "fork data sizes")
        return SSZ.merkleize([SSZ.root(ofVector: forkVersion), genesisValidatorsRoot])
    }

    /// compute_domain: the domain type followed by the first 28 bytes of the fork data root.
    public static func domain(type: [UInt8], forkVersion: [UInt8], genesisValidatorsRoot: [UInt8]) -> [UInt8] {
        precondition(type.count == 4, "a domain type is 4 bytes")
        return type + forkDataRoot(forkVersion: forkVersion, genesisValidatorsRoot: genesisValidatorsRoot).prefix(28)
    }

    /// The deposit domain for a genesis fork version. Deposits use a zero genesis validators root so that they can
    /// be made before genesis and stay valid on every fork.
    public static func depositDomain(forkVersion: [UInt8]) -> [UInt8] {
        domain(type: depositDomainType, forkVersion: forkVersion, genesisValidatorsRoot: SSZ.zeroChunk)
    }

    /// compute_signing_root: hash_tree_root(SigningData(object_root, domain)).
    public static func signingRoot(objectRoot: [UInt8], domain: [UInt8]) -> [UInt8] {
        precondition(objectRoot.count == 32 && domain.count == 32, "signing data sizes")
        return SSZ.merkleize([objectRoot, domain])
    }
}
