import Foundation
import Logging

/// A Waku node: the daemon's one entry point to the Waku network. It knows nothing about the daemon; it is given a
/// transport (the libp2p host), a configuration and, in service mode, an archive.
///
/// All protocol decisions are made by the pure state machines (`RelayRouter`, `FilterClientSession`,
/// `FilterSubscriptionRegistry`, `StoreHistoryPager`, `LightPushAttempt`, `ConnectionPlanner`); this actor feeds
/// them events and carries out their actions on streams.
public actor WakuNode {
    /// The configuration.
    public let configuration: WakuNodeConfiguration
    let transport: any WakuTransport
    let logger: Logger
    let archive: (any MessageArchive)?
    let clock = ContinuousClock()
    let origin: ContinuousClock.Instant

    var generator: SplitMix64
    var relay: RelayRouter
    var relaySenders: [WakuPeerID: RelaySender] = [:]
    var filterRegistry: FilterSubscriptionRegistry
    var filterClient: FilterClientSession
    var planner: ConnectionPlanner
    var lightPushVersions = LightPushVersionMemory()
    var subscribers: [Int: LocalSubscriber] = [:]
    var nextSubscriberID = 0
    var deliveredHashes = SeenCache(timeToLive: .seconds(600))
    var connected: [WakuPeerID: Bool] = [:]
    var peerProtocols: [WakuPeerID: Set<String>] = [:]
    var metadataVerified: Set<WakuPeerID> = []
    var tasks: [Task<Void, Never>] = []
    var running = false
    var lastStorePrune: Duration?
    /// The last filter push queued per subscriber (pushes to one subscriber run in order).
    var filterPushes: [WakuPeerID: Task<Void, Never>] = [:]

    struct LocalSubscriber {
        let contentTopics: Set<String>
        let continuation: AsyncStream<WakuMessage>.Continuation
    }

    /// A node over `transport`. In service mode `archive` keeps the store (an in-memory one if nil).
    public init(
        configuration: WakuNodeConfiguration, transport: any WakuTransport, archive: (any MessageArchive)? = nil,
        logger: Logger = Logger(label: "waku"), seed: UInt64? = nil
    ) {
        self.configuration = configuration
        self.transport = transport
        self.logger = logger
        self.archive = configuration.mode == .service ? (archive ?? InMemoryMessageArchive()) : nil
        origin = clock.now
        var generator = seed.map(SplitMix64.init(seed:)) ?? SplitMix64.fromSystem()
        relay = RelayRouter(parameters: configuration.relay, generator: SplitMix64(seed: generator.next()))
        filterRegistry = FilterSubscriptionRegistry(limits: configuration.filterService)
        filterClient = FilterClientSession(
            parameters: configuration.filterClient, generator: SplitMix64(seed: generator.next()))
        planner = ConnectionPlanner(
            bootstrap: configuration.bootstrap, parameters: configuration.connections,
            generator: SplitMix64(seed: generator.next()))
        self.generator = generator
    }

    /// This node's peer id.
    public nonisolated var peerID: WakuPeerID { transport.localPeer }

    /// Time since the node was created, the state machines' clock.
    func now() -> Duration { clock.now - origin }

    /// Wall-clock nanoseconds since the Unix epoch, for message timestamps and store arrival times.
    func wallClockNanoseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1_000_000_000)
    }

    // MARK: Lifecycle

    /// Registers the protocol handlers, joins the relay shards (service mode), and starts the periodic work and
    /// the bootstrap dials.
    public func start() async {
        guard !running else { return }
        running = true
        await registerHandlers()
        let events = await transport.connectionEvents()
        tasks.append(
            Task { [weak self] in
                for await event in events {
                    guard let self else { return }
                    await self.handle(event)
                }
            })
        if configuration.mode == .service {
            for shard in configuration.shards { perform(relay.join(shard.pubsubTopic, now: now())) }
        }
        let interval = configuration.relay.heartbeatInterval
        tasks.append(
            Task { [weak self] in
                while !Task.isCancelled {
                    guard let self else { return }
                    await self.heartbeat()
                    try? await Task.sleep(for: interval)
                }
            })
        logger.info(
            "waku node started",
            metadata: [
                "peer": "\(peerID)", "mode": "\(configuration.mode)", "bootstrap": "\(configuration.bootstrap.count)",
            ])
    }

    /// Stops the periodic work, closes relay streams and ends every subscription stream.
    public func stop() async {
        guard running else { return }
        running = false
        for task in tasks { task.cancel() }
        tasks = []
        for sender in relaySenders.values { sender.finish() }
        relaySenders = [:]
        for subscriber in subscribers.values { subscriber.continuation.finish() }
        subscribers = [:]
        logger.info("waku node stopped")
    }

    /// One heartbeat: relay mesh maintenance and gossip, filter pings and resubscriptions, subscription expiry,
    /// dials, peer exchange, store retention.
    func heartbeat() async {
        let now = now()
        if configuration.mode == .service {
            perform(relay.heartbeat(now: now))
            for peer in filterRegistry.expire(now: now) {
                logger.debug("filter subscriber expired", metadata: ["peer": "\(peer)"])
            }
            filterPushes = filterPushes.filter { filterRegistry.peers.contains($0.key) }
            pruneStoreIfDue(now: now)
        } else {
            performFilter(filterClient.tick(now: now))
        }
        deliveredHashes.sweep(now: now)
        for action in planner.tick(now: now) {
            switch action {
            case .dial(let address): spawn { await $0.dial(address) }
            case .requestPeerExchange where configuration.usePeerExchange:
                if peersServing(WakuProtocolID.peerExchange).isEmpty {
                    planner.peerExchangeUnavailable()
                } else {
                    spawn { await $0.requestPeerExchange() }
                }
            case .requestPeerExchange: continue
            }
        }
    }

    /// Runs `work` in a child task that does not block the actor.
    func spawn(_ work: @escaping @Sendable (WakuNode) async -> Void) {
        Task { [weak self] in
            guard let self else { return }
            await work(self)
        }
    }

    // MARK: Health

    /// A snapshot of connections, services and shards.
    public func health() -> WakuHealth {
        let wanted = [
            WakuProtocolID.relay, WakuProtocolID.lightPush, WakuProtocolID.lightPushLegacy,
            WakuProtocolID.filterSubscribe,
            WakuProtocolID.store, WakuProtocolID.peerExchange, WakuProtocolID.metadata,
        ]
        let peers = connected.keys.sorted().map { peer in
            WakuHealth.Peer(
                peer: peer, protocols: wanted.filter { peerProtocols[peer]?.contains($0) == true },
                metadataVerified: metadataVerified.contains(peer))
        }
        let status: WakuHealth.Status
        if peers.isEmpty {
            status = .disconnected
        } else if configuration.mode == .service {
            status = relaySenders.isEmpty ? .degraded : .healthy
        } else {
            let needed = [WakuProtocolID.filterSubscribe, WakuProtocolID.store]
            let hasPush =
                !peersServing(WakuProtocolID.lightPush).isEmpty || !peersServing(WakuProtocolID.lightPushLegacy).isEmpty
            status = hasPush && needed.allSatisfy { !peersServing($0).isEmpty } ? .healthy : .degraded
        }
        var meshSizes: [String: Int] = [:]
        for topic in relay.joinedTopics { meshSizes[topic] = relay.meshPeers(topic).count }
        return WakuHealth(
            mode: configuration.mode, status: status, peers: peers, shards: configuration.shards, meshSizes: meshSizes,
            activeFilterPeers: filterClient.activePeers, filterSubscribers: filterRegistry.peers.count,
            storedMessages: try? archive?.count(), dialTargets: dialTargets(), subscriptions: subscriptionReport())
    }

    /// The planner's addresses as the status reports them.
    func dialTargets() -> [WakuHealth.DialTarget] {
        let now = now()
        return planner.addresses.map { address in
            let state: WakuHealth.DialTarget.State
            var nextAttemptIn: Duration?
            switch address.state {
            case .connected: state = .connected
            case .dialing: state = .connecting
            case .idle: state = .idle
            case .backingOff(let until):
                state = .backingOff
                nextAttemptIn = max(until - now, .zero)
            }
            return WakuHealth.DialTarget(
                address: address.address, source: address.source, state: state, failures: address.failures,
                lastError: address.lastError, nextAttemptIn: nextAttemptIn, peer: address.peer)
        }
    }

    /// The content topics local subscribers asked for: in client mode as the filter session holds them (with the
    /// peers that confirmed every subscription), in service mode from relay.
    func subscriptionReport() -> [WakuHealth.Subscription] {
        switch configuration.mode {
        case .client:
            let active = filterClient.activePeers
            return filterClient.desired.flatMap { pubsubTopic, contentTopics in
                contentTopics.map {
                    WakuHealth.Subscription(
                        contentTopic: $0, pubsubTopic: pubsubTopic, source: .filter, servicePeers: active)
                }
            }.sorted { $0.contentTopic < $1.contentTopic }
        case .service:
            let contentTopics = subscribers.values.reduce(into: Set<String>()) { $0.formUnion($1.contentTopics) }
            return contentTopics.sorted().compactMap { contentTopic in
                guard let pubsubTopic = try? pubsubTopic(for: contentTopic) else { return nil }
                return WakuHealth.Subscription(
                    contentTopic: contentTopic, pubsubTopic: pubsubTopic, source: .relay, servicePeers: [])
            }
        }
    }

    /// Connected peers that serve `protocolID` (and passed the metadata check when it is required).
    func peersServing(_ protocolID: String) -> [WakuPeerID] {
        connected.keys.filter { peer in
            peerProtocols[peer]?.contains(protocolID) == true
                && (!configuration.requireMetadata || metadataVerified.contains(peer))
        }.sorted()
    }

    /// Waits up to `peerWaitTimeout` for a connected peer serving one of `protocols`.
    func waitForPeers(serving protocols: [String]) async -> [WakuPeerID] {
        let deadline = now() + configuration.peerWaitTimeout
        while true {
            var peers: [WakuPeerID] = []
            for protocolID in protocols { peers += peersServing(protocolID).filter { !peers.contains($0) } }
            if !peers.isEmpty || now() >= deadline { return peers }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Runs `operation` with the configured request deadline.
    func withDeadline<T: Sendable>(_ what: String, _ operation: @escaping @Sendable () async throws -> T) async throws
        -> T
    {
        let timeout = configuration.requestTimeout
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw WakuStreamError.timedOut(what)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}
