/// An Ethereum consensus network, as far as deposits are concerned: its name (as written in deposit data's
/// `network_name`) and its genesis fork version (the `fork_version` deposits are signed for).
public struct Network: Hashable, Sendable, CustomStringConvertible {
    /// The name, e.g. "mainnet".
    public let name: String
    /// The 4-byte genesis fork version.
    public let genesisForkVersion: [UInt8]

    /// Ethereum mainnet (genesis fork version 0x00000000).
    public static let mainnet = Network(name: "mainnet", genesisForkVersion: [0x00, 0x00, 0x00, 0x00])
    /// The Hoodi testnet (0x10000910).
    public static let hoodi = Network(name: "hoodi", genesisForkVersion: [0x10, 0x00, 0x09, 0x10])
    /// The Sepolia testnet (0x90000069).
    public static let sepolia = Network(name: "sepolia", genesisForkVersion: [0x90, 0x00, 0x00, 0x69])
    /// The Holesky testnet (0x01017000). ethstaker-deposit-cli 1.3.x no longer lists it.
    public static let holesky = Network(name: "holesky", genesisForkVersion: [0x01, 0x01, 0x70, 0x00])

    /// The networks known by name.
    public static let known: [Network] = [.mainnet, .hoodi, .sepolia, .holesky]

    private init(name: String, genesisForkVersion: [UInt8]) {
        self.name = name
        self.genesisForkVersion = genesisForkVersion
    }

    /// A known network by name (case-insensitive).
    public init(named name: String) throws(NetworkError) {
        guard let network = Self.known.first(where: { $0.name == name.lowercased() }) else {
            throw .unknownNetwork(name.jsonDiagnostic)
        }
        self = network
    }

    /// A devnet or other network given by its genesis fork version (4 bytes). The name goes into `network_name`.
    public static func custom(name: String, genesisForkVersion: [UInt8]) throws(NetworkError) -> Network {
        guard genesisForkVersion.count == 4 else { throw .invalidForkVersion }
        let printable = name.unicodeScalars.allSatisfy { $0.value >= 0x21 && $0.value < 0x7F }
        guard !name.isEmpty, printable else {
            throw .invalidName
        }
        if let known = known.first(where: { $0.name == name.lowercased() }),
           known.genesisForkVersion != genesisForkVersion {
            throw .nameTakenByKnownNetwork(known.name)
        }
        return Network(name: name, genesisForkVersion: genesisForkVersion)
    }

    /// A custom network from a fork version in hex ("0x12345678" or "12345678").
    public static func custom(name: String, genesisForkVersionHex: String) throws(NetworkError) -> Network {
        guard let bytes = Hex.decode(genesisForkVersionHex, allowPrefix: true) else { throw .invalidForkVersion }
        return try custom(name: name, genesisForkVersion: bytes)
    }

    public var description: String { "\(name) (genesis fork version 0x\(Hex.encode(genesisForkVersion)))" }
}

/// Why a network cannot be used.
public enum NetworkError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownNetwork(String)
    case invalidForkVersion
    case invalidName
    case nameTakenByKnownNetwork(String)

    public var description: String {
        switch self {
        case .unknownNetwork(let name):
            "unknown network \"\(name)\"; known networks are "
                + Network.known.map(\.name).joined(separator: ", ")
                + " (for another network give its genesis fork version)"
        case .invalidForkVersion:
            "a genesis fork version is 4 bytes: 8 hex digits such as 0x10000910"
        case .invalidName:
            "a network name is printable ASCII without spaces"
        case .nameTakenByKnownNetwork(let name):
            "\"\(name)\" is a known network with another genesis fork version; choose another name for a custom one"
        }
    }
}
