import ArgumentParser
import Foundation
import NimbusConfig
import NimbusRuntime

/// `nimbus-node-manager`: the supervisor. Everything it does lives in `SupervisorRuntime`; this file only reads the
/// command line and the configuration file.
struct NodeManagerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nimbus-node-manager",
        abstract: "The Nimbus node manager daemon: supervises the network, signer and installer roles.",
        discussion: """
            As root (system mode) each role runs as its own user in its own sandbox. With --dev it runs \
            unprivileged with every sandbox step that works without root, keeping state under --data-dir \
            (default ./.nimbus-dev). See docs/configuration.md for the configuration file.
            """)

    @Option(name: .long, help: "Configuration file (TOML).")
    var config: String?

    @Option(name: .long, help: "State directory (system default /var/lib/nimbus-node-manager; dev default ./.nimbus-dev).")
    var dataDir: String?

    @Flag(name: .long, help: "Unprivileged development mode.")
    var dev = false

    @Option(name: .long, help: "Control socket path (system default /run/nimbus-node-manager/control.sock; dev default <data-dir>/control.sock).")
    var controlSocket: String?

    @Option(name: .long, help: "Directory of the seccomp policy files.")
    var policyDir: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @Flag(name: .long, help: "Report forbidden system calls instead of killing the role (development only).")
    var seccompDebug = false

    @Option(name: .long, help: "Serve Waku (relay, lightpush, filter, store) on host:port (dev default 127.0.0.1:60000).")
    var wakuListen: String?

    func run() throws {
        var fileConfig = NodeManagerConfig()
        if let config {
            guard let text = try? String(contentsOfFile: config, encoding: .utf8) else {
                throw ValidationError("cannot read the configuration file \(config)")
            }
            do {
                fileConfig = try NodeManagerConfig(toml: text, source: config)
            } catch {
                throw ValidationError(error.description)
            }
        }
        var overrides = Settings.Overrides()
        overrides.dev = dev
        overrides.dataDir = dataDir
        overrides.controlSocket = controlSocket
        overrides.policyDir = policyDir
        overrides.logLevel = logLevel
        overrides.seccompDebug = seccompDebug ? true : nil
        overrides.wakuListen = wakuListen
        let settings: Settings
        do {
            settings = try Settings.resolve(
                config: fileConfig, overrides: overrides, isRoot: geteuid() == 0,
                workingDirectory: FileManager.default.currentDirectoryPath)
        } catch {
            throw ValidationError(error.description)
        }
        SupervisorRuntime(settings: settings).run()
    }
}

SignalWaiter.block([SIGCHLD])
NodeManagerCommand.main()
