/// One deposit of a `deposit_data-*.json` file: the signed deposit plus the roots and network metadata that
/// ethstaker-deposit-cli and the Staking Launchpad use.
public struct DepositDataEntry: Hashable, Sendable {
    public var data: DepositData
    /// hash_tree_root(DepositMessage), as written in the file.
    public var depositMessageRoot: [UInt8]
    /// hash_tree_root(DepositData), as written in the file.
    public var depositDataRoot: [UInt8]
    /// The genesis fork version the signature was made for.
    public var forkVersion: [UInt8]
    public var networkName: String
    /// The `deposit_cli_version` field: the ethstaker-deposit-cli format version these files match.
    public var depositCLIVersion: String

    /// The value written in `deposit_cli_version` by default: the ethstaker-deposit-cli release whose output
    /// format this module reproduces.
    public static let compatibleDepositCLIVersion = "1.3.1"

    /// An entry for a signed deposit on `network`, with both roots computed.
    public init(data: DepositData, network: Network, depositCLIVersion: String = compatibleDepositCLIVersion) {
        self.data = data
        self.depositMessageRoot = data.message.hashTreeRoot
        self.depositDataRoot = data.hashTreeRoot
        self.forkVersion = network.genesisForkVersion
        self.networkName = network.name
        self.depositCLIVersion = depositCLIVersion
    }

    /// An entry exactly as read from a file (no check of roots or signature: see `DepositDataVerifier`).
    public init(
        data: DepositData, depositMessageRoot: [UInt8], depositDataRoot: [UInt8], forkVersion: [UInt8],
        networkName: String, depositCLIVersion: String
    ) {
        self.data = data
        self.depositMessageRoot = depositMessageRoot
        self.depositDataRoot = depositDataRoot
        self.forkVersion = forkVersion
        self.networkName = networkName
        self.depositCLIVersion = depositCLIVersion
    }

    /// The JSON object, in ethstaker-deposit-cli's field order and formatting.
    var json: String {
        var writer = PythonJSONWriter()
        writer.object { entry in
            entry.string("pubkey", Hex.encode(data.message.pubkey))
            entry.string("withdrawal_credentials", Hex.encode(data.message.withdrawalCredentials.bytes))
            entry.integer("amount", data.message.amountGwei)
            entry.string("signature", Hex.encode(data.signature))
            entry.string("deposit_message_root", Hex.encode(depositMessageRoot))
            entry.string("deposit_data_root", Hex.encode(depositDataRoot))
            entry.string("fork_version", Hex.encode(forkVersion))
            entry.string("network_name", networkName)
            entry.string("deposit_cli_version", depositCLIVersion)
        }
        return writer.output
    }

    static let fieldNames = [
        "pubkey", "withdrawal_credentials", "amount", "signature", "deposit_message_root", "deposit_data_root",
        "fork_version", "network_name", "deposit_cli_version",
    ]

    /// Reads one entry, checking types and sizes only.
    init(json value: JSONValue) throws(DepositError) {
        guard case .object(let members) = value else { throw .wrongType(field: "(deposit)", expected: "an object") }
        if let extra = members.first(where: { !Self.fieldNames.contains($0.key) }) { throw .unexpectedField(extra.key) }
        func field(_ name: String) throws(DepositError) -> JSONValue {
            guard let value = members.first(where: { $0.key == name })?.value else { throw .missingField(name) }
            return value
        }
        func string(_ name: String) throws(DepositError) -> String {
            guard case .string(let text) = try field(name) else { throw .wrongType(field: name, expected: "a string") }
            return text
        }
        func hex(_ name: String, _ length: Int) throws(DepositError) -> [UInt8] {
            guard let bytes = Hex.decode(try string(name)) else { throw .invalidHex(field: name) }
            guard bytes.count == length else { throw .wrongLength(field: name, expected: length, found: bytes.count) }
            return bytes
        }
        guard let amount = try field("amount").unsignedInteger else {
            throw .wrongType(field: "amount", expected: "a whole number of gwei")
        }
        let message = DepositMessage(
            pubkey: try hex("pubkey", 48),
            withdrawalCredentials: try WithdrawalCredentials(bytes: try hex("withdrawal_credentials", 32)),
            amountGwei: amount)
        self.init(
            data: DepositData(message: message, signature: try hex("signature", 96)),
            depositMessageRoot: try hex("deposit_message_root", 32),
            depositDataRoot: try hex("deposit_data_root", 32),
            forkVersion: try hex("fork_version", 4),
            networkName: try string("network_name"),
            depositCLIVersion: try string("deposit_cli_version"))
    }
}
