import Foundation
import NimbusIPC
import NimbusRuntime
import NimbusSignerKeys
import Synchronization

/// The pairing relay over the network link: topics and frames go to the network role as notifications, messages
/// come back as `pairingMessage` notifications and wait in a queue per topic for the pairing thread.
final class IPCPairingRelay: PairingRelay, Sendable {
    private let network: PeerLink
    /// Per topic: the messages not yet read, and a semaphore counting them (one per topic, so that a reader of one
    /// topic never takes the wake-up meant for another).
    private let queues = Mutex<[String: (messages: [[UInt8]], arrived: DispatchSemaphore)]>([:])
    /// Messages kept per topic while nobody reads them: a pairing run needs a handful.
    static let queueLimit = 64

    init(network: PeerLink) {
        self.network = network
    }

    func hostKey() throws -> [UInt8] {
        // The pairing thread blocks here; the reply arrives on the link's reader thread.
        let result = Mutex<Result<IPCMessage, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let network = self.network
        Task.detached {
            let outcome: Result<IPCMessage, any Error>
            do { outcome = .success(try await network.request(.hostKeyRequest, timeout: .seconds(5))) } catch {
                outcome = .failure(error)
            }
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        guard case .success(.hostKey(let key))? = result.withLock({ $0 }), key.count == 32 else {
            throw RelayError(description: "the network role did not give its session key (is it running?)")
        }
        return key
    }

    func subscribe(topic: String) {
        queues.withLock { $0[topic] = ([], DispatchSemaphore(value: 0)) }
        _ = network.notify(.pairingTopic(topic: topic, subscribe: true))
    }

    func unsubscribe(topic: String) {
        queues.withLock { $0[topic] = nil }
        _ = network.notify(.pairingTopic(topic: topic, subscribe: false))
    }

    func publish(topic: String, payload: [UInt8]) {
        _ = network.notify(.pairingPublish(topic: topic, payload: payload))
    }

    /// Called on the link's reader thread.
    func deliver(topic: String, payload: [UInt8]) {
        let arrived = queues.withLock { queues -> DispatchSemaphore? in
            guard var queue = queues[topic], queue.messages.count < Self.queueLimit else { return nil }
            queue.messages.append(payload)
            queues[topic] = queue
            return queue.arrived
        }
        arrived?.signal()
    }

    func receive(topic: String, timeout: Duration) -> [UInt8]? {
        guard let arrived = queues.withLock({ $0[topic]?.arrived }) else { return nil }
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(min(seconds, 3600)) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        // Each message signalled once: a successful wait means one is queued for this topic.
        guard arrived.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success else { return nil }
        return queues.withLock { queues -> [UInt8]? in
            guard var queue = queues[topic], !queue.messages.isEmpty else { return nil }
            let first = queue.messages.removeFirst()
            queues[topic] = queue
            return first
        }
    }

    private let revoked = Mutex<(@Sendable (Int64) -> Void)?>(nil)

    /// Called with a device's id when it is revoked.
    func onRevoke(_ handler: @escaping @Sendable (Int64) -> Void) {
        revoked.withLock { $0 = handler }
    }

    func deviceChanged(_ device: StoredDevice) {
        if device.revokedAtMillis != nil { revoked.withLock { $0 }?(device.id) }
        _ = network.notify(.deviceChange(DeviceChange(
            id: UInt64(device.id), name: device.name, staticKey: device.staticKey, revoked: device.revokedAtMillis != nil)))
    }

    struct RelayError: Error, CustomStringConvertible {
        var description: String
    }
}
