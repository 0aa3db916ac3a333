import Foundation
import NimbusAPI
import Testing

/// A real `nimbus-node-manager` started from the build directory, observed from outside: through the `nimbus` CLI,
/// `/proc`, its log file and its state directory. Each instance has its own temporary directory.
///
/// Everything that waits does so without blocking a thread of Swift's cooperative pool (sleeping tasks, and a
/// plain thread for child processes), so that these tests cannot starve the suites running beside them.
final class Daemon: @unchecked Sendable {
    let root: URL
    let dataDir: URL
    let socket: URL
    let log: URL
    private(set) var process: Process?

    /// The build directory holding the test runner, the daemon, the roles and the CLI.
    static let binDir: URL = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent()
    }()

    /// The package's policy/ directory, from this file's location.
    static let policyDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("policy")

    static func executable(_ name: String) throws -> URL {
        let url = binDir.appendingPathComponent(name)
        try #require(
            FileManager.default.isExecutableFile(atPath: url.path),
            "\(url.path) is missing: build everything first (swift build --build-tests)")
        return url
    }

    init(name: String) throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nm-\(name)-\(UUID().uuidString.prefix(8))")
        dataDir = root.appendingPathComponent("data")
        socket = root.appendingPathComponent("run/control.sock")
        log = root.appendingPathComponent("daemon.log")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        chmod(root.path, 0o755)
    }

    deinit {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: root)
    }

    /// Starts the daemon with `arguments` (plus --policy-dir and --control-socket), optionally through a wrapper
    /// such as setpriv, and waits until every role reports running.
    func start(_ arguments: [String], executable: URL? = nil, wrapper: [String] = []) async throws {
        let daemon = try executable ?? Self.executable("nimbus-node-manager")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        let command = [daemon.path] + arguments + ["--control-socket", socket.path]
        if wrapper.isEmpty {
            process.executableURL = daemon
            process.arguments = Array(command.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: wrapper[0])
            process.arguments = Array(wrapper.dropFirst()) + command
        }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        self.process = process
        try await waitUntil("all roles running", timeout: 20) {
            guard let report = try? await status() else { return false }
            return report.roles.count == 3 && report.roles.allSatisfy { $0.state == "running" && $0.sandbox != nil }
        }
    }

    /// `nimbus status --json`, decoded.
    func status() async throws -> StatusReport {
        let result = try await Self.run(Self.executable("nimbus"), ["--socket", socket.path, "status", "--json"])
        guard result.status == 0 else {
            throw DaemonError("nimbus status failed: \(result.stderr)\ndaemon log:\n\(logText.suffix(4000))")
        }
        return try JSONDecoder().decode(StatusReport.self, from: Data(result.stdout.utf8))
    }

    func pid(of role: String) async throws -> Int32 {
        try #require(try await status().roles.first { $0.role == role }?.pid, "\(role) has no pid")
    }

    /// Sends SIGTERM and waits for the supervisor to exit; returns its exit status and how long it took.
    func stop(timeout: TimeInterval = 20) async throws -> (status: Int32, seconds: Double) {
        let process = try #require(process)
        let started = Date()
        kill(process.processIdentifier, SIGTERM)
        try await waitUntil("the supervisor exits", timeout: timeout) { !process.isRunning }
        return (process.terminationStatus, Date().timeIntervalSince(started))
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    func waitUntil(_ what: String, timeout: TimeInterval, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DaemonError("timed out after \(timeout) s waiting until \(what); daemon log:\n\(logText)")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a command to completion and captures its output; `input`, when given, is its whole standard input.
    /// The waiting happens on a thread of its own.
    static func run(_ executable: URL, _ arguments: [String], input: String? = nil) async throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let input {
            let pipe = Pipe()
            process.standardInput = pipe
            pipe.fileHandleForWriting.write(Data(input.utf8))
            try pipe.fileHandleForWriting.close()
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return await withCheckedContinuation { continuation in
            Thread {
                let stderrBox = DataBox()
                let stderrReader = Thread { stderrBox.data = err.fileHandleForReading.readDataToEndOfFile() }
                stderrReader.start()
                let stdout = out.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                while !stderrReader.isFinished { usleep(1000) }
                continuation.resume(returning: Result(
                    status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                    stderr: String(decoding: stderrBox.data, as: UTF8.self)))
            }.start()
        }
    }
}

final class DataBox: @unchecked Sendable {
    var data = Data()
}

struct DaemonError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What /proc says about a process, parsed here independently of the daemon's own parser.
struct ProcFacts {
    var uid: UInt32
    var seccomp: Int
    var noNewPrivs: Int
    var capEff: UInt64
    var capBnd: UInt64
    var netNamespace: String

    init(pid: Int32) throws {
        let text = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        func field(_ name: String) throws -> String { try #require(fields[name], "no \(name) in /proc/\(pid)/status") }
        uid = try #require(UInt32(try field("Uid").split(separator: "\t").first ?? ""))
        seccomp = try #require(Int(try field("Seccomp")))
        noNewPrivs = try #require(Int(try field("NoNewPrivs")))
        capEff = try #require(UInt64(try field("CapEff"), radix: 16))
        capBnd = try #require(UInt64(try field("CapBnd"), radix: 16))
        netNamespace = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/net")
    }
}

/// Tests that need root run in CI (which is root). Elsewhere they fail loudly, unless the person running them says
/// they know: NIMBUS_TESTS_UNPRIVILEGED=1 turns them into named skips.
enum Privilege {
    static let isRoot = geteuid() == 0
    static let unprivilegedAcknowledged = ProcessInfo.processInfo.environment["NIMBUS_TESTS_UNPRIVILEGED"] == "1"
    static var shouldRun: Bool { isRoot || !unprivilegedAcknowledged }

    static func requireRoot() throws {
        try #require(isRoot, "this test needs root (CI runs as root); set NIMBUS_TESTS_UNPRIVILEGED=1 to skip it knowingly")
    }

    static func account(_ name: String) throws -> (uid: UInt32, gid: UInt32) {
        let entry = try #require(getpwnam(name), "user \(name) is missing: .ci/run creates it")
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }
}
