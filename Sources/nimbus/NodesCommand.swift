import ArgumentParser
import Foundation
import NimbusAPI

/// `nimbus nodes [--json]`: each managed node's health, sync, peers, version and validators.
struct NodesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nodes", abstract: "Show the Nimbus nodes the node manager watches.")

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
        var rows = [["NODE", "REST", "STATE", "HEAD", "DISTANCE", "PEERS", "VERSION", "VALIDATORS"]]
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
                node.validators.map(String.init) ?? "-",
            ])
        }
        print(Table.render(rows), terminator: "")
        for node in report.nodes where !node.reachable {
            if let error = node.error { print("\(node.name): \(error)") }
        }
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
    func getJSON<T: Decodable>(_ path: String, method: String = "GET") async throws -> T {
        let response = try await request(method, path)
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
