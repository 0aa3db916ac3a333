/// The sending half of a relay peer: gossipsub sends on a stream this node opened, one length-prefixed RPC after
/// another. RPCs queue here (bounded: beyond `limit` new ones are dropped, as gossip tolerates loss) and a task
/// writes them in order.
final class RelaySender: Sendable {
    private let continuation: AsyncStream<[UInt8]>.Continuation
    private let task: Task<Void, Never>

    /// Starts writing to `stream`; `onFailure` runs once if a write fails.
    init(stream: any WakuStream, limit: Int, onFailure: @escaping @Sendable () async -> Void) {
        let (frames, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingOldest(limit))
        self.continuation = continuation
        task = Task {
            for await frame in frames {
                do {
                    try await stream.write(frame)
                } catch {
                    await onFailure()
                    break
                }
            }
            await stream.close()
        }
    }

    /// Queues an RPC; false if the queue is full and it was dropped.
    @discardableResult
    func send(_ rpc: GossipRPC) -> Bool {
        if case .enqueued = continuation.yield(LengthPrefixedFrames.encode(rpc.encoded())) { return true }
        return false
    }

    /// Stops writing and closes the stream.
    func finish() {
        continuation.finish()
    }
}
