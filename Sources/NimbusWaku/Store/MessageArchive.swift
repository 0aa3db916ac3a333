/// Where a store node keeps messages: in memory for tests and small nodes, in SQLite (`SQLiteMessageArchive`)
/// for the service role. Both order by `StoreSortKey` and paginate by message-hash cursor the same way, which
/// the tests check against each other.
public protocol MessageArchive: Sendable {
    /// Stores a message; false if its hash is already stored (deduplication by hash).
    func insert(_ entry: ArchivedMessage) throws -> Bool

    /// The sort key of a stored message, nil if unknown (a cursor must name a stored message).
    func sortKey(of hash: WakuMessageHash) throws -> StoreSortKey?

    /// Up to `limit` messages matching `criteria` strictly after (`forward`) or before `cursor` in store order,
    /// in traversal order (ascending when forward, descending when backward).
    func select(_ criteria: StoreCriteria, after cursor: StoreSortKey?, forward: Bool, limit: Int) throws
        -> [ArchivedMessage]

    /// Deletes messages stored before `receivedBefore` (ns) and then the oldest beyond `maxCount`; returns how
    /// many were deleted.
    func prune(receivedBefore: Int64, maxCount: Int) throws -> Int

    /// The number of stored messages.
    func count() throws -> Int
}
