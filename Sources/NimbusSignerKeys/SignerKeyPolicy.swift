import NimbusKeys

/// What the signer agrees to make, whatever a client asks: the meaning checks of `generate` beyond well-formedness.
public struct SignerKeyPolicy: Sendable {
    /// When set (`[keys] withdrawal_address`), every 0x01/0x02 deposit must pay out to it, and 0x00 is refused: a
    /// compromised client cannot redirect withdrawals.
    public var withdrawalAddress: ExecutionAddress?
    /// The most validators one `generate` makes (each is 32 ETH or more; a larger batch is almost surely a typo).
    public var maximumCount: Int
    /// KDF parameters for new keystores (tests lower them; the role uses EIP-2335's defaults).
    public var scrypt: KeystoreKDF.Function
    public var pbkdf2: KeystoreKDF.Function

    public init(
        withdrawalAddress: ExecutionAddress? = nil, maximumCount: Int = 1000,
        scrypt: KeystoreKDF.Function = .scryptDefault, pbkdf2: KeystoreKDF.Function = .pbkdf2Default
    ) {
        self.withdrawalAddress = withdrawalAddress
        self.maximumCount = maximumCount
        self.scrypt = scrypt
        self.pbkdf2 = pbkdf2
    }

    /// Whether these KDF parameters are below EIP-2335's floor (only tests use such).
    var allowsWeakKDF: Bool {
        if case .scrypt(let n, let r, let p) = scrypt, n * r * p < 1 << 20 { return true }
        if case .pbkdf2(let c) = pbkdf2, c < 1 << 18 { return true }
        return false
    }
}
