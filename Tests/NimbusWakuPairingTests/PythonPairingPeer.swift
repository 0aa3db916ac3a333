import Foundation
import Testing
import NimbusTestSupport

/// `Oracles/waku_pairing_reference.py peer ROLE` as a subprocess speaking one JSON object per line. The interpreter is
/// `$NIMBUS_ORACLE_PYTHON`, else `<repo>/.venv/bin/python3` (made by scripts/oracles); a missing interpreter or
/// package fails the test with how to make it, never skips it.
final class PythonPairingPeer {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private var buffer: [UInt8] = []

    init(role: String, openWrong: Bool = false) throws {
        let python = OraclePython.path
        try #require(
            FileManager.default.isExecutableFile(atPath: python),
            """
            no Python at \(python) for the Waku pairing oracle: run scripts/oracles in the repository root (CI does), \
            or set NIMBUS_ORACLE_PYTHON to a python3 that has cryptography installed
            """)
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Fixtures.directory.appendingPathComponent("Oracles/waku_pairing_reference.py").path,
                             "peer", role] + (openWrong ? ["--open-wrong"] : [])
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    func send(_ object: [String: Any]) throws {
        var data = try JSONSerialization.data(withJSONObject: object)
        data.append(0x0A)
        try input.fileHandleForWriting.write(contentsOf: data)
    }

    /// The next line as a JSON object; a closed pipe fails with the oracle's standard error (an import error says
    /// which package is missing).
    func receive() throws -> [String: Any] {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                process.waitUntilExit()
                let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                Issue.record("the Waku pairing oracle stopped (status \(process.terminationStatus)): \(stderr)")
                throw CancellationError()
            }
            buffer += chunk
        }
    }

    /// Ends the session and checks that the oracle exited cleanly.
    func finish() throws {
        if process.isRunning { try? send(["quit": true]) }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the Waku pairing oracle crashed")
    }
}
