/// A parsed seccomp policy file (format in docs/sandbox.md).
///
/// Parsing is pure: it reads text and resolves syscall names through libseccomp's built-in table, so an
/// unknown name is reported with its line number long before any filter is loaded.
public struct SeccompPolicy: Sendable, Equatable {
    /// Where the text came from (a path, or `<inline>`); starts every error message.
    public var source: String
    /// What happens to a syscall no rule matches.
    public var defaultAction: SeccompAction
    /// The groups in file order.
    public var groups: [SyscallGroup]

    /// Creates a policy from parts (tests and tools; files go through `init(parsing:)`).
    public init(source: String, defaultAction: SeccompAction, groups: [SyscallGroup]) {
        self.source = source
        self.defaultAction = defaultAction
        self.groups = groups
    }

    /// Parses policy text. `source` names the text in errors; `syscallNumber` resolves a name to the native
    /// number (nil when unknown) and defaults to libseccomp's table.
    public init(
        parsing text: String,
        source: String = "<inline>",
        syscallNumber: (String) -> Int32? = SyscallTable.number(of:)
    ) throws(SandboxError) {
        self = try withoutActuallyEscaping(syscallNumber) { resolve throws(SandboxError) in
            var parser = SeccompPolicyParser(source: source, syscallNumber: resolve)
            return try parser.parse(text)
        }
    }

    /// Reads and parses the policy file at `path`.
    public init(contentsOf path: String) throws(SandboxError) {
        let text: String
        do {
            text = try ProcFS.readText(path)
        } catch {
            throw SandboxError(.policy, "seccomp policy \(path): cannot read it (\(error.message))")
        }
        try self.init(parsing: text, source: path)
    }

    /// Every rule, in file order.
    public var rules: [SyscallRule] { groups.flatMap(\.rules) }

    /// The distinct syscall names the policy mentions.
    public var syscallNames: Set<String> { Set(rules.flatMap { $0.syscalls.map(\.name) }) }

    /// What happens to `name` whatever its arguments: the action of its unconditional rule, the default when
    /// no rule mentions it, or nil when only conditional rules decide.
    public func unconditionalAction(for name: String) -> SeccompAction? {
        let mentioning = rules.filter { rule in rule.syscalls.contains { $0.name == name } }
        if mentioning.isEmpty { return defaultAction }
        return mentioning.first { $0.conditions.isEmpty }?.action
    }
}
