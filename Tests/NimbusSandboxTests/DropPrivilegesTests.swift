import CNimbusSandbox
import Glibc
import NimbusSandbox
import Testing

/// Phase 1. Everything runs in child processes: these tests really give up root.
@Suite("Sandbox.dropPrivileges")
struct DropPrivilegesTests {
    @Test(
        "as root: nobody with no capabilities ends with CapEff 0, CapBnd 0, uid 65534",
        .enabled(if: Privilege.rootTestsRun, Privilege.skipComment)
    )
    func dropToNobody() async throws {
        try #require(Privilege.isRoot, Privilege.failureComment)
        await #expect(processExitsWith: .success) {
            SingleThreaded.run {
                let profile = SandboxProfile(roleName: "test", user: "nobody", policyPath: "/unused")
                let report: SandboxReport
                do {
                    report = try Sandbox.dropPrivileges(profile)
                } catch {
                    return "dropPrivileges: \(error)"
                }
                guard let status = try? ProcStatus.read(pid: getpid()) else { return "cannot read /proc/self/status" }
                let facts = "CapEff \(status.capEff) CapPrm \(status.capPrm) CapBnd \(status.capBnd) "
                    + "CapInh \(status.capInh) CapAmb \(status.capAmb) uid \(status.realUID)/\(status.effectiveUID)"
                    + "/\(status.savedUID) gid \(status.realGID) groups \(status.groups)"
                guard status.capEff == 0, status.capPrm == 0, status.capBnd == 0, status.capInh == 0,
                    status.capAmb == 0, status.realUID == 65534, status.effectiveUID == 65534,
                    status.savedUID == 65534, status.realGID == 65534, status.groups == [65534]
                else {
                    return "unexpected: \(facts)"
                }
                guard report.allInForce, nm_get_dumpable() == 0 else {
                    return "report: \(report.summary), dumpable \(nm_get_dumpable())"
                }
                // Root is gone for good: the saved uid is no longer 0, so there is no way back.
                guard setuid(0) == -1 else { return "setuid(0) succeeded after the drop" }
                return nil
            }
        }
    }

    @Test(
        "as root: a kept capability survives the switch to nobody, and nothing else does",
        .enabled(if: Privilege.rootTestsRun, Privilege.skipComment)
    )
    func keepOneCapability() async throws {
        try #require(Privilege.isRoot, Privilege.failureComment)
        await #expect(processExitsWith: .success) {
            SingleThreaded.run {
                let profile = SandboxProfile(
                    roleName: "test", user: "nobody", keptCapabilities: ["CAP_NET_BIND_SERVICE"], policyPath: "/unused"
                )
                do {
                    _ = try Sandbox.dropPrivileges(profile)
                } catch {
                    return "dropPrivileges: \(error)"
                }
                let bindService: UInt64 = 1 << 10
                guard let status = try? ProcStatus.read(pid: getpid()) else { return "cannot read /proc/self/status" }
                guard status.capEff == bindService, status.capPrm == bindService, status.capBnd == bindService,
                    status.capInh == bindService, status.effectiveUID == 65534
                else {
                    return "CapEff \(status.capEff) CapPrm \(status.capPrm) CapBnd \(status.capBnd) "
                        + "uid \(status.effectiveUID)"
                }
                return nil
            }
        }
    }

    @Test("without root: unprivileged steps are done, the rest reported as not in force")
    func unprivilegedReport() async {
        await #expect(processExitsWith: .success) {
            SingleThreaded.run {
                // Become an ordinary user first when the tests run as root.
                if geteuid() == 0 && nm_switch_identity(65534, 65534) != 0 { return "cannot become nobody" }
                let profile = SandboxProfile(roleName: "dev", user: "root", policyPath: "/unused")
                let report: SandboxReport
                do {
                    report = try Sandbox.dropPrivileges(profile)
                } catch {
                    return "dropPrivileges: \(error)"
                }
                let notInForce = report.stepsNotInForce.map(\.name)
                guard report.step(named: "core-dumps")?.inForce == true,
                    report.step(named: "not-dumpable")?.inForce == true,
                    report.step(named: "capabilities")?.inForce == true,
                    notInForce.contains("identity"), report.summary.contains("needs root")
                else {
                    return "unexpected report: \(report.summary)"
                }
                return nil
            }
        }
    }

    @Test("refuses to run once other threads exist, before changing anything")
    func refusesWhenThreaded() async {
        await #expect(processExitsWith: .success) {
            // The exit-test child already runs the test library's threads.
            let before = try ProcStatus.read(pid: getpid())
            do throws(SandboxError) {
                _ = try Sandbox.dropPrivileges(SandboxProfile(roleName: "late", user: "nobody", policyPath: "/unused"))
                Probe.fail("dropPrivileges ran in a process with \(before.threads) threads")
            } catch {
                guard error.area == .capabilities, error.message.contains("before anything starts a thread") else {
                    Probe.fail("unexpected error: \(error)")
                }
            }
            let after = try ProcStatus.read(pid: getpid())
            guard after.effectiveUID == before.effectiveUID, after.capBnd == before.capBnd else {
                Probe.fail("credentials changed although dropPrivileges refused")
            }
        }
    }

    @Test("an unknown capability name is a profile error")
    func unknownCapability() {
        let profile = SandboxProfile(roleName: "network", keptCapabilities: ["CAP_NET_BIND_SERVCE"], policyPath: "/x")
        #expect {
            _ = try Sandbox.dropPrivileges(profile)
        } throws: { error in
            guard let error = error as? SandboxError else { return false }
            return error.area == .profile && error.message.contains("unknown capability 'CAP_NET_BIND_SERVCE'")
        }
    }
}
