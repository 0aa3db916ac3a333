import ArgumentParser
import Crypto
import Foundation
import Logging
import NimbusLibp2p
import NimbusPairing
import NimbusWaku

/// `nimbus remote ...`: the GUI's stand-in and a headless remote client, run by an ordinary user on another machine.
/// It keeps its key and the hosts it paired with in its own config directory and reaches hosts only over Waku.
struct RemoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote", abstract: "A remote client of node managers, over Waku (the GUI's stand-in).",
        subcommands: [Invite.self, Hosts.self])

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "invite", abstract: "Show a pairing code and wait for a host to run `nimbus pair <code>`.")

        @OptionGroup var options: RemoteOptions

        @Option(name: .long, help: "The name hosts will know this client by (default: nimbus remote on <host name>).")
        var name: String?

        @Option(name: .long, help: "How long the code stays valid, in seconds (default 600).")
        var timeout: Int = 600

        func run() async { await reportingErrors(body) }

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
            var device = PairingDevice(code: code, identity: identity)
            // One stream of events: messages on the topic, then nil when the code expires.
            let (events, feed) = AsyncStream<WakuMessage?>.makeStream()
            let reader = Task {
                for await message in messages { feed.yield(message) }
            }
            let expiry = Task {
                try? await Task.sleep(for: .seconds(timeout))
                feed.yield(nil)
            }
            defer {
                reader.cancel()
                expiry.cancel()
            }
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
            for host in hosts { print("\(host.name)  key \(host.staticKey)  paired \(host.pairedAt)") }
        }
    }
}

/// Where a remote client keeps its state and how it reaches the Waku network.
struct RemoteOptions: ParsableArguments {
    @Option(name: .long, help: "Config directory (default: $XDG_CONFIG_HOME/nimbus-remote, else ~/.config/nimbus-remote).")
    var configDir: String?

    @Option(name: .long, help: "A Waku service node's multiaddr, with /p2p/<peer id> (repeatable).")
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

    /// Starts a light client of the bootstrap nodes and waits until one serves lightpush and filter.
    func startNode() async throws -> WakuNode {
        var bootstrap = wakuBootstrap
        if dev {
            let status: WakuStatusReportLite = try await ControlClient(socketPath: connection.resolvedSocket).getJSON("/v1/waku/status")
            bootstrap += status.listen_addresses
        }
        guard !bootstrap.isEmpty else {
            throw CLIError(description: "no Waku node to reach: give --waku-bootstrap MULTIADDR, or --dev for the local dev daemon")
        }
        var configuration = WakuNodeConfiguration()
        configuration.bootstrap = bootstrap
        configuration.usePeerExchange = false
        var logger = Logger(label: "remote")
        // Quiet unless asked: the person sees the code and the outcome; NIMBUS_REMOTE_LOG=debug shows the Waku side.
        logger.logLevel = ProcessInfo.processInfo.environment["NIMBUS_REMOTE_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        let host = Libp2pHost(identity: .generateSecp256k1(), logger: logger)
        let node = WakuNode(configuration: configuration, transport: Libp2pTransport(host: host), archive: nil, logger: logger)
        await node.start()
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let health = await node.health()
            if health.peers.contains(where: { peer in
                peer.protocols.contains { $0.hasPrefix("/vac/waku/filter-subscribe/") }
                    && peer.protocols.contains { $0.hasPrefix("/vac/waku/lightpush/") }
            }) {
                return node
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        await node.stop()
        throw CLIError(description: "no Waku service node answered (tried \(bootstrap.joined(separator: ", ")))")
    }

    /// Waits until a filter service peer holds the subscription, so that nothing sent to the code is missed.
    func waitForSubscription(_ node: WakuNode, topic: String) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if await node.health().subscriptions.contains(where: { $0.contentTopic == topic && !$0.servicePeers.isEmpty }) {
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CLIError(description: "the Waku service node did not take the subscription")
    }
}

/// The part of `/v1/waku/status` the remote needs.
struct WakuStatusReportLite: Decodable {
    var listen_addresses: [String]
}

/// The remote client's files: `identity.key` (its X25519 static key, 0600) and `hosts.json` (pinned hosts).
struct RemoteStore {
    let directory: String

    struct PinnedHost: Codable {
        var name: String
        var staticKey: String
        var pairedAt: String
    }

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    func publicKey() throws -> [UInt8] {
        let path = directory + "/identity.key"
        if let data = FileManager.default.contents(atPath: path) {
            return Array(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: data).publicKey.rawRepresentation)
        }
        let key = Curve25519.KeyAgreement.PrivateKey()
        guard FileManager.default.createFile(atPath: path, contents: key.rawRepresentation, attributes: [.posixPermissions: 0o600]) else {
            throw CLIError(description: "cannot create \(path)")
        }
        return Array(key.publicKey.rawRepresentation)
    }

    func hosts() throws -> [PinnedHost] {
        guard let data = FileManager.default.contents(atPath: directory + "/hosts.json") else { return [] }
        return try JSONDecoder().decode([PinnedHost].self, from: data)
    }

    func pin(_ host: PairingIdentity) throws {
        var hosts = try hosts()
        let formatter = ISO8601DateFormatter()
        hosts.append(PinnedHost(name: host.name, staticKey: host.staticKey.map { String(format: "%02x", $0) }.joined(),
                                pairedAt: formatter.string(from: Date())))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let path = directory + "/hosts.json"
        try encoder.encode(hosts).write(to: URL(fileURLWithPath: path), options: .atomic)
        chmod(path, 0o600)
    }
}
