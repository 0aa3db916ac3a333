import Foundation
import NimbusAPI
import Testing

/// A session outlives a restart of the host: `nimbus remote events` follows a node's head events through a host
/// that is a Waku light client of a separate service node (as at home, with The Waku Network in between). The host
/// daemon is stopped and started again; the remote notices the silence (its keep-alive goes unanswered), opens a new
/// session with the same pinned key and asks for the stream again, and events flow on in the same process.
@Suite(.serialized, .enabled(if: Privilege.shouldRun, "needs root; NIMBUS_TESTS_UNPRIVILEGED=1 was set"))
struct SessionRestartTests {
    /// Lines a child process printed, collected on a thread of their own.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""

        init(_ handle: FileHandle) {
            Thread { [self] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { return }
                    lock.withLock { text += String(decoding: chunk, as: UTF8.self) }
                }
            }.start()
        }

        func count(_ prefix: String) -> Int {
            lock.withLock { text.split(separator: "\n").filter { $0.hasPrefix(prefix) }.count }
        }
    }

    @Test func anEventStreamContinuesAcrossARestartOfTheHost() async throws {
        try Privilege.requireRoot()
        // The Waku service node everyone meets on.
        let service = try Daemon(name: "restart-waku")
        let port = WakuOfflineTests.freePort()
        try await service.start(["--dev", "--data-dir", service.dataDir.path, "--policy-dir", Daemon.policyDir.path,
                                 "--waku-listen", "127.0.0.1:\(port)"])
        let address = try #require(try await WakuOfflineTests.wakuStatus(service).listenAddresses.first)

        // The host: a light client of it, watching a simulator with 1-second slots.
        let host = try Daemon(name: "restart-host")
        let simulator = try MonitoringTests.Simulator(root: host.root)
        try simulator.start()
        defer { simulator.stop() }
        let config = host.root.appendingPathComponent("config.toml")
        try """
            [waku]
            mode = "client"
            bootstrap = ["\(address)"]

            [[nodes]]
            name = "sim"
            rest = "http://127.0.0.1:\(simulator.rest)"
            """.write(to: config, atomically: true, encoding: .utf8)
        let hostArguments = ["--dev", "--config", config.path, "--data-dir", host.dataDir.path, "--policy-dir",
                             Daemon.policyDir.path]
        try await host.start(hostArguments)
        try await host.waitUntil("the host reaches the service node", timeout: 60) {
            try await WakuOfflineTests.wakuStatus(host).status == "healthy"
        }

        // Pairing through the service node.
        let remoteDir = host.root.appendingPathComponent("remote")
        let remote = ["--waku-bootstrap", address, "--config-dir", remoteDir.path]
        let invite = try CLIProcess(["remote", "invite", "--timeout", "60"] + remote)
        let code = try invite.line("code: ")
        // The code typed on standard input (`-`), not on the command line other local users can read.
        let paired = try await Daemon.run(try Daemon.executable("nimbus"), ["pair", "-", "--socket", host.socket.path],
                                          input: code + "\n")
        try #require(paired.status == 0, "\(paired.stderr)")
        #expect(paired.stderr.contains("Code the device shows: "))
        #expect(!paired.stderr.contains(code), "the code is not echoed back")
        #expect(await invite.finish().status == 0)

        // Events through the host, in one long-running process.
        let events = Process()
        events.executableURL = try Daemon.executable("nimbus")
        events.arguments = ["remote", "events", "--topics", "head"] + remote
        let eventsOut = Pipe()
        events.standardOutput = eventsOut
        events.standardError = FileHandle.nullDevice
        try events.run()
        defer { if events.isRunning { kill(events.processIdentifier, SIGKILL) } }
        let lines = Lines(eventsOut.fileHandleForReading)
        try await host.waitUntil("head events arrive", timeout: 60) { lines.count("event: head") >= 2 }

        // The host goes away and comes back (same data directory, same keys, a new Waku connection).
        _ = try await host.stop()
        let before = lines.count("event: head")
        try await host.start(hostArguments)
        try await host.waitUntil("head events flow again after the restart", timeout: 120) {
            lines.count("event: head") >= before + 3
        }
        #expect(events.isRunning, "the same remote process")
        #expect(host.logText.contains("session opened"), "a new session after the restart")
        kill(events.processIdentifier, SIGTERM)
        _ = try await host.stop()
        _ = try await service.stop()
    }
}
