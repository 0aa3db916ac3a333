import Foundation
import Testing

/// The CLI's promises that need no daemon.
@Suite struct CLITests {
    @Test func anUnreachableDaemonIsOneClearLineAndAFailure() async throws {
        let socket = "/nonexistent-\(UUID().uuidString.prefix(6))/control.sock"
        let result = try await Daemon.run(try Daemon.executable("nimbus"), ["--socket", socket, "status"])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "nimbus: cannot reach the node manager at \(socket): is nimbus-node-manager running?\n")
    }

    @Test func roleExecutablesRefuseToRunByHand() async throws {
        for role in ["network", "signer", "installer"] {
            let result = try await Daemon.run(try Daemon.executable("nimbus-nm-\(role)"), [])
            #expect(result.status == 64)
            #expect(result.stderr == "nimbus-nm-\(role) is started by nimbus-node-manager and is not for direct use\n")
        }
    }

    @Test func systemModeWithoutRootPointsToDevMode() async throws {
        guard geteuid() == 0 else {
            let result = try await Daemon.run(try Daemon.executable("nimbus-node-manager"), [])
            #expect(result.status != 0)
            #expect(result.stderr.contains("--dev"))
            return
        }
        // As root, become an ordinary user for this check.
        let result = try await Daemon.run(
            URL(fileURLWithPath: "/usr/bin/setpriv"),
            ["--reuid=65534", "--regid=65534", "--clear-groups", "--", try Daemon.executable("nimbus-node-manager").path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("system mode needs root"))
        #expect(result.stderr.contains("--dev"))
    }
}
