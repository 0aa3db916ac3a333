import ArgumentParser
import Foundation
import NimbusAPI

/// `nimbus`: the local command line of the node manager. It talks to the network role's control socket.
@main
struct NimbusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nimbus",
        abstract: "Control the Nimbus node manager on this machine.",
        version: NodeManagerVersion.current,
        subcommands: [
            StatusCommand.self, NodesCommand.self, AlertsCommand.self, WakuCommand.self, KeysCommand.self, PairCommand.self,
            DevicesCommand.self, RemoteCommand.self,
        ])

    // Declared here too so that `nimbus --socket PATH status` works as well as `nimbus status --socket PATH`.
    @OptionGroup var connection: ConnectionOptions
}

/// Options every subcommand that reaches the daemon shares.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Control socket of the node manager.",
        discussion: "Default: $NIMBUS_SOCKET, else /run/nimbus-node-manager/control.sock if it exists, else ./.nimbus-dev/control.sock if it exists."))
    var socket: String?

    /// The socket to use, following the documented order.
    var resolvedSocket: String {
        if let socket { return socket }
        if let environment = ProcessInfo.processInfo.environment["NIMBUS_SOCKET"], !environment.isEmpty {
            return environment
        }
        let system = "/run/nimbus-node-manager/control.sock"
        let dev = FileManager.default.currentDirectoryPath + "/.nimbus-dev/control.sock"
        if FileManager.default.fileExists(atPath: system) { return system }
        if FileManager.default.fileExists(atPath: dev) { return dev }
        return system
    }
}

/// A failure the CLI reports as one line on stderr with a non-zero exit.
struct CLIError: Error, CustomStringConvertible {
    var description: String
}

extension ParsableCommand {
    /// Prints `error` as one line and exits 1: the CLI's only error format.
    static func exitOneLine(_ error: any Error) -> Never {
        FileHandle.standardError.write(Data("nimbus: \(error)\n".utf8))
        Foundation.exit(1)
    }

    /// Runs a command body, turning any failure into the CLI's one-line error.
    func reportingErrors(_ body: () async throws -> Void) async {
        do { try await body() } catch { Self.exitOneLine(error) }
    }
}
