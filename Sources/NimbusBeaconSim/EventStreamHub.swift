import NIOCore
import NIOHTTP1
import Synchronization

/// The open server-sent-event streams and the topics each asked for.
public final class EventStreamHub: Sendable {
    private struct Subscriber: Sendable {
        var channel: any Channel
        var topics: Set<String>
    }

    private let subscribers = Mutex<[ObjectIdentifier: Subscriber]>([:])

    /// An empty hub.
    public init() {}

    /// Adds a stream; it is dropped when its connection closes.
    func subscribe(channel: any Channel, topics: Set<String>) {
        let key = ObjectIdentifier(channel)
        subscribers.withLock { $0[key] = Subscriber(channel: channel, topics: topics) }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: key) }
        }
    }

    /// Number of open streams.
    public var count: Int { subscribers.withLock { $0.count } }

    /// Sends `data` as event `topic` to every stream that asked for it.
    public func publish(topic: String, data: String) {
        let frame = "event: \(topic)\ndata: \(data)\n\n"
        let targets = subscribers.withLock { $0.values.filter { $0.topics.contains(topic) }.map(\.channel) }
        for channel in targets {
            channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: frame))), promise: nil)
        }
    }

    /// Ends every stream (shutdown).
    public func closeAll() {
        let targets = subscribers.withLock { $0.values.map(\.channel) }
        for channel in targets {
            channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
