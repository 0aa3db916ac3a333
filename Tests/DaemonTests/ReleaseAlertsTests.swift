import Foundation
import NimbusAPI
import Testing
import NimbusTestSupport

/// `version_behind` end to end: the network role asks a release source (here a loopback stand-in for GitHub's
/// releases API, configured with `[releases] url`) for the latest Nimbus release, and compares it with the version
/// the node reports (`nimbus-beacon-sim --sim-version`). Observed only through `nimbus alerts --json`.
@Suite(.serialized, .enabled(if: Privilege.shouldRun, "needs root; NIMBUS_TESTS_UNPRIVILEGED=1 was set"))
struct ReleaseAlertsTests {
    typealias Simulator = MonitoringTests.Simulator

    /// A one-request-per-connection HTTP server on 127.0.0.1 answering every GET with the current body, on a plain
    /// thread with blocking sockets: small enough to read at a glance, and no event loop to share with the test.
    final class ReleaseServer: @unchecked Sendable {
        let port: Int
        private let listener: Int32
        private let lock = NSLock()
        private var body: String
        private var requests: [(head: String, body: String)] = []
        private var stopped = false

        init(body: String) throws {
            self.body = body
            (listener, port) = try Self.listen()
            Thread { [self] in serve() }.start()
        }

        /// A listening socket on 127.0.0.1 and the port the kernel chose.
        private static func listen() throws -> (Int32, Int) {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            try #require(fd >= 0, "socket: errno \(errno)")
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
            }
            try #require(bound == 0 && Glibc.listen(fd, 16) == 0, "bind/listen: errno \(errno)")
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            return (fd, Int(UInt16(bigEndian: address.sin_port)))
        }

        deinit { stop() }

        /// What the next request gets.
        func serve(_ body: String) {
            lock.withLock { self.body = body }
        }

        /// The request heads so far, each with the body it was answered with.
        var served: [(head: String, body: String)] { lock.withLock { requests } }

        func stop() {
            let first = lock.withLock {
                defer { stopped = true }
                return !stopped
            }
            guard first else { return }
            // Wakes the blocked accept (EINVAL on Linux), which then sees `stopped`.
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
        }

        private func serve() {
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 {
                    if lock.withLock({ stopped }) { return }
                    continue
                }
                answer(connection)
                close(connection)
            }
        }

        private func answer(_ connection: Int32) {
            // A client that never finishes its head must not hang the server forever.
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var head: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while head.count < 65536, !head.ends(with: Array("\r\n\r\n".utf8)) {
                let count = read(connection, &chunk, chunk.count)
                guard count > 0 else { return }
                head += chunk[0..<count]
            }
            let text = lock.withLock {
                requests.append((String(decoding: head, as: UTF8.self), body))
                return body
            }
            let payload = Array(text.utf8)
            let response = Array(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(payload.count)\r\nConnection: close\r\n\r\n"
                    .utf8) + payload
            var sent = 0
            while sent < response.count {
                let count = response[sent...].withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
                guard count > 0 else { return }
                sent += count
            }
        }
    }

    private func alerts(_ daemon: Daemon) async throws -> AlertsReport {
        let result = try await Daemon.run(
            try Daemon.executable("nimbus"), ["--socket", daemon.socket.path, "alerts", "--json"])
        try #require(result.status == 0, "nimbus alerts failed: \(result.stderr)")
        return try JSONDecoder().decode(AlertsReport.self, from: Data(result.stdout.utf8))
    }

    /// A release as GitHub's `releases/latest` answers it, trimmed to the fields that matter and a few that do not.
    static func release(_ tag: String, prerelease: Bool = false) -> String {
        """
        {"url": "https://api.github.com/repos/status-im/nimbus-eth2/releases/1", "tag_name": "\(tag)",
         "target_commitish": "stable", "name": "\(tag)", "draft": false, "prerelease": \(prerelease),
         "published_at": "2025-09-22T10:00:00Z", "assets": [], "body": "Release notes..."}
        """
    }

    /// The node runs v24.9.0; the source says v99.0.0 is out: one `version_behind` alert naming both. A pre-release
    /// that follows changes nothing. When the source names v24.9.0 again (as if v99.0.0 had been withdrawn), the
    /// alert resolves with a "back to normal" notice.
    @Test func aNodeBehindTheLatestReleaseIsReportedThenClears() async throws {
        try Privilege.requireRoot()
        let server = try ReleaseServer(body: Self.release("v99.0.0"))
        defer { server.stop() }
        let daemon = try Daemon(name: "release")
        let simulator = try Simulator(root: daemon.root)
        simulator.extraArguments = ["--sim-version=24.9.0"]
        try simulator.start()
        let config = daemon.root.appendingPathComponent("config.toml")
        // One-second polls keep the test short; the default is six hours.
        try """
            [releases]
            url = "http://127.0.0.1:\(server.port)/repos/status-im/nimbus-eth2/releases/latest"
            poll_seconds = 1

            [[nodes]]
            name = "sim"
            rest = "http://127.0.0.1:\(simulator.rest)"
            metrics = "http://127.0.0.1:\(simulator.metrics)"
            """.write(to: config, atomically: true, encoding: .utf8)
        try await daemon.start(["--dev", "--config", config.path, "--data-dir", daemon.dataDir.path,
                                "--policy-dir", Daemon.policyDir.path, "--waku-listen", "127.0.0.1:0"])

        var found: StoredAlert?
        try await daemon.waitUntil("version_behind fires", timeout: 60) {
            found = try await alerts(daemon).alerts.first { $0.kind == "version_behind" && $0.resolvedAtMillis == nil }
            return found != nil
        }
        let alert = try #require(found)
        #expect(alert.subject == "sim")
        #expect(alert.severity == "info")
        #expect(alert.diagnosis == "running v24.9.0, latest release v99.0.0")
        #expect(alert.action.contains("upgrade"))
        // GitHub refuses API calls without a User-Agent; the path is the configured one.
        let first = try #require(server.served.first?.head)
        #expect(first.hasPrefix("GET /repos/status-im/nimbus-eth2/releases/latest HTTP/1.1\r\n"), "\(first)")
        #expect(first.lowercased().contains("\r\nuser-agent: nimbus-node-manager/"), "\(first)")

        // A pre-release is not "the latest": the alert stays as it is, through several polls of the source.
        server.serve(Self.release("v100.0.0-rc1", prerelease: true))
        try await daemon.waitUntil("the pre-release is served three times", timeout: 60) {
            server.served.filter { $0.body.contains("v100.0.0-rc1") }.count >= 3
        }
        // And a node poll after that, which would have re-evaluated the rule.
        let afterPreRelease = UInt64(Date().timeIntervalSince1970 * 1000)
        try await daemon.waitUntil("the node is polled again", timeout: 30) {
            let result = try await Daemon.run(
                try Daemon.executable("nimbus"), ["--socket", daemon.socket.path, "nodes", "--json"])
            let nodes = try JSONDecoder().decode(NodesReport.self, from: Data(result.stdout.utf8))
            return (nodes.nodes.first?.lastPollMillis ?? 0) > afterPreRelease
        }
        let during = try await alerts(daemon).alerts.filter { $0.kind == "version_behind" }
        #expect(during.count == 1 && during.first?.resolvedAtMillis == nil, "\(during)")
        #expect(during.first?.diagnosis == "running v24.9.0, latest release v99.0.0")

        server.serve(Self.release("v24.9.0"))
        try await daemon.waitUntil("version_behind resolves", timeout: 60) {
            try await alerts(daemon).alerts.first { $0.id == alert.id }?.resolvedAtMillis != nil
        }
        let report = try await alerts(daemon)
        #expect(report.alerts.filter { $0.kind == "version_behind" }.count == 1, "no duplicate alerts")
        #expect(report.pending.contains(PendingNotification(event: "fired", alertID: alert.id)))
        #expect(report.pending.contains(PendingNotification(event: "resolved", alertID: alert.id)))
        #expect(daemon.logText.contains("latest Nimbus release"))
        #expect(daemon.logText.contains("is a pre-release"), "the ignored pre-release is logged once, with why")
        _ = try await daemon.stop()
        simulator.stop()
    }

    /// A loopback HTTPS source with its own throwaway CA (`Oracles/tls_release_server.py`).
    final class TLSReleaseServer: @unchecked Sendable {
        let port: Int
        let caFile: URL
        let bodyFile: URL
        let requestsFile: URL
        private let process: Process

        init(directory: URL, body: String) throws {
            caFile = directory.appendingPathComponent("release-ca.pem")
            bodyFile = directory.appendingPathComponent("release.json")
            requestsFile = directory.appendingPathComponent("release-requests.txt")
            try body.write(to: bodyFile, atomically: true, encoding: .utf8)
            FileManager.default.createFile(atPath: requestsFile.path, contents: nil)
            let python = OraclePython.path
            try #require(FileManager.default.isExecutableFile(atPath: python),
                         "no Python at \(python): run scripts/oracles (CI does) or set NIMBUS_ORACLE_PYTHON")
            process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [
                ManagerSpec.repository.appendingPathComponent("Tests/DaemonTests/Oracles/tls_release_server.py").path,
                "--ca-out", caFile.path, "--body-file", bodyFile.path, "--requests-out", requestsFile.path,
                "--port-out", directory.appendingPathComponent("release-port.txt").path,
            ]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            // The port arrives in a file once the server listens (key generation takes a moment).
            let portFile = directory.appendingPathComponent("release-port.txt")
            let deadline = Date().addingTimeInterval(30)
            var text: String?
            while text == nil, Date() < deadline, process.isRunning {
                text = try? String(contentsOf: portFile, encoding: .utf8)
                if text == nil { usleep(50_000) }
            }
            port = try #require(text.flatMap { Int($0) }, "the TLS release server did not start")
        }

        /// Request heads received over TLS so far.
        var requests: [String] {
            ((try? String(contentsOf: requestsFile, encoding: .utf8)) ?? "").split(separator: "\u{1e}\n").map(String.init)
        }

        func stop() {
            guard process.isRunning else { return }
            // SIGKILL: the test runner's blocked signals are inherited, SIGTERM among them.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        deinit { stop() }
    }

    /// GitHub's source is https://: the installer fetches it over TLS (libcurl, OpenSSL) and the network role reads
    /// what it got. With `[releases] ca_file` naming the server's CA, `version_behind` fires from an HTTPS answer;
    /// without it, the system's trust store refuses the certificate, nothing is fetched (the server never sees a
    /// request) and the log says why.
    @Test func anHTTPSSourceIsFetchedOverTLSAndAnUntrustedOneIsRefused() async throws {
        try Privilege.requireRoot()
        let daemon = try Daemon(name: "release-https")
        let server = try TLSReleaseServer(directory: daemon.root, body: Self.release("v99.0.0"))
        defer { server.stop() }
        let simulator = try Simulator(root: daemon.root)
        simulator.extraArguments = ["--sim-version=24.9.0"]
        try simulator.start()
        defer { simulator.stop() }
        let url = "https://127.0.0.1:\(server.port)/repos/status-im/nimbus-eth2/releases/latest"
        func configure(caFile: URL?) throws -> URL {
            let config = daemon.root.appendingPathComponent("config.toml")
            try """
                [releases]
                url = "\(url)"
                poll_seconds = 1
                \(caFile.map { "ca_file = \"\($0.path)\"" } ?? "")

                [[nodes]]
                name = "sim"
                rest = "http://127.0.0.1:\(simulator.rest)"
                metrics = "http://127.0.0.1:\(simulator.metrics)"
                """.write(to: config, atomically: true, encoding: .utf8)
            return config
        }

        // Untrusted first: the handshake fails, so no HTTP request reaches the server.
        try await daemon.start(["--dev", "--config", try configure(caFile: nil).path, "--data-dir", daemon.dataDir.path,
                                "--policy-dir", Daemon.policyDir.path, "--waku-listen", "127.0.0.1:0"])
        try await daemon.waitUntil("the refused certificate is logged", timeout: 60) {
            daemon.logText.contains("cannot learn the latest Nimbus release")
        }
        let refusal = daemon.logText.split(separator: "\n").first { $0.contains("cannot learn the latest Nimbus release") }
        #expect(refusal?.contains("certificate") == true, "\(refusal ?? "")")
        #expect(server.requests.isEmpty)
        #expect(try await alerts(daemon).alerts.filter { $0.kind == "version_behind" }.isEmpty)
        _ = try await daemon.stop()

        // Trusted through [releases] ca_file: fetched over TLS, and the node is behind.
        try await daemon.start(["--dev", "--config", try configure(caFile: server.caFile).path, "--data-dir",
                                daemon.dataDir.path, "--policy-dir", Daemon.policyDir.path, "--waku-listen", "127.0.0.1:0"])
        var found: StoredAlert?
        try await daemon.waitUntil("version_behind fires from the HTTPS source", timeout: 60) {
            found = try await alerts(daemon).alerts.first { $0.kind == "version_behind" && $0.resolvedAtMillis == nil }
            return found != nil
        }
        #expect(found?.diagnosis == "running v24.9.0, latest release v99.0.0")
        let head = try #require(server.requests.first)
        #expect(head.hasPrefix("GET /repos/status-im/nimbus-eth2/releases/latest HTTP/1.1\n"), "\(head)")
        #expect(head.contains("User-Agent: nimbus-node-manager/"), "\(head)")
        #expect(head.contains("Accept: application/vnd.github+json"), "\(head)")
        #expect(!head.lowercased().contains("accept-encoding"), "no compressed answers asked for")
        _ = try await daemon.stop()
    }
}

extension Array where Element: Equatable {
    fileprivate func ends(with suffix: [Element]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}
