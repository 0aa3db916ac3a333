import Foundation
import Testing
import NimbusTestSupport

/// Runs `Oracles/ethstaker_oracle.py` (ethstaker-deposit 1.3.1 and py_ecc) with a batch of requests.
///
/// The interpreter is `$NIMBUS_ORACLE_PYTHON`, else `<repo>/.venv/bin/python3`. A missing interpreter or package
/// fails the test with instructions: these comparisons are the point of the tests, so they never skip.
enum Oracle {
    static let script = TestSupport.repositoryRoot.appendingPathComponent(
        "Tests/NimbusKeysTests/Oracles/ethstaker_oracle.py")

    static var python: String {
        OraclePython.path
    }

    static let instructions = """
        the ethstaker-deposit oracle needs a Python with ethstaker-deposit==1.3.1 and py-ecc==8.0.0: run \
        scripts/oracles, or python3 -m venv .venv && .venv/bin/pip install ethstaker-deposit==1.3.1 \
        py-ecc==8.0.0 milagro-bls-binding==1.9.1 (in the repository root), or set NIMBUS_ORACLE_PYTHON
        """

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// One response per request; any request the oracle could not answer fails the test.
    static func run(_ requests: [[String: Any]]) throws -> [[String: Any]] {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            Issue.record("no Python at \(python): \(instructions)")
            throw Failure(description: "oracle interpreter missing")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError  // Python tracebacks show in the test log
        try process.run()
        let request = try JSONSerialization.data(withJSONObject: ["requests": requests])
        // The script reads all of its input before it writes anything, so writing first cannot deadlock.
        input.fileHandleForWriting.write(request)
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let responses = root["responses"] as? [[String: Any]], responses.count == requests.count else {
            Issue.record("the oracle failed (exit \(process.terminationStatus)); \(instructions)")
            throw Failure(description: "oracle failed")
        }
        for (index, response) in responses.enumerated() {
            if let error = response["error"] as? String {
                Issue.record("oracle request \(index) (\(requests[index]["op"] ?? "?")) failed: \(error)")
                throw Failure(description: error)
            }
        }
        return responses
    }
}
