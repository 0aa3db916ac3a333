/// A syscall named in a policy, with the number libseccomp resolved for the running architecture.
public struct Syscall: Sendable, Hashable, CustomStringConvertible {
    /// The name as written, e.g. `openat`.
    public var name: String
    /// The native number; negative when the syscall exists only on other architectures (the rule is skipped).
    public var number: Int32

    /// Creates a syscall reference.
    public init(name: String, number: Int32) {
        self.name = name
        self.number = number
    }

    /// Whether this architecture has the syscall at all.
    public var existsOnThisArchitecture: Bool { number >= 0 }

    /// The name.
    public var description: String { name }
}
