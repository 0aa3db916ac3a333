import Foundation
import GRDB
import Logging
import NIOHTTP1
import NimbusConfig
import NimbusHTTPClient
import NimbusNetworkCore
import NimbusSession
import NimbusStore
import NimbusWaku

/// Sessions with paired devices over Waku (docs/http_over_waku.md): one inbox topic per paired device, a Noise KK
/// handshake against the device's pinned key, then HTTP requests sealed on the session's own topic, answered from
/// the managed nodes (Beacon API paths on an allow-list, the keymanager API with the token added here, metrics) or
/// the manager API. Revoking a device closes its inbox and its sessions at once.
actor RemoteSessions {
    struct Device: Sendable {
        var id: String
        var key: [UInt8]
    }

    struct Entry {
        var session: EstablishedSession
        var deviceID: String
        var reply: [UInt8]
        /// Subscriptions to the receiving topics, one per group subscribed together; they follow the device's frames.
        var listeners: [(topics: Set<String>, task: Task<Void, Never>)] = []
        /// Streamed responses in flight (event streams), by stream id.
        var streams: [UInt32: Task<Void, Never>] = [:]
        /// Requests run and answers kept, for repeats and resends (each request runs once).
        var ledger = StreamLedger()
    }

    private let node: WakuNode
    private let database: RoleDatabase
    private let hostPrivateKey: [UInt8]
    private let hostPublicKey: [UInt8]
    private let nodes: [ManagedNode]
    private let tokens: [String: String]
    private let client: HTTPClient
    private let api: ControlAPI
    private let logger: Logger
    private var inboxes: [String: (device: Device, task: Task<Void, Never>)] = [:]
    private var sessions: [[UInt8]: Entry] = [:]
    /// Sessions kept per device; the oldest goes first (a device that reconnects often leaves stale ones).
    static let sessionsPerDevice = 8
    /// Event streams open at once per device, over all its sessions (each holds a connection to a node).
    static let eventStreamsPerDevice = 4

    init(
        node: WakuNode, database: RoleDatabase, hostPrivateKey: [UInt8], hostPublicKey: [UInt8], nodes: [ManagedNode],
        tokens: [String: String], client: HTTPClient, api: ControlAPI, logger: Logger
    ) {
        self.node = node
        self.database = database
        self.hostPrivateKey = hostPrivateKey
        self.hostPublicKey = hostPublicKey
        self.nodes = nodes
        self.tokens = tokens
        self.client = client
        self.api = api
        self.logger = logger
    }

    /// Opens the inbox of every paired, unrevoked device.
    func start() {
        let rows = (try? database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, static_key FROM devices WHERE static_key IS NOT NULL AND revoked_at_millis IS NULL")
        }) ?? []
        for row in rows {
            let key: Data = row["static_key"]
            open(Device(id: row["id"], key: [UInt8](key)))
        }
    }

    func deviceChanged(id: String, key: [UInt8], revoked: Bool) {
        if revoked { close(deviceID: id) } else { open(Device(id: id, key: key)) }
    }

    func stop() {
        for (_, inbox) in inboxes { inbox.task.cancel() }
        for (_, entry) in sessions {
            entry.listeners.forEach { $0.task.cancel() }
            entry.streams.values.forEach { $0.cancel() }
        }
        inboxes.removeAll()
        sessions.removeAll()
    }

    private func open(_ device: Device) {
        let topic = SessionWire.inboxTopic(hostKey: hostPublicKey, deviceKey: device.key)
        guard inboxes[topic] == nil else { return }
        let node = self.node
        let task = Task { [weak self] in
            for await message in await node.subscribe(contentTopics: [topic]) {
                await self?.inbox(topic: topic, payload: message.payload)
            }
        }
        inboxes[topic] = (device, task)
    }

    private func close(deviceID: String) {
        for (topic, inbox) in inboxes where inbox.device.id == deviceID {
            inbox.task.cancel()
            inboxes[topic] = nil
        }
        for (id, entry) in sessions where entry.deviceID == deviceID {
            entry.listeners.forEach { $0.task.cancel() }
            entry.streams.values.forEach { $0.cancel() }
            sessions[id] = nil
        }
        logger.notice("device sessions closed", metadata: ["device": "\(deviceID)"])
    }

    private func inbox(topic: String, payload: [UInt8]) async {
        guard let device = inboxes[topic]?.device, let frame = try? SessionWire.decode(payload),
            frame.kind == .handshake1
        else { return }
        if let existing = sessions[frame.sessionID] {
            // A retry of a hello already answered: the same answer again (the first may have been lost).
            await publish(topic, existing.reply)
            return
        }
        let reply: [UInt8]
        let session: EstablishedSession
        do {
            (reply, session) = try SessionResponder.respond(hostKey: hostPrivateKey, deviceKey: device.key, to: frame)
        } catch {
            logger.warning("session refused: the handshake did not prove the paired key", metadata: ["device": "\(device.id)"])
            return
        }
        let stale = sessions.filter { $0.value.deviceID == device.id }.keys
        if stale.count >= Self.sessionsPerDevice, let oldest = stale.first {
            sessions[oldest]?.listeners.forEach { $0.task.cancel() }
            sessions[oldest]?.streams.values.forEach { $0.cancel() }
            sessions[oldest] = nil
        }
        let id = frame.sessionID
        sessions[id] = Entry(session: session, deviceID: device.id, reply: reply)
        await followTopics(id)
        // A light client's subscriptions take a round trip to its filter service: the device starts sending as soon
        // as it has the reply, so the reply waits for them (a second at most; the device repeats what is lost).
        _ = await node.subscriptionsInPlace(session.receiveTopics, within: .seconds(1))
        logger.info("session opened", metadata: ["device": "\(device.id)"])
        await publish(topic, reply)
    }

    /// Subscribes to the session's receiving topics now due and drops those left behind.
    private func followTopics(_ id: [UInt8]) async {
        guard let entry = sessions[id] else { return }
        let wanted = Set(entry.session.receiveTopics)
        for group in entry.listeners where group.topics.isDisjoint(with: wanted) { group.task.cancel() }
        sessions[id]?.listeners.removeAll { $0.topics.isDisjoint(with: wanted) }
        let have = (sessions[id]?.listeners ?? []).reduce(into: Set<String>()) { $0.formUnion($1.topics) }
        let missing = wanted.subtracting(have)
        guard !missing.isEmpty else { return }
        // All new topics in one subscription: one filter request when this node is a light client.
        let stream = await node.subscribe(contentTopics: missing.sorted())
        let task = Task { [weak self] in
            for await message in stream { await self?.data(id, payload: message.payload, topic: message.contentTopic) }
        }
        if sessions[id] == nil { task.cancel() } else { sessions[id]?.listeners.append((missing, task)) }
    }

    private func data(_ id: [UInt8], payload: [UInt8], topic: String) async {
        guard var entry = sessions[id], let frame = try? SessionWire.decode(payload), frame.kind == .data else { return }
        let request: HTTPFrame
        do {
            request = try entry.session.open(frame, topic: topic)
        } catch {
            // Forged, replayed or moved frames: dropped without a line (the topics are public).
            return
        }
        sessions[id] = entry
        await followTopics(id)
        let now = Self.nowMillis()
        switch request {
        case let .cancel(stream):
            sessions[id]?.streams.removeValue(forKey: stream)?.cancel()
            return
        case let .resend(stream, head, indices):
            // Lost parts of a kept answer; nothing when it is gone (the device then times out).
            let frames = sessions[id]?.ledger.resend(stream: stream, head: head, indices: indices, nowMillis: now) ?? []
            for frame in frames { await send(id, frame) }
            return
        case .request:
            break
        case .responseHead, .responseChunk, .responseEnd, .processing:
            return
        }
        guard case let .request(stream, method, target, path, body) = request else { return }
        switch sessions[id]?.ledger.admit(stream: stream, nowMillis: now) {
        case .execute?:
            break
        case let .replay(frames)?:
            for frame in frames { await send(id, frame) }
            return
        case .inProgress?:
            // A repeat while it runs (a slow import, a long keymanager call): say it is still running.
            await send(id, .processing(stream: stream))
            return
        case .gone?, nil:
            return
        case .busy?:
            await sendStatic(id, stream: stream, Self.refusal(429, "too many requests of this session are running; wait for their answers"))
            return
        }
        if method == "GET", path.hasPrefix("/eth/v1/events"), target == "node" || target.hasPrefix("node/") {
            sessions[id]?.ledger.streaming(stream)
            let open = sessions.values.filter { $0.deviceID == entry.deviceID }.reduce(0) { $0 + $1.streams.count }
            guard open < Self.eventStreamsPerDevice else {
                await sendStatic(id, stream: stream, Self.refusal(
                    429, "\(Self.eventStreamsPerDevice) event streams are already open for this device; cancel one"))
                return
            }
            startEventStream(id, stream: stream, target: target, path: path, deviceID: entry.deviceID)
            return
        }
        let (status, contentType, plainBody) = await route(
            method: method, target: target, path: path, body: body, device: entry.deviceID)
        // Large answers (JSON, metrics) go deflated: fewer Waku messages. The head says so, with the original size.
        let deflated = BodyCompression.deflate(plainBody)
        let responseBody = deflated ?? plainBody
        let chunks = stride(from: 0, to: max(responseBody.count, 1), by: HTTPFrame.chunkBytes).map {
            Array(responseBody[$0..<min($0 + HTTPFrame.chunkBytes, responseBody.count)])
        }
        var frames: [HTTPFrame] = [.responseHead(stream: stream, status: UInt16(status), contentType: contentType,
                                                   chunks: UInt16(chunks.count),
                                                   deflatedFrom: deflated == nil ? 0 : UInt32(plainBody.count))]
        frames += chunks.enumerated().map { .responseChunk(stream: stream, index: UInt16($0.offset), bytes: $0.element) }
        sessions[id]?.ledger.answered(stream: stream, frames: frames, nowMillis: Self.nowMillis())
        for frame in frames { await send(id, frame) }
        logger.info("remote request", metadata: [
            "device": "\(entry.deviceID)", "method": "\(method)", "target": "\(target)", "path": "\(path.prefix(200))",
            "status": "\(status)",
        ])
    }

    /// Forwards a node's server-sent events as they arrive: a head announcing a stream, one chunk per part, then the
    /// end. The device's `cancel`, a revocation or shutdown stops it.
    private func startEventStream(_ id: [UInt8], stream: UInt32, target: String, path: String, deviceID: String) {
        let name = target == "node" ? nodes.first?.name : String(target.dropFirst(5))
        guard let managed = nodes.first(where: { $0.name == name }), let base = HTTPURL(managed.rest) else {
            Task { await self.sendStatic(id, stream: stream, Self.refusal(404, "no managed node named \(name ?? "(none configured)")")) }
            return
        }
        let client = self.client
        let task = Task { [weak self] in
            guard let self else { return }
            let events: AsyncStream<HTTPClient.StreamEvent>
            do {
                events = try await client.stream(base.basePath + path, at: .tcp(host: base.host, port: base.port),
                                                 headers: [("Accept", "text/event-stream")])
            } catch {
                await self.sendStatic(id, stream: stream, Self.refusal(502, "\(managed.name) did not answer: \(error)"))
                return
            }
            var index: UInt16 = 0
            for await event in events {
                if Task.isCancelled { break }
                switch event {
                case let .head(status, contentType):
                    await self.send(id, .responseHead(stream: stream, status: UInt16(clamping: status),
                                                      contentType: contentType ?? "text/event-stream", chunks: HTTPFrame.streaming))
                case let .body(bytes):
                    for start in stride(from: 0, to: bytes.count, by: HTTPFrame.chunkBytes) {
                        await self.send(id, .responseChunk(stream: stream, index: index,
                                                           bytes: Array(bytes[start..<min(start + HTTPFrame.chunkBytes, bytes.count)])))
                        index &+= 1
                    }
                case .end:
                    break
                }
            }
            await self.send(id, .responseEnd(stream: stream))
            await self.streamEnded(id, stream: stream)
        }
        sessions[id]?.streams[stream] = task
        logger.info("remote event stream", metadata: ["device": "\(deviceID)", "target": "\(target)", "path": "\(path.prefix(200))"])
    }

    private func streamEnded(_ id: [UInt8], stream: UInt32) {
        sessions[id]?.streams[stream] = nil
    }

    private func send(_ id: [UInt8], _ frame: HTTPFrame) async {
        guard var current = sessions[id], let (topic, payload) = try? current.session.seal(frame) else { return }
        sessions[id] = current
        await publish(topic, payload)
    }

    private func sendStatic(_ id: [UInt8], stream: UInt32, _ answer: (Int, String, [UInt8])) async {
        await send(id, .responseHead(stream: stream, status: UInt16(answer.0), contentType: answer.1, chunks: 1))
        await send(id, .responseChunk(stream: stream, index: 0, bytes: answer.2))
    }

    private func publish(_ topic: String, _ payload: [UInt8]) async {
        do { try await node.publish(contentTopic: topic, payload: payload) } catch {
            logger.warning("session frame not published: \(error)")
        }
    }

    // MARK: routing

    static let beaconPrefixes = [
        "/eth/v1/node/", "/eth/v1/beacon/genesis", "/eth/v1/beacon/states/", "/eth/v1/beacon/headers",
        "/eth/v1/beacon/blocks/", "/eth/v2/beacon/blocks/", "/eth/v1/validator/duties/", "/eth/v1/config/",
    ]

    /// Whether the keymanager API serves `path` (its whole surface: keystores, remote keys, per-validator settings).
    static func isKeymanagerPath(_ path: String) -> Bool {
        path.hasPrefix("/eth/v1/keystores") || path.hasPrefix("/eth/v1/remotekeys")
            || (path.hasPrefix("/eth/v1/validator/")
                && ["/feerecipient", "/gas_limit", "/graffiti"].contains { path.split(separator: "?")[0].hasSuffix($0) })
    }

    /// The answer to a request, as (status, content type, body). Refusals are JSON errors the GUI can show.
    func route(method: String, target: String, path: String, body: [UInt8], device: String) async -> (Int, String, [UInt8]) {
        guard path.hasPrefix("/"), !path.contains(".."), !path.contains("//"), !path.contains("#") else {
            return Self.refusal(400, "the path must be absolute, without .. or //")
        }
        if target == "manager" {
            // The device's own outbox: what it missed while offline waits there until it acknowledges.
            let response = await api.handle(method: method, path: path, device: device, body: body)
            return (response.status, response.contentType, response.body)
        }
        guard target == "node" || target.hasPrefix("node/") else { return Self.refusal(404, "unknown target \(target.prefix(64))") }
        let name = target == "node" ? nodes.first?.name : String(target.dropFirst(5))
        guard let managed = nodes.first(where: { $0.name == name }) else {
            return Self.refusal(404, "no managed node named \(name ?? "(none configured)")")
        }
        let url: String
        var headers = [("Accept", "application/json")]
        if path == "/metrics" {
            guard method == "GET", let metrics = managed.metrics else { return Self.refusal(403, "metrics: GET only, and the node must have metrics configured") }
            url = metrics
            headers = [("Accept", "text/plain")]
        } else if Self.isKeymanagerPath(path) {
            guard ["GET", "POST", "DELETE"].contains(method), let keymanager = managed.keymanager, let token = tokens[managed.name] else {
                return Self.refusal(403, "the keymanager API of \(managed.name) is not configured here")
            }
            url = keymanager
            // The token stays here: the device never sees it.
            headers.append(("Authorization", "Bearer \(token)"))
        } else {
            guard method == "GET", Self.beaconPrefixes.contains(where: { path.hasPrefix($0) }) else {
                return Self.refusal(403, "\(method) \(path.prefix(100)) is not on the Beacon API allow-list")
            }
            url = managed.rest
        }
        guard let base = HTTPURL(url), let httpMethod = Self.methods[method] else {
            return Self.refusal(500, "the node's URL is not usable")
        }
        if !body.isEmpty { headers.append(("Content-Type", "application/json")) }
        do {
            let response = try await client.request(
                httpMethod, base.basePath + path, at: .tcp(host: base.host, port: base.port), headers: headers,
                body: body.isEmpty ? nil : body, timeout: .seconds(10), maximumBody: 32 << 20)
            return (response.status, response.header("Content-Type") ?? "application/octet-stream", response.body)
        } catch {
            return Self.refusal(502, "\(managed.name) did not answer: \(error)")
        }
    }

    static func nowMillis() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }

    static let methods: [String: HTTPMethod] = ["GET": .GET, "POST": .POST, "DELETE": .DELETE]

    static func refusal(_ status: Int, _ message: String) -> (Int, String, [UInt8]) {
        let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return (status, "application/json", Array("{\"code\":\(status),\"message\":\"\(escaped)\"}".utf8))
    }
}
