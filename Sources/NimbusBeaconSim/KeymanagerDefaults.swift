/// The node-wide values the keymanager reports for keys without their own.
public struct KeymanagerDefaults: Sendable, Equatable {
    /// `--suggested-fee-recipient`, or the zero address.
    public var feeRecipient: String
    /// `--suggested-gas-limit`.
    public var gasLimit: UInt64
    /// `--graffiti`, or Nimbus's default "Nimbus/v…".
    public var graffiti: String

    /// Defaults.
    public init(feeRecipient: String?, gasLimit: UInt64, graffiti: String?, version: NodeVersion) {
        self.feeRecipient = feeRecipient ?? "0x" + String(repeating: "0", count: 40)
        self.gasLimit = gasLimit
        self.graffiti = graffiti ?? version.agent
    }
}
