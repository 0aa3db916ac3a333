import Foundation
import NimbusAPI
import Testing

/// The daemon's reports, read the way a person or script reads them: through `nimbus ... --json`.
extension Daemon {
    func alerts() async throws -> AlertsReport {
        let result = try await Self.run(try Self.executable("nimbus"), ["--socket", socket.path, "alerts", "--json"])
        try #require(result.status == 0, "nimbus alerts failed: \(result.stderr)")
        return try JSONDecoder().decode(AlertsReport.self, from: Data(result.stdout.utf8))
    }

    func nodes() async throws -> NodesReport {
        let result = try await Self.run(try Self.executable("nimbus"), ["--socket", socket.path, "nodes", "--json"])
        try #require(result.status == 0, "nimbus nodes failed: \(result.stderr)")
        return try JSONDecoder().decode(NodesReport.self, from: Data(result.stdout.utf8))
    }

    /// Runs `nimbus` against this daemon.
    func cli(_ arguments: [String]) async throws -> Result {
        try await Self.run(try Self.executable("nimbus"), ["--socket", socket.path] + arguments)
    }

    /// Waits for an active alert of `kind` about `subject` and returns it.
    func waitForActiveAlert(_ kind: String, subject: String, timeout: TimeInterval) async throws -> StoredAlert {
        var found: StoredAlert?
        try await waitUntil("\(kind) fires about \(subject)", timeout: timeout) {
            found = try await alerts().alerts.first { $0.kind == kind && $0.subject == subject && $0.resolvedAtMillis == nil }
            return found != nil
        }
        return try #require(found)
    }

    func waitForResolvedAlert(_ id: Int64, timeout: TimeInterval) async throws {
        try await waitUntil("alert \(id) resolves", timeout: timeout) {
            try await alerts().alerts.first { $0.id == id }?.resolvedAtMillis != nil
        }
    }
}
