import Glibc
import NimbusSandbox
import Testing

/// The /proc/<pid>/status parser on real and broken input.
@Suite("ProcStatus")
struct ProcStatusTests {
    static let sample = """
        Name:\tnimbus-nm-sign
        Umask:\t0022
        State:\tS (sleeping)
        Tgid:\t4242
        Pid:\t4242
        PPid:\t1
        TracerPid:\t0
        Uid:\t65534\t65534\t65534\t65534
        Gid:\t65534\t65534\t65534\t65534
        Groups:\t65534 
        Threads:\t3
        CapInh:\t0000000000000000
        CapPrm:\t0000000000000400
        CapEff:\t0000000000000400
        CapBnd:\t0000000000000400
        CapAmb:\t0000000000000000
        NoNewPrivs:\t1
        Seccomp:\t2
        Seccomp_filters:\t1

        """

    @Test("a sandboxed role's status")
    func sample() throws {
        let status = try ProcStatus(parsing: Self.sample)
        #expect(status.name == "nimbus-nm-sign")
        #expect(status.pid == 4242 && status.parentPID == 1 && status.tracerPID == 0)
        #expect(status.realUID == 65534 && status.effectiveUID == 65534 && status.savedUID == 65534)
        #expect(status.filesystemGID == 65534)
        #expect(status.groups == [65534])
        #expect(status.threads == 3)
        #expect(status.capEff == 0x400 && status.capPrm == 0x400 && status.capBnd == 0x400)
        #expect(status.capInh == 0 && status.capAmb == 0)
        #expect(status.noNewPrivs)
        #expect(status.seccompMode == 2)
        #expect(status.seccompFilters == 1)
    }

    @Test("this process's real /proc/self/status")
    func realFile() throws {
        let status = try ProcStatus.read(pid: getpid())
        #expect(status.pid == getpid())
        #expect(status.parentPID == getppid())
        #expect(status.realUID == getuid() && status.effectiveUID == geteuid())
        #expect(status.realGID == getgid())
        #expect(status.threads >= 1)
        #expect(status.seccompMode == 0, "the test runner itself is not sandboxed")
        let thread = try ProcStatus.readCurrentThread()
        #expect(thread.effectiveUID == geteuid())
    }

    @Test("older kernels without Seccomp_filters")
    func noFilterCount() throws {
        let text = Self.sample.replacingLine("Seccomp_filters:", with: nil)
        #expect(try ProcStatus(parsing: text).seccompFilters == nil)
    }

    @Test("empty Groups line")
    func noGroups() throws {
        let text = Self.sample.replacingLine("Groups:", with: "Groups:\t")
        #expect(try ProcStatus(parsing: text).groups.isEmpty)
    }

    /// Each case: the broken text, and a phrase the one-line error must contain.
    static let broken: [(String, String)] = [
        ("", "missing 'Name' line"),
        (sample.replacingLine("CapEff:", with: nil), "missing 'CapEff' line"),
        (sample.replacingLine("CapEff:", with: "CapEff:\tzzzz"), "line 14: 'CapEff' is not a hex mask: 'zzzz'"),
        (sample.replacingLine("Uid:", with: "Uid:\t0\t0"), "line 8: 'Uid' needs 4 numbers, got '0\t0'"),
        (sample.replacingLine("Pid:", with: "Pid:\tabc"), "line 5: 'Pid' is not a number: 'abc'"),
        (sample.replacingLine("Groups:", with: "Groups:\t1 x"), "line 10: 'Groups' needs numbers"),
        (sample.replacingLine("State:", with: "garbage without a colon"), "line 3: expected 'Key: value'"),
    ]

    @Test("malformed text is rejected with the line and field", arguments: broken)
    func malformed(text: String, phrase: String) {
        #expect {
            _ = try ProcStatus(parsing: text, source: "/proc/42/status")
        } throws: { error in
            guard let error = error as? SandboxError else { return false }
            return error.area == .procfs && error.description.hasPrefix("/proc/42/status")
                && error.description.contains(phrase)
        }
    }

    @Test("reading a process that does not exist names the path")
    func missingProcess() {
        #expect {
            _ = try ProcStatus.read(pid: Int32.max)
        } throws: { error in
            (error as? SandboxError)?.description.hasPrefix("cannot open /proc/2147483647/status") == true
        }
    }

    @Test("network namespace identity looks like net:[inode]")
    func netNamespace() throws {
        let identity = try NetNamespace.identity(pid: getpid())
        #expect(identity.hasPrefix("net:[") && identity.hasSuffix("]"))
        #expect(try NetNamespace.identityOfCurrentThread() == identity)
    }
}

extension String {
    /// The text with the line starting with `prefix` replaced (or removed when `replacement` is nil).
    fileprivate func replacingLine(_ prefix: String, with replacement: String?) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
            line.hasPrefix(prefix) ? replacement : String(line)
        }.joined(separator: "\n")
    }
}
