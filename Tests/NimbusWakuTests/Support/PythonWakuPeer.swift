import Foundation
import Synchronization
import Testing
import NimbusTestSupport

/// The py-libp2p Waku peer (Interop/waku_peer.py) as a child process: commands on stdin, one event per line on
/// stdout. The interpreter is `$NIMBUS_ORACLE_PYTHON`, else `<repo>/.venv/bin/python3`; a missing interpreter
/// fails the test (it never skips).
final class PythonWakuPeer: Sendable {
    static var interpreter: String {
        OraclePython.path
    }

    static let setUpInstructions = """
        py-libp2p oracle missing: run scripts/oracles (or python3 -m venv .venv && .venv/bin/pip install \
        libp2p==0.8.1) in the repository root, or set NIMBUS_ORACLE_PYTHON to a python3 that has libp2p 0.8.1
        """

    private final class Captured: Sendable {
        let state = Mutex((lines: [String](), pending: Data()))
    }

    private let process: Process
    private let input: Pipe
    private let captured = Captured()
    private let errorLog: URL
    private let listenAddress = Mutex("")
    /// `/ip4/127.0.0.1/tcp/<port>/p2p/<id>`.
    var address: String { listenAddress.withLock { $0 } }
    /// The peer id text.
    var peerID: String { String(address.split(separator: "/").last!) }

    /// Starts the peer with the given flags (`--relay`, `--service v3`, ...), waiting for its address.
    init(_ arguments: [String]) async throws {
        let interpreter = Self.interpreter
        try #require(
            FileManager.default.isExecutableFile(atPath: interpreter), "\(interpreter): \(Self.setUpInstructions)")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Interop/waku_peer.py")
        process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = ["-u", script.path] + arguments
        input = Pipe()
        let output = Pipe()
        errorLog = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nimbus-waku-peer-\(UUID().uuidString).log")
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
            captured.state.withLock { state in
                state.pending.append(data)
                while let newline = state.pending.firstIndex(of: UInt8(ascii: "\n")) {
                    state.lines.append(
                        String(decoding: state.pending[state.pending.startIndex..<newline], as: UTF8.self))
                    state.pending.removeSubrange(state.pending.startIndex...newline)
                }
            }
        }
        try process.run()
        let line = try await waitForLine(startingWith: "LISTEN").line
        listenAddress.withLock { $0 = String(line.dropFirst("LISTEN ".count)) }
    }

    /// Every line printed so far.
    var lines: [String] { captured.state.withLock { $0.lines } }

    /// Sends a command line.
    func send(_ command: String) {
        input.fileHandleForWriting.write(Data((command + "\n").utf8))
    }

    /// Sends a command and waits for its answer line (or an ERROR for it).
    func ask(_ command: String, expecting prefix: String, timeout: Duration = .seconds(30)) async throws -> String {
        let start = lines.count
        send(command)
        let answer = try await waitForLine(startingWith: prefix, orError: true, after: start, timeout: timeout)
        return answer.line
    }

    /// Waits for the first line starting with `prefix` after `index` lines.
    @discardableResult
    func waitForLine(
        startingWith prefix: String, orError: Bool = false, after index: Int = 0,
        timeout: Duration = .seconds(30)
    ) async throws -> (line: String, index: Int) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let found = captured.state.withLock { state in
                state.lines.enumerated().dropFirst(index).first {
                    $0.element.hasPrefix(prefix) || (orError && $0.element.hasPrefix("ERROR"))
                }
            }
            if let found { return (found.element, found.offset) }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let log = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
        throw PeerError.missingLine(prefix: prefix, output: lines, stderrTail: String(log.suffix(3000)))
    }

    /// Asks the peer to quit and waits for it; terminates it if it does not.
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
                "python waku peer printed no line starting with \(prefix); stdout: \(output); "
                    + "stderr tail: \(stderrTail)"
            }
        }
    }
}
