import Foundation

/// Where the repository is, for tests that read its files (vectors, oracles, docs).
public enum Repository {
    /// The repository's root: this file sits at Tests/Support/NimbusTestSupport/.
    public static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The workplace's shared specifications and vectors, beside the repository.
    public static let shared: URL = root.deletingLastPathComponent().appendingPathComponent("shared")
}

/// The Python that runs the independent reference implementations the tests compare against: `$NIMBUS_ORACLE_PYTHON`,
/// (unless empty), else the repository's `.venv` (made by `scripts/oracles`, which CI runs). A missing interpreter is a test failure
/// that says how to make one, never a skip.
public enum OraclePython {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The interpreter's path, whether or not it exists.
    public static var path: String {
        ProcessInfo.processInfo.environment["NIMBUS_ORACLE_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
            ?? Repository.root.appendingPathComponent(".venv/bin/python3").path
    }

    /// The interpreter's path; throws with `instructions` (or the general ones) when there is none.
    public static func required(_ instructions: String? = nil) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(description: "no Python at \(path): "
                + (instructions ?? "run scripts/oracles (CI does) or set NIMBUS_ORACLE_PYTHON"))
        }
        return path
    }

    /// Runs `script` (a path in the repository) with one JSON value on stdin and returns the JSON it prints.
    /// A non-zero exit is an error: the references print their refusals as JSON and exit 0.
    public static func json(_ script: String, _ request: Any, arguments: [String] = []) throws -> Any {
        let output = try run(script, arguments: arguments, input: try JSONSerialization.data(withJSONObject: request))
        return try JSONSerialization.jsonObject(with: output)
    }

    /// Runs `script` with `input` on stdin and returns its stdout. The references read all of their input before
    /// they write, so writing first cannot deadlock on a full pipe. An exit status outside `success` is an error.
    public static func run(_ script: String, arguments: [String] = [], input: Data, success: Set<Int32> = [0]) throws
        -> Data
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try required())
        process.arguments = [Repository.root.appendingPathComponent(script).path] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard success.contains(process.terminationStatus) else {
            throw Failure(description: "\(script) exited with status \(process.terminationStatus)")
        }
        return data
    }

    /// Validates manager-API exchanges against docs/api/manager.yaml with the independent validator (PyYAML and
    /// jsonschema): one verdict per exchange, `nil` when it conforms, else the validator's words.
    public static func managerSpecVerdicts(_ exchanges: [(method: String, path: String, status: Int, body: [UInt8])])
        throws -> [String?]
    {
        var lines: [String] = []
        for exchange in exchanges {
            let object: [String: Any] = [
                "api": "manager", "method": exchange.method, "path": exchange.path, "status": exchange.status,
                "content_type": "application/json", "body": String(decoding: exchange.body, as: UTF8.self),
            ]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        }
        let output = try run(
            "Tests/NimbusBeaconSimTests/Oracles/validate_responses.py",
            arguments: ["--specs", Repository.shared.appendingPathComponent("specs").path,
                        "--manager-spec", Repository.root.appendingPathComponent("docs/api/manager.yaml").path],
            // The validator exits 1 when an exchange does not conform; its verdicts say which and why.
            input: Data((lines.joined(separator: "\n") + "\n").utf8), success: [0, 1])
        let verdicts = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        guard verdicts.count == exchanges.count else {
            throw Failure(description: "the validator gave \(verdicts.count) verdicts for \(exchanges.count) exchanges")
        }
        return verdicts.map { $0 == #"{"ok": true}"# ? nil : $0 }
    }
}
