import Foundation
import Logging
import NimbusConfig
import NimbusIPC
import NimbusInstallerCore
import NimbusRuntime

/// Runs the nodes that have `[nodes.launch]`: carries out what each node's `NodeSupervision` decides. All state
/// lives on one serial queue. Each process is spawned by a thread of its own that then waits for it, so that the
/// parent-death signal (SIGTERM, tied to the spawning thread) fires only when the installer itself dies.
final class NodeProcesses: @unchecked Sendable {
    /// What a node needs to start, fixed at boot.
    struct Spec: Sendable {
        var name: String
        var argv: [String]
        var environment: [String]
        var identity: (uid: UInt32, gid: UInt32, groups: [UInt32])?
        var logPath: String
        /// Why the node cannot be started at all (e.g. an unknown account), reported at each attempt.
        var unusable: String?
    }

    /// Where a node is held down across restarts, as stored.
    enum Hold: String {
        case stopped
        case doppelganger
    }

    private let queue = DispatchQueue(label: "node-processes")
    private let logger: Logger
    private let specs: [String: Spec]
    private let order: [String]
    private var machines: [String: NodeSupervision] = [:]
    /// Holds found at boot: those nodes are not started with the others.
    private let bootHolds: [String: Hold]
    private let saveHold: @Sendable (String, Hold?) -> Void
    private let idle = DispatchGroup()

    /// Larger logs are moved aside (one generation kept) when the node starts.
    static let logRotateBytes: Int = 64 << 20

    init(specs: [Spec], holds: [String: Hold], logger: Logger, saveHold: @escaping @Sendable (String, Hold?) -> Void) {
        self.logger = logger
        self.specs = Dictionary(specs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        order = specs.map(\.name)
        self.saveHold = saveHold
        bootHolds = holds
        for spec in specs {
            machines[spec.name] = NodeSupervision(name: spec.name, heldAfterDoppelganger: holds[spec.name] == .doppelganger)
        }
    }

    /// Starts every node that is not held down.
    func startAll() {
        queue.async { [self] in
            for name in order {
                if let hold = bootHolds[name] {
                    let why = hold == .doppelganger ? "it exited after detecting a doppelganger" : "it was stopped on request"
                    logger.notice("node stays down until started (nimbus nodes start \(name))", metadata: [
                        "node": "\(name)", "reason": "\(why)",
                    ])
                    continue
                }
                handle(name, .startRequested)
            }
        }
    }

    /// Every launched node, in configuration order.
    func states() -> [NodeProcessState] {
        queue.sync { order.compactMap { machines[$0]?.report() } }
    }

    /// Carries out a request from the network role; nil when no launched node has that name.
    func control(_ request: NodeControl) -> [NodeProcessState]? {
        queue.sync {
            guard machines[request.name] != nil else { return nil }
            switch request.action {
            case .start:
                saveHold(request.name, nil)
                handle(request.name, .startRequested)
            case .restart:
                saveHold(request.name, nil)
                handle(request.name, .restartRequested)
            case .stop:
                saveHold(request.name, .stopped)
                handle(request.name, .stopRequested)
            }
            return order.compactMap { machines[$0]?.report() }
        }
    }

    /// Asks every node to stop and waits up to `timeout` for them to exit.
    func shutdown(timeout: TimeInterval) {
        queue.sync { for name in order { handle(name, .shutdown) } }
        _ = idle.wait(timeout: .now() + timeout)
    }

    // MARK: carrying out actions (on `queue`)

    private func handle(_ name: String, _ event: NodeSupervision.Event) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard var machine = machines[name] else { return }
        let actions = machine.handle(event, nowMillis: Self.nowMillis())
        machines[name] = machine
        if case .exited = event, machine.state == .held { saveHold(name, .doppelganger) }
        for action in actions { perform(action, for: name) }
    }

    private func perform(_ action: NodeSupervision.Action, for name: String) {
        switch action {
        case .spawn:
            guard let spec = specs[name] else { return }
            idle.enter()
            let thread = Thread { [self] in run(spec) }
            thread.name = "node-\(name)"
            thread.start()
        case let .signal(pid, signal):
            if kill(pid, signal) != 0 {
                logger.warning("cannot signal the node", metadata: [
                    "node": "\(name)", "pid": "\(pid)", "signal": "\(signal)", "error": "\(String(cString: strerror(errno)))",
                ])
            }
        case let .schedule(timer, after):
            queue.asyncAfter(deadline: .now() + .milliseconds(Int(min(after, 86_400_000)))) { [self] in
                handle(name, .timer(timer))
            }
        case let .log(notice, message):
            if notice {
                logger.notice("\(message)", metadata: ["node": "\(name)"])
            } else {
                logger.warning("\(message)", metadata: ["node": "\(name)"])
            }
        }
    }

    // MARK: one process (on its own thread)

    /// Spawns the node, reports it, waits for it to end, reports that.
    private func run(_ spec: Spec) {
        defer { idle.leave() }
        let pid: pid_t
        do {
            pid = try spawn(spec)
        } catch {
            queue.async { [self] in handle(spec.name, .spawnFailed(error.description)) }
            return
        }
        queue.async { [self] in handle(spec.name, .spawned(pid: pid)) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                logger.error("cannot wait for the node", metadata: ["node": "\(spec.name)", "error": "\(reason)"])
                queue.async { [self] in handle(spec.name, .exited(code: nil, signal: 0)) }
                return
            }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out: the C macros are not imported.
        let exited = status & 0x7f == 0
        let code: Int32? = exited ? (status >> 8) & 0xff : nil
        let signal: Int32? = exited ? nil : status & 0x7f
        queue.async { [self] in handle(spec.name, .exited(code: code, signal: signal)) }
    }

    /// Why a node could not be started, in words.
    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    private func spawn(_ spec: Spec) throws(StartFailure) -> pid_t {
        if let unusable = spec.unusable { throw StartFailure(description: unusable) }
        Self.rotate(spec.logPath)
        let log = open(spec.logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard log >= 0 else {
            throw StartFailure(description: "cannot open its log \(spec.logPath): \(String(cString: strerror(errno)))")
        }
        defer { close(log) }
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard null >= 0 else { throw StartFailure(description: "cannot open /dev/null: \(String(cString: strerror(errno)))") }
        defer { close(null) }
        var child = ChildSpawn(path: spec.argv[0], arguments: spec.argv, environment: spec.environment)
        child.standardInput = null
        child.standardOutput = log
        child.standardError = log
        child.identity = spec.identity
        child.deathSignal = SIGTERM
        do {
            return try child.spawn()
        } catch {
            throw StartFailure(description: "cannot start \(spec.argv[0]): \(error.description)")
        }
    }

    private static func rotate(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0, Int(info.st_size) > logRotateBytes else { return }
        _ = rename(path, path + ".1")
    }

    static func nowMillis() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }
}
