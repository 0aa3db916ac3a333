import Foundation
import NimbusAPI
import NimbusHTTPClient
import Testing
import NimbusTestSupport

/// `nimbus keys` end to end: the CLI, the network role handing the connection over, the signer in its sandbox,
/// its database; and `--offline`, where the CLI starts a sandboxed signer of its own. Results are checked against
/// ethstaker-deposit 1.3.1 (the oracle script of NimbusKeysTests, run with the repository's .venv).
@Suite(.serialized, .enabled(if: Privilege.shouldRun, "needs root; NIMBUS_TESTS_UNPRIVILEGED=1 was set"))
struct KeysTests {
    static let address = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    static let password = "keys-e2e password \u{00e9}"

    /// Writes a secret file readable by everyone (these are test secrets; uid 65534 reads them in one test).
    static func secretFile(_ directory: URL, _ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
        chmod(url.path, 0o644)
        return url.path
    }

    static func nimbus(_ arguments: [String], as user: [String] = []) async throws -> Daemon.Result {
        let cli = try Daemon.executable("nimbus")
        if user.isEmpty { return try await Daemon.run(cli, arguments) }
        return try await Daemon.run(URL(fileURLWithPath: "/usr/bin/setpriv"), user + ["--", cli.path] + arguments)
    }

    static func files(in directory: URL) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            out[name] = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        }
        return out
    }

    @Test func keysMadeThroughTheDaemonMatchEthstakerAndNoSecretLeaves() async throws {
        try Privilege.requireRoot()
        let daemon = try Daemon(name: "keys")
        try await daemon.start(["--data-dir", daemon.dataDir.path, "--policy-dir", Daemon.policyDir.path])
        let socket = ["--socket", daemon.socket.path]

        // A fresh mnemonic from the signer, printed for a script.
        let created = try await Self.nimbus(["keys", "new-mnemonic", "--non-interactive"] + socket)
        #expect(created.status == 0, "\(created.stderr)")
        let mnemonic = created.stdout.trimmingCharacters(in: .newlines)
        #expect(mnemonic.split(separator: " ").count == 24)

        let mnemonicFile = try Self.secretFile(daemon.root, "mnemonic.txt", mnemonic)
        let passwordFile = try Self.secretFile(daemon.root, "password.txt", Self.password)
        let out = daemon.root.appendingPathComponent("validator_keys")
        let generated = try await Self.nimbus(
            ["keys", "generate", "--count", "2", "--start-index", "3", "--network", "hoodi", "--withdrawal-address",
             Self.address, "--compounding", "--amount", "40000000000", "--mnemonic-file", mnemonicFile,
             "--keystore-password-file", passwordFile, "--out", out.path] + socket)
        #expect(generated.status == 0, "\(generated.stderr)")
        let files = try Self.files(in: out)
        let depositName = try #require(files.keys.first { $0.hasPrefix("deposit_data-") })
        let timestamp = try #require(Int(depositName.dropFirst("deposit_data-".count).dropLast(".json".count)))
        #expect(Set(files.keys) == [
            depositName, "keystore-m_12381_3600_3_0_0-\(timestamp).json", "keystore-m_12381_3600_4_0_0-\(timestamp).json",
        ])

        // ethstaker-deposit's own deposit data file for the same inputs is byte-identical.
        let network: [String: Any] = ["name": "hoodi", "fork_version": "10000910"]
        let items: [[String: Any]] = [3, 4].map {
            ["mnemonic": mnemonic, "index": $0, "network": network, "kind": "compounding", "address": Self.address,
             "amount": 40_000_000_000]
        }
        let oracle = try KeysOracle.run([
            ["op": "deposits", "items": items, "timestamp": timestamp],
            ["op": "keys", "mnemonic": mnemonic, "index": 3, "network": network],
            ["op": "keys", "mnemonic": mnemonic, "index": 4, "network": network],
            ["op": "decrypt", "keystore": files["keystore-m_12381_3600_3_0_0-\(timestamp).json"]!, "password": Self.password],
            ["op": "decrypt", "keystore": files["keystore-m_12381_3600_4_0_0-\(timestamp).json"]!, "password": Self.password],
        ])
        #expect(oracle[0]["contents"] as? String == files[depositName])
        // ethstaker's keystore code decrypts ours to the keys it derives itself.
        #expect(oracle[3]["secret"] as? String == oracle[1]["signing_sk"] as? String)
        #expect(oracle[4]["secret"] as? String == oracle[2]["signing_sk"] as? String)

        // The signer holds them; export gives back the same keystore; delete and import round-trip.
        let listed = try await Self.nimbus(["keys", "list", "--json"] + socket)
        let keys = try JSONDecoder().decode([ListedKey].self, from: Data(listed.stdout.utf8))
        #expect(keys.map(\.path) == ["m/12381/3600/3/0/0", "m/12381/3600/4/0/0"])
        #expect(keys.allSatisfy { $0.source == "generated" })
        let pubkey = keys[0].pubkey
        #expect("0x" + (oracle[1]["signing_pk"] as? String ?? "") == pubkey)
        // The manager API lists the same keys (public facts only), as docs/api/manager.yaml describes.
        let client = HTTPClient()
        defer { client.shutdown() }
        let api = try await client.request(.GET, "/v1/keys", at: .unix(path: daemon.socket.path))
        let apiKeys = try JSONDecoder().decode(KeysReport.self, from: Data(api.body)).keys
        #expect(apiKeys.map(\.pubkey) == keys.map(\.pubkey))
        #expect(apiKeys.map(\.path) == keys.map(\.path))
        try await ManagerSpec.validate(socket: daemon.socket, paths: ["/v1/keys"])
        let exportDir = daemon.root.appendingPathComponent("export")
        let exported = try await Self.nimbus(["keys", "export", pubkey, "--out", exportDir.path] + socket)
        #expect(exported.status == 0, "\(exported.stderr)")
        let exportedFiles = try Self.files(in: exportDir)
        #expect(exportedFiles.values.first == files["keystore-m_12381_3600_3_0_0-\(timestamp).json"])
        let deleted = try await Self.nimbus(["keys", "delete", pubkey, "--yes"] + socket)
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let exportedPath = exportDir.appendingPathComponent(try #require(exportedFiles.keys.first)).path
        let wrong = try Self.secretFile(daemon.root, "wrong.txt", "not the password")
        let refused = try await Self.nimbus(["keys", "import", exportedPath, "--password-file", wrong] + socket)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("wrong password") && refused.stderr.contains("nothing was imported"))
        let imported = try await Self.nimbus(["keys", "import", exportedPath, "--password-file", passwordFile] + socket)
        #expect(imported.stdout == "imported \(pubkey)\n", "\(imported.stderr)")

        // The deposit data verifies for its network only.
        let depositPath = out.appendingPathComponent(depositName).path
        let verified = try await Self.nimbus(["keys", "verify-deposit-data", depositPath, "--network", "hoodi"] + socket)
        #expect(verified.status == 0 && verified.stdout.hasPrefix("\(depositPath): 2 valid deposit(s) for hoodi"))
        let mainnet = try await Self.nimbus(["keys", "verify-deposit-data", depositPath, "--network", "mainnet"] + socket)
        #expect(mainnet.status == 1 && mainnet.stderr.contains("fork version 0x10000910"))

        // Only root and the control group reach the keys; the signer checks the group itself.
        let outsider = try await Self.nimbus(["keys", "list"] + socket, as: ["--reuid=65534", "--regid=65534", "--clear-groups"])
        #expect(outsider.status == 1)
        #expect(outsider.stderr.contains("permission denied") && outsider.stderr.contains("keys.sock"))
        let group = try Privilege.account("nimbus-nm").gid
        let member = try await Self.nimbus(["keys", "list"] + socket, as: ["--reuid=65534", "--regid=65534", "--groups=\(group)"])
        #expect(member.status == 0 && member.stdout.contains(pubkey), "\(member.stderr)")

        // The sessions are in the logs by command and outcome; the secrets are nowhere the daemon writes.
        try await daemon.waitUntil("the import is logged", timeout: 5) {
            daemon.logText.contains("msg=\"keys command\" command=import outcome=ok")
        }
        #expect(daemon.logText.contains("msg=\"keys command\" command=generate outcome=ok"))
        #expect(daemon.logText.contains("msg=\"keys command\" command=import outcome=wrong_password"))
        _ = try await daemon.stop()
        let firstWords = mnemonic.split(separator: " ").prefix(3).joined(separator: " ")
        var written = [daemon.log]
        if let walker = FileManager.default.enumerator(at: daemon.dataDir, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where !url.hasDirectoryPath { written.append(url) }
        }
        #expect(written.count > 4)
        for url in written {
            let bytes = try Data(contentsOf: url)
            #expect(bytes.range(of: Data(firstWords.utf8)) == nil, "mnemonic words in \(url.path)")
            #expect(bytes.range(of: Data(Self.password.utf8)) == nil, "password in \(url.path)")
        }
    }

    @Test func theOfflineSignerIsASandboxedChildWithoutNetwork() async throws {
        try Privilege.requireRoot()
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nm-offline-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let process = Process()
        process.executableURL = try Daemon.executable("nimbus")
        process.arguments = ["keys", "new-mnemonic", "--offline", "--offline-dir", root.appendingPathComponent("store").path]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // While the person reads the mnemonic, the signer child is alive: look at it from outside.
        var child: Int32?
        let deadline = Date().addingTimeInterval(10)
        while child == nil && Date() < deadline {
            child = Self.children(of: process.processIdentifier).first
            if child == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let pid = try #require(child, "the offline signer child did not appear")
        try await Task.sleep(for: .milliseconds(300))
        let facts = try ProcFacts(pid: pid)
        #expect(facts.seccomp == 2)
        #expect(facts.noNewPrivs == 1)
        #expect(facts.capEff == 0)
        #expect(facts.netNamespace != (try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")))
        let comm = try String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)
        #expect(comm.hasPrefix("nimbus-nm-signe"))

        // The person reads the words (numbered, on the terminal's stream), presses Enter and types them back.
        var shown = Data()
        let reader = errors.fileHandleForReading
        while !String(decoding: shown, as: UTF8.self).contains("Press Enter") {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            shown.append(chunk)
        }
        let words = String(decoding: shown, as: UTF8.self).split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: " ")
            guard parts.count == 2, parts[0].hasSuffix("."), Int(parts[0].dropLast()) != nil else { return nil }
            return String(parts[1])
        }
        #expect(words.count == 24)
        input.fileHandleForWriting.write(Data(("\n" + words.joined(separator: " ") + "\n").utf8))
        try input.fileHandleForWriting.close()
        let rest = reader.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(String(decoding: rest, as: UTF8.self))")
        let confirmation = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(confirmation.hasPrefix("Mnemonic confirmed."))
        // The screen was cleared after the words were shown.
        #expect(String(decoding: rest, as: UTF8.self).contains("\u{1B}[2J"))
    }

    @Test func anUnprivilegedPersonGeneratesOfflineInAUserNamespace() async throws {
        try Privilege.requireRoot()
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nm-offline-user-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        chown(root.path, 65534, 65534)
        let mnemonic = "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth "
            + "useful legal winner thank year wave sausage worth title"
        let mnemonicFile = try Self.secretFile(root, "m.txt", mnemonic)
        let passwordFile = try Self.secretFile(root, "p.txt", Self.password)
        let out = root.appendingPathComponent("out")
        let result = try await Self.nimbus(
            ["keys", "generate", "--offline", "--offline-dir", root.appendingPathComponent("store").path, "--count", "1",
             "--network", "sepolia", "--withdrawal-address", Self.address, "--mnemonic-file", mnemonicFile,
             "--keystore-password-file", passwordFile, "--kdf", "pbkdf2", "--out", out.path],
            as: ["--reuid=65534", "--regid=65534", "--clear-groups"])
        #expect(result.status == 0, "\(result.stderr)")
        // The child got its own user and network namespaces. Unprivileged, only the bounding set stays as it was
        // (dropping it needs CAP_SETPCAP; with no_new_privs nothing can be gained from it anyway).
        let notInForce = result.stderr.split(separator: "\n").first { $0.hasPrefix("offline signer: not in force:") }
        if let notInForce {
            #expect(notInForce.hasPrefix("offline signer: not in force: bounding-set (") && !notInForce.contains(";"),
                    "\(notInForce)")
        }
        #expect(!result.stderr.contains("without its own network namespace"), "\(result.stderr)")
        let files = try Self.files(in: out)
        let keystore = try #require(files.first { $0.key.hasPrefix("keystore-") }?.value)
        #expect(keystore.contains("\"function\": \"pbkdf2\""))
        let oracle = try KeysOracle.run([
            ["op": "keys", "mnemonic": mnemonic, "index": 0, "network": ["name": "sepolia", "fork_version": "90000069"]],
            ["op": "decrypt", "keystore": keystore, "password": Self.password],
        ])
        #expect(oracle[1]["secret"] as? String == oracle[0]["signing_sk"] as? String)
    }

    /// Pids whose parent is `parent`.
    static func children(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
            return status.split(separator: "\n").contains { $0 == "PPid:\t\(parent)" }
        }
    }
}

struct ListedKey: Decodable {
    var pubkey: String
    var path: String
    var source: String
}

/// Runs NimbusKeysTests' ethstaker-deposit oracle script (`op` requests in, responses out). Missing Python or
/// packages fail the test with the fix: these comparisons are the point, so they never skip.
enum KeysOracle {
    static func run(_ requests: [[String: Any]]) throws -> [[String: Any]] {
        let answer = try OraclePython.json("Tests/NimbusKeysTests/Oracles/ethstaker_oracle.py", ["requests": requests])
        let root = try #require(answer as? [String: Any], "oracle output")
        let responses = try #require(root["responses"] as? [[String: Any]])
        for response in responses {
            if let error = response["error"] as? String { Issue.record("oracle: \(error)") }
        }
        return responses
    }
}
