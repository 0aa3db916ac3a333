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
            out += "dialling:" + (report.dialTargets.isEmpty ? " -" : "") + "\n"
            for target in report.dialTargets {
                out += "  \(target.address) (\(target.source)): " + Self.describe(target) + "\n"
            }
            out += "subscriptions: \(report.subscriptions.count)\n"
            for subscription in report.subscriptions {
                out += "  \(subscription.contentTopic) on \(subscription.pubsubTopic) via \(subscription.via)"
                if subscription.via == "filter" {
                    out += subscription.servicePeers.isEmpty
                        ? " (no service peer yet)" : " (\(subscription.servicePeers.joined(separator: " ")))"
                }
                out += "\n"
            }
            print(out, terminator: "")
        }

        /// `connected`, or `backing off, 3 failed attempts, next in 4.2 s: connection refused`.
        static func describe(_ target: WakuStatusReport.DialTarget) -> String {
            var text = target.state.replacingOccurrences(of: "_", with: " ")
            if target.failedAttempts > 0 {
                text += ", \(target.failedAttempts) failed attempt\(target.failedAttempts == 1 ? "" : "s")"
            }
            if let next = target.nextAttemptInSeconds { text += ", next in \(next) s" }
            if let error = target.lastError { text += ": \(error)" }
            return text
        }
    }
}
