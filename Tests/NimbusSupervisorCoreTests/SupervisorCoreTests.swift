import NimbusIPC
import NimbusSupervisorCore
import Testing

@Suite("SupervisorCore state machine")
struct SupervisorCoreTests {
    typealias Action = SupervisorCore.Action

    static let pids: [Role: Int32] = [.signer: 101, .installer: 102, .network: 103]
    static let steps = [
        SandboxStepReport(name: "seccomp", inForce: true, detail: "filter"),
        SandboxStepReport(name: "landlock", inForce: false, detail: "not supported"),
    ]

    static func timing(heartbeat: UInt64 = 1_000, ready: UInt64 = 5_000, shutdown: UInt64 = 3_000)
        -> SupervisorCore.Timing
    {
        var timing = SupervisorCore.Timing()
        timing.heartbeatTimeoutMillis = heartbeat
        timing.readyTimeoutMillis = ready
        timing.shutdownTimeoutMillis = shutdown
        return timing
    }

    static func makeCore(timing: SupervisorCore.Timing = timing()) -> SupervisorCore {
        SupervisorCore(timing: timing) { status in
            switch status {
            case let .exited(code): "exit \(code)"
            case let .signaled(signal): "signal \(signal)"
            }
        }
    }

    /// A core whose three roles were spawned at `now` and reported ready.
    static func runningCore(timing: SupervisorCore.Timing = timing(), now: UInt64 = 1_000) -> SupervisorCore {
        var core = makeCore(timing: timing)
        _ = core.handle(.start)
        for role in Role.children {
            _ = core.handle(.spawned(role, pid: pids[role]!, nowMillis: now))
            _ = core.handle(.ready(role, steps: steps))
        }
        return core
    }

    /// The actions without the log lines, which carry words rather than decisions.
    static func decisions(_ actions: [Action]) -> [Action] {
        actions.filter { if case .log = $0 { false } else { true } }
    }

    static func logMessages(_ actions: [Action]) -> [String] {
        actions.compactMap { if case let .log(_, message, _) = $0 { message } else { nil } }
    }

    // MARK: Start-up

    @Test func startSpawnsSignerThenInstallerThenNetwork() {
        var core = Self.makeCore()
        let actions = core.handle(.start)
        #expect(actions == [.spawn(.signer), .spawn(.installer), .spawn(.network)])
        #expect(Role.children.allSatisfy { core.slots[$0]?.state == .starting })
        #expect(core.slots[.supervisor] == nil)
    }

    @Test func spawnedRecordsPidAndStartTimeAndStaysStarting() throws {
        var core = Self.makeCore()
        _ = core.handle(.start)
        let actions = core.handle(.spawned(.signer, pid: 4242, nowMillis: 777))
        let slot = try #require(core.slots[.signer])
        #expect(slot.pid == 4242)
        #expect(slot.startedAtMillis == 777)
        #expect(slot.state == .starting)
        #expect(actions == [.log(.info, "role spawned", metadata: ["child": "signer", "pid": "4242"])])
    }

    @Test func readyMovesTheRoleToRunningAndKeepsItsSteps() throws {
        var core = Self.makeCore()
        _ = core.handle(.start)
        _ = core.handle(.spawned(.network, pid: 9, nowMillis: 0))
        let actions = core.handle(.ready(.network, steps: Self.steps))
        let slot = try #require(core.slots[.network])
        #expect(slot.state == .running)
        #expect(slot.steps == Self.steps)
        #expect(
            actions == [
                .log(.notice, "role sandboxed and ready",
                     metadata: ["child": "network", "in_force": "seccomp", "not_in_force": "landlock"])
            ])
    }

    @Test func readyWithEveryStepInForceSaysNoneIsOff() {
        var core = Self.makeCore()
        _ = core.handle(.start)
        _ = core.handle(.spawned(.signer, pid: 9, nowMillis: 0))
        let steps = [SandboxStepReport(name: "seccomp", inForce: true, detail: ""),
                     SandboxStepReport(name: "caps", inForce: true, detail: "")]
        let actions = core.handle(.ready(.signer, steps: steps))
        #expect(
            actions == [
                .log(.notice, "role sandboxed and ready",
                     metadata: ["child": "signer", "in_force": "seccomp,caps", "not_in_force": "none"])
            ])
    }

    @Test func secondReadyIsIgnored() {
        var core = Self.runningCore()
        #expect(core.handle(.ready(.signer, steps: [])).isEmpty)
        #expect(core.slots[.signer]?.steps == Self.steps)
    }

    // MARK: Heartbeats

    @Test func tickPingsEveryRunningRoleWithFreshNonces() {
        var core = Self.runningCore()
        let actions = core.handle(.tick(nowMillis: 2_000))
        #expect(
            actions == [.sendPing(.signer, nonce: 1), .sendPing(.installer, nonce: 2), .sendPing(.network, nonce: 3)])
    }

    @Test func tickDoesNotPingRolesThatAreNotReadyYet() {
        var core = Self.makeCore()
        _ = core.handle(.start)
        _ = core.handle(.spawned(.signer, pid: 1, nowMillis: 0))
        _ = core.handle(.spawned(.installer, pid: 2, nowMillis: 0))
        _ = core.handle(.ready(.installer, steps: []))
        #expect(core.handle(.tick(nowMillis: 100)) == [.sendPing(.installer, nonce: 1)])
    }

    @Test func noSecondPingWhileOneIsPending() {
        var core = Self.runningCore()
        _ = core.handle(.tick(nowMillis: 2_000))
        #expect(core.handle(.tick(nowMillis: 2_500)).isEmpty)
    }

    @Test func pongClearsThePendingPingSoTheNextTickPingsAgain() {
        var core = Self.runningCore()
        _ = core.handle(.tick(nowMillis: 2_000))
        #expect(core.handle(.pong(.installer, nonce: 2)).isEmpty)
        #expect(core.handle(.tick(nowMillis: 2_500)) == [.sendPing(.installer, nonce: 4)])
    }

    @Test func pongWithAnotherNonceDoesNotClearThePing() {
        var core = Self.runningCore(timing: Self.timing(heartbeat: 1_000))
        _ = core.handle(.tick(nowMillis: 2_000))
        _ = core.handle(.pong(.signer, nonce: 99))
        _ = core.handle(.pong(.signer, nonce: 2))  // the installer's nonce
        let actions = core.handle(.tick(nowMillis: 3_001))
        #expect(Self.decisions(actions).contains(.kill(.signer, pid: 101)))
    }

    @Test func heartbeatTimeoutKillsOnlyTheSilentRole() {
        var core = Self.runningCore(timing: Self.timing(heartbeat: 1_000))
        _ = core.handle(.tick(nowMillis: 2_000))
        _ = core.handle(.pong(.signer, nonce: 1))
        _ = core.handle(.pong(.installer, nonce: 2))
        // Exactly at the deadline the role still has time; one millisecond later it does not.
        #expect(core.handle(.tick(nowMillis: 2_500)) == [.sendPing(.signer, nonce: 4), .sendPing(.installer, nonce: 5)])
        #expect(core.handle(.tick(nowMillis: 3_000)).isEmpty)
        _ = core.handle(.pong(.signer, nonce: 4))
        _ = core.handle(.pong(.installer, nonce: 5))
        let actions = core.handle(.tick(nowMillis: 3_001))
        #expect(
            actions == [
                .sendPing(.signer, nonce: 6), .sendPing(.installer, nonce: 7),
                .log(.error, "role stopped answering heartbeats; killing it",
                     metadata: ["child": "network", "timeout_ms": "1000"]),
                .kill(.network, pid: 103),
            ])
    }

    @Test func roleNotReadyWithinTheReadyTimeoutIsKilled() {
        var core = Self.makeCore(timing: Self.timing(ready: 5_000))
        _ = core.handle(.start)
        _ = core.handle(.spawned(.signer, pid: 11, nowMillis: 1_000))
        #expect(core.handle(.tick(nowMillis: 6_000)).isEmpty)
        let actions = core.handle(.tick(nowMillis: 6_001))
        #expect(
            actions == [
                .log(.error, "role did not become ready in time; killing it",
                     metadata: ["child": "signer", "timeout_ms": "5000"]),
                .kill(.signer, pid: 11),
            ])
        // The kill is issued once; later ticks wait for the exit instead of repeating it.
        #expect(core.handle(.tick(nowMillis: 7_001)).isEmpty)
        #expect(core.handle(.tick(nowMillis: 8_001)).isEmpty)
    }

    @Test func roleThatBecameReadyIsNotKilledByTheReadyTimeout() {
        var core = Self.runningCore(timing: Self.timing(heartbeat: 100_000, ready: 5_000), now: 0)
        let actions = core.handle(.tick(nowMillis: 50_000))
        #expect(!actions.contains { if case .kill = $0 { true } else { false } })
    }

    // MARK: Restarts

    @Test func exitWhileRunningSchedulesARestartAndRecordsWhy() throws {
        var core = Self.runningCore(now: 1_000)
        let actions = core.handle(.exited(pid: 102, .signaled(9), nowMillis: 1_500))
        #expect(
            actions == [
                .log(.warning, "role died; restarting",
                     metadata: ["child": "installer", "how": "signal 9", "restart_in_ms": "200", "restarts": "1"]),
                .scheduleRestart(.installer, afterMillis: 200),
            ])
        let slot = try #require(core.slots[.installer])
        #expect(slot.state == .restarting)
        #expect(slot.pid == 0)
        #expect(slot.restarts == 1)
        #expect(slot.lastExit == "signal 9")
        #expect(core.slots[.signer]?.state == .running)
    }

    @Test func exitOfAnUnknownPidChangesNothing() {
        var core = Self.runningCore()
        let before = core.slots
        #expect(core.handle(.exited(pid: 999, .exited(1), nowMillis: 2_000)).isEmpty)
        #expect(core.slots == before)
    }

    @Test func quickSuccessiveFailuresBackOff() {
        var core = Self.runningCore(now: 0)
        var delays: [UInt64] = []
        var pid: Int32 = 101
        var now: UInt64 = 0
        for _ in 0..<9 {
            let actions = core.handle(.exited(pid: pid, .exited(1), nowMillis: now + 10))
            for case let .scheduleRestart(.signer, delay) in actions { delays.append(delay) }
            now += 10_000
            #expect(core.handle(.restartDue(.signer, nowMillis: now)) == [.spawn(.signer)])
            pid += 1_000
            _ = core.handle(.spawned(.signer, pid: pid, nowMillis: now))
        }
        #expect(delays == [200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 30_000, 30_000])
        #expect(core.slots[.signer]?.restarts == 9)
    }

    @Test func backoffStartsOverAfterASixtySecondRun() {
        var core = Self.runningCore(now: 0)
        #expect(Self.decisions(core.handle(.exited(pid: 101, .exited(1), nowMillis: 100)))
            == [.scheduleRestart(.signer, afterMillis: 200)])
        _ = core.handle(.restartDue(.signer, nowMillis: 300))
        _ = core.handle(.spawned(.signer, pid: 201, nowMillis: 300))
        #expect(Self.decisions(core.handle(.exited(pid: 201, .exited(1), nowMillis: 400)))
            == [.scheduleRestart(.signer, afterMillis: 500)])
        _ = core.handle(.restartDue(.signer, nowMillis: 900))
        _ = core.handle(.spawned(.signer, pid: 301, nowMillis: 900))
        _ = core.handle(.ready(.signer, steps: []))
        #expect(Self.decisions(core.handle(.exited(pid: 301, .exited(1), nowMillis: 60_900)))
            == [.scheduleRestart(.signer, afterMillis: 200)])
        // The restart count is a history, not the backoff: it keeps growing.
        #expect(core.slots[.signer]?.restarts == 3)
    }

    @Test func restartDueSpawnsTheRoleAgain() {
        var core = Self.runningCore()
        _ = core.handle(.exited(pid: 103, .exited(1), nowMillis: 2_000))
        #expect(core.handle(.restartDue(.network, nowMillis: 2_200)) == [.spawn(.network)])
        #expect(core.slots[.network]?.state == .starting)
    }

    @Test func restartDueForARoleThatIsNotRestartingIsIgnored() {
        var core = Self.runningCore()
        #expect(core.handle(.restartDue(.network, nowMillis: 2_200)).isEmpty)
        #expect(core.slots[.network]?.state == .running)
    }

    @Test func spawnFailureSchedulesARestartAndSaysWhy() throws {
        var core = Self.makeCore()
        _ = core.handle(.start)
        let actions = core.handle(.spawnFailed(.signer, reason: "exec: ENOENT", nowMillis: 0))
        #expect(Self.decisions(actions) == [.scheduleRestart(.signer, afterMillis: 200)])
        let slot = try #require(core.slots[.signer])
        #expect(slot.state == .restarting)
        #expect(slot.lastExit == "could not start: exec: ENOENT")
        #expect(slot.restarts == 1)
    }

    @Test func restartedRoleGetsFreshStepsAndNoStalePing() throws {
        var core = Self.runningCore(timing: Self.timing(heartbeat: 1_000), now: 0)
        _ = core.handle(.tick(nowMillis: 100))  // pings pending for every role
        _ = core.handle(.exited(pid: 101, .signaled(9), nowMillis: 200))
        _ = core.handle(.restartDue(.signer, nowMillis: 400))
        _ = core.handle(.spawned(.signer, pid: 555, nowMillis: 400))
        #expect(core.slots[.signer]?.steps == [])
        _ = core.handle(.ready(.signer, steps: []))
        let actions = core.handle(.tick(nowMillis: 5_000))
        #expect(!actions.contains(.kill(.signer, pid: 555)))
        #expect(actions.contains(.sendPing(.signer, nonce: 4)))
    }

    // MARK: Violations

    @Test func protocolViolationKillsTheRole() {
        var core = Self.runningCore()
        let actions = core.handle(.violation(.installer, reason: "unknown message type 0x7777"))
        #expect(
            actions == [
                .log(.error, "protocol violation on the supervisor link; killing the role",
                     metadata: ["child": "installer", "reason": "unknown message type 0x7777"]),
                .kill(.installer, pid: 102),
            ])
    }

    @Test func violationFromARoleWithoutAProcessIsIgnored() {
        var core = Self.runningCore()
        _ = core.handle(.exited(pid: 102, .exited(1), nowMillis: 2_000))
        #expect(core.handle(.violation(.installer, reason: "late bytes")).isEmpty)
    }

    // MARK: Shutdown

    @Test func shutdownStopsTheNetworkFirstThenTheOthersThenExits() {
        var core = Self.runningCore(timing: Self.timing(shutdown: 3_000))
        let first = core.handle(.shutdownRequested(reason: "SIGTERM"))
        #expect(
            first == [
                .log(.notice, "shutting down", metadata: ["reason": "SIGTERM"]),
                .scheduleShutdownDeadline(afterMillis: 3_000),
                .sendShutdown(.network),
            ])
        #expect(core.stopping)

        let afterNetwork = core.handle(.exited(pid: 103, .exited(0), nowMillis: 5_000))
        #expect(
            afterNetwork == [
                .log(.info, "role stopped", metadata: ["child": "network", "pid": "103", "how": "exit 0"]),
                .sendShutdown(.signer), .sendShutdown(.installer),
            ])
        #expect(core.slots[.network]?.state == .stopped)

        let afterSigner = core.handle(.exited(pid: 101, .exited(0), nowMillis: 5_100))
        #expect(Self.decisions(afterSigner).isEmpty)

        let afterInstaller = core.handle(.exited(pid: 102, .exited(0), nowMillis: 5_200))
        #expect(Self.decisions(afterInstaller) == [.exit(code: 0)])
        #expect(Self.logMessages(afterInstaller) == ["role stopped", "all roles stopped"])
        #expect(Role.children.allSatisfy { core.slots[$0]?.state == .stopped && core.slots[$0]?.pid == 0 })
    }

    @Test func uncleanExitDuringShutdownIsLoggedAsAWarning() {
        var core = Self.runningCore()
        _ = core.handle(.shutdownRequested(reason: "test"))
        let actions = core.handle(.exited(pid: 103, .signaled(15), nowMillis: 5_000))
        #expect(actions.first == .log(.warning, "role stopped",
                                      metadata: ["child": "network", "pid": "103", "how": "signal 15"]))
    }

    @Test func secondShutdownRequestIsIgnored() {
        var core = Self.runningCore()
        _ = core.handle(.shutdownRequested(reason: "SIGTERM"))
        #expect(core.handle(.shutdownRequested(reason: "SIGINT")).isEmpty)
    }

    @Test func shutdownWithNothingRunningExitsAtOnce() {
        var core = Self.makeCore()
        let actions = core.handle(.shutdownRequested(reason: "SIGTERM"))
        #expect(Self.decisions(actions) == [.scheduleShutdownDeadline(afterMillis: 3_000), .exit(code: 0)])
    }

    @Test func shutdownDeadlineKillsTheRolesStillRunning() {
        var core = Self.runningCore(timing: Self.timing(shutdown: 3_000))
        _ = core.handle(.shutdownRequested(reason: "SIGTERM"))
        _ = core.handle(.exited(pid: 103, .exited(0), nowMillis: 5_000))
        _ = core.handle(.exited(pid: 101, .exited(0), nowMillis: 5_100))
        let actions = core.handle(.shutdownDeadline)
        #expect(
            actions == [
                .log(.warning, "roles did not stop in time; killing them", metadata: ["timeout_ms": "3000"]),
                .kill(.installer, pid: 102),
            ])
    }

    @Test func shutdownDeadlineWhileTheNetworkIsStuckKillsEveryone() {
        var core = Self.runningCore()
        _ = core.handle(.shutdownRequested(reason: "SIGTERM"))
        let actions = core.handle(.shutdownDeadline)
        #expect(Self.decisions(actions) == [.kill(.signer, pid: 101), .kill(.installer, pid: 102),
                                            .kill(.network, pid: 103)])
    }

    @Test func shutdownDeadlineIsIgnoredWhenNotStoppingOrWhenAllStopped() {
        var running = Self.runningCore()
        #expect(running.handle(.shutdownDeadline).isEmpty)

        var stopped = Self.runningCore()
        _ = stopped.handle(.shutdownRequested(reason: "SIGTERM"))
        for pid: Int32 in [103, 101, 102] { _ = stopped.handle(.exited(pid: pid, .exited(0), nowMillis: 5_000)) }
        #expect(stopped.handle(.shutdownDeadline).isEmpty)
    }

    @Test func noRestartIsScheduledWhileStopping() throws {
        var core = Self.runningCore()
        _ = core.handle(.shutdownRequested(reason: "SIGTERM"))
        // The signer crashes before it was even asked to stop.
        let actions = core.handle(.exited(pid: 101, .signaled(11), nowMillis: 5_000))
        #expect(!actions.contains { if case .scheduleRestart = $0 { true } else { false } })
        let slot = try #require(core.slots[.signer])
        #expect(slot.state == .stopped)
        #expect(slot.restarts == 0)
        #expect(slot.lastExit == "signal 11")
    }

    @Test func restartDueWhileStoppingDoesNotSpawn() {
        var core = Self.runningCore()
        _ = core.handle(.exited(pid: 102, .exited(1), nowMillis: 2_000))
        _ = core.handle(.shutdownRequested(reason: "SIGTERM"))
        #expect(core.handle(.restartDue(.installer, nowMillis: 2_200)).isEmpty)
    }

    @Test func spawnFailureWhileStoppingSchedulesNothing() {
        var core = Self.runningCore()
        _ = core.handle(.shutdownRequested(reason: "SIGTERM"))
        #expect(core.handle(.spawnFailed(.installer, reason: "late", nowMillis: 2_000)).isEmpty)
    }

    @Test func rolesWaitingForARestartAreMarkedStoppedAtShutdown() {
        var core = Self.runningCore()
        _ = core.handle(.exited(pid: 101, .signaled(9), nowMillis: 2_000))
        #expect(core.slots[.signer]?.state == .restarting)

        let actions = core.handle(.shutdownRequested(reason: "SIGTERM"))
        #expect(core.slots[.signer]?.state == .stopped)
        #expect(Self.decisions(actions) == [.scheduleShutdownDeadline(afterMillis: 3_000), .sendShutdown(.network)])

        // The signer has no process, so only the installer is asked to stop; its exit ends the supervisor.
        let afterNetwork = core.handle(.exited(pid: 103, .exited(0), nowMillis: 3_000))
        #expect(Self.decisions(afterNetwork) == [.sendShutdown(.installer)])
        #expect(Self.decisions(core.handle(.exited(pid: 102, .exited(0), nowMillis: 3_100))) == [.exit(code: 0)])
    }

    @Test func ticksDuringShutdownNeitherPingNorKill() {
        var core = Self.runningCore(timing: Self.timing(heartbeat: 1_000))
        _ = core.handle(.tick(nowMillis: 2_000))
        _ = core.handle(.shutdownRequested(reason: "SIGTERM"))
        #expect(core.handle(.tick(nowMillis: 100_000)).isEmpty)
    }
}
