import Crypto
import Foundation
import Logging
import NimbusLibp2p
import NimbusSession
import NimbusWaku

/// A Waku light client for a remote: started against given service nodes, ready once one serves lightpush and
/// filter.
public enum RemoteNode {
    public static func start(bootstrap: [String], logLevel: Logger.Level = .error) async throws -> WakuNode {
        guard !bootstrap.isEmpty else {
            throw RemoteError("no Waku node to reach: give --waku-bootstrap MULTIADDR, or --dev for the local dev daemon")
        }
        var configuration = WakuNodeConfiguration()
        configuration.bootstrap = bootstrap
        configuration.usePeerExchange = false
        var logger = Logger(label: "remote")
        logger.logLevel = logLevel
        let host = Libp2pHost(identity: .generateSecp256k1(), logger: logger)
        let node = WakuNode(configuration: configuration, transport: Libp2pTransport(host: host), archive: nil, logger: logger)
        await node.start()
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if await node.health().peers.contains(where: { peer in
                peer.protocols.contains { $0.hasPrefix("/vac/waku/filter-subscribe/") }
                    && peer.protocols.contains { $0.hasPrefix("/vac/waku/lightpush/") }
            }) {
                return node
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        await node.stop()
        throw RemoteError("no Waku service node answered (tried \(bootstrap.joined(separator: ", ")))")
    }

    /// Waits until a filter service peer holds the subscription, so that nothing sent to the topic is missed.
    public static func waitForSubscription(_ node: WakuNode, topics: [String]) async throws {
        guard await node.subscriptionsInPlace(topics, within: .seconds(10)) else {
            throw RemoteError("the Waku service node did not take the subscription")
        }
    }
}

/// One session with a paired host, for any number of requests (docs/http_over_waku.md). Opening it runs the
/// handshake on the pair's inbox, repeating the first message until the host answers.
public actor RemoteSession {
    public struct Response: Sendable {
        public var status: Int
        public var contentType: String
        public var body: [UInt8]
    }

    private let node: WakuNode
    private var session: EstablishedSession
    private let privateKey: [UInt8]
    private let hostKey: [UInt8]
    private var nextStream: UInt32 = 1
    /// Stream requests, kept to open them again in a new session, and repeated until their head arrives.
    private var streamRequests: [UInt32: HTTPFrame] = [:]
    private var streamsAnswered: Set<UInt32> = []
    /// Whether a frame of the host authenticated since the last tick, and how many ticks passed without one while
    /// requests were waiting.
    private var heard = false
    private var quietTicks = 0
    private var idleStreamTicks = 0
    private var reopening = false
    private var ticker: Task<Void, Never>?
    private var pending: [UInt32: Pending] = [:]
    /// Subscriptions to the receiving topics, one per group of topics subscribed together (one filter request);
    /// the set follows the host's frames (`EstablishedSession.receiveTopics`).
    private var listeners: [(topics: Set<String>, task: Task<Void, Never>)] = []
    private var streams: [UInt32: AsyncStream<StreamEvent>.Continuation] = [:]

    /// A part of a streamed answer (server-sent events).
    public enum StreamEvent: Sendable, Equatable {
        case head(status: Int, contentType: String)
        case chunk([UInt8])
        case end
    }

    struct Pending {
        var continuation: CheckedContinuation<Response, any Error>
        /// The request as first sent: repeated, with the same stream id, when nothing comes back.
        var request: HTTPFrame
        var assembly = ResponseAssembly()
    }

    /// How long an answer may stay silent before the lost parts are asked for again. Waku relays are best effort;
    /// round trips through The Waku Network take around a second.
    public static let retryInterval: Duration = .seconds(2)
    /// Intervals without a word from the host while requests wait, after which a new session is opened (the host
    /// restarted and forgot this one) and the waiting requests and streams are sent again in it.
    public static let reopenAfterQuietTicks = 3
    /// With only event streams open, a `GET /v1/health` this often, so that a host that went away is noticed.
    public static let keepAliveTicks = 8

    public static func open(
        node: WakuNode, privateKey: [UInt8], hostKey: [UInt8], timeout: Duration
    ) async throws -> RemoteSession {
        let established = try await handshake(node: node, privateKey: privateKey, hostKey: hostKey, timeout: timeout)
        let session = RemoteSession(node: node, session: established, privateKey: privateKey, hostKey: hostKey)
        try await session.listen()
        return session
    }

    /// Runs the handshake on the pair's inbox, repeating the first message until the host answers.
    static func handshake(
        node: WakuNode, privateKey: [UInt8], hostKey: [UInt8], timeout: Duration
    ) async throws -> EstablishedSession {
        let publicKey = Array(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: privateKey).publicKey.rawRepresentation)
        var initiator = try SessionInitiator(deviceKey: privateKey, devicePublicKey: publicKey, hostKey: hostKey)
        let deadline = ContinuousClock.now + timeout
        let inbox = await node.subscribe(contentTopics: [initiator.inboxTopic])
        try await RemoteNode.waitForSubscription(node, topics: [initiator.inboxTopic])
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
        for await event in events {
            guard ContinuousClock.now < deadline else { break }
            guard let payload = event else {
                // No answer yet: the hello again (the host answers a repeat with the same reply).
                try? await node.publish(contentTopic: initiator.inboxTopic, payload: initiator.hello)
                continue
            }
            if let frame = try? SessionWire.decode(payload), frame.kind == .handshake2, frame.sessionID == initiator.sessionID {
                return try initiator.finish(frame)
            }
        }
        throw RemoteError("the host did not answer the session handshake in time")
    }

    private init(node: WakuNode, session: EstablishedSession, privateKey: [UInt8], hostKey: [UInt8]) {
        self.privateKey = privateKey
        self.hostKey = hostKey
        self.node = node
        self.session = session
    }

    private func listen() async throws {
        await followTopics()
        try await RemoteNode.waitForSubscription(node, topics: session.receiveTopics)
        ticker = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.retryInterval)
                await self?.tick()
            }
        }
    }

    /// Every `retryInterval`: ask again for what is missing, notice a host that went quiet, keep streams checked.
    private func tick() async {
        guard !reopening else { return }
        if heard {
            quietTicks = 0
            heard = false
        } else if !pending.isEmpty {
            quietTicks += 1
        }
        if quietTicks >= Self.reopenAfterQuietTicks {
            await reopen()
            return
        }
        for stream in pending.keys.sorted() { await retry(stream) }
        // A stream request that got no head yet may have been lost: again (the host starts a stream once).
        for (stream, request) in streamRequests.sorted(by: { $0.key < $1.key })
        where streams[stream] != nil && !streamsAnswered.contains(stream) {
            try? await send(request)
        }
        if pending.isEmpty, !streams.isEmpty {
            idleStreamTicks += 1
            if idleStreamTicks >= Self.keepAliveTicks {
                idleStreamTicks = 0
                Task { [weak self] in
                    _ = try? await self?.request(method: "GET", target: "manager", path: "/v1/health", timeout: .seconds(120))
                }
            }
        }
    }

    /// A new session with the same host: waiting requests and open streams are sent again in it (the host runs a
    /// request again only if the old session's answer never came back, e.g. because it restarted).
    private func reopen() async {
        reopening = true
        defer { reopening = false }
        quietTicks = 0
        let fresh: EstablishedSession
        do {
            fresh = try await Self.handshake(node: node, privateKey: privateKey, hostKey: hostKey, timeout: .seconds(20))
        } catch {
            return  // still away: tried again after the next quiet intervals
        }
        session = fresh
        await followTopics()
        try? await RemoteNode.waitForSubscription(node, topics: session.receiveTopics)
        for stream in pending.keys.sorted() {
            guard var entry = pending[stream] else { continue }
            entry.assembly = ResponseAssembly()
            pending[stream] = entry
            try? await send(entry.request)
        }
        streamsAnswered.removeAll()
        for (stream, request) in streamRequests.sorted(by: { $0.key < $1.key }) where streams[stream] != nil {
            try? await send(request)
        }
    }

    /// Subscribes to the receiving topics now due (all new ones in one request: a filter service answers one
    /// subscription at a time per client) and drops groups left wholly behind.
    private func followTopics() async {
        let wanted = Set(session.receiveTopics)
        for group in listeners where group.topics.isDisjoint(with: wanted) { group.task.cancel() }
        listeners.removeAll { $0.topics.isDisjoint(with: wanted) }
        let missing = wanted.subtracting(listeners.reduce(into: Set<String>()) { $0.formUnion($1.topics) })
        guard !missing.isEmpty else { return }
        let stream = await node.subscribe(contentTopics: missing.sorted())
        listeners.append((missing, Task { [weak self] in
            for await message in stream { await self?.receive(message.payload, topic: message.contentTopic) }
        }))
    }

    /// Seals and publishes one frame on the topic its counter gives.
    private func send(_ frame: HTTPFrame) async throws {
        let (topic, payload) = try session.seal(frame)
        try await node.publish(contentTopic: topic, payload: payload)
    }

    /// Sends a request and waits for its whole answer.
    public func request(method: String, target: String, path: String, body: [UInt8] = [], timeout: Duration) async throws -> Response {
        let stream = nextStream
        nextStream += 1
        let request = HTTPFrame.request(stream: stream, method: method, target: target, path: path, body: body)
        let expiry = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.fail(stream, RemoteError("the host did not answer in time"))
        }
        defer { expiry.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            pending[stream] = Pending(continuation: continuation, request: request)
            Task { [weak self] in
                do { try await self?.send(request) } catch {
                    await self?.fail(stream, error)
                }
            }
        }
    }

    /// Opens a streamed GET (e.g. `/eth/v1/events?topics=head`): the parts arrive on the returned stream until the
    /// host ends it; dropping the stream sends `cancel`.
    public func stream(target: String, path: String) throws -> AsyncStream<StreamEvent> {
        let stream = nextStream
        nextStream += 1
        let request = HTTPFrame.request(stream: stream, method: "GET", target: target, path: path, body: [])
        streamRequests[stream] = request
        let (events, continuation) = AsyncStream<StreamEvent>.makeStream()
        streams[stream] = continuation
        continuation.onTermination = { [weak self] termination in
            guard case .cancelled = termination else { return }
            Task { await self?.cancel(stream) }
        }
        Task { [weak self] in try? await self?.send(request) }
        return events
    }

    /// A quiet interval passed for `stream`: the request again, or a `resend` for the missing parts.
    private func retry(_ stream: UInt32) async {
        guard var entry = pending[stream] else { return }
        let frame: HTTPFrame
        switch entry.assembly.retry() {
        case .none:
            pending[stream] = entry
            return
        case .repeatRequest:
            frame = entry.request
        case let .resend(head, indices):
            frame = .resend(stream: stream, head: head, indices: indices)
        }
        pending[stream] = entry
        try? await send(frame)
    }

    private func cancel(_ stream: UInt32) async {
        streams[stream] = nil
        streamRequests[stream] = nil
        streamsAnswered.remove(stream)
        try? await send(.cancel(stream: stream))
    }

    public func close() {
        ticker?.cancel()
        listeners.forEach { $0.task.cancel() }
        listeners.removeAll()
        for (_, continuation) in streams { continuation.finish() }
        streams.removeAll()
        for (stream, _) in pending { fail(stream, RemoteError("the session closed")) }
    }

    private func fail(_ stream: UInt32, _ error: any Error) {
        pending.removeValue(forKey: stream)?.continuation.resume(throwing: error)
    }

    private func receive(_ payload: [UInt8], topic: String) async {
        guard let frame = try? SessionWire.decode(payload), let http = try? session.open(frame, topic: topic) else { return }
        heard = true
        await followTopics()
        if let continuation = streams[http.stream] {
            switch http {
            case let .responseHead(_, status, contentType, chunks, _):
                guard !streamsAnswered.contains(http.stream) else { return }  // a repeat's head, or the old session's
                streamsAnswered.insert(http.stream)
                continuation.yield(.head(status: Int(status), contentType: contentType))
                // A refusal arrives as an ordinary one-chunk answer: the stream ends after it.
                if chunks != HTTPFrame.streaming { streamChunksLeft[http.stream] = Int(chunks) }
            case let .responseChunk(stream, _, bytes):
                continuation.yield(.chunk(bytes))
                if let left = streamChunksLeft[stream] {
                    if left <= 1 { finishStream(stream) } else { streamChunksLeft[stream] = left - 1 }
                }
            case let .responseEnd(stream):
                finishStream(stream)
            case .request, .cancel, .resend, .processing:
                break
            }
            return
        }
        switch http {
        case .responseHead, .responseChunk:
            pending[http.stream]?.assembly.accept(http)
            complete(http.stream)
        case .request, .cancel, .responseEnd, .resend, .processing:
            return
        }
    }

    private var streamChunksLeft: [UInt32: Int] = [:]

    private func finishStream(_ stream: UInt32) {
        streamChunksLeft[stream] = nil
        streamRequests[stream] = nil
        streamsAnswered.remove(stream)
        if let continuation = streams.removeValue(forKey: stream) {
            // `.end` first, then the finish: the consumer sees the end before the stream closes.
            continuation.yield(.end)
            continuation.finish()
        }
    }

    private func complete(_ stream: UInt32) {
        guard let entry = pending[stream], entry.assembly.isComplete, let head = entry.assembly.head else { return }
        pending[stream] = nil
        let body = entry.assembly.body
        guard head.deflatedFrom > 0 else {
            entry.continuation.resume(returning: Response(status: head.status, contentType: head.contentType, body: body))
            return
        }
        do {
            let plain = try BodyCompression.inflate(body, expectedSize: head.deflatedFrom)
            entry.continuation.resume(returning: Response(status: head.status, contentType: head.contentType, body: plain))
        } catch {
            entry.continuation.resume(throwing: RemoteError("the host's compressed answer is corrupt (\(error))"))
        }
    }
}
