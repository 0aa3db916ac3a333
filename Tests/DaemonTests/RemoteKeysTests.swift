import Foundation
import NimbusAPI
import Testing

/// Key management from a paired device, end to end (docs/keys-channel.md): `nimbus remote keys` opens a keys channel
/// to the host's signer through its Waku session; mnemonics, passwords and keystores travel sealed between the two.
/// Checked from outside: what the remote wrote, what the host's own `nimbus keys` sees, the logs and databases.
@Suite(.serialized, .enabled(if: Privilege.shouldRun, "needs root; NIMBUS_TESTS_UNPRIVILEGED=1 was set"))
struct RemoteKeysTests {
    static let password = "remote keys password \u{00e9}"

    @Test func aPairedRemoteManagesTheHostsKeysThroughTheSigner() async throws {
        try Privilege.requireRoot()
        let daemon = try Daemon(name: "remote-keys")
        try await daemon.start(["--dev", "--data-dir", daemon.dataDir.path, "--policy-dir", Daemon.policyDir.path,
                                "--waku-listen", "127.0.0.1:0"])
        let socket = ["--socket", daemon.socket.path]
        let remoteDir = daemon.root.appendingPathComponent("remote")
        let invite = try PairingTests.Invite(socket: daemon.socket, configDir: remoteDir)
        let paired = try await PairingTests.nimbus(["pair", invite.code, "--name", "test host", "--json"] + socket)
        try #require(paired.status == 0, "\(paired.stderr)")
        #expect(await invite.finish().status == 0)
        let device = try JSONDecoder().decode(PairingTests.Device.self, from: Data(paired.stdout.utf8))
        let remote = ["--dev", "--config-dir", remoteDir.path] + socket

        // The remote pinned the signer's key beside the host's session key: two different keys.
        let hosts = try JSONSerialization.jsonObject(
            with: Data(contentsOf: remoteDir.appendingPathComponent("hosts.json"))) as? [[String: Any]]
        let signerKey = try #require(hosts?.first?["signerKey"] as? String)
        #expect(signerKey.count == 64 && signerKey != hosts?.first?["staticKey"] as? String)

        // A new mnemonic, shown on the remote only.
        let created = try await PairingTests.nimbus(["remote", "keys", "new-mnemonic", "--words", "12", "--non-interactive"] + remote)
        try #require(created.status == 0, "\(created.stderr)\n\(daemon.logText.suffix(2000))")
        let mnemonic = created.stdout.trimmingCharacters(in: .newlines)
        #expect(mnemonic.split(separator: " ").count == 12)

        // Keys generated from it: the remote gets the keystores and deposit data, the host's signer keeps them.
        let mnemonicFile = try KeysTests.secretFile(daemon.root, "mnemonic.txt", mnemonic)
        let passwordFile = try KeysTests.secretFile(daemon.root, "password.txt", Self.password)
        let out = daemon.root.appendingPathComponent("remote-out")
        let generated = try await PairingTests.nimbus(
            ["remote", "keys", "generate", "--count", "2", "--network", "hoodi", "--withdrawal-address", KeysTests.address,
             "--mnemonic-file", mnemonicFile, "--keystore-password-file", passwordFile, "--kdf", "pbkdf2",
             "--out", out.path, "--json"] + remote)
        try #require(generated.status == 0, "\(generated.stderr)\n\(daemon.logText.suffix(2000))")
        let files = try KeysTests.files(in: out)
        #expect(files.count == 3)
        let depositName = try #require(files.keys.first { $0.hasPrefix("deposit_data-") })
        let hostList = try await PairingTests.nimbus(["keys", "list", "--json"] + socket)
        let hostKeys = try JSONDecoder().decode([KeyInfo].self, from: Data(hostList.stdout.utf8))
        #expect(hostKeys.map(\.path) == ["m/12381/3600/0/0/0", "m/12381/3600/1/0/0"])
        #expect(hostKeys.allSatisfy { $0.source == "generated" })
        // The keystores the remote received hold the keys ethstaker-deposit derives from the mnemonic (the
        // independent check, as in KeysTests), and the deposit data is the file it makes.
        let network: [String: Any] = ["name": "hoodi", "fork_version": "10000910"]
        let timestamp = String(depositName.dropFirst("deposit_data-".count).dropLast(".json".count))
        let oracle = try KeysOracle.run([
            ["op": "keys", "mnemonic": mnemonic, "index": 0, "network": network],
            ["op": "decrypt", "keystore": files["keystore-m_12381_3600_0_0_0-\(timestamp).json"] ?? "", "password": Self.password],
            ["op": "deposits", "timestamp": Int(timestamp) ?? 0, "items": [0, 1].map {
                ["mnemonic": mnemonic, "index": $0, "network": network, "kind": "execution", "address": KeysTests.address,
                 "amount": 32_000_000_000] as [String: Any]
            }],
        ])
        #expect(oracle[1]["secret"] as? String == oracle[0]["signing_sk"] as? String)
        #expect("0x" + (oracle[0]["signing_pk"] as? String ?? "") == hostKeys.first?.pubkey)
        #expect(oracle[2]["contents"] as? String == files[depositName])

        // The same listing, from the remote.
        let listed = try await PairingTests.nimbus(["remote", "keys", "list", "--json"] + remote)
        #expect(try JSONDecoder().decode([KeyInfo].self, from: Data(listed.stdout.utf8)).map(\.pubkey) == hostKeys.map(\.pubkey))

        // Reached through the service node its own config.toml names (no --dev, no --waku-bootstrap).
        let address = try #require(try await WakuOfflineTests.wakuStatus(daemon).listenAddresses.first)
        try "[waku]\nbootstrap = [\"\(address)\"]\n".write(
            to: remoteDir.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        let configured = try await PairingTests.nimbus(["remote", "keys", "list", "--json", "--config-dir", remoteDir.path])
        #expect(configured.status == 0, "\(configured.stderr)")
        #expect(try JSONDecoder().decode([KeyInfo].self, from: Data(configured.stdout.utf8)).map(\.pubkey) == hostKeys.map(\.pubkey))

        // The deposit data verifies in the signer.
        let verified = try await PairingTests.nimbus(
            ["remote", "keys", "verify-deposit-data", out.appendingPathComponent(depositName).path, "--network", "hoodi"] + remote)
        #expect(verified.status == 0 && verified.stdout.contains("2 valid deposit(s)"), "\(verified.stderr)")

        // A top-up deposit for a held key, signed from its keystore in the signer: what ethstaker-deposit signs.
        let topUpDir = daemon.root.appendingPathComponent("top-up")
        let topUp = try await PairingTests.nimbus(
            ["remote", "keys", "deposit-data", hostKeys[1].pubkey, "--network", "hoodi", "--withdrawal-address",
             KeysTests.address, "--amount", "1000000000", "--keystore-password-file", passwordFile,
             "--out", topUpDir.path] + remote)
        try #require(topUp.status == 0, "\(topUp.stderr)")
        let topUpFiles = try KeysTests.files(in: topUpDir)
        let topUpName = try #require(topUpFiles.keys.first)
        let topUpTimestamp = Int(topUpName.dropFirst("deposit_data-".count).dropLast(".json".count)) ?? 0
        let topUpOracle = try KeysOracle.run([
            ["op": "deposits", "timestamp": topUpTimestamp, "items": [
                ["mnemonic": mnemonic, "index": 1, "network": network, "kind": "execution", "address": KeysTests.address,
                 "amount": 1_000_000_000] as [String: Any],
            ]],
        ])
        #expect(topUpOracle[0]["contents"] as? String == topUpFiles[topUpName])

        // Export, delete, import back.
        let pubkey = hostKeys[0].pubkey
        let exportDir = daemon.root.appendingPathComponent("exported")
        let exported = try await PairingTests.nimbus(["remote", "keys", "export", pubkey, "--out", exportDir.path] + remote)
        try #require(exported.status == 0, "\(exported.stderr)")
        let exportedPath = exported.stdout.trimmingCharacters(in: .newlines)
        let deleted = try await PairingTests.nimbus(["remote", "keys", "delete", pubkey, "--yes"] + remote)
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(!(try await PairingTests.nimbus(["keys", "list"] + socket)).stdout.contains(pubkey))
        let imported = try await PairingTests.nimbus(
            ["remote", "keys", "import", exportedPath, "--password-file", passwordFile] + remote)
        #expect(imported.status == 0 && imported.stdout.contains("imported \(pubkey)"), "\(imported.stderr)")
        #expect((try await PairingTests.nimbus(["keys", "list"] + socket)).stdout.contains(pubkey))

        // The signer logged each command with the device, by command and outcome (metadata in key order).
        try await daemon.waitUntil("the import is logged", timeout: 5) {
            daemon.logText.contains("msg=\"keys command\" command=import device=\(device.id) outcome=ok")
        }
        for command in ["new-mnemonic", "generate", "list", "verify-deposit-data", "deposit-data", "export", "delete"] {
            #expect(daemon.logText.contains("msg=\"keys command\" command=\(command) device=\(device.id) outcome=ok"))
        }

        // Revoked: the remote can no longer reach the signer.
        let revoked = try await PairingTests.nimbus(["devices", "revoke", "\(device.id)"] + socket)
        #expect(revoked.status == 0)
        let refused = try await PairingTests.nimbus(["remote", "keys", "list"] + remote)
        #expect(refused.status == 1)

        // No secret anywhere the daemon writes.
        _ = try await daemon.stop()
        var written = [daemon.log]
        if let walker = FileManager.default.enumerator(at: daemon.dataDir, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where !url.hasDirectoryPath { written.append(url) }
        }
        let firstWords = mnemonic.split(separator: " ").prefix(3).joined(separator: " ")
        for url in written {
            let bytes = try Data(contentsOf: url)
            #expect(bytes.range(of: Data(firstWords.utf8)) == nil, "mnemonic words in \(url.path)")
            #expect(bytes.range(of: Data(Self.password.utf8)) == nil, "password in \(url.path)")
        }
    }

    struct KeyInfo: Decodable {
        var pubkey: String
        var path: String
        var source: String
    }
}
