/// Which peers to dial and when, as a pure state machine: bootstrap addresses and peers learned by peer exchange
/// are dialled until `targetPeers` are connected; a failed or lost peer is retried with exponential backoff
/// (doubling from `initialBackoff` to `maxBackoff`, with jitter so that many nodes do not retry in step);
/// bootstrap addresses are retried forever, learned ones are dropped after `maxFailures` failures in a row.
/// When few candidates are known, it asks for a peer exchange.
public struct ConnectionPlanner: Sendable {
    /// The pacing.
    public struct Parameters: Hashable, Sendable {
        /// Peers to keep connected.
        public var targetPeers = 4
        /// First retry delay after a failure.
        public var initialBackoff: Duration = .seconds(1)
        /// Longest retry delay.
        public var maxBackoff: Duration = .seconds(300)
        /// Consecutive failures after which a learned (not bootstrap) address is forgotten.
        public var maxFailures = 3
        /// Time between peer-exchange requests while candidates are short.
        public var peerExchangeInterval: Duration = .seconds(60)
        /// Ask for peers while fewer than this many candidates are known.
        public var wantedCandidates = 12
        /// Dials in flight at once.
        public var maxConcurrentDials = 3

        /// The defaults.
        public init() {}
    }

    /// Where an address came from.
    public enum Source: Hashable, Sendable {
        /// Configured.
        case bootstrap
        /// Learned through 34/WAKU2-PEER-EXCHANGE.
        case peerExchange
    }

    /// The state of one address.
    public enum State: Hashable, Sendable {
        /// Not connected, may be dialled.
        case idle
        /// A dial is in flight.
        case dialing
        /// Connected to `peer`.
        case connected(WakuPeerID)
        /// Waiting until the given time before the next dial.
        case backingOff(until: Duration)
    }

    /// What the planner asks its host to do.
    public enum Action: Hashable, Sendable {
        /// Dial the multiaddr (text form, ending in `/p2p/<id>`) and report the result.
        case dial(String)
        /// Ask a connected peer that serves peer exchange for more peers.
        case requestPeerExchange
    }

    /// How a dial outcome changed an address's reachability, so that the host logs transitions rather than every
    /// attempt (an offline node retries for hours; one line per retry would drown the log).
    public enum Reachability: Hashable, Sendable {
        /// Nothing worth reporting: a first connection, or another failure of an address already failing.
        case unchanged
        /// The first failure since the address was last connected (or since the start).
        case becameUnreachable
        /// Connected after `failures` failed attempts.
        case cameBack(failures: Int)
        /// A learned address failed `maxFailures` times in a row and was dropped.
        case forgotten
    }

    /// One known address as the status reports it.
    public struct AddressStatus: Hashable, Sendable {
        /// The multiaddr.
        public let address: String
        /// Configured or learned.
        public let source: Source
        /// Its state now.
        public let state: State
        /// Failed dials since it was last connected (or since the start).
        public let failures: Int
        /// Why the last dial failed, while it is failing.
        public let lastError: String?
        /// The peer it belongs to, when known (from `/p2p/` or a dial).
        public let peer: WakuPeerID?
    }

    private struct Candidate: Sendable {
        let source: Source
        var state: State
        var failures: Int
        var peer: WakuPeerID?
        var lastError: String?
    }

    /// The pacing.
    public let parameters: Parameters
    private var generator: SplitMix64
    private var candidates: [String: Candidate] = [:]
    private var order: [String] = []
    private var lastPeerExchange: Duration?

    /// A planner with the given bootstrap addresses.
    public init(bootstrap: [String], parameters: Parameters = Parameters(), generator: SplitMix64) {
        self.parameters = parameters
        self.generator = generator
        for address in bootstrap { add(address, source: .bootstrap, peer: nil) }
    }

    /// The state of each known address.
    public var states: [String: State] { candidates.mapValues(\.state) }

    /// Every known address, bootstrap ones first, in the order they became known.
    public var addresses: [AddressStatus] {
        order.compactMap { address in
            candidates[address].map {
                AddressStatus(
                    address: address, source: $0.source, state: $0.state, failures: $0.failures,
                    lastError: $0.lastError, peer: $0.peer)
            }
        }
    }

    /// The connected peers.
    public var connectedPeers: [WakuPeerID] {
        candidates.values.compactMap { if case .connected(let peer) = $0.state { peer } else { nil } }.sorted()
    }

    /// Adds addresses learned by peer exchange (ignoring known ones and those of peers already connected).
    public mutating func learn(_ addresses: [(address: String, peer: WakuPeerID?)]) {
        let connected = Set(connectedPeers)
        for (address, peer) in addresses where candidates[address] == nil {
            if let peer, connected.contains(peer) { continue }
            add(address, source: .peerExchange, peer: peer)
        }
    }

    /// A dial succeeded.
    @discardableResult
    public mutating func dialSucceeded(_ address: String, peer: WakuPeerID) -> Reachability {
        guard let candidate = candidates[address] else { return .unchanged }
        candidates[address]?.state = .connected(peer)
        candidates[address]?.failures = 0
        candidates[address]?.peer = peer
        candidates[address]?.lastError = nil
        return candidate.failures > 0 ? .cameBack(failures: candidate.failures) : .unchanged
    }

    /// A dial failed (`reason` is kept for the status): back off, or forget a learned address after too many
    /// failures.
    @discardableResult
    public mutating func dialFailed(_ address: String, now: Duration, reason: String? = nil) -> Reachability {
        guard var candidate = candidates[address] else { return .unchanged }
        candidate.failures += 1
        candidate.lastError = reason
        if candidate.source == .peerExchange && candidate.failures >= parameters.maxFailures {
            candidates[address] = nil
            order.removeAll { $0 == address }
            return .forgotten
        }
        candidate.state = .backingOff(until: now + backoff(failures: candidate.failures))
        candidates[address] = candidate
        return candidate.failures == 1 ? .becameUnreachable : .unchanged
    }

    /// A connected peer went away: retry its address after the first backoff step.
    public mutating func disconnected(_ peer: WakuPeerID, now: Duration) {
        for (address, candidate) in candidates {
            guard case .connected(let connected) = candidate.state, connected == peer else { continue }
            let delay = backoff(failures: 1)
            candidates[address]?.state = .backingOff(until: now + delay)
        }
    }

    /// The periodic step: dials to reach the target, and a peer-exchange request when candidates are short.
    public mutating func tick(now: Duration) -> [Action] {
        var actions: [Action] = []
        for address in order {
            if case .backingOff(let until) = candidates[address]?.state, until <= now {
                candidates[address]?.state = .idle
            }
        }
        let connected = connectedPeers.count
        var dialing = candidates.values.filter { $0.state == .dialing }.count
        let connectedSet = Set(connectedPeers)
        for address in order where connected + dialing < parameters.targetPeers {
            guard dialing < parameters.maxConcurrentDials else { break }
            guard let candidate = candidates[address], candidate.state == .idle else { continue }
            if let peer = candidate.peer, connectedSet.contains(peer) { continue }
            candidates[address]?.state = .dialing
            dialing += 1
            actions.append(.dial(address))
        }
        if connected > 0 && candidates.count < parameters.wantedCandidates
            && (lastPeerExchange.map { $0 + parameters.peerExchangeInterval <= now } ?? true)
        {
            lastPeerExchange = now
            actions.append(.requestPeerExchange)
        }
        return actions
    }

    /// The host had no peer to ask for a requested peer exchange (none connected serves it, or none has passed
    /// the metadata check yet): ask again at the next tick instead of waiting a whole interval.
    public mutating func peerExchangeUnavailable() {
        lastPeerExchange = nil
    }

    private mutating func add(_ address: String, source: Source, peer: WakuPeerID?) {
        guard candidates[address] == nil else { return }
        candidates[address] = Candidate(source: source, state: .idle, failures: 0, peer: peer)
        order.append(address)
    }

    private mutating func backoff(failures: Int) -> Duration {
        let exponent = min(failures - 1, 20)
        var delay = parameters.initialBackoff * (1 << exponent)
        if delay > parameters.maxBackoff { delay = parameters.maxBackoff }
        // Up to 25% jitter.
        let jitter = Double(generator.next() % 1000) / 4000.0
        return delay + delay * jitter
    }
}
