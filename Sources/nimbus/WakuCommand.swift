import ArgumentParser
import Foundation
import NimbusAPI

/// `nimbus waku status [--json]`.
struct WakuCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waku", abstract: "The node manager's Waku node.", subcommands: [Status.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Peer id, listen addresses, peers, shards, store size.")

        @OptionGroup var connection: ConnectionOptions

        @Flag(name: .long, help: "Print the stable JSON form (docs/cli.md).")
        var json = false

        func run() async {
            await reportingErrors(body)
        }

        private func body() async throws {
            let report: WakuStatusReport = try await ControlClient(socketPath: connection.resolvedSocket)
                .getJSON("/v1/waku/status")
            if json {
                print(JSONOutput.pretty(report))
                return
            }
            var out = "peer id: \(report.peerID)\nmode: \(report.mode), \(report.status)\n"
            out += "listening on: " + (report.listenAddresses.isEmpty ? "-" : report.listenAddresses.joined(separator: "\n  ")) + "\n"
            out += "shards: \(report.shards.joined(separator: " "))\n"
            if let stored = report.storedMessages { out += "store: \(stored) messages\n" }
            out += "filter subscribers: \(report.filterSubscribers)\n"
            out += "peers: \(report.peers.count)\n"
            for peer in report.peers {
                out += "  \(peer.peerID)\(peer.metadataVerified ? "" : " (metadata not verified)"): "
                    + peer.protocols.joined(separator: " ") + "\n"
            }
            print(out, terminator: "")
        }
    }
}
