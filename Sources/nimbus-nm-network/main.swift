// nimbus-nm-network: the control socket today; Waku, pairing and monitoring to come. The only role that
// parses outside input. Own user, no capabilities, no execve. Not for direct use: nimbus-node-manager starts it.
import Foundation
import Synchronization
import GRDB
import NimbusAPI
import NimbusConfig
import NimbusControlServer
import NimbusHTTPClient
import NimbusHex
import NimbusIPC
import NimbusMonitorService
import NimbusNetworkCore
import NimbusRoleHost
import NimbusRuntime
import NimbusStore

/// The managed nodes the supervisor passed (`--nodes`, JSON); none means "look for a local Nimbus".
/// Nil when the argument is there but not a list of nodes.
func managedNodes(_ arguments: RoleArguments) -> [ManagedNode]? {
    guard let json = arguments.nodesJSON else { return [] }
    return try? JSONDecoder().decode([ManagedNode].self, from: Data(json.utf8))
}

let host = RoleHost.boot(
    .network, keptCapabilities: [], dumpable: false, readOnlyPaths: ["/etc", "/usr"],
    readWritePaths: [],  // RoleHost adds the control socket's directory
    databaseFile: "network.sqlite", migrations: RoleSchema.network,
    // Landlock needs existing paths; a missing token file is reported below instead of stopping the role.
    moreReadOnlyPaths: { arguments in
        (managedNodes(arguments) ?? []).compactMap(\.keymanagerTokenFile)
            .filter { FileManager.default.fileExists(atPath: $0) }
    })
let database = host.database
guard let nodes = managedNodes(host.arguments) else {
    RoleProcess.fail(host.logger, "--nodes is not a valid list of nodes", code: RoleExitCode.usage)
}

// Keymanager tokens are read once, now, and kept in memory; they are sent to their node and logged nowhere.
var tokens: [String: String] = [:]
for node in nodes {
    guard let file = node.keymanagerTokenFile else { continue }
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
        host.logger.warning("cannot read the keymanager token file; validator counts from the keymanager API are off",
                            metadata: ["node": "\(node.name)", "file": "\(file)"])
        continue
    }
    let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if !token.isEmpty { tokens[node.name] = token }
}
let wakuSettings = host.arguments.wakuJSON.flatMap { try? JSONDecoder().decode(WakuSettings.self, from: Data($0.utf8)) }
    ?? WakuSettings()
let waku: WakuRuntime
do {
    waku = try WakuRuntime(settings: wakuSettings, stateDir: host.arguments.stateDir, database: database, logger: host.logger)
} catch {
    RoleProcess.fail(host.logger, "\(error)", code: RoleExitCode.storage)
}
// Like --nodes, a --monitoring that does not decode is the supervisor's bug: stop rather than guess.
let monitoringSettings: MonitoringSettings
do {
    monitoringSettings = try host.arguments.monitoringJSON.map {
        try JSONDecoder().decode(MonitoringSettings.self, from: Data($0.utf8))
    } ?? MonitoringSettings()
} catch {
    RoleProcess.fail(host.logger, "--monitoring is not valid monitoring settings", code: RoleExitCode.usage)
}
let httpClient = HTTPClient()
let alertStore = AlertStore(database: database)
let signer = PeerLink(link: .networkSigner, local: .network)
let installer = PeerLink(link: .networkInstaller, local: .network)

/// A request to a peer role whose answer is `expected`'s case: a typed failure is thrown as itself, anything else
/// as an unexpected reply.
@Sendable func ask<T>(
    _ link: PeerLink, _ peer: Role, _ message: IPCMessage, timeout: Duration, _ expected: (IPCMessage) -> T?
) async throws -> T {
    let reply = try await link.request(message, timeout: timeout)
    if let value = expected(reply) { return value }
    if case let .failure(failure) = reply { throw failure }
    throw LinkError.unexpectedReply(peer: peer, reply.type)
}
/// The nodes the installer runs (`[nodes.launch]`), keyed by name; empty when it cannot answer.
@Sendable func nodeProcesses(_ message: IPCMessage = .nodeProcessesRequest) async throws -> [String: NodeProcessReport] {
    let states = try await ask(installer, .installer, message, timeout: .seconds(5)) {
        if case let .nodeProcesses(states) = $0 { states } else { nil }
    }
    return Dictionary(states.map { ($0.name, NodeProcessReport($0)) }, uniquingKeysWith: { first, _ in first })
}
let askInstaller: @Sendable () async -> [String: NodeProcessReport] = { (try? await nodeProcesses()) ?? [:] }
let monitor = MonitorService(
    nodes: nodes, tokens: tokens, client: httpClient, store: alertStore, logger: host.logger,
    nowMillis: UInt64(Date().timeIntervalSince1970 * 1000), stateDir: host.arguments.stateDir,
    monitoring: monitoringSettings, processes: nodes.contains { $0.launch != nil } ? askInstaller : nil,
    releaseFetch: {
        // The installer's transfer is bounded at 15 s; the rest is queueing behind an earlier one.
        let reply = try await installer.request(.latestReleaseRequest, timeout: .seconds(40))
        switch reply {
        case let .releaseDocument(document): return document
        case let .failure(failure): throw failure
        default: throw LinkError.unexpectedReply(peer: .installer, reply.type)
        }
    })

/// Set once the session key is loaded (after the sandbox closes); until then `nimbus pair --qr` is refused.
let wakuPairingsBox = Mutex<WakuDevicePairings?>(nil)

guard let socketPath = host.arguments.controlSocket else {
    RoleProcess.fail(host.logger, "--control-socket is required for the network role", code: RoleExitCode.usage)
}
let api = ControlAPI(
    mode: host.arguments.mode,
    backends: ControlAPI.Backends(
        roleStatus: {
            guard case let .roleStatus(roles) = try await host.requestFromSupervisor(.roleStatusRequest) else {
                throw LinkError.unexpectedReply(peer: .supervisor, .roleStatus)
            }
            return roles
        },
        keyStoreStatus: {
            let reply = try await signer.request(.keyStoreStatusRequest, timeout: .seconds(5))
            guard case let .keyStoreStatus(status) = reply else { throw LinkError.unexpectedReply(peer: .signer, reply.type) }
            return status
        },
        installState: {
            let reply = try await installer.request(.installStateRequest, timeout: .seconds(5))
            guard case let .installState(state) = reply else { throw LinkError.unexpectedReply(peer: .installer, reply.type) }
            return state
        },
        nodes: { NodesReport(nodes: await monitor.nodes()) },
        alerts: { device in
            let now = UInt64(Date().timeIntervalSince1970 * 1000)
            return AlertsReport(
                alerts: try alertStore.list(nowMillis: now),
                pending: try alertStore.pending(device: device).map { PendingNotification(event: $0.event, alertID: $0.alert.id) })
        },
        acknowledge: { id, device in
            try alertStore.acknowledge(id, device: device, nowMillis: UInt64(Date().timeIntervalSince1970 * 1000))
        },
        devices: {
            try database.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT devices.id, devices.name, devices.added_at_millis, devices.revoked_at_millis,
                        (SELECT count(*) FROM outbox WHERE outbox.device_id = devices.id
                            AND outbox.acknowledged_at_millis IS NULL) AS pending
                    FROM devices WHERE devices.static_key IS NOT NULL ORDER BY devices.added_at_millis
                    """).map { row in
                    DeviceSummary(
                        id: row["id"], name: row["name"], pairedAt: RFC3339.format(millis: UInt64(max(0, row["added_at_millis"] as Int64))),
                        revokedAt: (row["revoked_at_millis"] as Int64?).map { RFC3339.format(millis: UInt64(max(0, $0))) },
                        pendingNotifications: row["pending"])
                }
            }
        },
        keys: {
            let entries = try await ask(signer, .signer, .keyListRequest, timeout: .seconds(5)) {
                if case let .keyList(entries) = $0 { entries } else { nil }
            }
            return KeysReport(keys: entries.map(KeysReport.Key.init))
        },
        metrics: { await monitor.metricsText() },
        wakuStatus: { await waku.status() },
        controlNode: { name, action in
            guard nodes.contains(where: { $0.name == name && $0.launch != nil }) else {
                return .notLaunched(nodes.contains { $0.name == name }
                    ? "node \(name) is not run by the node manager (it has no [nodes.launch]); start it the way it was set up"
                    : "no node named \(name)")
            }
            guard let report = try await nodeProcesses(.nodeControl(NodeControl(name: name, action: action)))[name] else {
                throw LinkError.unexpectedReply(peer: .installer, .nodeProcesses)
            }
            return .done(report)
        },
        wakuPairingStart: { request in
            guard let pairings = wakuPairingsBox.withLock({ $0 }) else {
                throw ControlAPI.Refused(status: 503, message: "the Waku node is not running yet")
            }
            let started = try await pairings.start(
                qr: request.qr, nametag: request.qrMessageNametag, name: request.name)
            return WakuPairingStarted(pairing: started.id, authCode: started.authCode, contentTopic: started.contentTopic)
        },
        wakuPairingConfirm: { pairing, same in
            guard let pairings = wakuPairingsBox.withLock({ $0 }) else {
                throw ControlAPI.Refused(status: 503, message: "the Waku node is not running yet")
            }
            let device = try await pairings.confirm(pairing, same: same)
            return WakuPairingDone(name: device.name, staticKey: Hex.encode(device.staticKey))
        },
        // Keys channels: sealed bytes to the signer and back (docs/keys-channel.md). An exchange may wait up to
        // 10 s in the signer for a running command.
        keysChannelOpen: { device, handshake in
            try await ask(signer, .signer, .keysChannelOpen(KeysChannelOpen(device: device, handshake: handshake)),
                          timeout: .seconds(5)) { if case let .keysChannelOpened(opened) = $0 { opened } else { nil } }
        },
        keysChannelExchange: { channel, messages in
            try await ask(signer, .signer, .keysChannelExchange(KeysChannelExchange(channel: channel, messages: messages)),
                          timeout: .seconds(20)) { if case let .keysChannelOutput(output) = $0 { output } else { nil } }
        },
        keysChannelClose: { channel in
            try await ask(signer, .signer, .keysChannelClose(channel), timeout: .seconds(5)) {
                if case let .keysChannelOutput(output) = $0 { output } else { nil }
            }
        }))

// The audit trail is written off the event loop, in order.
let auditQueue = DispatchQueue(label: "control-audit")
let server = ControlServer(
    path: socketPath, mode: host.arguments.controlSocketMode, api: api, logger: host.logger,
    audit: { entry in
        auditQueue.async {
            do {
                try database.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO control_audit (at_millis, peer_uid, peer_pid, method, path, status)
                            VALUES (?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            Int64(Date().timeIntervalSince1970 * 1000), Int64(entry.peer.uid), Int64(entry.peer.pid),
                            entry.method, entry.path, entry.status,
                        ])
                }
            } catch {
                host.logger.error("cannot record a control command: \(error)")
            }
        }
    })
do {
    try server.start()
} catch {
    RoleProcess.fail(host.logger, "cannot serve the control socket: \(error)", code: RoleExitCode.usage)
}
// `nimbus keys` clients get their own socket, whose connections go to the signer unread (docs/keys-session.md).
let keysServer = host.arguments.keysSocket.map {
    KeysSocketServer(path: $0, mode: host.arguments.controlSocketMode, logger: host.logger)
}
do {
    try keysServer?.bind()
} catch {
    RoleProcess.fail(host.logger, "cannot serve the keys socket: \(error)", code: RoleExitCode.usage)
}

host.lockDown()

let sessionKeys: (public: [UInt8], private: [UInt8])
do {
    sessionKeys = try PairingBridge.sessionKeys(stateDir: host.arguments.stateDir)
} catch {
    RoleProcess.fail(host.logger, "cannot load the session key: \(error)", code: RoleExitCode.storage)
}
let remoteSessions = RemoteSessions(
    node: waku.node, database: database, hostPrivateKey: sessionKeys.private, hostPublicKey: sessionKeys.public,
    nodes: nodes, tokens: tokens, client: httpClient, api: api, logger: host.logger)
do {
    let pairings = try WakuDevicePairings(
        node: waku.node, hostPrivateKey: sessionKeys.private, signer: signer, logger: host.logger)
    wakuPairingsBox.withLock { $0 = pairings }
} catch {
    RoleProcess.fail(host.logger, "cannot load the session key for Waku pairing: \(error)", code: RoleExitCode.storage)
}
let pairing = PairingBridge(
    node: waku.node, signer: signer, database: database, hostKey: sessionKeys.public, logger: host.logger,
    onDeviceChange: { change in
        Task.detached {
            await remoteSessions.deviceChanged(id: "device-\(change.id)", key: change.staticKey, revoked: change.revoked)
        }
    })

@Sendable func attach(_ link: PeerLink, _ descriptor: Int32) {
    link.attach(
        descriptor: descriptor,
        onEvent: { channel, event in
            // Only the signer sends anything (pairing); the endpoint refuses everything else before it gets here.
            switch event {
            case .request(let id, .hostKeyRequest):
                channel.reply(to: id, .hostKey(pairing.hostKey))
            case .request(let id, _):
                channel.reply(to: id, .failure(Failure(code: .unavailable, message: "not a request this role answers")))
            case let .notification(message, descriptor):
                if let descriptor { close(descriptor) }
                pairing.handle(message)
            }
        },
        onClose: { _, closure in host.peerLinkClosed(link.link, closure) })
}
attach(signer, host.descriptor(of: .networkSigner))
attach(installer, host.descriptor(of: .networkInstaller))
keysServer?.start { descriptor, peer in
    // sendmsg duplicates the descriptor into the signer; this copy is closed either way.
    defer { close(descriptor) }
    let client = KeysClient(pid: peer.pid, uid: peer.uid, gid: peer.gid)
    if !signer.notify(.keysSession(client), passing: descriptor) {
        host.logger.warning("keys session dropped: the signer is not running (it restarts on its own; try again)")
    }
}
// Detached: top-level code runs on the main actor, whose thread spends its life blocked in `host.run`, so a plain
// Task from here would never start.
Task.detached { await monitor.start() }
Task.detached {
    do {
        let addresses = try await waku.start(listen: wakuSettings.listen)
        await remoteSessions.start()
        host.logger.notice("waku node up", metadata: [
            "peer_id": "\(waku.host.peerID)", "mode": "\(wakuSettings.listen == nil ? "client" : "service")",
            "listen": "\(addresses.joined(separator: ","))",
        ])
    } catch {
        host.logger.error("waku node did not start: \(error)")
    }
}
host.serve { peer, descriptor in
    switch peer {
    case .signer: attach(signer, descriptor)
    case .installer: attach(installer, descriptor)
    case .network, .supervisor: close(descriptor)
    }
}
host.run {
    let stopped = DispatchSemaphore(value: 0)
    Task.detached {
        await monitor.stop()
        await waku.stop()
        stopped.signal()
    }
    stopped.wait()
    pairing.stopAll()
    let sessionsStopped = DispatchSemaphore(value: 0)
    Task.detached {
        await remoteSessions.stop()
        sessionsStopped.signal()
    }
    sessionsStopped.wait()
    keysServer?.stop()
    server.stop()
    httpClient.shutdown()
    auditQueue.sync {}
    signer.close()
    installer.close()
}
