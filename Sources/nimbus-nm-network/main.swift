// nimbus-nm-network: the control socket today; Waku, pairing and monitoring to come. The only role that
// parses outside input. Own user, no capabilities, no execve. Not for direct use: nimbus-node-manager starts it.
import Foundation
import GRDB
import NimbusControlServer
import NimbusIPC
import NimbusNetworkCore
import NimbusRoleHost
import NimbusRuntime
import NimbusStore

let host = RoleHost.boot(
    .network, keptCapabilities: [], dumpable: false, readOnlyPaths: ["/etc", "/usr"],
    readWritePaths: [],  // RoleHost adds the control socket's directory
    databaseFile: "network.sqlite", migrations: RoleSchema.network)
let database = host.database

let signer = PeerLink(link: .networkSigner, local: .network)
let installer = PeerLink(link: .networkInstaller, local: .network)

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

host.lockDown()

@Sendable func attach(_ link: PeerLink, _ descriptor: Int32) {
    link.attach(
        descriptor: descriptor,
        onEvent: { _, event in
            // Neither peer may send the network role requests or notifications: the endpoint refuses them before
            // they get here.
            if case let .notification(_, descriptor?) = event { close(descriptor) }
        },
        onClose: { _, closure in host.peerLinkClosed(link.link, closure) })
}
attach(signer, host.descriptor(of: .networkSigner))
attach(installer, host.descriptor(of: .networkInstaller))
host.serve { peer, descriptor in
    switch peer {
    case .signer: attach(signer, descriptor)
    case .installer: attach(installer, descriptor)
    case .network, .supervisor: close(descriptor)
    }
}
host.run {
    server.stop()
    auditQueue.sync {}
    signer.close()
    installer.close()
}
