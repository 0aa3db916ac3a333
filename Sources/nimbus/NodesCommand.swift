import ArgumentParser
import Foundation
import NIOCore
import NimbusAPI

/// `nimbus nodes [--json]`: each managed node's health, sync, peers, version and validators.
struct NodesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nodes", abstract: "Show the Nimbus nodes the node manager watches; start, stop or restart those it runs.",
        subcommands: [List.self, Control.Start.self, Control.Stop.self, Control.Restart.self],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the nodes (the default).")

        @OptionGroup var connection: ConnectionOptions

        @Flag(name: .long, help: "Print the stable JSON form (docs/cli.md).")
        var json = false

        func run() async {
            await reportingErrors(body)
        }

        private func body() async throws {
            let report: NodesReport = try await ControlClient(socketPath: connection.resolvedSocket).getJSON("/v1/nodes")
            if json {
                print(JSONOutput.pretty(report))
                return
            }
            if report.nodes.isEmpty {
                print("no nodes configured")
                return
            }
            var rows = [["NODE", "REST", "STATE", "HEAD", "DISTANCE", "PEERS", "VERSION", "VALIDATORS", "PROCESS"]]
            for node in report.nodes {
                let state: String
                if !node.found { state = "not found" }
                else if !node.reachable { state = "unreachable" }
                else if node.elOffline == true { state = "EL offline" }
                else if node.isSyncing == true { state = "syncing" }
                else if node.isOptimistic == true { state = "optimistic" }
                else { state = "synced" }
                rows.append([
                    node.name, node.rest, state, node.headSlot.map(String.init) ?? "-",
                    node.syncDistance.map(String.init) ?? "-", node.peers.map(String.init) ?? "-", node.version ?? "-",
                    node.validators.map(String.init) ?? "-", node.process.map(ProcessText.short) ?? "-",
                ])
            }
            print(Table.render(rows), terminator: "")
            for node in report.nodes where !node.reachable {
                if let error = node.error { print("\(node.name): \(error)") }
            }
        }
    }

    /// `nimbus nodes start|stop|restart NAME`, for nodes with `[nodes.launch]`: one command type per verb (the
    /// argument parser wants types), one body.
    enum Control {
        struct Start: NodeControlCommand {
            static let configuration = CommandConfiguration(
                commandName: "start",
                abstract: "Start a node the node manager runs (also after a doppelganger exit, once the other instance is gone).")
            @OptionGroup var connection: ConnectionOptions
            @Argument(help: "The node's name, as in [[nodes]].") var name: String
        }

        struct Stop: NodeControlCommand {
            static let configuration = CommandConfiguration(
                commandName: "stop", abstract: "Stop a node the node manager runs; it stays stopped until started.")
            @OptionGroup var connection: ConnectionOptions
            @Argument(help: "The node's name, as in [[nodes]].") var name: String
        }

        struct Restart: NodeControlCommand {
            static let configuration = CommandConfiguration(
                commandName: "restart", abstract: "Stop a node the node manager runs and start it again.")
            @OptionGroup var connection: ConnectionOptions
            @Argument(help: "The node's name, as in [[nodes]].") var name: String
        }
    }
}

/// What the three node commands share: the verb is the command's name.
protocol NodeControlCommand: AsyncParsableCommand {
    var connection: ConnectionOptions { get }
    var name: String { get }
}

extension NodeControlCommand {
    func run() async {
        await reportingErrors {
            let verb = Self.configuration.commandName ?? ""
            let encoded = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name
            let process: NodeProcessReport = try await ControlClient(socketPath: connection.resolvedSocket)
                .getJSON("/v1/nodes/\(encoded)/\(verb)", method: "POST")
            print("\(name): \(ProcessText.short(process))")
        }
    }
}

/// A node's process in a few words.
enum ProcessText {
    static func short(_ process: NodeProcessReport) -> String {
        var text = process.state
        if let pid = process.pid { text += " (pid \(pid))" }
        if process.state == "held" { text += ": doppelganger exit, start it once the other instance is gone" }
        if process.state == "waiting", let at = process.restartAt { text += ", restarts at \(at)" }
        if let error = process.lastError { text += ": \(error)" }
        return text
    }
}

/// Columns padded to their widest cell.
enum Table {
    static func render(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}

/// The JSON form every `--json` prints: pretty, keys sorted, slashes unescaped.
enum JSONOutput {
    static func pretty<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension ControlClient {
    /// Sends a request and decodes a JSON answer, turning an error answer into its one-line message.
    func getJSON<T: Decodable>(
        _ path: String, method: String = "GET", body: [UInt8]? = nil, timeout: TimeAmount = .seconds(30)
    ) async throws -> T {
        let response = try await request(method, path, body: body, timeout: timeout)
        guard (200..<300).contains(response.status) else {
            let message = (try? JSONDecoder().decode(APIError.self, from: Data(response.body)))?.error
            throw CLIError(description: message ?? "the node manager answered HTTP \(response.status)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(response.body))
        } catch {
            throw CLIError(description: "the node manager sent an answer this version cannot read (\(path))")
        }
    }
}
