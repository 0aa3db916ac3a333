import Foundation
import NimbusIPC
import NimbusRuntime
import NimbusSignerKeys
import Synchronization

/// The pairing relay over the network link: topics and frames go to the network role as notifications, messages
/// come back as `pairingMessage` notifications and wait in a queue per topic for the pairing thread.
final class IPCPairingRelay: PairingRelay, Sendable {
    private let network: PeerLink
    private let queues = Mutex<[String: [[UInt8]]]>([:])
    private let arrived = DispatchSemaphore(value: 0)
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
        queues.withLock { $0[topic] = [] }
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
        let accepted = queues.withLock { queues -> Bool in
            guard var queue = queues[topic], queue.count < Self.queueLimit else { return false }
            queue.append(payload)
            queues[topic] = queue
            return true
        }
        if accepted { arrived.signal() }
    }

    func receive(topic: String, timeout: Duration) -> [UInt8]? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let payload = queues.withLock({ queues -> [UInt8]? in
                guard var queue = queues[topic], !queue.isEmpty else { return nil }
                let first = queue.removeFirst()
                queues[topic] = queue
                return first
            }) {
                return payload
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return nil }
            let (seconds, attoseconds) = remaining.components
            _ = arrived.wait(timeout: .now() + .nanoseconds(Int(min(seconds, 60) * 1_000_000_000 + attoseconds / 1_000_000_000)))
        }
    }

    func deviceChanged(_ device: StoredDevice) {
        _ = network.notify(.deviceChange(DeviceChange(
            id: UInt64(device.id), name: device.name, staticKey: device.staticKey, revoked: device.revokedAtMillis != nil)))
    }

    struct RelayError: Error, CustomStringConvertible {
        var description: String
    }
}
