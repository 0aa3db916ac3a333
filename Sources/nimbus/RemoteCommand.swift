import ArgumentParser
import Crypto
import Foundation
import Logging
import NimbusAPI
import NimbusConfig
import NimbusHex
import NimbusLibp2p
import NimbusPairing
import NimbusRemote
import NimbusSession
import NimbusWaku

/// `nimbus remote ...`: the GUI's stand-in and a headless remote client, run by an ordinary user on another machine.
/// It keeps its key and the hosts it paired with in its own config directory and reaches hosts only over Waku.
struct RemoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote", abstract: "A remote client of node managers, over Waku (the GUI's stand-in).",
        subcommands: [Invite.self, Hosts.self, Call.self, Events.self, Alerts.self, Devices.self, Keys.self])

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "invite", abstract: "Show a pairing code and wait for a host to run `nimbus pair <code>`.")

        @OptionGroup var options: RemoteOptions

        @Option(name: .long, help: "The name hosts will know this client by (default: nimbus remote on <host name>).")
        var name: String?

        @Option(name: .long, help: "How long the code stays valid, in seconds (default 600).")
        var timeout: Int = 600

        @Flag(name: .long, help: "Show a 43/WAKU2-DEVICE-PAIRING QR string and nametag instead (for `nimbus pair --qr`).")
        var qr = false

        func run() async {
            await reportingErrors { qr ? try await inviteByQR(options: options, timeout: timeout) : try await body() }
        }

        private func body() async throws {
            let store = try RemoteStore(directory: options.configDirectory)
            let identity = try PairingIdentity(
                staticKey: try store.publicKey(), name: name ?? "nimbus remote on \(ProcessInfo.processInfo.hostName)")
            let node = try await options.startNode()
            defer { Task { await node.stop() } }
            let code = PairingCode.generate()
            let messages = await node.subscribe(contentTopics: [code.contentTopic])
            try await options.waitForSubscription(node, topic: code.contentTopic)
            // Written straight to the descriptor: a script (or the GUI's wrapper) reads the code from a pipe while
            // this keeps running, and print() would hold it in stdio's buffer.
            FileHandle.standardOutput.write(Data("code: \(code.displayText)\n".utf8))
            FileHandle.standardError.write(Data("On the host, run: nimbus pair \(code.displayText)\n".utf8))
            var device = try PairingDevice(code: code, identity: identity)
            // One stream of events: messages on the topic, then nil when the code expires.
            let (events, stop) = expiring(messages, after: timeout)
            defer { stop() }
            var iterator = events.makeAsyncIterator()
            while true {
                switch device.state {
                case .paired(let host):
                    try store.pin(host)
                    FileHandle.standardOutput.write(Data("paired with \"\(host.name)\"\n".utf8))
                    return
                case .failed(let failure):
                    throw CLIError(description: "pairing failed: \(failure)")
                case .waiting, .awaitingConfirm, .awaitingDone:
                    break
                }
                guard let event = await iterator.next(), let message = event else {
                    device.timedOut()
                    continue
                }
                guard let frame = try? PairingFrame.decode(message.payload) else { continue }
                for out in device.receive(frame) {
                    try await node.publish(contentTopic: code.contentTopic, payload: out.encoded())
                }
            }
        }
    }

    struct Hosts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hosts", abstract: "The hosts this client paired with.")

        @OptionGroup var options: RemoteOptions

        @Flag(name: .long, help: "Print the stable JSON form.")
        var json = false

        func run() async { await reportingErrors(body) }

        private func body() async throws {
            let hosts = try RemoteStore(directory: options.configDirectory).hosts()
            if json {
                print(JSONOutput.pretty(hosts))
                return
            }
            if hosts.isEmpty { print("no paired hosts; pair with `nimbus remote invite`") }
            for host in hosts {
                let signer = host.signerKey.map { "  signer key \($0)" } ?? ""
                print("\(host.name)  key \(host.staticKey)\(signer)  paired \(host.pairedAt)")
            }
        }
    }
}

/// Where a remote client keeps its state and how it reaches the Waku network.
struct RemoteOptions: ParsableArguments {
    @Option(name: .long, help: "Config directory (default: $XDG_CONFIG_HOME/nimbus-remote, else ~/.config/nimbus-remote).")
    var configDir: String?

    @Option(name: .long, help: "A Waku service node's multiaddr, with /p2p/<peer id> (repeatable; default: [waku] bootstrap of config.toml in the config directory, else The Waku Network's fleet).")
    var wakuBootstrap: [String] = []

    @Flag(name: .long, help: "Use the local dev daemon's Waku node (its control socket: --socket, or ./.nimbus-dev).")
    var dev = false

    @OptionGroup var connection: ConnectionOptions

    var configDirectory: String {
        if let configDir { return configDir }
        let environment = ProcessInfo.processInfo.environment
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/nimbus-remote" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/nimbus-remote"
    }

    /// The service nodes to reach hosts through: `--waku-bootstrap`, else `[waku] bootstrap` of `config.toml` in the
    /// config directory, else The Waku Network's fleet (as the daemon's default), except that `--dev` alone means the
    /// dev daemon's node by itself.
    func bootstrapNodes() throws -> [String] {
        if !wakuBootstrap.isEmpty { return wakuBootstrap }
        let path = configDirectory + "/config.toml"
        if let data = FileManager.default.contents(atPath: path) {
            let config = try RemoteConfig(toml: String(decoding: data, as: UTF8.self), source: path)
            if let bootstrap = config.wakuBootstrap { return bootstrap }
        }
        return dev ? [] : WakuNetworkDefaults.sandboxBootstrap
    }

    /// Starts a light client of the bootstrap nodes (and, with --dev, the dev daemon's node).
    func startNode() async throws -> WakuNode {
        var bootstrap = try bootstrapNodes()
        if dev {
            let status: WakuStatusReport = try await ControlClient(socketPath: connection.resolvedSocket).getJSON("/v1/waku/status")
            bootstrap += status.listenAddresses
        }
        // Quiet unless asked: the person sees the code and the outcome; NIMBUS_REMOTE_LOG=debug shows the Waku side.
        let level = ProcessInfo.processInfo.environment["NIMBUS_REMOTE_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return try await RemoteNode.start(bootstrap: bootstrap, logLevel: level)
    }

    func waitForSubscription(_ node: WakuNode, topic: String) async throws {
        try await RemoteNode.waitForSubscription(node, topics: [topic])
    }
}

extension RemoteCommand {
    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "call",
            abstract: "Call a paired host over Waku: a managed node's Beacon, keymanager or metrics API, or the manager API (/v1/...).")

        @OptionGroup var options: RemoteOptions

        @Option(name: .long, help: "The managed node (default: the host's first).")
        var node: String?

        @Option(name: .long, help: "The paired host, by name (default: the only one).")
        var host: String?

        @Option(name: .long, help: "A JSON request body.")
        var data: String?

        @Option(name: .long, help: "Seconds to wait for the answer (default 30).")
        var timeout: Int = 30

        @Argument(help: "GET, POST or DELETE.")
        var method: String

        @Argument(help: "The path, e.g. /eth/v1/node/syncing, /metrics, /eth/v1/keystores or /v1/status.")
        var path: String

        func run() async { await reportingErrors(body) }

        private func body() async throws {
            let (store, hostKey) = try options.pairedHost(named: host)
            let privateKey = try store.privateKey()
            let node = try await options.startNode()
            defer { Task { await node.stop() } }
            let target = path.hasPrefix("/v1/") ? "manager" : (self.node.map { "node/\($0)" } ?? "node")
            let session = try await RemoteSession.open(
                node: node, privateKey: privateKey, hostKey: hostKey, timeout: .seconds(timeout))
            let response = try await session.request(
                method: method.uppercased(), target: target, path: path, body: Array((data ?? "").utf8),
                timeout: .seconds(timeout))
            await session.close()
            FileHandle.standardOutput.write(Data(response.body))
            if response.body.last != 0x0A { FileHandle.standardOutput.write(Data("\n".utf8)) }
            guard (200..<300).contains(response.status) else {
                throw CLIError(description: "the host answered HTTP \(response.status)")
            }
        }
    }
}


extension RemoteCommand {
    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "events",
            abstract: "Follow a managed node's event stream (Beacon API server-sent events) through a paired host.")

        @OptionGroup var options: RemoteOptions

        @Option(name: .long, help: "The managed node (default: the host's first).")
        var node: String?

        @Option(name: .long, help: "The paired host, by name (default: the only one).")
        var host: String?

        @Option(name: .long, help: "Event topics, comma-separated (default head,finalized_checkpoint).")
        var topics = "head,finalized_checkpoint"

        @Option(name: .long, help: "Stop after this many events (default: follow until interrupted).")
        var count: Int?

        func run() async { await reportingErrors(body) }

        private func body() async throws {
            let (store, hostKey) = try options.pairedHost(named: host)
            let node = try await options.startNode()
            let session = try await RemoteSession.open(
                node: node, privateKey: try store.privateKey(), hostKey: hostKey, timeout: .seconds(30))
            let target = self.node.map { "node/\($0)" } ?? "node"
            var seen = 0
            var refused: Int?
            for await event in try await session.stream(target: target, path: "/eth/v1/events?topics=\(topics)") {
                switch event {
                case let .head(status, _):
                    if status != 200 { refused = status }
                case let .chunk(bytes):
                    FileHandle.standardOutput.write(Data(bytes))
                    seen += String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n")
                        .filter { $0.hasPrefix("event:") }.count
                case .end:
                    break
                }
                if let count, seen >= count { break }
            }
            await session.close()
            await node.stop()
            if let refused { throw CLIError(description: "the host answered HTTP \(refused)") }
            if let count, seen < count { throw CLIError(description: "the event stream ended after \(seen) events") }
        }
    }
}

extension RemoteOptions {
    /// The client's store and the pinned key of the paired host named `name` (or the only one).
    func pairedHost(named name: String?) throws -> (store: RemoteStore, hostKey: [UInt8]) {
        let (store, pinned) = try pinnedHost(named: name)
        return (store, try Self.key(of: pinned, store: store))
    }

    /// The pinned session key of a host.
    static func key(of pinned: RemoteStore.PinnedHost, store: RemoteStore) throws -> [UInt8] {
        guard let hostKey = Hex.decode(pinned.staticKey), hostKey.count == 32 else {
            throw CLIError(description: "the pinned key of \(pinned.name) is damaged in \(store.directory)/hosts.json")
        }
        return hostKey
    }

    /// Runs one manager-API request through a fresh session with the chosen paired host.
    func managerCall(host name: String?, method: String, path: String) async throws -> RemoteSession.Response {
        let (store, hostKey) = try pairedHost(named: name)
        let node = try await startNode()
        defer { Task { await node.stop() } }
        let session = try await RemoteSession.open(node: node, privateKey: try store.privateKey(), hostKey: hostKey, timeout: .seconds(30))
        let response = try await session.request(method: method, target: "manager", path: path, timeout: .seconds(30))
        await session.close()
        guard (200..<300).contains(response.status) else {
            throw CLIError(description: "the host answered HTTP \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
        }
        return response
    }
}

extension RemoteCommand {
    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "alerts", abstract: "A paired host's alerts, with what this client has not acknowledged yet.",
            subcommands: [List.self, Acknowledge.self], defaultSubcommand: List.self)

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "Show alerts (the default).")

            @OptionGroup var options: RemoteOptions
            @Option(name: .long, help: "The paired host, by name (default: the only one).")
            var host: String?
            @Flag(name: .long, help: "Print the stable JSON form.")
            var json = false

            func run() async { await reportingErrors(body) }

            private func body() async throws {
                let response = try await options.managerCall(host: host, method: "GET", path: "/v1/alerts")
                if json {
                    FileHandle.standardOutput.write(Data(response.body + [0x0A]))
                    return
                }
                let report = try JSONDecoder().decode(AlertsReport.self, from: Data(response.body))
                print(AlertsText.render(report), terminator: "")
            }
        }

        struct Acknowledge: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "ack", abstract: "Acknowledge an alert for this client: its notifications leave this client's outbox.")

            @OptionGroup var options: RemoteOptions
            @Option(name: .long, help: "The paired host, by name (default: the only one).")
            var host: String?
            @Argument(help: "The alert's id.")
            var id: Int64

            func run() async { await reportingErrors(body) }

            private func body() async throws {
                let response = try await options.managerCall(host: host, method: "POST", path: "/v1/alerts/\(id)/ack")
                let alert = try JSONDecoder().decode(StoredAlert.self, from: Data(response.body))
                print("acknowledged alert \(alert.id): \(alert.title) (\(alert.subject))")
            }
        }
    }

    struct Devices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "devices", abstract: "The devices paired with a host, as the host lists them.")

        @OptionGroup var options: RemoteOptions
        @Option(name: .long, help: "The paired host, by name (default: the only one).")
        var host: String?
        @Flag(name: .long, help: "Print the stable JSON form.")
        var json = false

        func run() async { await reportingErrors(body) }

        private func body() async throws {
            let response = try await options.managerCall(host: host, method: "GET", path: "/v1/devices")
            if json {
                FileHandle.standardOutput.write(Data(response.body + [0x0A]))
                return
            }
            for device in try JSONDecoder().decode([DeviceSummary].self, from: Data(response.body)) {
                let state = device.revokedAt.map { "revoked \($0)" } ?? "active"
                print("\(device.id)  \(device.name)  paired \(device.pairedAt)  \(state)  \(device.pendingNotifications) pending")
            }
        }
    }
}

/// The messages of `messages`, then nil once `seconds` have passed: one stream for a wait with a deadline. Call the
/// returned function to stop both feeds.
func expiring(_ messages: AsyncStream<WakuMessage>, after seconds: Int) -> (AsyncStream<WakuMessage?>, () -> Void) {
    let (events, feed) = AsyncStream<WakuMessage?>.makeStream()
    let reader = Task { for await message in messages { feed.yield(message) } }
    let expiry = Task {
        try? await Task.sleep(for: .seconds(seconds))
        feed.yield(nil)
    }
    return (events, {
        reader.cancel()
        expiry.cancel()
    })
}
