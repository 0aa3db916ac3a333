import Logging
import NimbusWaku
import Synchronization
import Testing

/// What `health()` says about dialling and subscriptions, and how quietly an unreachable peer is retried, over the
/// in-memory transport.
@Suite struct NodeStatusTests {
    let topic = "/nimbus/1/status/proto"

    /// A client whose bootstrap peer does not exist yet backs off with a growing failure count and one warning, then
    /// connects when the peer appears, with one notice.
    @Test func offlineBootstrapIsRetriedQuietlyAndReported() async throws {
        let network = InMemoryNetwork()
        let logs = WakuLogCapture()
        var configuration = NodeInMemoryTests.configuration(.client, bootstrap: ["/memory/later"])
        configuration.connections.initialBackoff = .milliseconds(50)
        configuration.connections.maxBackoff = .milliseconds(200)
        let client = WakuNode(
            configuration: configuration, transport: network.makeTransport("client"), logger: logs.logger(),
            seed: 40)
        await client.start()

        #expect(await eventually { await client.health().dialTargets.first?.failures ?? 0 >= 4 })
        let offline = try #require(await client.health().dialTargets.first)
        #expect(offline.address == "/memory/later")
        #expect(offline.source == .bootstrap)
        #expect(offline.lastError?.contains("unknownPeer") == true)
        #expect(offline.peer == nil)
        #expect(await client.health().status == .disconnected)
        #expect(logs.records(at: .warning).map(\.message) == ["waku peer unreachable; retrying with backoff"])

        let service = WakuNode(
            configuration: NodeInMemoryTests.configuration(.service, bootstrap: []),
            transport: network.makeTransport("later"), seed: 41)
        await service.start()
        #expect(await eventually { await client.health().status == .healthy })
        let online = try #require(await client.health().dialTargets.first)
        #expect(online.state == .connected)
        #expect(online.failures == 0 && online.lastError == nil && online.nextAttemptIn == nil)
        #expect(online.peer == service.peerID)
        #expect(logs.records(at: .warning).count == 1, "one warning for the whole outage")
        let notices = logs.records(at: .notice)
        #expect(notices.map(\.message) == ["waku peer reachable again"])
        #expect(Int(notices.first?.metadata["failed_attempts"] ?? "") ?? 0 >= 4)

        await client.stop()
        await service.stop()
    }

    /// Subscriptions are reported from the node's state: a client's through filter with the service peers that
    /// confirmed them, a service node's through relay; dropping the stream removes them.
    @Test func subscriptionsAreReported() async throws {
        let network = InMemoryNetwork()
        let serviceTransport = network.makeTransport("service")
        let service = WakuNode(
            configuration: NodeInMemoryTests.configuration(.service, bootstrap: []), transport: serviceTransport,
            seed: 42)
        let client = WakuNode(
            configuration: NodeInMemoryTests.configuration(.client, bootstrap: [serviceTransport.address]),
            transport: network.makeTransport("client"), seed: 43)
        await service.start()
        await client.start()
        #expect(await client.health().subscriptions.isEmpty)

        let other = "/nimbus/1/status-b/proto"
        var messages: AsyncStream<WakuMessage>? = await client.subscribe(contentTopics: [topic, other])
        #expect(await eventually { await client.health().subscriptions.first?.servicePeers == [service.peerID] })
        let clientSubscriptions = await client.health().subscriptions
        #expect(clientSubscriptions.map(\.contentTopic) == [topic, other].sorted())
        #expect(clientSubscriptions.allSatisfy { $0.source == .filter })
        let shard = try AutoSharding.theWakuNetwork.shard(forContentTopic: topic).pubsubTopic
        #expect(clientSubscriptions.first { $0.contentTopic == topic }?.pubsubTopic == shard)

        let relayed = await service.subscribe(contentTopics: [topic])
        let serviceSubscriptions = await service.health().subscriptions
        #expect(serviceSubscriptions.map(\.contentTopic) == [topic])
        #expect(serviceSubscriptions.first?.source == .relay && serviceSubscriptions.first?.servicePeers == [])
        withExtendedLifetime(relayed) {}

        #expect(messages != nil)
        messages = nil
        #expect(await eventually { await client.health().subscriptions.isEmpty })

        await client.stop()
        await service.stop()
    }
}

/// Collects a node's log records.
final class WakuLogCapture: Sendable {
    struct Record: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let stored = Mutex<[Record]>([])

    func records(at level: Logger.Level) -> [Record] { stored.withLock { $0.filter { $0.level == level } } }

    func logger() -> Logger {
        var logger = Logger(label: "waku-test") { _ in Handler(capture: self) }
        logger.logLevel = .debug
        return logger
    }

    private struct Handler: LogHandler {
        let capture: WakuLogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.stored.withLock {
                $0.append(
                    Record(level: event.level, message: event.message.description, metadata: merged.mapValues { "\($0)" }))
            }
        }
    }
}
