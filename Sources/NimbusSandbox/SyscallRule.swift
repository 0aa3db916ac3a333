/// One policy line such as `allow clone where arg0 & CLONE_THREAD == CLONE_THREAD`.
public struct SyscallRule: Sendable, Equatable {
    /// What happens when the rule matches.
    public var action: SeccompAction
    /// The syscalls the rule covers; each gets the same action and conditions.
    public var syscalls: [Syscall]
    /// All must hold for the rule to match; empty means the rule always matches.
    public var conditions: [ArgumentCondition]
    /// The 1-based line in the policy file, for error messages.
    public var line: Int

    /// Creates a rule.
    public init(action: SeccompAction, syscalls: [Syscall], conditions: [ArgumentCondition] = [], line: Int) {
        self.action = action
        self.syscalls = syscalls
        self.conditions = conditions
        self.line = line
    }
}
