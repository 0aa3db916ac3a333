import Crypto
import Foundation
import Logging
import NimbusIPC
import NimbusNetworkCore
import NimbusRuntime
import NimbusWaku
import NimbusWakuPairing

/// The host's side of `nimbus pair --qr` (43/WAKU2-DEVICE-PAIRING, `docs/waku_device_pairing.md`). It runs here,
/// not in the signer like the PAKE, because the handshake proves the host's static key, which is this role's session
/// key. The person at the host compares the 8-digit code with the device's before anything is pinned; the device is
/// then recorded by the signer as vouched for by this role (`networkPairedDevice`).
actor WakuDevicePairings {
    /// How long a pairing may wait for the person or the device.
    static let timeout: Duration = .seconds(120)
    /// At most this many pairings at once: each holds a subscription.
    static let maximumPending = 4

    /// What the CLI learns when a pairing starts.
    struct Started: Sendable {
        var id: String
        var authCode: String
        var contentTopic: String
    }

    typealias Refusal = ControlAPI.Refused

    private struct Pending {
        var handshake: WakuPairingHandshake
        var name: String
        var topic: String
        var reader: Task<Void, Never>
        var deadline: ContinuousClock.Instant
        /// Set once the person confirmed: resumed when the device's key is pinned or the pairing fails.
        var completion: CheckedContinuation<[UInt8], any Error>?
    }

    private let node: WakuNode
    private let hostPrivateKey: Curve25519.KeyAgreement.PrivateKey
    private let signer: PeerLink
    private let logger: Logger
    private var pending: [String: Pending] = [:]

    init(node: WakuNode, hostPrivateKey: [UInt8], signer: PeerLink, logger: Logger) throws {
        self.node = node
        self.hostPrivateKey = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: hostPrivateKey)
        self.signer = signer
        self.logger = logger
    }

    /// Parses the QR, subscribes to its topic, publishes message 1 and returns the code to compare.
    func start(qr text: String, nametag hex: String, name: String?) async throws -> Started {
        expire()
        guard pending.count < Self.maximumPending else {
            throw Refusal(status: 429, message: "\(Self.maximumPending) pairings are already waiting; finish or cancel one")
        }
        let qr: WakuPairingQR
        let nametag: MessageNametag
        do {
            qr = try WakuPairingQR(parsing: text)
            nametag = try MessageNametag(hex: hex)
        } catch {
            throw Refusal(status: 400, message: "\(error)")
        }
        let deviceName = String((name ?? qr.applicationName).prefix(64))
        guard !deviceName.isEmpty else { throw Refusal(status: 400, message: "the device needs a name (--name)") }
        let secrets = WakuPairingSecrets.fresh(staticKey: hostPrivateKey) { count in
            var bytes = [UInt8](repeating: 0, count: count)
            var generator = SystemRandomNumberGenerator()
            for index in bytes.indices { bytes[index] = generator.next() }
            return bytes
        }
        var handshake = WakuPairingHandshake(initiatorScanning: qr, qrMessageNametag: nametag, secrets: secrets)
        let actions: [WakuPairingHandshake.Action]
        do { actions = try handshake.start() } catch { throw Refusal(status: 400, message: "\(error)") }
        // The form @waku/noise uses since 2024: The Waku Network's autosharding needs a four-part content topic.
        let topic = qr.contentTopic(.autosharding)
        let id = UUID().uuidString.lowercased()
        let messages = await node.subscribe(contentTopics: [topic])
        let reader = Task { [weak self] in
            for await message in messages { await self?.received(message.payload, for: id) }
        }
        pending[id] = Pending(
            handshake: handshake, name: deviceName, topic: topic, reader: reader,
            deadline: .now + Self.timeout)
        var code = ""
        for action in actions {
            switch action {
            case let .publish(bytes): try await publish(bytes, on: topic)
            case let .compareAuthCode(authCode): code = authCode.digits
            case .paired: break
            }
        }
        logger.notice("waku device pairing started", metadata: ["pairing": "\(id.prefix(8))", "topic": "\(topic)"])
        return Started(id: id, authCode: code, contentTopic: topic)
    }

    /// The person compared the codes: `same` continues the handshake and waits for the device's key; otherwise
    /// the pairing ends.
    func confirm(_ id: String, same: Bool) async throws -> (name: String, staticKey: [UInt8]) {
        expire()
        guard var entry = pending[id] else {
            throw Refusal(status: 404, message: "no pairing \(id.prefix(8)) is waiting (it may have expired)")
        }
        guard same else {
            entry.handshake.rejectAuthCode()
            finish(id)
            logger.notice("waku device pairing rejected by the person", metadata: ["pairing": "\(id.prefix(8))"])
            throw Refusal(status: 409, message: "the codes differ: pairing cancelled, nothing was pinned")
        }
        let actions: [WakuPairingHandshake.Action]
        do { actions = try entry.handshake.confirmAuthCode() } catch {
            finish(id)
            throw Refusal(status: 409, message: "pairing failed: \(error)")
        }
        pending[id] = entry
        let deadline = entry.deadline
        let name = entry.name
        let key = try await withCheckedThrowingContinuation { continuation in
            pending[id]?.completion = continuation
            Task { await self.perform(actions, for: id) }
            Task {
                try? await Task.sleep(until: deadline)
                await self.fail(id, Refusal(status: 504, message: "the device did not finish the handshake in time"))
            }
        }
        return (name, key)
    }

    private func received(_ payload: [UInt8], for id: String) async {
        guard var entry = pending[id] else { return }
        let actions: [WakuPairingHandshake.Action]
        do {
            actions = try entry.handshake.receive(payload)
        } catch WakuPairingError.unexpectedNametag {
            return  // the topic is shared: someone else's message, or our own echo
        } catch {
            pending[id] = entry
            fail(id, Refusal(status: 409, message: "pairing failed: \(error)"))
            return
        }
        pending[id] = entry
        await perform(actions, for: id)
    }

    private func perform(_ actions: [WakuPairingHandshake.Action], for id: String) async {
        for action in actions {
            guard let entry = pending[id] else { return }
            switch action {
            case let .publish(bytes):
                do { try await publish(bytes, on: entry.topic) } catch {
                    fail(id, Refusal(status: 502, message: "cannot publish on Waku: \(error)"))
                }
            case .compareAuthCode:
                break
            case let .paired(session):
                let key = session.remoteStaticKey
                _ = signer.notify(.networkPairedDevice(NetworkPairedDevice(name: entry.name, staticKey: key)))
                logger.notice("waku device paired", metadata: ["pairing": "\(id.prefix(8))"])
                entry.completion?.resume(returning: key)
                finish(id)
            }
        }
    }

    private func publish(_ bytes: [UInt8], on topic: String) async throws {
        try await node.publish(contentTopic: topic, payload: bytes, version: 2)
    }

    private func fail(_ id: String, _ refusal: Refusal) {
        guard let entry = pending[id] else { return }
        logger.warning("waku device pairing failed", metadata: ["pairing": "\(id.prefix(8))", "reason": "\(refusal)"])
        entry.completion?.resume(throwing: refusal)
        finish(id)
    }

    private func finish(_ id: String) {
        pending.removeValue(forKey: id)?.reader.cancel()
    }

    /// Pairings nobody confirmed in time are dropped.
    private func expire() {
        let now = ContinuousClock.now
        for (id, entry) in pending where entry.deadline < now && entry.completion == nil { finish(id) }
    }
}
