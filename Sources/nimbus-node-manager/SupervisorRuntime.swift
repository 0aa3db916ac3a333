import CNimbusSpawn
import Foundation
import Logging
import NimbusAPI
import NimbusConfig
import NimbusIPC
import NimbusRuntime
import NimbusSandbox
import NimbusSupervisorCore

/// Carries out `SupervisorCore`'s decisions. All mutable state is confined to `queue`; signals, child exits,
/// link events and timers all become events on it.
final class SupervisorRuntime: @unchecked Sendable {
    private let settings: Settings
    private let queue = DispatchQueue(label: "supervisor")
    private var logger: Logger
    private var core: SupervisorCore
    private var launcher: RoleLauncher!
    private var accounts: [Role: Account] = [:]
    /// The supervisor link of each running role.
    private var channels: [Role: LinkChannel] = [:]
    /// A peer-link end waiting for the role named in `for`, whose peer is already running.
    private var pendingEnds: [Link: (for: Role, descriptor: Int32)] = [:]
    private var hostNetNamespace = ""
    private var userNamespaceWorks = true
    private var ticker: (any DispatchSourceTimer)?

    init(settings: Settings) {
        self.settings = settings
        RoleLogHandler.bootstrap(role: "supervisor", level: Logger.Level(rawValue: settings.logLevel) ?? .info)
        logger = Logger(label: "supervisor")
        var timing = SupervisorCore.Timing()
        timing.shutdownTimeoutMillis = UInt64(settings.shutdownTimeoutSeconds) * 1000
        core = SupervisorCore(timing: timing, describe: { status in
            status.describe(signalName: SignalWaiter.name, exitMeaning: RoleExitCode.meaning)
        })
    }

    /// Prepares state, spawns the roles and serves events until shutdown. Never returns.
    func run() -> Never {
        let executableDir = InstalledLayout.executableDirectory()
        guard let policyDir = settings.policyDir ?? InstalledLayout.policyDirectory(near: executableDir) else {
            fatal("cannot find the seccomp policies (network.policy, ...): set policy_dir or --policy-dir")
        }
        launcher = RoleLauncher(settings: settings, executableDir: executableDir, policyDir: policyDir)
        for role in Role.children where access(launcher.executable(role), X_OK) != 0 {
            fatal("role executable \(launcher.executable(role)) is missing or not executable")
        }
        let layout = StateLayout(settings: settings)
        do {
            accounts = try layout.accounts()
            try layout.prepare(accounts: accounts)
        } catch {
            fatal(error.description)
        }
        hostNetNamespace = (try? NetNamespace.identity(pid: getpid())) ?? ""
        logger.notice("node manager starting", metadata: [
            "version": "\(NodeManagerVersion.current)", "mode": "\(settings.mode.rawValue)",
            "data_dir": "\(settings.dataDir)", "control_socket": "\(settings.controlSocket)",
            "policy_dir": "\(policyDir)", "seccomp": "\(settings.seccompDebug ? "debug (report, do not kill)" : "kill")",
        ])
        if settings.mode == .dev {
            logger.notice("dev mode: roles keep this user's identity; no uid switch, capabilities only as this user has them")
        }
        lockDownSelf(policyDir: policyDir)

        queue.async { [self] in
            handle(.start)
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + 1, repeating: 1)
            timer.setEventHandler { [self] in handle(.tick(nowMillis: Self.nowMillis())) }
            timer.resume()
            ticker = timer
        }
        SignalWaiter.wait(SignalWaiter.handled + [SIGCHLD]) { signal in
            queue.async { [self] in
                if signal == SIGCHLD {
                    reap()
                } else {
                    handle(.shutdownRequested(reason: "received \(SignalWaiter.name(signal))"))
                }
            }
        }
    }

    // MARK: Events and actions

    private func handle(_ event: SupervisorCore.Event) {
        dispatchPrecondition(condition: .onQueue(queue))
        for action in core.handle(event) { perform(action) }
    }

    private func perform(_ action: SupervisorCore.Action) {
        switch action {
        case let .spawn(role):
            spawn(role)
        case let .kill(role, pid):
            logger.warning("killing role", metadata: ["child": "\(role)", "pid": "\(pid)"])
            kill(pid, SIGKILL)
        case let .sendShutdown(role):
            if channels[role]?.notify(.shutdown) != true, let pid = core.slots[role]?.pid, pid != 0 {
                kill(pid, SIGTERM)
            }
        case let .sendPing(role, nonce):
            guard let channel = channels[role] else { return }
            Task { [self] in
                if case .pong(let answer)? = try? await channel.request(.ping(nonce: nonce), timeout: .seconds(5)) {
                    queue.async { [self] in handle(.pong(role, nonce: answer)) }
                }
            }
        case let .scheduleRestart(role, after):
            queue.asyncAfter(deadline: .now() + .milliseconds(Int(after))) { [self] in
                handle(.restartDue(role, nowMillis: Self.nowMillis()))
            }
        case let .scheduleShutdownDeadline(after):
            queue.asyncAfter(deadline: .now() + .milliseconds(Int(after))) { [self] in handle(.shutdownDeadline) }
        case let .log(level, message, metadata):
            let fields = metadata.mapValues { Logger.MetadataValue.string($0) }
            switch level {
            case .info: logger.info("\(message)", metadata: fields)
            case .notice: logger.notice("\(message)", metadata: fields)
            case .warning: logger.warning("\(message)", metadata: fields)
            case .error: logger.error("\(message)", metadata: fields)
            }
        case let .exit(code):
            pendingEnds.values.forEach { close($0.descriptor) }
            exit(code)
        }
    }

    // MARK: Spawning

    private func spawn(_ role: Role) {
        var pair: [Int32] = [-1, -1]
        guard nm_socketpair(&pair) == 0 else {
            return handle(.spawnFailed(role, reason: "socketpair: \(String(cString: strerror(errno)))", nowMillis: Self.nowMillis()))
        }
        var descriptors = [pair[1]]
        for link in Link.peerLinks(of: role) {
            let peer = link.peer(of: role)
            if let pending = pendingEnds[link], pending.for == role {
                pendingEnds[link] = nil
                descriptors.append(pending.descriptor)
                continue
            }
            var peerPair: [Int32] = [-1, -1]
            guard nm_socketpair(&peerPair) == 0 else {
                (descriptors + [pair[0]]).forEach { close($0) }
                return handle(.spawnFailed(role, reason: "socketpair failed", nowMillis: Self.nowMillis()))
            }
            descriptors.append(peerPair[0])
            if let channel = channels[peer], channel.notify(.peerLinkReplaced(peer: role), passing: peerPair[1]) {
                close(peerPair[1])
            } else {
                if let stale = pendingEnds[link] { close(stale.descriptor) }
                pendingEnds[link] = (for: peer, descriptor: peerPair[1])
            }
        }
        let isolateNet = role == .signer
        let useUserNamespace = isolateNet && geteuid() != 0 && userNamespaceWorks
        var pid: Int32 = 0
        do {
            pid = try launcher.spawn(role, descriptors: descriptors, newNetNamespace: isolateNet && (geteuid() == 0 || useUserNamespace), newUserNamespace: useUserNamespace)
        } catch let failure where failure.step == 4 && useUserNamespace {
            // Unprivileged user namespaces are off on this kernel: the signer runs without its own network
            // namespace, and says so at start. (System mode never needs a user namespace.)
            userNamespaceWorks = false
            logger.warning("cannot create a user namespace as this user; the signer will share the network namespace",
                           metadata: ["reason": "\(failure)"])
            descriptors.forEach { close($0) }
            close(pair[0])
            return spawn(role)
        } catch {
            descriptors.forEach { close($0) }
            close(pair[0])
            return handle(.spawnFailed(role, reason: error.description, nowMillis: Self.nowMillis()))
        }
        descriptors.forEach { close($0) }
        attachChannel(role, descriptor: pair[0])
        handle(.spawned(role, pid: pid, nowMillis: Self.nowMillis()))
    }

    private func attachChannel(_ role: Role, descriptor: Int32) {
        let channel = LinkChannel(link: Link.supervisor(of: role), local: .supervisor, descriptor: descriptor)
        channels[role] = channel
        channel.start(
            onEvent: { [self] event in
                queue.async { [self] in childEvent(role, channel: channel, event) }
            },
            onClose: { [self] closure in
                queue.async { [self] in
                    if channels[role] === channel { channels[role] = nil }
                    if case let .violation(error) = closure { handle(.violation(role, reason: error.description)) }
                }
            })
    }

    private func childEvent(_ role: Role, channel: LinkChannel, _ event: LinkChannel.Event) {
        guard channels[role] === channel else { return }
        switch event {
        case let .notification(.ready(steps), _):
            handle(.ready(role, steps: steps))
        case let .request(id, .roleStatusRequest):
            channel.reply(to: id, .roleStatus(roleStatus()))
        case let .notification(message, descriptor):
            // The permission table admits no other child-to-supervisor message; the endpoint already refused
            // anything else, so this is unreachable unless the table and this switch drift apart.
            descriptor.map { _ = close($0) }
            handle(.violation(role, reason: "unhandled \(message.type)"))
        case let .request(_, message):
            handle(.violation(role, reason: "unhandled request \(message.type)"))
        }
    }

    // MARK: Child exits

    private func reap() {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            guard pid > 0 else { return }
            let exitStatus: ExitStatus = (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
            if let role = Role.children.first(where: { core.slots[$0]?.pid == pid }) {
                channels[role]?.close()
                channels[role] = nil
                // Ends waiting for this role's peers would now lead to a dead process.
                for link in Link.peerLinks(of: role) {
                    if let pending = pendingEnds[link], pending.for != role {
                        close(pending.descriptor)
                        pendingEnds[link] = nil
                    }
                }
            }
            handle(.exited(pid: pid, exitStatus, nowMillis: Self.nowMillis()))
        }
    }

    // MARK: Status

    private func roleStatus() -> [RoleInfo] {
        Role.children.compactMap { role -> RoleInfo? in
            guard let slot = core.slots[role] else { return nil }
            var observed: ObservedSandbox?
            var uid = accounts[role]?.uid ?? 0
            if slot.pid != 0, let status = try? ProcStatus.read(pid: slot.pid) {
                uid = status.realUID
                let namespace = (try? NetNamespace.identity(pid: slot.pid)) ?? ""
                observed = ObservedSandbox(
                    seccompMode: UInt8(clamping: status.seccompMode), noNewPrivs: status.noNewPrivs,
                    capEff: status.capEff, capBnd: status.capBnd, netNamespace: namespace,
                    ownNetNamespace: !namespace.isEmpty && namespace != hostNetNamespace)
            }
            return RoleInfo(
                role: role, state: slot.state, pid: slot.pid, user: accounts[role]?.name ?? "", uid: uid,
                restarts: slot.restarts, lastExit: slot.lastExit, startedAtMillis: slot.startedAtMillis,
                observed: observed, reported: slot.steps)
        }
    }

    // MARK: The supervisor's own sandbox

    /// The supervisor keeps root (it spawns roles that start as root and drop to their users), but gives up what
    /// no role needs: core dumps, capabilities outside the union of the roles' needs, and the syscalls of its
    /// deny-list. Children inherit all of it.
    private func lockDownSelf(policyDir: String) {
        let profile = SandboxProfile(
            roleName: "supervisor", user: nil,
            keptCapabilities: [
                "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_KILL", "CAP_SETGID",
                "CAP_SETUID", "CAP_SETPCAP", "CAP_SYS_ADMIN", "CAP_SYS_PTRACE",
            ],
            dumpable: true, policyPath: "\(policyDir)/supervisor.policy", seccompDebug: settings.seccompDebug,
            landlock: nil)
        do {
            var report = try Sandbox.dropPrivileges(profile)
            if geteuid() == 0 {
                try Sandbox.restrict(profile, report: &report)
            } else {
                // Unprivileged, the supervisor must create a user namespace to give the signer a network
                // namespace, which its deny-list forbids; without root it has nothing that list protects.
                report.steps.append(SandboxStep(
                    name: "seccomp", inForce: false,
                    detail: "not applied to an unprivileged supervisor (it needs CLONE_NEWUSER for the signer)"))
            }
            logger.notice("supervisor sandbox", metadata: [
                "in_force": "\(report.steps.filter(\.inForce).map(\.name).joined(separator: ","))",
                "not_in_force": "\(report.steps.filter { !$0.inForce }.map { "\($0.name) (\($0.detail))" }.joined(separator: "; "))",
            ])
        } catch {
            fatal("cannot sandbox the supervisor: \(error)")
        }
    }

    // MARK: Helpers

    private func fatal(_ message: String) -> Never {
        logger.critical("\(message)")
        FileHandle.standardError.write(Data("nimbus-node-manager: \(message)\n".utf8))
        exit(1)
    }

    static func nowMillis() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(now.tv_sec) * 1000 + UInt64(now.tv_nsec / 1_000_000)
    }
}
