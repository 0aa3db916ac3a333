import Foundation
import NimbusHTTPClient
import Testing

/// `nimbus pair --qr ... --qr-message-nametag ...` end to end (43/WAKU2-DEVICE-PAIRING): `nimbus remote invite --qr`
/// plays the GUI's `@waku/noise` side through the daemon's loopback Waku service node; the network role runs the
/// host's handshake with its session key; the person types the code the device shows. A wrong code pins nothing; the
/// right one pairs, the signer lists the device as `waku-noise`, and the remote then calls the node through an
/// ordinary session.
@Suite(.serialized, .enabled(if: Privilege.shouldRun, "needs root; NIMBUS_TESTS_UNPRIVILEGED=1 was set"))
struct WakuDevicePairingTests {
    /// A running `nimbus remote invite --qr`, with the QR string and nametag it printed.
    final class QRInvite: @unchecked Sendable {
        let cli: CLIProcess
        let qr: String
        let nametag: String

        init(socket: URL, configDir: URL, timeout: Int) throws {
            cli = try CLIProcess(["remote", "invite", "--qr", "--dev", "--socket", socket.path, "--config-dir",
                                  configDir.path, "--timeout", "\(timeout)"])
            qr = try cli.line("qr: ")
            nametag = try cli.line("nametag: ")
        }

        func field(_ prefix: String) throws -> String { try cli.line(prefix) }
        func finish() async -> (status: Int32, stdout: String, stderr: String) { await cli.finish() }
    }

    struct Device: Decodable {
        var id: Int64
        var name: String
        var staticKey: String
        var revokedAt: String?
        var method: String?
    }

    @Test func theRightCodePairsAWrongOnePinsNothingAndThePairedDeviceCallsTheNode() async throws {
        try Privilege.requireRoot()
        let daemon = try Daemon(name: "waku-pair")
        let simulator = try MonitoringTests.Simulator(root: daemon.root)
        try simulator.start()
        defer { simulator.stop() }
        let config = daemon.root.appendingPathComponent("config.toml")
        try """
            [[nodes]]
            name = "sim"
            rest = "http://127.0.0.1:\(simulator.rest)"
            """.write(to: config, atomically: true, encoding: .utf8)
        try await daemon.start(["--dev", "--config", config.path, "--data-dir", daemon.dataDir.path,
                                "--policy-dir", Daemon.policyDir.path, "--waku-listen", "127.0.0.1:0"])
        let socket = ["--socket", daemon.socket.path]
        let remoteDir = daemon.root.appendingPathComponent("remote")

        // A wrong code: refused on the host, nothing pinned; the device never gets message 3.
        let first = try QRInvite(socket: daemon.socket, configDir: remoteDir, timeout: 8)
        let wrong = try await daemon.cli(["pair", "--qr", first.qr, "--qr-message-nametag", first.nametag,
                                          "--auth-code", "0000 0000"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("the codes differ: pairing cancelled, nothing was pinned"), "\(wrong.stderr)")
        let firstRemote = await first.finish()
        #expect(firstRemote.status == 1)
        #expect(firstRemote.stderr.contains("no host paired within 8 s"), "\(firstRemote.stderr)")
        let none = try await daemon.cli(["devices", "--json"])
        #expect(try JSONDecoder().decode([Device].self, from: Data(none.stdout.utf8)).isEmpty)

        // Malformed input is refused with the reason, before anything is published.
        let malformed = try await daemon.cli(["pair", "--qr", "not:a:qr", "--qr-message-nametag", first.nametag,
                                              "--auth-code", "1"])
        #expect(malformed.status == 1)
        #expect(!malformed.stderr.isEmpty)

        // The right code, typed by the person when asked.
        let invite = try QRInvite(socket: daemon.socket, configDir: remoteDir, timeout: 60)
        let pair = Process()
        pair.executableURL = try Daemon.executable("nimbus")
        pair.arguments = ["pair", "--qr", invite.qr, "--qr-message-nametag", invite.nametag, "--device-name",
                          "test gui"] + socket
        let input = Pipe()
        let pairOut = Pipe()
        let pairErr = Pipe()
        pair.standardInput = input
        pair.standardOutput = pairOut
        pair.standardError = pairErr
        try pair.run()
        let code = try invite.field("auth code: ")
        #expect(code.count == 8 && code.allSatisfy(\.isNumber))
        input.fileHandleForWriting.write(Data("\(code.prefix(4)) \(code.dropFirst(4))\n".utf8))
        let (pairStatus, pairStdout, pairStderr) = await withCheckedContinuation { continuation in
            Thread {
                let out = pairOut.fileHandleForReading.readDataToEndOfFile()
                let err = pairErr.fileHandleForReading.readDataToEndOfFile()
                pair.waitUntilExit()
                continuation.resume(returning: (pair.terminationStatus, String(decoding: out, as: UTF8.self),
                                                String(decoding: err, as: UTF8.self)))
            }.start()
        }
        #expect(pairStatus == 0, "\(pairStderr)\n\(daemon.logText.suffix(3000))")
        #expect(pairStderr.contains("This host shows the code  \(code.prefix(4)) \(code.dropFirst(4))"))
        #expect(pairStdout.contains("paired with \"test gui\""), "\(pairStdout)")
        #expect(pairStdout.contains("waku-noise"))
        let remote = await invite.finish()
        #expect(remote.status == 0, "\(remote.stderr)")
        #expect(remote.stdout.contains("paired with"))

        // The signer lists it as vouched for by the network role; both sides pinned the real keys.
        let devices = try JSONDecoder().decode([Device].self, from: Data(try await daemon.cli(["devices", "--json"]).stdout.utf8))
        #expect(devices.map(\.name) == ["test gui"])
        #expect(devices.first?.method == "waku-noise")
        let remoteKey = try Data(contentsOf: remoteDir.appendingPathComponent("identity.key"))
        let hosts = try JSONDecoder().decode([[String: String]].self,
                                             from: Data(contentsOf: remoteDir.appendingPathComponent("hosts.json")))
        #expect(hosts.count == 1)
        #expect(devices.first?.staticKey.count == 64 && remoteKey.count == 32)

        // An ordinary session follows: the node's answer through Waku is the node's answer.
        let remoteArguments = ["--dev", "--config-dir", remoteDir.path] + socket
        let client = HTTPClient()
        defer { client.shutdown() }
        let direct = try await client.request(.GET, "/eth/v1/node/version", at: .tcp(host: "127.0.0.1", port: simulator.rest))
        try await daemon.waitUntil("the paired device is admitted", timeout: 20) {
            let version = try await Daemon.run(try Daemon.executable("nimbus"),
                                               ["remote", "call", "--timeout", "5", "GET", "/eth/v1/node/version"] + remoteArguments)
            return version.status == 0
                && version.stdout.trimmingCharacters(in: .newlines) == String(decoding: direct.body, as: UTF8.self)
        }
        // A paired device cannot pair others: the pairing routes answer only on the host's own socket.
        let remotePair = try await Daemon.run(
            try Daemon.executable("nimbus"),
            ["remote", "call", "POST", "/v1/pairing/waku", "--data", #"{"qr":"x","qr_message_nametag":"00"}"#]
                + remoteArguments)
        #expect(remotePair.stdout.contains("pairing is only possible on the host itself")
                    || remotePair.stderr.contains("pairing is only possible on the host itself"),
                "\(remotePair.stdout) \(remotePair.stderr)")
        _ = try await daemon.stop()
        #expect(!daemon.logText.contains(code), "the auth code is not logged")
    }
}
