import NimbusIPC
import NimbusInstallerCore
import Testing

/// The supervision state machine driven with no processes and no clock: what the installer does for each event.
@Suite struct NodeSupervisionTests {
    typealias Timer = NodeSupervision.Timer

    /// The timer the actions scheduled, if any.
    private func scheduled(_ actions: [NodeSupervision.Action]) -> (Timer, UInt64)? {
        for case let .schedule(timer, after) in actions { return (timer, after) }
        return nil
    }

    @Test func startingSpawnsOnceAndAReportedSpawnIsRunning() {
        var node = NodeSupervision(name: "hoodi")
        #expect(node.handle(.startRequested, nowMillis: 0) == [.spawn])
        #expect(node.state == .starting)
        #expect(node.handle(.startRequested, nowMillis: 1) == [], "a second start while starting does nothing")
        _ = node.handle(.spawned(pid: 42), nowMillis: 5)
        #expect(node.state == .running(pid: 42, sinceMillis: 5))
        #expect(node.report().phase == .running)
        #expect(node.report().pid == 42)
        #expect(node.restarts == 0)
    }

    @Test func aCrashIsRestartedAfterGrowingDelaysThatResetOnceTheNodeRanLongEnough() {
        var node = NodeSupervision(name: "hoodi")
        _ = node.handle(.startRequested, nowMillis: 0)
        var now: UInt64 = 0
        var delays: [UInt64] = []
        for round in 0..<8 {
            _ = node.handle(.spawned(pid: Int32(100 + round)), nowMillis: now)
            now += 500
            let actions = node.handle(.exited(code: 1, signal: nil), nowMillis: now)
            let (timer, after) = try! #require(scheduled(actions))
            delays.append(after)
            #expect(node.state == .waiting(untilMillis: now + after))
            now += after
            #expect(node.handle(.timer(timer), nowMillis: now) == [.spawn])
        }
        #expect(delays == [1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 60_000, 60_000])
        #expect(node.restarts == 8)
        #expect(node.report().lastExitCode == 1)
        // A process that ran for two minutes starts the sequence again.
        _ = node.handle(.spawned(pid: 200), nowMillis: now)
        let actions = node.handle(.exited(code: nil, signal: 9), nowMillis: now + NodeSupervision.stableAfterMillis)
        #expect(scheduled(actions)?.1 == 1_000)
        #expect(node.report().lastExitSignal == 9)
        #expect(node.report().lastExitCode == -1)
    }

    @Test func aDoppelgangerExitIsHeldUntilSomeoneStartsTheNode() {
        var node = NodeSupervision(name: "hoodi")
        _ = node.handle(.startRequested, nowMillis: 0)
        _ = node.handle(.spawned(pid: 7), nowMillis: 0)
        let actions = node.handle(.exited(code: 129, signal: nil), nowMillis: 10)
        #expect(node.state == .held)
        #expect(scheduled(actions) == nil, "no restart after a doppelganger")
        #expect(node.report().phase == .held)
        #expect(node.report().lastExitCode == 129)
        #expect(node.handle(.stopRequested, nowMillis: 20).contains(.spawn) == false)
        #expect(node.state == .stopped)
        #expect(node.handle(.startRequested, nowMillis: 30) == [.spawn])
        #expect(node.restarts == 1)
    }

    @Test func aHoldFromBeforeARestartKeepsTheNodeDown() {
        var node = NodeSupervision(name: "hoodi", heldAfterDoppelganger: true)
        #expect(node.state == .held)
        #expect(node.handle(.startRequested, nowMillis: 0) == [.spawn])
    }

    @Test func stoppingSendsTermThenKillsAfterTheTimeoutAndStaysStopped() {
        var node = NodeSupervision(name: "hoodi")
        _ = node.handle(.startRequested, nowMillis: 0)
        _ = node.handle(.spawned(pid: 9), nowMillis: 0)
        let actions = node.handle(.stopRequested, nowMillis: 100)
        #expect(actions.contains(.signal(pid: 9, signal: 15)))
        let (kill, after) = try! #require(scheduled(actions))
        #expect(after == NodeSupervision.stopTimeoutMillis)
        #expect(node.handle(.stopRequested, nowMillis: 200) == [], "one SIGTERM only")
        #expect(node.handle(.timer(kill), nowMillis: 100 + after).first == .signal(pid: 9, signal: 9))
        _ = node.handle(.exited(code: nil, signal: 9), nowMillis: 100 + after + 1)
        #expect(node.state == .stopped)
        #expect(node.handle(.timer(kill), nowMillis: 999_999) == [], "a stale timer is ignored")
    }

    @Test func restartingStopsThenStartsWithoutTheBackoff() {
        var node = NodeSupervision(name: "hoodi")
        _ = node.handle(.startRequested, nowMillis: 0)
        _ = node.handle(.spawned(pid: 9), nowMillis: 0)
        #expect(node.handle(.restartRequested, nowMillis: 10).first == .signal(pid: 9, signal: 15))
        #expect(node.handle(.exited(code: 0, signal: nil), nowMillis: 20).contains(.spawn))
        #expect(node.state == .starting)
        #expect(node.restarts == 1)
    }

    @Test func aStartDuringAStopBecomesARestart() {
        var node = NodeSupervision(name: "hoodi")
        _ = node.handle(.startRequested, nowMillis: 0)
        _ = node.handle(.spawned(pid: 9), nowMillis: 0)
        _ = node.handle(.stopRequested, nowMillis: 10)
        #expect(node.handle(.startRequested, nowMillis: 11) == [])
        #expect(node.handle(.exited(code: 0, signal: nil), nowMillis: 20).contains(.spawn))
    }

    @Test func aStopWhileWaitingCancelsTheRestart() {
        var node = NodeSupervision(name: "hoodi")
        _ = node.handle(.startRequested, nowMillis: 0)
        _ = node.handle(.spawned(pid: 9), nowMillis: 0)
        let (timer, _) = try! #require(scheduled(node.handle(.exited(code: 2, signal: nil), nowMillis: 5)))
        _ = node.handle(.stopRequested, nowMillis: 6)
        #expect(node.state == .stopped)
        #expect(node.handle(.timer(timer), nowMillis: 5_000) == [])
    }

    @Test func aStopDuringASpawnStopsTheNodeOnceItIsUp() {
        var node = NodeSupervision(name: "hoodi")
        _ = node.handle(.startRequested, nowMillis: 0)
        #expect(node.handle(.stopRequested, nowMillis: 1) == [])
        #expect(node.handle(.spawned(pid: 3), nowMillis: 2).contains(.signal(pid: 3, signal: 15)))
        _ = node.handle(.exited(code: 0, signal: nil), nowMillis: 3)
        #expect(node.state == .stopped)
    }

    @Test func aStopDuringASpawnThatFailsLeavesTheNodeStopped() {
        var node = NodeSupervision(name: "hoodi")
        _ = node.handle(.startRequested, nowMillis: 0)
        _ = node.handle(.stopRequested, nowMillis: 1)
        let actions = node.handle(.spawnFailed("exec failed"), nowMillis: 2)
        #expect(node.state == .stopped)
        #expect(scheduled(actions) == nil, "no retry of a node asked to stop")
        #expect(node.handle(.startRequested, nowMillis: 3) == [.spawn], "and a later start is an ordinary one")
        _ = node.handle(.spawned(pid: 5), nowMillis: 4)
        #expect(node.state == .running(pid: 5, sinceMillis: 4), "not stopped again by the old request")
    }

    @Test func aFailedSpawnIsRetriedAndItsReasonReported() {
        var node = NodeSupervision(name: "hoodi")
        _ = node.handle(.startRequested, nowMillis: 0)
        let actions = node.handle(.spawnFailed("the account nimbus does not exist"), nowMillis: 1)
        #expect(scheduled(actions)?.1 == 1_000)
        #expect(node.report().lastError == "the account nimbus does not exist")
        #expect(actions.contains(.log(notice: false,
            "cannot start hoodi: the account nimbus does not exist; starting it again in 1 s")))
    }

    @Test func shutdownStopsARunningNodeAndNeverRestartsIt() {
        var node = NodeSupervision(name: "hoodi")
        _ = node.handle(.startRequested, nowMillis: 0)
        _ = node.handle(.spawned(pid: 9), nowMillis: 0)
        #expect(node.handle(.shutdown, nowMillis: 5).first == .signal(pid: 9, signal: 15))
        #expect(node.handle(.startRequested, nowMillis: 6) == [])
        _ = node.handle(.exited(code: 1, signal: nil), nowMillis: 7)
        #expect(node.state == .stopped)
        // A spawn that lands during shutdown is stopped at once.
        var late = NodeSupervision(name: "late")
        _ = late.handle(.startRequested, nowMillis: 0)
        _ = late.handle(.shutdown, nowMillis: 1)
        #expect(late.handle(.spawned(pid: 4), nowMillis: 2) == [.signal(pid: 4, signal: 15)])
    }

    @Test func everyReportPassesTheIPCDecodersChecks() throws {
        var node = NodeSupervision(name: "hoodi")
        var states = [node.report()]
        _ = node.handle(.startRequested, nowMillis: 0); states.append(node.report())
        _ = node.handle(.spawned(pid: 9), nowMillis: 1); states.append(node.report())
        _ = node.handle(.exited(code: 1, signal: nil), nowMillis: 2); states.append(node.report())
        _ = node.handle(.startRequested, nowMillis: 3)
        _ = node.handle(.spawned(pid: 10), nowMillis: 4)
        _ = node.handle(.stopRequested, nowMillis: 5); states.append(node.report())
        _ = node.handle(.exited(code: 129, signal: nil), nowMillis: 6); states.append(node.report())
        let message = IPCMessage.nodeProcesses(states)
        #expect(try IPCMessage.decode(type: .nodeProcesses, body: message.encodedBody()) == message)
        #expect(states.map(\.phase) == [.stopped, .starting, .running, .waiting, .stopping, .stopped])
    }
}
