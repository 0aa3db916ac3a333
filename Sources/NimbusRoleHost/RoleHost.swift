import Foundation
import Synchronization
import Logging
import NimbusIPC
import NimbusRuntime
import NimbusSandbox
import NimbusStore

/// The life of a role process, read top to bottom in each role's `main.swift`:
///
///     boot          refuse to run outside the supervisor, parse its arguments, label the logs,
///                   drop privileges (rlimits, dumpable, capabilities, uid), no_new_privs and Landlock while
///                   still single-threaded, then open the role's database
///     (role work)   bind sockets, start threads, warm up
///     lockDown      seccomp, synchronised to every thread: from here on the role runs fully confined
///     serve         answer the supervisor (ping, shutdown, replaced peer links), say `ready`
///     run           block until shutdown, then close links and the database and exit 0
public final class RoleHost: Sendable {
    public let role: Role
    public let arguments: RoleArguments
    public let logger: Logger
    public let database: RoleDatabase
    private let profile: SandboxProfile
    private let report: Mutex<SandboxReport>
    private let latch = ShutdownLatch()
    private let supervisor: LinkChannel

    /// The first thing a role's `main` calls. Exits the process on any failure, with a status the supervisor
    /// turns into words (`RoleExitCode`).
    public static func boot(
        _ role: Role, keptCapabilities: [String], dumpable: Bool, readOnlyPaths: [String], readWritePaths: [String],
        databaseFile: String, migrations: [SchemaMigration],
        moreReadOnlyPaths: (RoleArguments) -> [String] = { _ in [] },
        moreReadWritePaths: (RoleArguments) -> [String] = { _ in [] }
    ) -> RoleHost {
        let executable = "nimbus-nm-\(role)"
        SignalWaiter.block()
        RoleProcess.requireLinks(of: role, executable: executable)
        let arguments = RoleProcess.arguments(executable: executable)
        RoleLogHandler.bootstrap(role: "\(role)", level: Logger.Level(rawValue: arguments.logLevel) ?? .info)
        let logger = Logger(label: "\(role)")
        var profile = SandboxProfile(
            roleName: "\(role)", user: arguments.user, keptCapabilities: keptCapabilities, dumpable: dumpable,
            policyPath: arguments.policy, seccompDebug: arguments.seccompDebug,
            landlock: LandlockRules(
                // libdispatch's thread-pool monitor opens /proc/<tid>/stat of each worker to see which are blocked,
                // and crashes the process when it cannot. Worker ids are not known in advance, so /proc is readable
                // (read only; sensitive files of other processes stay behind the kernel's ptrace checks).
                readOnly: ["/proc"] + readOnlyPaths + moreReadOnlyPaths(arguments),
                readWrite: [arguments.stateDir] + readWritePaths + moreReadWritePaths(arguments)
                    + (arguments.controlSocket.map { [($0 as NSString).deletingLastPathComponent] } ?? [])))
        var report: SandboxReport
        do {
            // Read (and check) the policy now: after Landlock the file is out of reach.
            guard let text = try? String(contentsOfFile: arguments.policy, encoding: .utf8) else {
                RoleProcess.fail(logger, "cannot read the seccomp policy \(arguments.policy)", code: RoleExitCode.sandbox)
            }
            profile.policyText = text
            _ = try SeccompPolicy(parsing: text, source: arguments.policy)
            report = try Sandbox.dropPrivileges(profile)
            try Sandbox.confineFilesystem(profile, report: &report)
        } catch {
            RoleProcess.fail(logger, "cannot drop privileges: \(error)", code: RoleExitCode.sandbox)
        }
        let database: RoleDatabase
        do {
            database = try RoleDatabase(directory: arguments.stateDir, file: databaseFile, migrations: migrations)
        } catch {
            RoleProcess.fail(logger, error.description, code: RoleExitCode.storage)
        }
        return RoleHost(role: role, arguments: arguments, logger: logger, database: database, profile: profile,
                        report: report)
    }

    private init(
        role: Role, arguments: RoleArguments, logger: Logger, database: RoleDatabase, profile: SandboxProfile,
        report: SandboxReport
    ) {
        self.role = role
        self.arguments = arguments
        self.logger = logger
        self.database = database
        self.profile = profile
        self.report = Mutex(report)
        supervisor = LinkChannel(link: Link.supervisor(of: role), local: role, descriptor: FixedDescriptor.supervisor)
    }

    /// The descriptor of a peer link, as the supervisor placed it.
    public func descriptor(of link: Link) -> Int32 {
        guard let descriptor = FixedDescriptor.descriptor(of: link, in: role) else {
            preconditionFailure("\(role) has no \(link) link")
        }
        return descriptor
    }

    /// Applies seccomp (no_new_privs and Landlock are already in force since `boot`). Call after the role has bound
    /// its sockets and started its threads (the filter is synchronised to every thread), before it handles any
    /// request.
    public func lockDown() {
        do {
            try report.withLock { report in try Sandbox.restrict(profile, report: &report) }
        } catch {
            RoleProcess.fail(logger, "cannot apply the sandbox: \(error)", code: RoleExitCode.sandbox)
        }
    }

    /// Starts answering the supervisor and tells it the role is ready, with what is in force.
    /// `onPeerLink` receives replacement peer-link descriptors.
    public func serve(onPeerLink: @escaping @Sendable (Role, Int32) -> Void) {
        SignalWaiter.start { [latch] signal in latch.finish("received \(SignalWaiter.name(signal))") }
        let logger = self.logger
        let latch = self.latch
        supervisor.start(
            onEvent: { [supervisor] event in
                switch event {
                case let .request(id, .ping(nonce)):
                    supervisor.reply(to: id, .pong(nonce: nonce))
                case let .notification(.shutdown, _):
                    latch.finish("the supervisor asked")
                case let .notification(.peerLinkReplaced(peer), descriptor?):
                    logger.info("peer link replaced", metadata: ["peer": "\(peer)"])
                    onPeerLink(peer, descriptor)
                case let .request(_, message), let .notification(message, _):
                    // The endpoint admits nothing else; reaching here means the table and this switch drifted.
                    RoleProcess.fail(logger, "unhandled \(message.type) from the supervisor",
                                     code: RoleExitCode.protocolViolation)
                }
            },
            onClose: { closure in
                switch closure {
                case let .violation(error):
                    RoleProcess.fail(logger, "supervisor link: \(error)", code: RoleExitCode.protocolViolation)
                case .closedLocally:
                    break
                case .endOfStream, .readError:
                    RoleProcess.fail(logger, "the supervisor link closed", code: RoleExitCode.orphaned)
                }
            })
        let steps = report.withLock { $0.steps }
        supervisor.notify(.ready(steps: steps.map { SandboxStepReport(name: $0.name, inForce: $0.inForce, detail: $0.detail) }))
        logger.notice("ready", metadata: [
            "in_force": "\(steps.filter(\.inForce).map(\.name).joined(separator: ","))",
            "not_in_force": "\(steps.filter { !$0.inForce }.map { "\($0.name) (\($0.detail))" }.joined(separator: "; "))",
        ])
    }

    /// Sends a request to the supervisor (only the network role has any to send).
    public func requestFromSupervisor(_ message: IPCMessage) async throws -> IPCMessage {
        try await supervisor.request(message, timeout: .seconds(5))
    }

    /// A peer link closed or broke. A violation is fatal for this role (the brief's rule: anything unexpected
    /// ends the receiver); a plain close means the peer is restarting and a new link will come.
    public func peerLinkClosed(_ link: Link, _ closure: LinkChannel.Closure) {
        switch closure {
        case let .violation(error):
            RoleProcess.fail(logger, "\(link) link: \(error)", code: RoleExitCode.protocolViolation)
        case .closedLocally:
            break
        case .endOfStream, .readError:
            logger.info("peer link closed; waiting for the supervisor to replace it", metadata: ["link": "\(link)"])
        }
    }

    /// Blocks until shutdown is requested, runs `stop` (finish in-flight work, close links), closes the database
    /// and exits 0.
    public func run(stop: () -> Void) -> Never {
        let reason = latch.wait()
        logger.notice("shutting down", metadata: ["reason": "\(reason)"])
        stop()
        do {
            try database.close()
        } catch {
            logger.error("\(error.description)")
        }
        supervisor.close()
        logger.notice("stopped")
        exit(RoleExitCode.clean)
    }
}
