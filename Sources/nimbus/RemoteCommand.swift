import ArgumentParser
import Crypto
import Foundation
import Logging
import NimbusLibp2p
import NimbusPairing
import NimbusSession
import NimbusWaku

/// `nimbus remote ...`: the GUI's stand-in and a headless remote client, run by an ordinary user on another machine.
/// It keeps its key and the hosts it paired with in its own config directory and reaches hosts only over Waku.
struct RemoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote", abstract: "A remote client of node managers, over Waku (the GUI's stand-in).",
        subcommands: [Invite.self, Hosts.self, Call.self])

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
        try await Self.waitForSubscription(node, topic: topic)
    }

    static func waitForSubscription(_ node: WakuNode, topic: String) async throws {
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
        Array(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: privateKey()).publicKey.rawRepresentation)
    }

    /// The client's X25519 private key, created on first use.
    func privateKey() throws -> [UInt8] {
        let path = directory + "/identity.key"
        if let data = FileManager.default.contents(atPath: path) { return [UInt8](data) }
        let key = Curve25519.KeyAgreement.PrivateKey()
        guard FileManager.default.createFile(atPath: path, contents: key.rawRepresentation, attributes: [.posixPermissions: 0o600]) else {
            throw CLIError(description: "cannot create \(path)")
        }
        return Array(key.rawRepresentation)
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
            let store = try RemoteStore(directory: options.configDirectory)
            let hosts = try store.hosts()
            let chosen = host.map { name in hosts.filter { $0.name == name } } ?? hosts
            guard chosen.count == 1, let pinned = chosen.first, let hostKey = Hex.decode(pinned.staticKey) else {
                throw CLIError(description: hosts.isEmpty
                    ? "no paired host: pair with `nimbus remote invite` first"
                    : "\(chosen.count) paired hosts match; choose one with --host NAME (`nimbus remote hosts`)")
            }
            let privateKey = try store.privateKey()
            let node = try await options.startNode()
            defer { Task { await node.stop() } }
            let target = path.hasPrefix("/v1/") ? "manager" : (self.node.map { "node/\($0)" } ?? "node")
            let response = try await RemoteClient(node: node).call(
                privateKey: privateKey, hostKey: hostKey, method: method.uppercased(), target: target, path: path,
                body: Array((data ?? "").utf8), timeout: .seconds(timeout))
            FileHandle.standardOutput.write(Data(response.body))
            if response.body.last != 0x0A { FileHandle.standardOutput.write(Data("\n".utf8)) }
            guard (200..<300).contains(response.status) else {
                throw CLIError(description: "the host answered HTTP \(response.status)")
            }
        }
    }
}

/// One request over a fresh session: handshake on the pair's inbox, then the request and its chunks on the
/// session topic. Retries the handshake until answered, since Waku may drop a message.
struct RemoteClient {
    let node: WakuNode

    struct Response {
        var status: Int
        var contentType: String
        var body: [UInt8]
    }

    func call(
        privateKey: [UInt8], hostKey: [UInt8], method: String, target: String, path: String, body: [UInt8],
        timeout: Duration
    ) async throws -> Response {
        let publicKey = Array(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: privateKey).publicKey.rawRepresentation)
        var initiator = try SessionInitiator(deviceKey: privateKey, devicePublicKey: publicKey, hostKey: hostKey)
        let deadline = ContinuousClock.now + timeout
        let inbox = await node.subscribe(contentTopics: [initiator.inboxTopic])
        try await RemoteOptions.waitForSubscription(node, topic: initiator.inboxTopic)
        let (events, feed) = AsyncStream<[UInt8]?>.makeStream()
        let reader = Task {
            for await message in inbox { feed.yield(message.payload) }
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(2))
                feed.yield(nil)
            }
        }
        defer {
            reader.cancel()
            ticker.cancel()
        }
        try await node.publish(contentTopic: initiator.inboxTopic, payload: initiator.hello)
        var session: EstablishedSession?
        for await event in events {
            guard ContinuousClock.now < deadline else { break }
            guard let payload = event else {
                // No answer yet: the hello again (the host answers a repeat with the same reply).
                try? await node.publish(contentTopic: initiator.inboxTopic, payload: initiator.hello)
                continue
            }
            if let frame = try? SessionWire.decode(payload), frame.kind == .handshake2, frame.sessionID == initiator.sessionID {
                session = try initiator.finish(frame)
                break
            }
        }
        guard var session else { throw CLIError(description: "the host did not answer the session handshake in time") }
        let data = await node.subscribe(contentTopics: [session.topic])
        try await RemoteOptions.waitForSubscription(node, topic: session.topic)
        try await node.publish(contentTopic: session.topic, payload: try session.seal(
            .request(stream: 1, method: method, target: target, path: path, body: body)))
        var head: (status: Int, contentType: String, chunks: Int)?
        var chunks: [Int: [UInt8]] = [:]
        let (dataEvents, dataFeed) = AsyncStream<[UInt8]?>.makeStream()
        let dataReader = Task {
            for await message in data { dataFeed.yield(message.payload) }
        }
        let expiry = Task {
            try? await Task.sleep(until: deadline)
            dataFeed.yield(nil)
        }
        defer {
            dataReader.cancel()
            expiry.cancel()
        }
        for await event in dataEvents {
            guard let payload = event else { break }
            guard let frame = try? SessionWire.decode(payload), let http = try? session.open(frame) else { continue }
            switch http {
            case let .responseHead(1, status, contentType, count):
                head = (Int(status), contentType, Int(count))
            case let .responseChunk(1, index, bytes):
                chunks[Int(index)] = bytes
            default:
                continue
            }
            if let head, chunks.count == head.chunks {
                return Response(status: head.status, contentType: head.contentType,
                                body: (0..<head.chunks).flatMap { chunks[$0] ?? [] })
            }
        }
        throw CLIError(description: "the host did not answer in time")
    }
}

enum Hex {
    static func decode(_ text: String) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
