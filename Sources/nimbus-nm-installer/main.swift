// nimbus-nm-installer: release tracking, downloads, installs. The only privileged role: it stays root with a
// bounded capability set and a deny-list seccomp policy. Not for direct use: nimbus-node-manager starts it.
import GRDB
import NimbusIPC
import NimbusInstallerCore
import NimbusRoleHost
import NimbusRuntime
import NimbusStore

let host = RoleHost.boot(
    .installer,
    keptCapabilities: ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_SETUID", "CAP_SETGID", "CAP_KILL"],
    dumpable: false, readOnlyPaths: ["/"], readWritePaths: [],
    databaseFile: "installer.sqlite", migrations: RoleSchema.installer)
let database = host.database
let service = InstallerService(schemaVersion: database.schemaVersion) {
    try database.read { db in
        try Row.fetchAll(db, sql: "SELECT version, active FROM installs ORDER BY installed_at_millis DESC").map {
            InstallerService.Installed(version: $0["version"], active: $0["active"])
        }
    }
}

host.lockDown()

let network = PeerLink(link: .networkInstaller, local: .installer)
@Sendable func attachNetwork(_ descriptor: Int32) {
    network.attach(
        descriptor: descriptor,
        onEvent: { channel, event in
            if case let .request(id, message) = event { channel.reply(to: id, service.handle(message)) }
        },
        onClose: { _, closure in host.peerLinkClosed(.networkInstaller, closure) })
}
attachNetwork(host.descriptor(of: .networkInstaller))
host.serve { _, descriptor in attachNetwork(descriptor) }
host.run { network.close() }
