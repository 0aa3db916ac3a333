import Glibc
import NimbusSandbox
import Testing

/// Debug mode turns kills into reports: the child names the forbidden syscall on stderr and carries on.
@Suite("Seccomp debug mode")
struct SeccompDebugModeTests {
    @Test("signer in debug mode: socket(AF_INET) is reported, fails with ENOSYS, and the process keeps running")
    func forbiddenSyscallIsReported() async throws {
        let result = try await #require(processExitsWith: .success, observing: [\.standardErrorContent]) {
            try Child.restrict("signer", debug: true)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let failure = errno
            guard fd == -1, failure == ENOSYS else { Probe.fail("socket returned \(fd), errno \(failure)") }
            Workload.common()
            Probe.say("still running after the forbidden syscall")
        }
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        let socketNumber = try #require(SyscallTable.number(of: "socket"))
        #expect(stderr.contains("seccomp: signer made forbidden syscall socket (\(socketNumber))"))
        #expect(stderr.contains("still running after the forbidden syscall"))
    }

    @Test("network and signer in debug mode: execve is reported instead of killing", arguments: ["network", "signer"])
    func execIsReported(role: String) async throws {
        let result = try await #require(processExitsWith: .success, observing: [\.standardErrorContent]) { [role] in
            try Child.restrict(role, debug: true)
            let result = Probe.execTrue()
            guard result == -Int(ENOSYS) else { Probe.fail("execve returned \(result)") }
        }
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("seccomp: \(role) made forbidden syscall execve ("))
    }

    @Test("deny-lists in debug mode: ptrace is reported and fails with ENOSYS", arguments: ["installer", "supervisor"])
    func denyListReports(role: String) async throws {
        let result = try await #require(processExitsWith: .success, observing: [\.standardErrorContent]) { [role] in
            try Child.restrict(role, debug: true)
            let result = Probe.ptraceTraceMe()
            guard result == -Int(ENOSYS) else { Probe.fail("ptrace returned \(result)") }
        }
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("seccomp: \(role) made forbidden syscall ptrace ("))
    }

    @Test("each role's normal work triggers no report in debug mode", arguments: PolicyFiles.roles)
    func workloadIsClean(role: String) async throws {
        let result = try await #require(processExitsWith: .success, observing: [\.standardErrorContent]) { [role] in
            try Child.restrict(role, debug: true)
            Workload.common()
            switch role {
            case "network": Workload.exchangeOverLoopback()
            case "signer": Workload.exchangeOverSocketPair()
            default: Workload.spawnTrue()
            }
        }
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        let reports = Set(stderr.split(separator: "\n").filter { $0.hasPrefix("seccomp:") }).sorted()
        #expect(reports.isEmpty, "forbidden syscalls in a normal \(role) workload: \(reports)")
    }
}
