import Foundation
import NimbusHTTPClient
import Testing
import NimbusTestSupport

/// Checks real answers of the manager API against `docs/api/manager.yaml`, with the independent validator of the
/// simulator tests (PyYAML + jsonschema from the repository's .venv), so the published description cannot drift
/// from what the daemon serves.
enum ManagerSpec {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// GETs each path on the control socket (and takes the extra exchanges as given) and validates them all.
    static func validate(socket: URL, paths: [String], posts: [String] = []) async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        var exchanges: [(method: String, path: String, status: Int, body: [UInt8])] = []
        for path in paths {
            let response = try await client.request(.GET, path, at: .unix(path: socket.path))
            exchanges.append(("GET", path, response.status, response.body))
        }
        for path in posts {
            let response = try await client.request(.POST, path, at: .unix(path: socket.path))
            exchanges.append(("POST", path, response.status, response.body))
        }
        for (exchange, verdict) in zip(exchanges, try OraclePython.managerSpecVerdicts(exchanges)) {
            #expect(verdict == nil, "\(exchange.method) \(exchange.path): \(verdict ?? "")")
        }
    }
}
