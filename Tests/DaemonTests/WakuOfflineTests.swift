import Foundation
import NimbusAPI
import Testing

/// "Offline, the node keeps retrying quietly and reports the state", end to end with two daemons: A is a Waku light
/// client whose only bootstrap peer is B's Waku service node. While B is down, A reports B's address backing off with
/// a growing count of failed attempts and logs one warning; once B is back (same data directory, so the same
/// identity and peer id, on the same port), A connects, reports healthy with B as a peer, and logs one notice.
@Suite(.serialized, .enabled(if: Privilege.shouldRun, "needs root; NIMBUS_TESTS_UNPRIVILEGED=1 was set"))
struct WakuOfflineTests {
    @Test func clientRetriesAnOfflineBootstrapPeerQuietlyAndReconnects() async throws {
        try Privilege.requireRoot()
        // B first, only to learn its full multiaddr (its identity key is created at first start and kept).
        let serviceDaemon = try Daemon(name: "waku-b")
        let port = Self.freePort()
        let serviceArguments = [
            "--dev", "--data-dir", serviceDaemon.dataDir.path, "--policy-dir", Daemon.policyDir.path,
            "--waku-listen", "127.0.0.1:\(port)",
        ]
        try await serviceDaemon.start(serviceArguments)
        let first = try await Self.wakuStatus(serviceDaemon)
        #expect(first.mode == "service")
        let address = try #require(first.listenAddresses.first)
        #expect(address == "/ip4/127.0.0.1/tcp/\(port)/p2p/\(first.peerID)")
        #expect(try await serviceDaemon.stop().status == 0)

        // A, a light client in dev mode, bootstrapping from B only.
        let client = try Daemon(name: "waku-a")
        let config = client.root.appendingPathComponent("config.toml")
        try """
            [waku]
            mode = "client"
            bootstrap = ["\(address)"]
            """.write(to: config, atomically: true, encoding: .utf8)
        try await client.start([
            "--dev", "--config", config.path, "--data-dir", client.dataDir.path, "--policy-dir", Daemon.policyDir.path,
        ])
        var report = try await Self.wakuStatus(client)
        #expect(report.mode == "client")
        #expect(report.listenAddresses.isEmpty)

        // Offline: the address backs off, failures accumulate, and the node says why.
        try await client.waitUntil("three failed dials of B", timeout: 60) {
            (try await Self.wakuStatus(client).dialTargets.first?.failedAttempts ?? 0) >= 3
        }
        report = try await Self.wakuStatus(client)
        #expect(report.status == "disconnected")
        #expect(report.peers.isEmpty)
        let offline = try #require(report.dialTargets.first)
        #expect(report.dialTargets.count == 1)
        #expect(offline.address == address)
        #expect(offline.source == "bootstrap")
        #expect(offline.peerID == nil, "never connected yet")
        #expect(offline.lastError?.isEmpty == false)
        if offline.state == "backing_off" {
            #expect((offline.nextAttemptInSeconds ?? -1) >= 0)
        } else {
            #expect(offline.state == "connecting", "between two attempts or during one, nothing else")
        }
        let text = try await Daemon.run(
            try Daemon.executable("nimbus"), ["--socket", client.socket.path, "waku", "status"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("mode: client, disconnected"))
        #expect(text.stdout.contains("\(address) (bootstrap): "))
        #expect(text.stdout.contains("failed attempts"))

        // Quiet: one warning for the outage, and no other line about B however many attempts were made.
        let offlineLog = client.logText
        #expect(Self.lines(in: offlineLog, containing: "waku peer unreachable").count == 1)
        #expect(Self.lines(in: offlineLog, containing: address).count == 1, "\(offlineLog)")
        #expect(Self.lines(in: offlineLog, containing: "level=warning").filter { $0.contains("waku") }.count == 1)

        // B comes back with the same identity on the same port; A reconnects on its own.
        try await serviceDaemon.start(serviceArguments)
        #expect(try await Self.wakuStatus(serviceDaemon).peerID == first.peerID)
        try await client.waitUntil("A connected to B and healthy", timeout: 120) {
            try await Self.wakuStatus(client).status == "healthy"
        }
        report = try await Self.wakuStatus(client)
        #expect(report.peers.map(\.peerID) == [first.peerID])
        let peer = try #require(report.peers.first)
        #expect(peer.metadataVerified)
        for protocolID in [
            "/vac/waku/lightpush/3.0.0", "/vac/waku/filter-subscribe/2.0.0-beta1", "/vac/waku/store-query/3.0.0",
        ] {
            #expect(peer.protocols.contains(protocolID), "B serves \(protocolID)")
        }
        let online = try #require(report.dialTargets.first)
        #expect(online.state == "connected")
        #expect(online.failedAttempts == 0)
        #expect(online.lastError == nil)
        #expect(online.nextAttemptInSeconds == nil)
        #expect(online.peerID == first.peerID)
        // B sees A too.
        try await serviceDaemon.waitUntil("B lists A as a peer", timeout: 30) {
            try await Self.wakuStatus(serviceDaemon).peers.contains { $0.peerID == report.peerID }
        }

        let onlineLog = client.logText
        let notices = Self.lines(in: onlineLog, containing: "waku peer reachable again")
        #expect(notices.count == 1)
        #expect(notices.first?.contains("level=notice") == true)
        #expect(notices.first?.contains("failed_attempts=") == true)
        #expect(Self.lines(in: onlineLog, containing: "waku peer unreachable").count == 1)

        #expect(try await client.stop().status == 0)
        #expect(try await serviceDaemon.stop().status == 0)
        #expect(!client.logText.contains("level=critical"))
    }

    static func wakuStatus(_ daemon: Daemon) async throws -> WakuStatusReport {
        let result = try await Daemon.run(
            try Daemon.executable("nimbus"), ["--socket", daemon.socket.path, "waku", "status", "--json"])
        guard result.status == 0 else {
            throw DaemonError("nimbus waku status failed: \(result.stderr)\ndaemon log:\n\(daemon.logText.suffix(4000))")
        }
        return try JSONDecoder().decode(WakuStatusReport.self, from: Data(result.stdout.utf8))
    }

    static func lines(in log: String, containing text: String) -> [Substring] {
        log.split(separator: "\n").filter { $0.contains(text) }
    }

    /// A loopback port nothing listens on now (the kernel's choice, released at once).
    static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
