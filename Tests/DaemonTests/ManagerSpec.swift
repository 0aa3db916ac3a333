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
        var lines: [String] = []
        var exchanges: [(method: String, path: String, status: Int, body: [UInt8])] = []
        for path in paths {
            let response = try await client.request(.GET, path, at: .unix(path: socket.path))
            exchanges.append(("GET", path, response.status, response.body))
        }
        for path in posts {
            let response = try await client.request(.POST, path, at: .unix(path: socket.path))
            exchanges.append(("POST", path, response.status, response.body))
        }
        for exchange in exchanges {
            let object: [String: Any] = [
                "api": "manager", "method": exchange.method, "path": exchange.path, "status": exchange.status,
                "content_type": "application/json", "body": String(decoding: exchange.body, as: UTF8.self),
            ]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        }
        let python = OraclePython.path
        try #require(FileManager.default.isExecutableFile(atPath: python),
                     "no Python at \(python): run scripts/oracles (CI does) or set NIMBUS_ORACLE_PYTHON")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            repository.appendingPathComponent("Tests/NimbusBeaconSimTests/Oracles/validate_responses.py").path,
            "--specs", repository.deletingLastPathComponent().appendingPathComponent("shared/specs").path,
            "--manager-spec", repository.appendingPathComponent("docs/api/manager.yaml").path,
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        try input.fileHandleForWriting.close()
        let verdicts = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n")
        process.waitUntilExit()
        #expect(verdicts.count == exchanges.count)
        for (exchange, verdict) in zip(exchanges, verdicts) {
            #expect(verdict == #"{"ok": true}"#, "\(exchange.method) \(exchange.path): \(verdict)")
        }
    }
}
