import Foundation
import Testing
import NimbusTestSupport

/// The independent validators under `Oracles/`, run with the pinned Python environment.
///
/// The interpreter is `$NIMBUS_ORACLE_PYTHON`, default `<repo>/.venv/bin/python3` (made by `scripts/oracles`).
/// A missing interpreter is a test failure with instructions, never a skip.
enum Oracle {
    /// One HTTP exchange to check against the OpenAPI documents.
    struct Exchange: Encodable {
        var api: String
        var method: String
        var path: String
        var status: Int
        var contentType: String
        var body: String
        var eip3076Fields: [String] = []

        enum CodingKeys: String, CodingKey {
            case api, method, path, status, body
            case contentType = "content_type"
            case eip3076Fields = "eip3076_fields"
        }
    }

    static var python: String {
        OraclePython.path
    }

    /// Runs `script` with `arguments`, feeding `input`; returns (status, stdout, stderr).
    static func run(_ script: String, _ arguments: [String], input: String) throws -> (Int32, String, String) {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            Issue.record(
                """
                The test oracle interpreter \(python) is missing. Create it with `scripts/oracles` (or \
                `python3 -m venv .venv && .venv/bin/pip install -r scripts/oracles-requirements.txt`), or point \
                NIMBUS_ORACLE_PYTHON at a Python with jsonschema, referencing, PyYAML and prometheus_client.
                """)
            throw OracleMissing()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Paths.oracles.appendingPathComponent(script).path] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    struct OracleMissing: Error {}

    /// Validates every exchange against the specs; records an issue per non-conforming one.
    static func validate(_ exchanges: [Exchange], sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard !exchanges.isEmpty else { return }
        let encoder = JSONEncoder()
        let input = try exchanges.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(
            separator: "\n")
        let schema = Paths.vectors.appendingPathComponent("slashing_protection/schema.json").path
        let (status, out, err) = try run(
            "validate_responses.py", ["--specs", Paths.specs.path, "--eip3076-schema", schema], input: input + "\n")
        let lines = out.split(separator: "\n")
        #expect(
            lines.count == exchanges.count, "oracle answered \(lines.count) of \(exchanges.count): \(err)",
            sourceLocation: sourceLocation)
        for (exchange, line) in zip(exchanges, lines) where !line.contains("\"ok\": true") {
            Issue.record(
                "\(exchange.method) \(exchange.path) -> \(exchange.status): \(line)", sourceLocation: sourceLocation)
        }
        #expect(
            status == 0 || lines.contains { !$0.contains("\"ok\": true") }, "oracle failed: \(err)",
            sourceLocation: sourceLocation)
    }

    /// Parses a Prometheus exposition with prometheus_client; returns family → samples (name, labels, value).
    static func parseMetrics(_ text: String) throws -> MetricFamilies {
        let (status, out, err) = try run("parse_metrics.py", [], input: text)
        guard status == 0 else { throw TinyHTTPClient.Failure(description: "metrics oracle: \(err)") }
        return try JSONDecoder().decode(MetricFamilies.self, from: Data(out.utf8))
    }

    typealias MetricFamilies = [String: MetricFamily]

    struct MetricFamily: Decodable {
        var type: String
        var help: String
        var samples: [Sample]
    }

    struct Sample: Decodable {
        var name: String
        var labels: [String: String]
        var value: Double?
    }
}
