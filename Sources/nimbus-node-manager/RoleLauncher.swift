import CNimbusSpawn
import Foundation
import NimbusConfig
import NimbusIPC
import NimbusRuntime

/// Builds each role's command line and environment and starts it through the C spawn shim.
struct RoleLauncher {
    let settings: Settings
    let executableDir: String
    let policyDir: String

    /// The executable of a role, next to the supervisor's own.
    func executable(_ role: Role) -> String {
        "\(executableDir)/nimbus-nm-\(role)"
    }

    /// The role's user in system mode; nil keeps the supervisor's identity (the installer stays root, and every
    /// role keeps the invoking user in dev mode).
    func user(_ role: Role) -> String? {
        guard settings.mode == .system else { return nil }
        switch role {
        case .network: return settings.networkUser
        case .signer: return settings.signerUser
        case .installer, .supervisor: return nil
        }
    }

    func stateDir(_ role: Role) -> String { "\(settings.dataDir)/\(role)" }

    func arguments(_ role: Role) -> RoleArguments {
        var arguments = RoleArguments(stateDir: stateDir(role), policy: "\(policyDir)/\(role).policy")
        arguments.user = user(role)
        arguments.seccompDebug = settings.seccompDebug
        arguments.logLevel = settings.logLevel
        arguments.mode = settings.mode.rawValue
        if role == .network {
            arguments.controlSocket = settings.controlSocket
            arguments.controlSocketMode = settings.mode == .system ? 0o660 : 0o600
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            arguments.nodesJSON = (try? encoder.encode(settings.nodes)).map { String(decoding: $0, as: UTF8.self) }
            arguments.wakuJSON = (try? encoder.encode(settings.waku)).map { String(decoding: $0, as: UTF8.self) }
            arguments.monitoringJSON = (try? encoder.encode(settings.monitoring)).map { String(decoding: $0, as: UTF8.self) }
            arguments.keysSocket = settings.keysSocket
        }
        if role == .installer {
            // The installer fetches what the release source says; the network role reads it (it parses outside bytes).
            arguments.releasesURL = settings.monitoring.releaseURL
            arguments.releasesCAFile = settings.monitoring.releaseCAFile
            // Only the nodes it runs: the rest of the node list is none of its business.
            let launched = settings.nodes.filter { $0.launch != nil }
            if !launched.isEmpty {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                arguments.nodesJSON = (try? encoder.encode(launched)).map { String(decoding: $0, as: UTF8.self) }
            }
        }
        if role == .signer {
            arguments.keysClients = keysClients()
            arguments.withdrawalAddress = settings.keysWithdrawalAddress
        }
        return arguments
    }

    /// Who may open `nimbus keys` sessions, for the signer to check itself: root and the control group in system
    /// mode (the same people the socket's mode admits), the invoking user in dev mode.
    func keysClients() -> String {
        guard settings.mode == .system else { return "uid:\(getuid())" }
        guard let group = getgrnam(settings.controlGroup) else { return "uid:0" }
        return "uid:0,gid:\(group.pointee.gr_gid)"
    }

    /// A minimal environment: the supervisor's own may hold anything, and roles need almost nothing.
    func environment() -> [String] {
        // SWIFT_BACKTRACE: a crashing role must not fork the runtime's backtracer (seccomp would turn that into a
        // misleading SIGSYS, and a backtrace of the signer could carry key material into a log).
        var environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "SWIFT_BACKTRACE=enable=no"]
        if let journal = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] {
            environment.append("JOURNAL_STREAM=\(journal)")
        }
        return environment
    }

    /// Starts `role` with `descriptors` at 3, 4, ...; returns its pid.
    func spawn(_ role: Role, descriptors: [Int32], newNetNamespace: Bool, newUserNamespace: Bool)
        throws(ChildSpawn.Failure) -> Int32
    {
        let path = executable(role)
        var child = ChildSpawn(path: path, arguments: [path] + arguments(role).arguments, environment: environment())
        child.descriptors = descriptors
        child.newNetNamespace = newNetNamespace
        child.newUserNamespace = newUserNamespace
        return try child.spawn()
    }
}
