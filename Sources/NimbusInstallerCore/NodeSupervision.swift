import NimbusIPC

/// The life of one node the installer runs itself, as a state machine: events in (requests, the process's start
/// and exit, timers), actions out (spawn, signal, schedule). It behaves like the packaged systemd unit
/// (`Restart=always`, `RestartPreventExitStatus=129`): a node that stops is started again after a growing delay,
/// except after a doppelganger exit (status 129), where it stays down until someone asks, because restarting would
/// only listen for the doppelganger again and, without detection, could sign twice. Pure: no clock, no processes.
public struct NodeSupervision: Sendable {
    /// Where the node is.
    public enum State: Sendable, Equatable {
        /// Not running, and not to be started until asked (never started, or stopped on request).
        case stopped
        /// The spawn has been asked for and has not answered yet.
        case starting
        case running(pid: Int32, sinceMillis: UInt64)
        /// Asked to stop (SIGTERM sent); `restart` says whether to start it again once it has exited.
        case stopping(pid: Int32, restart: Bool)
        /// Waiting before starting a node that stopped by itself.
        case waiting(untilMillis: UInt64)
        /// Exited with status 129 (doppelganger detected): not restarted until asked.
        case held
    }

    /// What happened.
    public enum Event: Sendable, Equatable {
        case startRequested
        case stopRequested
        case restartRequested
        case spawned(pid: Int32)
        case spawnFailed(String)
        /// The process ended: `exited(code)` or `signaled(number)`, as `waitpid` said.
        case exited(code: Int32?, signal: Int32?)
        case timer(Timer)
        /// The installer is shutting down: stop the node and do not restart it.
        case shutdown
    }

    /// A timer the state machine asked for; stale ones (from an earlier generation) are ignored.
    public struct Timer: Sendable, Equatable {
        public enum Purpose: Sendable, Equatable { case restart, kill }
        public var purpose: Purpose
        public var generation: UInt64
    }

    /// What the caller must do.
    public enum Action: Sendable, Equatable {
        case spawn
        case signal(pid: Int32, signal: Int32)
        case schedule(Timer, afterMillis: UInt64)
        case log(notice: Bool, String)
    }

    /// Delays before restarting a node that keeps stopping; the last repeats. A node that ran for
    /// `stableAfterMillis` starts the sequence again.
    public static let restartDelaysMillis: [UInt64] = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000]
    public static let stableAfterMillis: UInt64 = 120_000
    /// How long a node may take to stop after SIGTERM before it is killed (Nimbus flushes its database).
    public static let stopTimeoutMillis: UInt64 = 120_000
    /// Nimbus's exit status when it detected a doppelganger.
    public static let doppelgangerStatus: Int32 = 129

    public let name: String
    public private(set) var state: State = .stopped
    /// Starts after the first (each restart, whatever its cause).
    public private(set) var restarts: UInt32 = 0
    public private(set) var lastExit: (code: Int32?, signal: Int32?, atMillis: UInt64)?
    /// Why the last spawn failed, until one succeeds.
    public private(set) var lastSpawnError: String?
    private var quickFailures = 0
    private var generation: UInt64 = 0
    private var started = false
    private var shuttingDown = false

    /// `heldAfterDoppelganger`: the node was held when the installer last ran, and stays so until asked.
    public init(name: String, heldAfterDoppelganger: Bool = false) {
        self.name = name
        if heldAfterDoppelganger { state = .held }
    }

    /// The reply and report form.
    public func report() -> NodeProcessState {
        let phase: NodeProcessState.Phase
        var pid: Int32 = 0
        var since: UInt64 = 0
        var until: UInt64 = 0
        switch state {
        case .stopped: phase = .stopped
        case .starting: phase = .starting
        case let .running(p, s): phase = .running; pid = p; since = s
        case let .stopping(p, _): phase = .stopping; pid = p
        case let .waiting(u): phase = .waiting; until = u
        case .held: phase = .held
        }
        return NodeProcessState(
            name: name, phase: phase, pid: UInt32(max(pid, 0)), restarts: restarts, sinceMillis: since,
            restartAtMillis: until,
            lastExitCode: lastExit?.code ?? -1, lastExitSignal: lastExit?.signal ?? 0,
            lastExitAtMillis: lastExit?.atMillis ?? 0, lastError: lastSpawnError ?? "")
    }

    public mutating func handle(_ event: Event, nowMillis: UInt64) -> [Action] {
        switch (event, state) {
        case (.shutdown, .running(let pid, _)):
            shuttingDown = true
            state = .stopping(pid: pid, restart: false)
            return [.signal(pid: pid, signal: 15), .log(notice: true, "stopping \(name): the node manager is shutting down")]
        case (.shutdown, .stopping(let pid, _)):
            shuttingDown = true
            state = .stopping(pid: pid, restart: false)
            return []
        case (.shutdown, _):
            shuttingDown = true
            if state != .starting { state = .stopped }
            return []

        case (_, _) where shuttingDown && event != .shutdown:
            return shutdownEvent(event, nowMillis: nowMillis)

        case (.startRequested, .stopped), (.startRequested, .held), (.restartRequested, .stopped),
             (.restartRequested, .held), (.startRequested, .waiting), (.restartRequested, .waiting):
            generation += 1
            quickFailures = 0
            return spawn()
        case (.startRequested, .stopping(let pid, _)):
            state = .stopping(pid: pid, restart: true)
            return []
        case (.startRequested, _):
            return []  // already starting or running

        case (.restartRequested, .running(let pid, _)):
            state = .stopping(pid: pid, restart: true)
            generation += 1
            return [.signal(pid: pid, signal: 15), .schedule(Timer(purpose: .kill, generation: generation),
                                                             afterMillis: Self.stopTimeoutMillis)]
        case (.restartRequested, .stopping(let pid, _)):
            state = .stopping(pid: pid, restart: true)
            return []
        case (.restartRequested, .starting):
            return []

        case (.stopRequested, .running(let pid, _)), (.stopRequested, .stopping(let pid, _)):
            let already: Bool
            if case .stopping = state { already = true } else { already = false }
            state = .stopping(pid: pid, restart: false)
            guard !already else { return [] }
            generation += 1
            return [.signal(pid: pid, signal: 15),
                    .schedule(Timer(purpose: .kill, generation: generation), afterMillis: Self.stopTimeoutMillis),
                    .log(notice: true, "stopping \(name) on request")]
        case (.stopRequested, .waiting), (.stopRequested, .held):
            generation += 1
            state = .stopped
            return [.log(notice: true, "\(name) stays stopped on request")]
        case (.stopRequested, .stopped), (.stopRequested, .starting):
            // A spawn in flight finishes, then is stopped when it reports (see `spawned`).
            if state == .starting { stopAfterSpawn = true }
            return []

        case (.spawned(let pid), .starting):
            lastSpawnError = nil
            state = .running(pid: pid, sinceMillis: nowMillis)
            var actions: [Action] = [.log(notice: true, "started \(name) (pid \(pid))")]
            if stopAfterSpawn {
                stopAfterSpawn = false
                actions += handle(.stopRequested, nowMillis: nowMillis)
            }
            return actions
        case (.spawnFailed(let reason), .starting):
            lastSpawnError = reason
            if stopAfterSpawn {
                // Asked to stop while the start was under way: stopped, not retried.
                stopAfterSpawn = false
                state = .stopped
                return [.log(notice: false, "cannot start \(name): \(reason); it stays stopped on request")]
            }
            return retryLater(nowMillis: nowMillis, ranForMillis: 0, why: "cannot start \(name): \(reason)")

        case (.exited(let code, let signal), .running(_, let since)):
            lastExit = (code, signal, nowMillis)
            let how = Self.describe(code: code, signal: signal)
            if code == Self.doppelgangerStatus {
                state = .held
                return [.log(notice: false, "\(name) \(how): a doppelganger was detected; it stays stopped until "
                            + "started again (nimbus nodes start \(name))")]
            }
            return retryLater(nowMillis: nowMillis, ranForMillis: nowMillis &- since, why: "\(name) \(how)")
        case (.exited(let code, let signal), .stopping(_, let restart)):
            lastExit = (code, signal, nowMillis)
            generation += 1
            if restart {
                quickFailures = 0
                return [.log(notice: true, "\(name) stopped (\(Self.describe(code: code, signal: signal)))")] + spawn()
            }
            state = .stopped
            return [.log(notice: true, "\(name) stopped (\(Self.describe(code: code, signal: signal)))")]

        case (.timer(let timer), .waiting) where timer.purpose == .restart && timer.generation == generation:
            return spawn()
        case (.timer(let timer), .stopping(let pid, _)) where timer.purpose == .kill && timer.generation == generation:
            return [.signal(pid: pid, signal: 9),
                    .log(notice: false, "\(name) did not stop within \(Self.stopTimeoutMillis / 1000) s: killed")]
        case (.timer, _):
            return []  // stale

        case (.spawned, _), (.spawnFailed, _), (.exited, _):
            // The edge reports spawns and exits only for the process it started in `starting`/`running`/`stopping`.
            preconditionFailure("\(name): \(event) in state \(state)")
        }
    }

    private var stopAfterSpawn = false

    private mutating func spawn() -> [Action] {
        if started { restarts += 1 }
        started = true
        state = .starting
        return [.spawn]
    }

    private mutating func retryLater(nowMillis: UInt64, ranForMillis: UInt64, why: String) -> [Action] {
        if ranForMillis >= Self.stableAfterMillis { quickFailures = 0 }
        let delay = Self.restartDelaysMillis[min(quickFailures, Self.restartDelaysMillis.count - 1)]
        quickFailures += 1
        generation += 1
        state = .waiting(untilMillis: nowMillis + delay)
        return [.log(notice: false, "\(why); starting it again in \(Self.seconds(delay))"),
                .schedule(Timer(purpose: .restart, generation: generation), afterMillis: delay)]
    }

    /// While shutting down only the process's end matters.
    private mutating func shutdownEvent(_ event: Event, nowMillis: UInt64) -> [Action] {
        switch (event, state) {
        case (.spawned(let pid), .starting):
            state = .stopping(pid: pid, restart: false)
            return [.signal(pid: pid, signal: 15)]
        case (.spawnFailed, .starting):
            state = .stopped
            return []
        case (.exited(let code, let signal), .stopping), (.exited(let code, let signal), .running):
            lastExit = (code, signal, nowMillis)
            state = .stopped
            return [.log(notice: true, "\(name) stopped (\(Self.describe(code: code, signal: signal)))")]
        default:
            return []
        }
    }

    /// "exited with status 1", "was killed by signal 9".
    public static func describe(code: Int32?, signal: Int32?) -> String {
        if let code { return "exited with status \(code)" }
        return "was killed by signal \(signal ?? 0)"
    }

    private static func seconds(_ millis: UInt64) -> String { "\(millis / 1000) s" }
}
