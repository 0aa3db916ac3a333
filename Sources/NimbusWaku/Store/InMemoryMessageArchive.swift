import Synchronization

/// A `MessageArchive` in memory, sorted by `StoreSortKey`.
public final class InMemoryMessageArchive: MessageArchive {
    private struct State {
        var entries: [ArchivedMessage] = []
        var keys: [WakuMessageHash: StoreSortKey] = [:]
    }

    private let state = Mutex(State())

    /// An empty archive.
    public init() {}

    /// Stores a message unless its hash is already stored.
    public func insert(_ entry: ArchivedMessage) throws -> Bool {
        state.withLock { state in
            guard state.keys[entry.hash] == nil else { return false }
            let key = entry.sortKey
            let index = state.entries.partitioningIndex { $0.sortKey >= key }
            state.entries.insert(entry, at: index)
            state.keys[entry.hash] = key
            return true
        }
    }

    /// The sort key of a stored message.
    public func sortKey(of hash: WakuMessageHash) throws -> StoreSortKey? {
        state.withLock { $0.keys[hash] }
    }

    /// Matching messages after the cursor, in traversal order.
    public func select(_ criteria: StoreCriteria, after cursor: StoreSortKey?, forward: Bool, limit: Int) throws
        -> [ArchivedMessage]
    {
        state.withLock { state in
            var page: [ArchivedMessage] = []
            let ordered: [ArchivedMessage] = forward ? state.entries : state.entries.reversed()
            for entry in ordered where page.count < limit {
                if let cursor {
                    let key = entry.sortKey
                    if forward ? key <= cursor : key >= cursor { continue }
                }
                if criteria.matches(entry) { page.append(entry) }
            }
            return page
        }
    }

    /// Deletes old messages, then the oldest beyond `maxCount`.
    public func prune(receivedBefore: Int64, maxCount: Int) throws -> Int {
        state.withLock { state in
            let before = state.entries.count
            state.entries.removeAll { $0.receivedAt < receivedBefore }
            if state.entries.count > maxCount {
                // Oldest by arrival, as the SQLite archive deletes.
                let victims = state.entries.sorted { ($0.receivedAt, $0.hash) < ($1.receivedAt, $1.hash) }
                    .prefix(state.entries.count - maxCount)
                let gone = Set(victims.map(\.hash))
                state.entries.removeAll { gone.contains($0.hash) }
            }
            state.keys = Dictionary(uniqueKeysWithValues: state.entries.map { ($0.hash, $0.sortKey) })
            return before - state.entries.count
        }
    }

    /// The number of stored messages.
    public func count() throws -> Int {
        state.withLock { $0.entries.count }
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, for a predicate that is false and then true along the
    /// array (binary search).
    fileprivate func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
