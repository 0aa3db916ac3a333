import Foundation
import NimbusAPI
import Testing

/// Dev mode as an ordinary user: the same processes, every sandbox step that works without root.
@Suite(.serialized, .enabled(if: Privilege.shouldRun, "needs root to become an ordinary user; NIMBUS_TESTS_UNPRIVILEGED=1 was set"))
struct DevModeTests {
    @Test func startsAndStopsCleanlyAsAnOrdinaryUser() async throws {
        try Privilege.requireRoot()
        let daemon = try Daemon(name: "dev")
        // The ordinary user gets its own copy of the programs and policies: the build tree may not be readable
        // to it, and a user's dev instance is exactly that, a user's own copy.
        let bin = daemon.root.appendingPathComponent("bin")
        let policy = daemon.root.appendingPathComponent("policy")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for name in ["nimbus-node-manager", "nimbus-nm-network", "nimbus-nm-signer", "nimbus-nm-installer"] {
            try FileManager.default.copyItem(at: try Daemon.executable(name), to: bin.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: Daemon.policyDir, to: policy)
        let user: UInt32 = 65534
        for path in [daemon.root.path, daemon.root.appendingPathComponent("run").path] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            #expect(chown(path, user, user) == 0)
        }
        try await daemon.start(
            ["--dev", "--data-dir", daemon.dataDir.path, "--policy-dir", policy.path, "--waku-listen", "127.0.0.1:0"],
            executable: bin.appendingPathComponent("nimbus-node-manager"),
            wrapper: ["/usr/bin/setpriv", "--reuid=\(user)", "--regid=\(user)", "--clear-groups", "--"])

        let report = try await daemon.status()
        #expect(report.mode == "dev")
        for role in report.roles {
            let facts = try ProcFacts(pid: try #require(role.pid))
            #expect(facts.uid == user, "\(role.role) runs as the invoking user")
            #expect(facts.seccomp == 2, "\(role.role) has its seccomp filter")
            #expect(facts.noNewPrivs == 1)
            #expect(facts.capEff == 0)
        }
        #expect(report.signer?.schemaVersion == 5)
        #expect(report.installer?.schemaVersion == 2)
        // The daemon said at start what is and is not in force.
        #expect(daemon.logText.contains("dev mode: roles keep this user's identity"))
        #expect(daemon.logText.contains("msg=\"role sandboxed and ready\" child=signer"))

        // The embedded Waku service node: its full multiaddr, with the peer id it keeps across restarts.
        let waku = try await Daemon.run(
            try Daemon.executable("nimbus"), ["--socket", daemon.socket.path, "waku", "status", "--json"])
        #expect(waku.status == 0, "\(waku.stderr)")
        let wakuReport = try JSONDecoder().decode(WakuStatusReport.self, from: Data(waku.stdout.utf8))
        #expect(wakuReport.mode == "service")
        // A secp256k1 key is 33 bytes in an identity multihash: "16Uiu2HA" then k or m depending on the key.
        #expect(wakuReport.peerID.hasPrefix("16Uiu2HA"), "a secp256k1 peer id")
        #expect(wakuReport.listenAddresses.count == 1)
        #expect(wakuReport.listenAddresses.first?.hasPrefix("/ip4/127.0.0.1/tcp/") == true)
        #expect(wakuReport.listenAddresses.first?.hasSuffix("/p2p/\(wakuReport.peerID)") == true)
        #expect(wakuReport.shards.count == 8)
        #expect(wakuReport.storedMessages == 0)

        let (status, seconds) = try await daemon.stop()
        #expect(status == 0)
        #expect(seconds < 10)
        #expect(daemon.logText.contains("msg=\"all roles stopped\""))
        // No role died on the way out (a seccomp kill at exit would show as SIGSYS).
        #expect(!daemon.logText.contains("SIGSYS"))
        #expect(!daemon.logText.contains("level=critical"))
    }
}
