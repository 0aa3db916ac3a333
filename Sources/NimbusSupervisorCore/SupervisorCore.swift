import NimbusIPC

/// The supervisor's decisions, as a pure state machine (after swift-nio's typed upgrader state machines): events
/// in, actions out. The executable carries the actions out (spawn, signal, send, schedule, exit) and feeds back
/// what happened; tests drive every path without processes or clocks.
public struct SupervisorCore: Sendable {
    /// Something that happened.
    public enum Event: Sendable, Equatable {
        /// The supervisor is up: spawn everything.
        case start
        case spawned(Role, pid: Int32, nowMillis: UInt64)
        case spawnFailed(Role, reason: String, nowMillis: UInt64)
        case exited(pid: Int32, ExitStatus, nowMillis: UInt64)
        case ready(Role, steps: [SandboxStepReport])
        case pong(Role, nonce: UInt64)
        /// A child broke the IPC protocol on its supervisor link.
        case violation(Role, reason: String)
        /// Periodic tick: heartbeats and start-up deadlines.
        case tick(nowMillis: UInt64)
        case restartDue(Role, nowMillis: UInt64)
        case shutdownRequested(reason: String)
        case shutdownDeadline
    }

    /// Something to do.
    public enum Action: Sendable, Equatable {
        case spawn(Role)
        case kill(Role, pid: Int32)
        case sendShutdown(Role)
        case sendPing(Role, nonce: UInt64)
        case scheduleRestart(Role, afterMillis: UInt64)
        case scheduleShutdownDeadline(afterMillis: UInt64)
        case log(LogLevel, String, metadata: [String: String])
        case exit(code: Int32)
    }

    public enum LogLevel: String, Sendable {
        case info, notice, warning, error
    }

    /// One role's slot.
    public struct Slot: Sendable, Equatable {
        public var role: Role
        public var state: RoleState = .stopped
        public var pid: Int32 = 0
        public var restarts: UInt32 = 0
        public var lastExit = ""
        public var startedAtMillis: UInt64 = 0
        public var steps: [SandboxStepReport] = []
        var backoff = RestartBackoff()
        var pendingPing: (nonce: UInt64, sentAtMillis: UInt64)?
        /// Set once a deadline kill was issued, so that later ticks do not repeat it while the process dies.
        var killIssued = false

        public static func == (lhs: Slot, rhs: Slot) -> Bool {
            lhs.role == rhs.role && lhs.state == rhs.state && lhs.pid == rhs.pid && lhs.restarts == rhs.restarts
        }
    }

    /// Timing, in milliseconds.
    public struct Timing: Sendable {
        public var heartbeatTimeoutMillis: UInt64 = 10_000
        public var readyTimeoutMillis: UInt64 = 30_000
        public var shutdownTimeoutMillis: UInt64 = 10_000
        public init() {}
    }

    public private(set) var slots: [Role: Slot]
    public private(set) var stopping = false
    private let timing: Timing
    private let describe: @Sendable (ExitStatus) -> String
    private var nextNonce: UInt64 = 1
    private var shutdownSent: Set<Role> = []

    public init(timing: Timing = Timing(), describe: @escaping @Sendable (ExitStatus) -> String) {
        self.timing = timing
        self.describe = describe
        slots = Dictionary(uniqueKeysWithValues: Role.children.map { ($0, Slot(role: $0)) })
    }

    /// Handles one event and returns what to do, in order.
    public mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .start:
            return Role.children.flatMap { role -> [Action] in
                slots[role]?.state = .starting
                return [.spawn(role)]
            }
        case let .spawned(role, pid, now):
            slots[role]?.pid = pid
            slots[role]?.startedAtMillis = now
            slots[role]?.state = .starting
            slots[role]?.steps = []
            slots[role]?.pendingPing = nil
            slots[role]?.killIssued = false
            return [.log(.info, "role spawned", metadata: ["child": "\(role)", "pid": "\(pid)"])]
        case let .spawnFailed(role, reason, now):
            slots[role]?.lastExit = "could not start: \(reason)"
            return scheduleRestart(role, ranForMillis: 0, now: now, why: "could not start: \(reason)")
        case let .exited(pid, status, now):
            return exited(pid: pid, status: status, now: now)
        case let .ready(role, steps):
            guard slots[role]?.state == .starting else { return [] }
            slots[role]?.state = .running
            slots[role]?.steps = steps
            let off = steps.filter { !$0.inForce }.map(\.name)
            return [
                .log(
                    .notice, "role sandboxed and ready",
                    metadata: [
                        "child": "\(role)", "in_force": steps.filter(\.inForce).map(\.name).joined(separator: ","),
                        "not_in_force": off.isEmpty ? "none" : off.joined(separator: ","),
                    ])
            ]
        case let .pong(role, nonce):
            if slots[role]?.pendingPing?.nonce == nonce { slots[role]?.pendingPing = nil }
            return []
        case let .violation(role, reason):
            guard let slot = slots[role], slot.pid != 0 else { return [] }
            return [
                .log(.error, "protocol violation on the supervisor link; killing the role",
                     metadata: ["child": "\(role)", "reason": reason]),
                .kill(role, pid: slot.pid),
            ]
        case let .tick(now):
            return tick(now: now)
        case let .restartDue(role, _):
            guard !stopping, slots[role]?.state == .restarting else { return [] }
            slots[role]?.state = .starting
            return [.spawn(role)]
        case let .shutdownRequested(reason):
            guard !stopping else { return [] }
            stopping = true
            var actions: [Action] = [
                .log(.notice, "shutting down", metadata: ["reason": reason]),
                .scheduleShutdownDeadline(afterMillis: timing.shutdownTimeoutMillis),
            ]
            for role in Role.children where slots[role]?.state == .restarting { slots[role]?.state = .stopped }
            actions += stopNextWave()
            return actions
        case .shutdownDeadline:
            guard stopping else { return [] }
            let stuck = Role.children.compactMap { role -> Action? in
                guard let slot = slots[role], slot.pid != 0 else { return nil }
                return .kill(role, pid: slot.pid)
            }
            guard !stuck.isEmpty else { return [] }
            return [.log(.warning, "roles did not stop in time; killing them",
                         metadata: ["timeout_ms": "\(timing.shutdownTimeoutMillis)"])] + stuck
        }
    }

    /// Shutdown runs in reverse spawn order: the network role first (it stops taking commands and finishes the ones
    /// it has, which may still need the signer or installer), then the others.
    private mutating func stopNextWave() -> [Action] {
        if let network = slots[.network], network.pid != 0 {
            return shutdownSent.insert(.network).inserted ? [.sendShutdown(.network)] : []
        }
        var actions: [Action] = []
        for role in [Role.signer, .installer] where slots[role]?.pid != 0 && shutdownSent.insert(role).inserted {
            actions.append(.sendShutdown(role))
        }
        if Role.children.allSatisfy({ slots[$0]?.pid == 0 }) {
            actions.append(.log(.notice, "all roles stopped", metadata: [:]))
            actions.append(.exit(code: 0))
        }
        return actions
    }

    private mutating func exited(pid: Int32, status: ExitStatus, now: UInt64) -> [Action] {
        guard let role = Role.children.first(where: { slots[$0]?.pid == pid }), let slot = slots[role] else {
            return []
        }
        let why = describe(status)
        slots[role]?.pid = 0
        slots[role]?.lastExit = why
        slots[role]?.pendingPing = nil
        if stopping {
            slots[role]?.state = .stopped
            let level: LogLevel = status == .exited(0) ? .info : .warning
            let stopped: [Action] = [.log(level, "role stopped", metadata: ["child": "\(role)", "pid": "\(pid)", "how": why])]
            return stopped + stopNextWave()
        }
        let ran = now >= slot.startedAtMillis ? now - slot.startedAtMillis : 0
        return scheduleRestart(role, ranForMillis: ran, now: now, why: why)
    }

    private mutating func scheduleRestart(_ role: Role, ranForMillis: UInt64, now: UInt64, why: String) -> [Action] {
        guard !stopping, var slot = slots[role] else { return [] }
        let delay = slot.backoff.nextDelay(ranForMillis: ranForMillis)
        slot.state = .restarting
        slot.restarts += 1
        slots[role] = slot
        return [
            .log(.warning, "role died; restarting",
                 metadata: ["child": "\(role)", "how": why, "restart_in_ms": "\(delay)", "restarts": "\(slot.restarts)"]),
            .scheduleRestart(role, afterMillis: delay),
        ]
    }

    private mutating func tick(now: UInt64) -> [Action] {
        guard !stopping else { return [] }
        var actions: [Action] = []
        for role in Role.children {
            guard let slot = slots[role], slot.pid != 0, !slot.killIssued else { continue }
            switch slot.state {
            case .starting where now > slot.startedAtMillis + timing.readyTimeoutMillis:
                slots[role]?.killIssued = true
                actions.append(.log(.error, "role did not become ready in time; killing it",
                                    metadata: ["child": "\(role)", "timeout_ms": "\(timing.readyTimeoutMillis)"]))
                actions.append(.kill(role, pid: slot.pid))
            case .running:
                if let pending = slot.pendingPing {
                    if now > pending.sentAtMillis + timing.heartbeatTimeoutMillis {
                        slots[role]?.killIssued = true
                        actions.append(.log(.error, "role stopped answering heartbeats; killing it",
                                            metadata: ["child": "\(role)", "timeout_ms": "\(timing.heartbeatTimeoutMillis)"]))
                        actions.append(.kill(role, pid: slot.pid))
                    }
                } else {
                    let nonce = nextNonce
                    nextNonce += 1
                    slots[role]?.pendingPing = (nonce, now)
                    actions.append(.sendPing(role, nonce: nonce))
                }
            default:
                break
            }
        }
        return actions
    }
}
