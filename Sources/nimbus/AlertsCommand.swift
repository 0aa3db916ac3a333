import ArgumentParser
import Foundation
import NimbusAPI

/// `nimbus alerts [--json]` and `nimbus alerts ack ID`.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Show active and recent alerts, with what to do about each.",
        subcommands: [List.self, Acknowledge.self],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Show alerts (the default).")

        @OptionGroup var connection: ConnectionOptions

        @Flag(name: .long, help: "Print the stable JSON form (docs/cli.md).")
        var json = false

        func run() async {
        await reportingErrors(body)
    }

    private func body() async throws {
            let report: AlertsReport = try await ControlClient(socketPath: connection.resolvedSocket).getJSON("/v1/alerts")
            if json {
                print(JSONOutput.pretty(report))
                return
            }
            print(AlertsText.render(report), terminator: "")
        }
    }

    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack", abstract: "Acknowledge an alert: its notifications leave this machine's outbox.")

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "The alert's id, as `nimbus alerts` shows it.")
        var id: Int64

        func run() async {
        await reportingErrors(body)
    }

    private func body() async throws {
            let alert: StoredAlert = try await ControlClient(socketPath: connection.resolvedSocket)
                .getJSON("/v1/alerts/\(id)/ack", method: "POST")
            print("acknowledged alert \(alert.id): \(alert.title) (\(alert.subject))")
        }
    }
}

enum AlertsText {
    static func render(_ report: AlertsReport) -> String {
        let active = report.alerts.filter { $0.resolvedAtMillis == nil }
        let resolved = report.alerts.filter { $0.resolvedAtMillis != nil }
        if report.alerts.isEmpty { return "no alerts\n" }
        var out = ""
        let pending = Set(report.pending.map(\.alertID))
        for alert in active {
            out += "[\(alert.id)] \(alert.severity.uppercased()) \(alert.title) (\(alert.subject))"
                + (pending.contains(alert.id) ? " *new*" : "") + "\n"
            out += "    since \(RFC3339.format(millis: UInt64(alert.firedAtMillis))): \(alert.diagnosis)\n"
            out += "    what to do: \(alert.action)\n"
        }
        if !resolved.isEmpty {
            out += active.isEmpty ? "" : "\n"
            out += "back to normal (last 24 h):\n"
            for alert in resolved {
                out += "  [\(alert.id)] \(alert.title) (\(alert.subject)), "
                    + "\(RFC3339.format(millis: UInt64(alert.firedAtMillis))) to "
                    + "\(RFC3339.format(millis: UInt64(alert.resolvedAtMillis ?? 0)))\n"
            }
        }
        return out
    }
}
