// nimbus-nm-installer: release tracking, downloads, installs, and the Nimbus nodes the node manager runs itself.
// The only privileged role: it stays root with a bounded capability set and a deny-list seccomp policy. Not for
// direct use: nimbus-node-manager starts it.
import Foundation
import GRDB
import NimbusAPI
import NimbusConfig
import NimbusIPC
import NimbusInstallerCore
import NimbusRoleHost
import NimbusRuntime
import NimbusStore

/// The nodes to run (`[nodes.launch]`), as the supervisor passed them.
func launchedNodes(_ arguments: RoleArguments) -> [ManagedNode] {
    guard let json = arguments.nodesJSON,
        let nodes = try? JSONDecoder().decode([ManagedNode].self, from: Data(json.utf8))
    else { return [] }
    return nodes.filter { $0.launch != nil && $0.dataDir != nil }
}

let host = RoleHost.boot(
    .installer,
    keptCapabilities: ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_SETUID", "CAP_SETGID", "CAP_KILL"],
    dumpable: false, readOnlyPaths: ["/"], readWritePaths: [],
    databaseFile: "installer.sqlite", migrations: RoleSchema.installer,
    // The nodes inherit this Landlock domain: each may write its own data directory, which must exist first.
    moreReadWritePaths: { arguments in
        launchedNodes(arguments).compactMap { node in
            guard let dataDir = node.dataDir else { return nil }
            NodeAccount.prepareDataDirectory(dataDir, for: node.launch?.user)
            return dataDir
        }
    })
let database = host.database
let service = InstallerService(schemaVersion: database.schemaVersion) {
    try database.read { db in
        try Row.fetchAll(db, sql: "SELECT version, active FROM installs ORDER BY installed_at_millis DESC").map {
            InstallerService.Installed(version: $0["version"], active: $0["active"])
        }
    }
}

// Supervised nodes: their command lines, accounts and logs are fixed here, before the sandbox closes.
let logDirectory = "\(host.arguments.stateDir)/nodes"
if mkdir(logDirectory, 0o700) != 0 && errno != EEXIST {
    RoleProcess.fail(host.logger, "cannot create \(logDirectory): \(String(cString: strerror(errno)))",
                     code: RoleExitCode.storage)
}
let specs = launchedNodes(host.arguments).compactMap { node -> NodeProcesses.Spec? in
    guard let argv = NodeCommandLine.arguments(for: node) else { return nil }
    let account = NodeAccount.resolve(node.launch?.user)
    return NodeProcesses.Spec(
        name: node.name, argv: argv, environment: account.environment, identity: account.identity,
        logPath: "\(logDirectory)/\(node.name).log", unusable: account.problem)
}
let holds: [String: NodeProcesses.Hold]
do {
    holds = try database.read { db in
        Dictionary(
            try Row.fetchAll(db, sql: "SELECT name, reason FROM node_holds").compactMap { row in
                (row["reason"] as String?).flatMap(NodeProcesses.Hold.init(rawValue:)).map { (row["name"] as String, $0) }
            },
            uniquingKeysWith: { first, _ in first })
    }
} catch {
    RoleProcess.fail(host.logger, "cannot read the node holds: \(error)", code: RoleExitCode.storage)
}
let processes = NodeProcesses(specs: specs, holds: holds, logger: host.logger) { name, hold in
    do {
        try database.write { db in
            if let hold {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO node_holds (name, reason, since_millis) VALUES (?, ?, ?)",
                    arguments: [name, hold.rawValue, Int64(NodeProcesses.nowMillis())])
            } else {
                try db.execute(sql: "DELETE FROM node_holds WHERE name = ?", arguments: [name])
            }
        }
    } catch {
        host.logger.error("cannot record the node's hold: \(error)", metadata: ["node": "\(name)"])
    }
}

let releases = ReleaseFetcher(
    url: host.arguments.releasesURL, caFile: host.arguments.releasesCAFile, version: NodeManagerVersion.current)

host.lockDown()

/// The reply to a request from the network role.
func answer(_ request: IPCMessage) -> IPCMessage {
    switch request {
    case .nodeProcessesRequest:
        return .nodeProcesses(processes.states())
    case let .nodeControl(control):
        guard let states = processes.control(control) else {
            return .failure(Failure(code: .unavailable, message: "the node manager does not run a node named \(control.name)"))
        }
        return .nodeProcesses(states)
    default:
        return service.handle(request)
    }
}

let network = PeerLink(link: .networkInstaller, local: .installer)
@Sendable func attachNetwork(_ descriptor: Int32) {
    network.attach(
        descriptor: descriptor,
        onEvent: { channel, event in
            guard case let .request(id, message) = event else { return }
            if case .latestReleaseRequest = message {
                // A transfer takes seconds: answered from the fetch queue, so node requests are not held up.
                releases.fetch { channel.reply(to: id, $0) }
            } else {
                channel.reply(to: id, answer(message))
            }
        },
        onClose: { _, closure in host.peerLinkClosed(.networkInstaller, closure) })
}
attachNetwork(host.descriptor(of: .networkInstaller))
host.serve { _, descriptor in attachNetwork(descriptor) }
processes.startAll()
host.run {
    network.close()
    // Nodes get SIGTERM and a few seconds to exit while the node manager stops; the supervisor's own timeout
    // bounds the whole shutdown, and a node still running then finishes on its own.
    processes.shutdown(timeout: 5)
}
