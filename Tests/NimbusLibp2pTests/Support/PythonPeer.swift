import Foundation
import Synchronization
import Testing
import NimbusTestSupport

/// A py-libp2p peer (Interop/peer.py) as a child process: commands on its stdin, one event per line on its
/// stdout. The interpreter is `$NIMBUS_ORACLE_PYTHON`, else `<repo>/.venv/bin/python3`; a missing interpreter
/// fails the test with set-up instructions.
final class PythonPeer: Sendable {
    static var interpreter: String {
        OraclePython.path
    }

    static let setUpInstructions = """
        py-libp2p oracle missing: create it with
            python3 -m venv .venv && .venv/bin/pip install libp2p==0.8.1
        in the repository root, or set NIMBUS_ORACLE_PYTHON to a python3 that has libp2p 0.8.1
        """

    private let process: Process
    private let input: Pipe
    private struct Output {
        var lines: [String] = []
        var pending = Data()
    }

    /// A reference to the captured output, so the pipe's handler can hold it.
    private final class Captured: Sendable {
        let output = Mutex(Output())
    }

    private let captured = Captured()
    private let errorLog: URL

    /// Starts the peer with an identity key type ("ed25519", "secp256k1") and one muxer ("yamux", "mplex").
    init(key: String, muxer: String) throws {
        let interpreter = Self.interpreter
        try #require(
            FileManager.default.isExecutableFile(atPath: interpreter), "\(interpreter): \(Self.setUpInstructions)")
        process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = [
            "-u", TestFiles.interop.appendingPathComponent("peer.py").path, "--key", key, "--muxer", muxer,
        ]
        input = Pipe()
        let output = Pipe()
        errorLog = FileManager.default.temporaryDirectory.appendingPathComponent("nimbus-peer-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorLog)
        output.fileHandleForReading.readabilityHandler = { [captured] handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                return
            }
            captured.output.withLock { output in
                output.pending.append(data)
                while let newline = output.pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: output.pending[output.pending.startIndex..<newline], as: UTF8.self)
                    output.pending.removeSubrange(output.pending.startIndex...newline)
                    output.lines.append(line)
                }
            }
        }
        try process.run()
    }

    /// Every line printed so far.
    var output: [String] { captured.output.withLock { $0.lines } }

    /// Sends one command line.
    func send(_ command: String) {
        input.fileHandleForWriting.write(Data((command + "\n").utf8))
    }

    /// Waits for the first line starting with `prefix` after `index` lines, returning it and its position.
    @discardableResult
    func waitForLine(
        startingWith prefix: String, after index: Int = 0, timeout: Duration = .seconds(30)
    ) async throws -> (line: String, index: Int) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let found = captured.output.withLock { output in
                output.lines.enumerated().dropFirst(index).first { $0.element.hasPrefix(prefix) }
            }
            if let found { return (found.element, found.offset) }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let log = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
        throw PeerError.missingLine(prefix: prefix, output: output, stderrTail: String(log.suffix(3000)))
    }

    /// Asks the peer to quit and waits for it; kills it if it does not.
    func stop() async {
        if process.isRunning { send("QUIT") }
        try? input.fileHandleForWriting.close()
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: errorLog)
    }

    enum PeerError: Error, CustomStringConvertible {
        case missingLine(prefix: String, output: [String], stderrTail: String)

        var description: String {
            switch self {
            case .missingLine(let prefix, let output, let stderrTail):
                "python peer printed no line starting with \(prefix); stdout: \(output); stderr tail: \(stderrTail)"
            }
        }
    }
}
