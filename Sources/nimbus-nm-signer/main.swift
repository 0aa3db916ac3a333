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
let channelKey: [UInt8]
do {
    channelKey = try ChannelKey.loadOrCreate(database)
} catch {
    RoleProcess.fail(host.logger, "cannot read or make the signer's channel key: \(error)", code: RoleExitCode.storage)
}
let channelPublicKey: [UInt8]
do {
    channelPublicKey = try ChannelKey.publicKey(channelKey)
} catch {
    RoleProcess.fail(host.logger, "the signer's channel key is damaged: \(error)", code: RoleExitCode.storage)
}
let keysService = KeysSessionService(
    vault: DatabaseKeyVault(database: database), policy: keyPolicy, relay: pairingRelay, devices: deviceRegistry,
    signerChannelKey: channelPublicKey)
let sessions = KeysSessions(service: keysService, clients: clients, logger: host.logger)
let keysChannels = KeysChannelRequests(channels: KeysChannels(
    service: keysService, devices: deviceRegistry, signerKey: channelKey,
    record: { [logger = host.logger] device, record in
        // The command and how it ended, as for local sessions; never a request's content.
        logger.info("keys command", metadata: [
            "device": "\(device)", "command": "\(record.command)", "outcome": "\(record.outcome)",
        ])
    }))
// A revoked device's channels end at once, not only at their next exchange.
pairingRelay.onRevoke { keysChannels.channels.closeAll(deviceID: $0) }

host.lockDown()

@Sendable func attachNetwork(_ descriptor: Int32) {
    network.attach(
        descriptor: descriptor,
        onEvent: { channel, event in
            switch event {
            case let .request(id, .keysChannelOpen(open)):
                channel.reply(to: id, keysChannels.open(open))
            case let .request(id, .keysChannelExchange(exchange)):
                // May wait for a running command (up to 10 s): off the link's thread.
                Thread.detachNewThread { channel.reply(to: id, keysChannels.exchange(exchange)) }
            case let .request(id, .keysChannelClose(ref)):
                channel.reply(to: id, keysChannels.close(ref))
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
