/// The gossipsub seen-cache ("seen messages", libp2p pubsub): message ids received or published recently, so that
/// a message arriving again over another path is neither delivered nor forwarded twice. Entries expire after a
/// fixed time-to-live; since the TTL is the same for all, insertion order is expiry order and a queue suffices.
public struct SeenCache: Sendable {
    /// How long an id is remembered (nwaku: 2 minutes).
    public let timeToLive: Duration
    private var expiries: [[UInt8]: Duration] = [:]
    private var queue: [(id: [UInt8], expiry: Duration)] = []
    private var head = 0

    /// An empty cache remembering ids for `timeToLive`.
    public init(timeToLive: Duration) {
        self.timeToLive = timeToLive
    }

    /// The number of ids remembered.
    public var count: Int { expiries.count }

    /// Whether `id` was seen and has not expired by `now`.
    public func contains(_ id: [UInt8], now: Duration) -> Bool {
        guard let expiry = expiries[id] else { return false }
        return expiry > now
    }

    /// Records `id` at `now`; false if it was already remembered (a duplicate).
    public mutating func insert(_ id: [UInt8], now: Duration) -> Bool {
        sweep(now: now)
        guard expiries[id] == nil else { return false }
        let expiry = now + timeToLive
        expiries[id] = expiry
        queue.append((id, expiry))
        return true
    }

    /// Forgets ids whose time-to-live has passed at `now`.
    public mutating func sweep(now: Duration) {
        while head < queue.count, queue[head].expiry <= now {
            let entry = queue[head]
            if expiries[entry.id] == entry.expiry { expiries[entry.id] = nil }
            head += 1
        }
        if head > 1024 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
    }
}
