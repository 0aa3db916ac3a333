/// One answer shared by everyone who asks within `freshness` of it: the node pollers each ask the installer about
/// the launched nodes after their poll, and polls of a slot finish together, so N nodes would otherwise make N
/// identical requests per slot. Callers that arrive while a fetch runs wait for that fetch.
public actor SharedAnswer<Value: Sendable> {
    private let freshness: Duration
    private let fetch: @Sendable () async -> Value
    private var last: (value: Value, at: ContinuousClock.Instant)?
    private var running: Task<Value, Never>?
    /// How many fetches ran (for tests and metrics).
    public private(set) var fetches = 0

    public init(freshness: Duration, fetch: @escaping @Sendable () async -> Value) {
        self.freshness = freshness
        self.fetch = fetch
    }

    public func value() async -> Value {
        if let last, ContinuousClock.now - last.at < freshness { return last.value }
        if let running { return await running.value }
        let fetch = self.fetch
        let task = Task { await fetch() }
        running = task
        fetches += 1
        let value = await task.value
        running = nil
        last = (value, ContinuousClock.now)
        return value
    }
}
