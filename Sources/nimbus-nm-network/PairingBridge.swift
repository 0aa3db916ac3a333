import Crypto
import Foundation
import GRDB
import Logging
import NimbusIPC
import NimbusRuntime
import NimbusStore
import NimbusWaku
import Synchronization

/// The network role's part in pairing: it carries the signer's public pairing frames over Waku (only on pairing
/// rendezvous topics, only small frames), answers with its session key, and mirrors paired devices into its own
/// database so that alerts reach their outboxes and revoked devices are dropped at once. It never sees the code.
final class PairingBridge: Sendable {
    static let topicPrefix = "/nimbus-nm/1/pair-"
    static let maximumFrameBytes = 1024

    private let node: WakuNode
    private let signer: PeerLink
    private let database: RoleDatabase
    private let logger: Logger
    /// The public half of the key devices pin for sessions with this host (`RemoteSessions` holds the private half).
    let hostKey: [UInt8]
    /// Told about device changes, so that sessions open and close with them.
    private let onDeviceChange: @Sendable (DeviceChange) -> Void
    private let forwarders = Mutex<[String: Task<Void, Never>]>([:])

    init(
        node: WakuNode, signer: PeerLink, database: RoleDatabase, hostKey: [UInt8], logger: Logger,
        onDeviceChange: @escaping @Sendable (DeviceChange) -> Void
    ) {
        self.onDeviceChange = onDeviceChange
        self.node = node
        self.signer = signer
        self.database = database
        self.logger = logger
        self.hostKey = hostKey
    }

    /// A pairing topic: the prefix, 16 lowercase hex digits, "/proto". Anything else is refused (the signer may not
    /// use this bridge as a general Waku relay).
    static func isPairingTopic(_ topic: String) -> Bool {
        guard topic.hasPrefix(topicPrefix), topic.hasSuffix("/proto") else { return false }
        let middle = topic.dropFirst(topicPrefix.count).dropLast("/proto".count)
        return middle.count == 16 && middle.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    func handle(_ message: IPCMessage) {
        switch message {
        case let .pairingTopic(topic, subscribe):
            guard Self.isPairingTopic(topic) else {
                logger.warning("pairing topic refused", metadata: ["topic": "\(topic.prefix(100))"])
                return
            }
            subscribe ? start(topic) : stop(topic)
        case let .pairingPublish(topic, payload):
            guard Self.isPairingTopic(topic), payload.count <= Self.maximumFrameBytes else {
                logger.warning("pairing frame refused", metadata: ["bytes": "\(payload.count)"])
                return
            }
            let node = self.node
            let logger = self.logger
            Task.detached {
                do { try await node.publish(contentTopic: topic, payload: payload) } catch {
                    logger.warning("pairing frame not published: \(error)")
                }
            }
        case let .deviceChange(change):
            record(change)
        default:
            break
        }
    }

    private func start(_ topic: String) {
        let signer = self.signer
        let node = self.node
        let task = Task.detached {
            let stream = await node.subscribe(contentTopics: [topic])
            for await message in stream {
                guard message.payload.count <= Self.maximumFrameBytes else { continue }
                _ = signer.notify(.pairingMessage(topic: topic, payload: message.payload))
            }
        }
        forwarders.withLock { forwarders in
            forwarders[topic]?.cancel()
            forwarders[topic] = task
        }
        logger.info("pairing rendezvous open", metadata: ["topic": "\(topic)"])
    }

    private func stop(_ topic: String) {
        forwarders.withLock { $0.removeValue(forKey: topic) }?.cancel()
        logger.info("pairing rendezvous closed", metadata: ["topic": "\(topic)"])
    }

    func stopAll() {
        forwarders.withLock { forwarders in
            forwarders.values.forEach { $0.cancel() }
            forwarders.removeAll()
        }
    }

    private func record(_ change: DeviceChange) {
        let id = "device-\(change.id)"
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        do {
            try database.write { db in
                if change.revoked {
                    try db.execute(sql: "UPDATE devices SET revoked_at_millis = coalesce(revoked_at_millis, ?) WHERE id = ?",
                                   arguments: [now, id])
                    // A revoked device has nothing left to collect.
                    try db.execute(sql: "DELETE FROM outbox WHERE device_id = ?", arguments: [id])
                } else {
                    try db.execute(
                        sql: """
                            INSERT INTO devices (id, name, added_at_millis, static_key) VALUES (?, ?, ?, ?)
                            ON CONFLICT (id) DO NOTHING
                            """,
                        arguments: [id, change.name, now, Data(change.staticKey)])
                }
            }
            logger.notice(change.revoked ? "device revoked" : "device paired", metadata: ["device": "\(id)"])
            onDeviceChange(change)
        } catch {
            logger.error("cannot record a device change: \(error)")
        }
    }

    /// The role's X25519 session key (created on first use, 0600): (public, private) raw bytes.
    static func sessionKeys(stateDir: String) throws -> (public: [UInt8], private: [UInt8]) {
        let key = try loadSessionKey(stateDir + "/session-identity.key")
        return (Array(key.publicKey.rawRepresentation), Array(key.rawRepresentation))
    }

    private static func loadSessionKey(_ path: String) throws -> Curve25519.KeyAgreement.PrivateKey {
        if let data = FileManager.default.contents(atPath: path) {
            return try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: data)
        }
        let key = Curve25519.KeyAgreement.PrivateKey()
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw WakuRuntime.Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let raw = Array(key.rawRepresentation)
        let written = raw.withUnsafeBytes { write(descriptor, $0.baseAddress, raw.count) }
        guard written == raw.count, fsync(descriptor) == 0 else { throw WakuRuntime.Failure(description: "cannot write \(path)") }
        return key
    }
}
