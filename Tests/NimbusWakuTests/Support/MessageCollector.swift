import NimbusWaku
import Synchronization

/// Collects what a subscription delivers, in the background, so that tests can wait for it with a deadline.
final class MessageCollector: Sendable {
    private let task: Task<Void, Never>

    init(_ stream: AsyncStream<WakuMessage>) {
        let box = Box()
        task = Task {
            for await message in stream { box.append(message) }
        }
        self.box = box
    }

    private final class Box: Sendable {
        let messages = Mutex<[WakuMessage]>([])
        func append(_ message: WakuMessage) { messages.withLock { $0.append(message) } }
    }

    private let box: Box

    /// The payloads so far.
    var payloads: [[UInt8]] { box.messages.withLock { $0.map(\.payload) } }

    /// Waits until at least `count` messages arrived.
    func wait(for count: Int, timeout: Duration = .seconds(20)) async -> [[UInt8]] {
        _ = await eventually(timeout: timeout) { payloads.count >= count }
        return payloads
    }

    deinit { task.cancel() }
}
