import ArgumentParser
import Foundation
import NimbusAPI

/// `nimbus status [--json]`: the version and, per role, who runs it and how it is sandboxed.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the node manager's roles, their users and their sandboxes.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print the stable JSON form (docs/cli.md).")
    var json = false

    func run() async throws {
        let report: StatusReport
        do {
            let response = try await ControlClient(socketPath: connection.resolvedSocket).request("GET", "/v1/status")
            guard response.status == 200 else {
                let message = (try? JSONDecoder().decode(APIError.self, from: Data(response.body)))?.error
                throw CLIError(description: message ?? "the node manager answered HTTP \(response.status)")
            }
            report = try JSONDecoder().decode(StatusReport.self, from: Data(response.body))
        } catch let error as DecodingError {
            Self.exitOneLine(CLIError(description: "the node manager sent a status this version cannot read: \(error)"))
        } catch {
            Self.exitOneLine(error)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(StatusText.render(report), terminator: "")
        }
    }
}

/// The human form of `StatusReport`. Pure, so that its layout is tested.
enum StatusText {
    static func render(_ report: StatusReport) -> String {
        var out = "nimbus-node-manager \(report.version) (\(report.mode) mode)\n\n"
        let header = ["ROLE", "STATE", "PID", "USER", "UID", "RESTARTS", "SECCOMP", "NO_NEW_PRIVS", "CAP_EFF", "NET NAMESPACE"]
        var rows = [header]
        for role in report.roles {
            let sandbox = role.sandbox
            rows.append([
                role.role, role.state, role.pid.map(String.init) ?? "-", role.user, String(role.uid), String(role.restarts),
                sandbox.map { seccompName($0.seccomp) } ?? "?", sandbox.map { $0.noNewPrivs ? "yes" : "no" } ?? "?",
                sandbox?.capEff ?? "?",
                sandbox.map { $0.ownNetNamespace ? "own \($0.netNamespace)" : "host" } ?? "?",
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            out += row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
            }.joined() + "\n"
        }
        let exits = report.roles.compactMap { role in role.lastExit.map { "  \(role.role): \($0)" } }
        if !exits.isEmpty { out += "\nlast exits:\n" + exits.joined(separator: "\n") + "\n" }
        let notInForce = report.roles.flatMap { role in
            role.steps.filter { !$0.inForce }.map { "  \(role.role): \($0.step): \($0.detail)" }
        }
        if !notInForce.isEmpty { out += "\nsandbox steps not in force:\n" + notInForce.joined(separator: "\n") + "\n" }
        out += "\n"
        if let signer = report.signer {
            out += "signer: \(signer.keystores) keystore\(signer.keystores == 1 ? "" : "s") (schema \(signer.schemaVersion))\n"
        } else {
            out += "signer: \(report.signerError ?? "no answer")\n"
        }
        if let installer = report.installer {
            let active = installer.activeVersion.map { "active \($0)" } ?? "no Nimbus installed by the node manager"
            out += "installer: \(installer.phase), \(active) (schema \(installer.schemaVersion))\n"
        } else {
            out += "installer: \(report.installerError ?? "no answer")\n"
        }
        return out
    }

    static func seccompName(_ mode: UInt8) -> String {
        switch mode {
        case 0: "off"
        case 1: "strict"
        case 2: "filter"
        default: "mode \(mode)"
        }
    }
}
