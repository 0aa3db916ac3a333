/// A named set of rules with the reason the role needs them (`group NAME: reason`).
///
/// Groups exist so that every allowed syscall is justified in the policy itself; the reason is required.
public struct SyscallGroup: Sendable, Equatable {
    /// Short identifier, e.g. `runtime`, `sqlite`.
    public var name: String
    /// Why the role needs these syscalls.
    public var reason: String
    /// The 1-based line of the `group` header.
    public var line: Int
    /// The rules in file order.
    public var rules: [SyscallRule]

    /// Creates a group.
    public init(name: String, reason: String, line: Int, rules: [SyscallRule] = []) {
        self.name = name
        self.reason = reason
        self.line = line
        self.rules = rules
    }
}
