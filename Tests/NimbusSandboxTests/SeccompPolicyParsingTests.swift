import NimbusSandbox
import Testing

/// The policy parser on inline text: what it accepts, and the line number and wording of every rejection.
@Suite("Seccomp policy parsing")
struct SeccompPolicyParsingTests {
    @Test("an allow-list with groups, errno rules and every kind of condition")
    func allowList() throws {
        let policy = try SeccompPolicy(
            parsing: """
                # a comment line
                default kill

                group memory: the runtime allocates   # trailing comment
                allow brk munmap
                allow mmap where arg2 & PROT_EXEC == 0
                allow clone where arg0 & 0x10000 == 0x10000
                errno ENOSYS clone3

                group sockets: AF_UNIX only
                allow socket where arg0 == AF_UNIX
                allow socket where arg0 == 2 and arg1 != 3
                errno EPERM setpriority
                """
        )
        #expect(policy.defaultAction == .killProcess)
        #expect(policy.groups.map(\.name) == ["memory", "sockets"])
        #expect(policy.groups[0].reason == "the runtime allocates")
        #expect(policy.groups[0].line == 4)
        let rules = policy.rules
        #expect(rules.count == 7)
        #expect(rules[0].syscalls.map(\.name) == ["brk", "munmap"])
        #expect(rules[0].line == 5)
        #expect(rules[1].conditions == [ArgumentCondition(argument: 2, .maskedEqual(mask: 4, value: 0))])
        #expect(rules[2].conditions == [ArgumentCondition(argument: 0, .maskedEqual(mask: 0x10000, value: 0x10000))])
        #expect(rules[3].action == .errno(38, name: "ENOSYS"))
        #expect(rules[4].conditions == [ArgumentCondition(argument: 0, .equal(1))])
        #expect(rules[5].conditions == [
            ArgumentCondition(argument: 0, .equal(2)), ArgumentCondition(argument: 1, .notEqual(3)),
        ])
        #expect(rules[6].action == .errno(1, name: "EPERM"))
        #expect(rules[0].syscalls[0].number == SyscallTable.number(of: "brk"))
    }

    @Test("a deny-list: default allow, kill rules, combined constants")
    func denyList() throws {
        let policy = try SeccompPolicy(
            parsing: """
                default allow
                group escapes: never needed
                kill mount umount2 ptrace
                kill unshare where arg0 & CLONE_NEWUSER|CLONE_NEWNS == CLONE_NEWUSER
                log acct
                """
        )
        #expect(policy.defaultAction == .allow)
        #expect(policy.rules[0].action == .killProcess)
        #expect(policy.rules[1].conditions[0].comparison == .maskedEqual(mask: 0x1002_0000, value: 0x1000_0000))
        #expect(policy.rules[2].action == .log)
        #expect(policy.unconditionalAction(for: "ptrace") == .killProcess)
        #expect(policy.unconditionalAction(for: "unshare") == nil)
        #expect(policy.unconditionalAction(for: "read") == .allow)
    }

    @Test("errno as the default action")
    func errnoDefault() throws {
        let policy = try SeccompPolicy(parsing: "default errno EPERM\ngroup io: basic\nallow read write")
        #expect(policy.defaultAction == .errno(1, name: "EPERM"))
        #expect(policy.defaultAction.description == "errno EPERM")
    }

    @Test("a syscall name resolver can be injected")
    func injectedResolver() throws {
        let policy = try SeccompPolicy(
            parsing: "default kill\ngroup g: r\nallow frobnicate", syscallNumber: { $0 == "frobnicate" ? 9999 : nil }
        )
        #expect(policy.rules[0].syscalls == [Syscall(name: "frobnicate", number: 9999)])
    }

    /// Each case: policy text, the line the error must name, and a phrase the message must contain.
    static let rejected: [(String, Int?, String)] = [
        ("default kill\ngroup net: sockets\nallow read sokcet", 3, "unknown syscall 'sokcet'"),
        ("default kill\nallow read", 2, "rule outside a group"),
        ("default kill\ngroup runtime\nallow read", 2, "without ':'"),
        ("default kill\ngroup runtime:\nallow read", 2, "needs a reason"),
        ("default kill\ngroup run time: why\nallow read", 2, "group name 'run time'"),
        ("default kill\ngroup a: x\nallow read\ngroup a: y\nallow write", 4, "already defined on line 2"),
        ("default kill\ngroup a: x", 2, "has no rules"),
        ("group a: x\nallow read", 1, "groups must follow the 'default' line"),
        ("default kill\ndefault allow", 2, "second 'default' line (the first is line 1)"),
        ("default", 1, "'default' needs an action"),
        ("default kill now", 1, "unexpected 'now'"),
        ("default deny", 1, "unknown action 'deny'"),
        ("default kill\ngroup a: x\nalow read", 3, "unknown keyword 'alow'"),
        ("default kill\ngroup a: x\nerrno EPERN read", 3, "unknown errno 'EPERN'"),
        ("default kill\ngroup a: x\nerrno", 3, "'errno' needs an error name"),
        ("default kill\ngroup a: x\nkill read", 3, "'kill' is already the default action"),
        ("default errno EOPNOTSUPP\ngroup a: x\nerrno ENOTSUP read", 3, "already the default action"),
        ("default kill\ngroup: x\nallow read", 2, "group name ''"),
        ("default kill\ngroup a: x\nallow", 3, "needs at least one syscall name"),
        ("default kill\ngroup a: x\nallow socket where", 3, "cannot read condition ''"),
        ("default kill\ngroup a: x\nallow socket where arg6 == 1", 3, "arguments are arg0 to arg5"),
        ("default kill\ngroup a: x\nallow socket where arg0 = 1", 3, "cannot read condition 'arg0 = 1'"),
        ("default kill\ngroup a: x\nallow socket where arg0 == AF_UNX", 3, "unknown value 'AF_UNX'"),
        ("default kill\ngroup a: x\nallow mmap where arg2 & 0x4 != 0", 3, "masked comparison only supports '=='"),
        ("default kill\ngroup a: x\nallow mmap where arg2 & 0x4 == 0x8", 3, "can never hold"),
        ("default kill\ngroup a: x\nallow read\nallow read", 4, "unconditional rule on line 3"),
        ("default kill\ngroup a: x\nallow socket where arg0 == 1\nallow socket", 4, "conditional rules (line 3)"),
        ("default kill\ngroup a: x\nallow socket where arg0 == 1\nerrno EPERM socket where arg0 == 1", 4,
         "same conditions on line 3"),
        ("# nothing but a comment\n", nil, "no 'default' line"),
    ]

    @Test("rejections name the line and the problem", arguments: rejected)
    func rejection(text: String, line: Int?, phrase: String) {
        #expect {
            _ = try SeccompPolicy(parsing: text, source: "/etc/nimbus/test.policy")
        } throws: { error in
            guard let error = error as? SandboxError else { return false }
            let prefix = "seccomp policy /etc/nimbus/test.policy" + (line.map { " line \($0):" } ?? ":")
            return error.area == .policy && error.line == line && error.description.hasPrefix(prefix)
                && error.description.contains(phrase) && !error.description.contains("\n")
        }
    }

    @Test("the brief's example message")
    func exampleMessage() {
        let text = (["default kill", "group net: sockets"] + Array(repeating: "# filler", count: 9) + ["allow sokcet"])
            .joined(separator: "\n")
        #expect(throws: SandboxError(
            .policy, "seccomp policy /x/network.policy line 12: unknown syscall 'sokcet'", line: 12
        )) {
            _ = try SeccompPolicy(parsing: text, source: "/x/network.policy")
        }
    }
}
