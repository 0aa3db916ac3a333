/// A test on one syscall argument, e.g. `arg2 & 0x4 == 0` (mmap without PROT_EXEC).
public struct ArgumentCondition: Sendable, Hashable, CustomStringConvertible {
    /// How the argument is compared.
    public enum Comparison: Sendable, Hashable {
        /// `argN == value`
        case equal(UInt64)
        /// `argN != value`
        case notEqual(UInt64)
        /// `argN & mask == value`: the bits under `mask` must be exactly `value`.
        case maskedEqual(mask: UInt64, value: UInt64)
    }

    /// Which argument, 0 through 5.
    public var argument: Int
    /// The comparison to apply.
    public var comparison: Comparison

    /// Creates a condition.
    public init(argument: Int, _ comparison: Comparison) {
        self.argument = argument
        self.comparison = comparison
    }

    /// The policy spelling, with values in hex.
    public var description: String {
        func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
        switch comparison {
        case .equal(let value): return "arg\(argument) == \(hex(value))"
        case .notEqual(let value): return "arg\(argument) != \(hex(value))"
        case .maskedEqual(let mask, let value): return "arg\(argument) & \(hex(mask)) == \(hex(value))"
        }
    }
}
