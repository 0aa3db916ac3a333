/// Deposit amounts, in gwei as the deposit contract takes them, and the bounds this tool enforces.
public enum DepositAmount {
    /// 1 ETH = 10^9 gwei.
    public static let gweiPerETH: UInt64 = 1_000_000_000
    /// The smallest deposit: 1 ETH (the deposit contract's minimum).
    public static let minimumGwei: UInt64 = gweiPerETH

    /// Throws unless `gwei` is between 1 ETH and the maximum for `kind`.
    public static func validate(_ gwei: UInt64, for kind: WithdrawalCredentials.Kind) throws(DepositError) {
        guard gwei >= minimumGwei, gwei <= kind.maximumDepositGwei else {
            throw .amountOutOfRange(gwei: gwei, kind: kind)
        }
    }

    /// "32 ETH", "1.5 ETH": exact decimal ETH for messages.
    public static func ethText(_ gwei: UInt64) -> String {
        let whole = gwei / gweiPerETH
        var fraction = String(gwei % gweiPerETH)
        guard fraction != "0" else { return "\(whole) ETH" }
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction) ETH"
    }
}
