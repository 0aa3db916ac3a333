import CNimbusSandbox
import Glibc
@testable import NimbusSandbox
import Testing

/// Phase 2's filesystem confinement, in exit-test children.
@Suite("Landlock")
struct LandlockTests {
    @Test("after restrict, /etc/hostname cannot be opened for writing (EACCES) while the temp dir stays writable")
    func confinesWrites() async throws {
        // Made and removed here: inside the child, Landlock forbids removing it (that needs a right on /tmp).
        var template = Array("/tmp/nimbus-landlock-XXXXXX".utf8CString)
        try #require(mkdtemp(&template) != nil, "mkdtemp: \(String(cString: strerror(errno)))")
        let directory = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { rmdir(directory) }
        // The macro needs the captured value's type spelled out.
        await #expect(processExitsWith: .success) { [directory = directory as String] in
            let abi = nm_landlock_abi()
            let threads = try ProcStatus.read(pid: getpid()).threads
            let rules = LandlockRules(readOnly: ["/etc"], readWrite: [directory])
            var report = SandboxReport(roleName: "network")
            try Sandbox.restrict(PolicyFiles.profile("network", landlock: rules), report: &report)
            guard let step = report.step(named: "landlock") else { Probe.fail("no landlock step: \(report.summary)") }

            guard abi > 0 else {
                guard !step.inForce, step.detail.hasPrefix("not available") else {
                    Probe.fail("kernel lacks Landlock but the report says: \(step.detail)")
                }
                return
            }
            guard step.detail.hasPrefix("ABI \(abi),") else { Probe.fail("unexpected landlock step: \(step.detail)") }
            // Before ABI 8 only the calling thread is confined; the report must not claim the whole process.
            if abi < 8 && threads > 1 && (step.inForce || !step.detail.contains("calling thread only")) {
                Probe.fail("\(threads) threads without TSYNC, yet the report says: \(step.detail)")
            }

            let denied = open("/etc/hostname", O_WRONLY | O_CLOEXEC)
            let deniedErrno = errno
            guard denied == -1, deniedErrno == EACCES else {
                Probe.fail("open(/etc/hostname, O_WRONLY) gave \(denied), errno \(deniedErrno); expected EACCES")
            }
            let readable = open("/etc/hostname", O_RDONLY | O_CLOEXEC)
            guard readable >= 0 else { Probe.fail("/etc is read-only, yet reading /etc/hostname failed") }
            close(readable)
            let outside = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard outside == -1, errno == EACCES else { Probe.fail("/tmp outside the rules is still readable") }
            Workload.useTemporaryFile(in: directory)
        }
    }

    @Test("a missing path is an actionable error, raised before Landlock is enforced")
    func missingPath() async {
        await #expect(processExitsWith: .success) {
            guard nm_landlock_abi() > 0 else { return }
            let rules = LandlockRules(readWrite: ["/nonexistent/nimbus-state"])
            var report = SandboxReport(roleName: "network")
            do throws(SandboxError) {
                try Sandbox.restrict(PolicyFiles.profile("network", landlock: rules), report: &report)
                Probe.fail("restrict accepted a missing path")
            } catch {
                guard error.area == .landlock, error.message.contains("'/nonexistent/nimbus-state' does not exist")
                else { Probe.fail("unexpected error: \(error)") }
            }
        }
    }

    @Test("every filesystem right of an ABI is handled", arguments: [
        (1, 0x1fff), (2, 0x3fff), (3, 0x7fff), (4, 0x7fff), (5, 0xffff), (7, 0xffff), (9, 0xffff),
    ] as [(Int, UInt64)])
    func handledRights(abi: Int, mask: UInt64) {
        #expect(LandlockAccess.handled(byABI: abi).rawValue == mask)
    }

    @Test("no ABI, no rights")
    func noABI() {
        #expect(LandlockAccess.handled(byABI: 0).isEmpty)
    }
}
