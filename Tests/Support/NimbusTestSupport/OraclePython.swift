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
    public struct Missing: Error, CustomStringConvertible {
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
            throw Missing(description: "no Python at \(path): "
                + (instructions ?? "run scripts/oracles (CI does) or set NIMBUS_ORACLE_PYTHON"))
        }
        return path
    }

    /// Runs `script` (a path in the repository) with one JSON value on stdin and returns the JSON it prints.
    /// A non-zero exit is an error: the references print their refusals as JSON and exit 0.
    public static func json(_ script: String, _ request: Any, arguments: [String] = []) throws -> Any {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try required())
        process.arguments = [Repository.root.appendingPathComponent(script).path] + arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: request))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Missing(description: "\(script) exited with status \(process.terminationStatus)")
        }
        return try JSONSerialization.jsonObject(with: data)
    }
}
