// nimbus-nm-signer: validator keys and keystore crypto. Own user, own network namespace with no interfaces,
// no capabilities, not dumpable, no socket/connect/execve. Not for direct use: nimbus-node-manager starts it.
import NimbusIPC
import NimbusRoleHost
import NimbusRuntime
import NimbusSignerCore
import NimbusStore

let host = RoleHost.boot(
    .signer, keptCapabilities: [], dumpable: false, readOnlyPaths: [], readWritePaths: [],
    databaseFile: "signer.sqlite", migrations: RoleSchema.signer)
let database = host.database
let service = SignerService(schemaVersion: database.schemaVersion) { try database.count("keystores") }

host.lockDown()

let network = PeerLink(link: .networkSigner, local: .signer)
@Sendable func attachNetwork(_ descriptor: Int32) {
    network.attach(
        descriptor: descriptor,
        onEvent: { channel, event in
            // Requests are answered on the link's own thread, so that a shutdown finds none half-done.
            if case let .request(id, message) = event { channel.reply(to: id, service.handle(message)) }
        },
        onClose: { _, closure in host.peerLinkClosed(.networkSigner, closure) })
}
attachNetwork(host.descriptor(of: .networkSigner))
host.serve { _, descriptor in attachNetwork(descriptor) }
host.run { network.close() }
