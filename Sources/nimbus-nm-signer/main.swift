// nimbus-nm-signer: validator keys and keystore crypto. Own user, own network namespace with no interfaces,
// no capabilities, not dumpable, no socket/connect/execve. Not for direct use: nimbus-node-manager starts it, and
// `nimbus keys --offline` starts it as `nimbus-nm-signer --offline-session` (OfflineSession.swift).
import Foundation
import GRDB
import NimbusIPC
import NimbusKeys
import NimbusRoleHost
import NimbusSecureMemory
import NimbusRuntime
import NimbusSignerCore
import NimbusSignerKeys
import NimbusStore

if CommandLine.arguments.dropFirst().first == "--offline-session" {
    OfflineSession.run(Array(CommandLine.arguments.dropFirst(2)))
}

let host = RoleHost.boot(
    .signer, keptCapabilities: [], dumpable: false, readOnlyPaths: [], readWritePaths: [],
    databaseFile: "signer.sqlite", migrations: RoleSchema.signer)
// Before any secret exists: every secret NimbusKeys makes from here on lives in guarded, locked memory.
SecretBytes.defaultAllocator = SodiumSecretAllocator()
let database = host.database
let service = SignerService(
    schemaVersion: database.schemaVersion, keystoreCount: { try database.count("keystores") },
    keys: {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT pubkey, path, source, created_at_millis FROM keystores ORDER BY created_at_millis, path, pubkey")
                .map { row in
                    KeyListEntry(
                        pubkey: [UInt8](row["pubkey"] as Data), path: row["path"],
                        source: (row["source"] as String) == "generated" ? .generated : .imported,
                        createdAtMillis: UInt64(max(0, row["created_at_millis"] as Int64)))
                }
        }
    })

let clients: KeysClientPolicy
do {
    clients = try KeysClientPolicy(parsing: host.arguments.keysClients ?? "uid:0")
} catch {
    RoleProcess.fail(host.logger, "\(error)", code: RoleExitCode.usage)
}
var keyPolicy = SignerKeyPolicy()
if let address = host.arguments.withdrawalAddress {
    do {
        keyPolicy.withdrawalAddress = try ExecutionAddress(parsing: address)
    } catch {
        RoleProcess.fail(host.logger, "[keys] withdrawal_address: \(error)", code: RoleExitCode.usage)
    }
}
let network = PeerLink(link: .networkSigner, local: .signer)
let pairingRelay = IPCPairingRelay(network: network)
let deviceRegistry = DatabaseDeviceRegistry(database: database)

/// A device the network role paired with `nimbus pair --qr`: recorded as vouched for by it (`waku-noise`), and
/// announced back like any other, so that sessions open for it. The same key paired again keeps its device.
@Sendable func recordNetworkPairedDevice(_ device: NetworkPairedDevice) {
    do {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let stored = try deviceRegistry.active(staticKey: device.staticKey)
            ?? deviceRegistry.add(name: device.name, staticKey: device.staticKey, atMillis: now, method: "waku-noise")
        host.logger.notice("device paired by the network role (waku-noise)", metadata: ["device": "\(stored.id)"])
        pairingRelay.deviceChanged(stored)
    } catch {
        host.logger.error("cannot record a device paired by the network role: \(error)")
    }
}
let sessions = KeysSessions(
    service: KeysSessionService(
        vault: DatabaseKeyVault(database: database), policy: keyPolicy, relay: pairingRelay,
        devices: deviceRegistry),
    clients: clients, logger: host.logger)

host.lockDown()

@Sendable func attachNetwork(_ descriptor: Int32) {
    network.attach(
        descriptor: descriptor,
        onEvent: { channel, event in
            switch event {
            case let .request(id, message):
                // Requests are answered on the link's own thread, so that a shutdown finds none half-done.
                channel.reply(to: id, service.handle(message))
            case let .notification(.keysSession(client), descriptor?):
                sessions.open(descriptor, claimed: KeysClientSummary(uid: client.uid))
            case let .notification(.pairingMessage(topic, payload), _):
                pairingRelay.deliver(topic: topic, payload: payload)
            case let .notification(.networkPairedDevice(device), _):
                recordNetworkPairedDevice(device)
            case let .notification(_, descriptor):
                // The endpoint admits no other notification from the network role.
                if let descriptor { close(descriptor) }
            }
        },
        onClose: { _, closure in host.peerLinkClosed(.networkSigner, closure) })
}
attachNetwork(host.descriptor(of: .networkSigner))
host.serve { _, descriptor in attachNetwork(descriptor) }
host.run { network.close() }
