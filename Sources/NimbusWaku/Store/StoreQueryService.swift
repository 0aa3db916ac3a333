/// The service side of 13/WAKU2-STORE v3: validates a query, runs it against an archive, and builds the page and
/// its cursor. Pure apart from the archive it is given.
public struct StoreQueryService: Sendable {
    /// The archive queried.
    public let archive: any MessageArchive

    /// A service over `archive`.
    public init(archive: any MessageArchive) {
        self.archive = archive
    }

    /// The response to `request`. Pages hold at most 100 messages (20 by default); within a page messages are
    /// in traversal order (oldest first when forward, newest first when backward), and the cursor is the hash
    /// of the page's last message when more follow.
    public func answer(_ request: StoreQueryRequest) -> StoreQueryResponse {
        func failure(_ code: UInt32, _ description: String) -> StoreQueryResponse {
            StoreQueryResponse(requestID: request.requestID, statusCode: code, statusDescription: description)
        }
        let hasContentFilter =
            request.pubsubTopic != nil || !request.contentTopics.isEmpty
            || request.timeStart != nil || request.timeEnd != nil
        if !request.messageHashes.isEmpty && hasContentFilter {
            return failure(400, "a query selects either by message hashes or by content filter, not both")
        }
        if !request.contentTopics.isEmpty && request.pubsubTopic == nil {
            return failure(400, "content topics need a pubsub topic")
        }
        if let start = request.timeStart, let end = request.timeEnd, start > end {
            return failure(400, "time_start is after time_end")
        }
        let limit = Int(
            min(request.paginationLimit ?? StoreQueryRequest.defaultPageSize, StoreQueryRequest.maxPageSize))
        let criteria = StoreCriteria(
            pubsubTopic: request.pubsubTopic, contentTopics: Set(request.contentTopics), timeStart: request.timeStart,
            timeEnd: request.timeEnd, messageHashes: Set(request.messageHashes))
        do {
            var cursorKey: StoreSortKey?
            if let cursor = request.paginationCursor {
                guard let key = try archive.sortKey(of: cursor) else { return failure(400, "cursor not found") }
                cursorKey = key
            }
            // One more than the page tells whether another page follows.
            let rows = try archive.select(
                criteria, after: cursorKey, forward: request.paginationForward, limit: max(limit, 1) + 1)
            let page = Array(rows.prefix(max(limit, 1)))
            let cursor = rows.count > page.count ? page.last?.hash : nil
            let entries = page.map { row in
                request.includeData
                    ? StoreQueryResponse.Entry(
                        messageHash: row.hash, message: row.message, pubsubTopic: row.pubsubTopic)
                    : StoreQueryResponse.Entry(messageHash: row.hash)
            }
            return StoreQueryResponse(
                requestID: request.requestID, statusCode: 200, statusDescription: "OK", messages: entries,
                paginationCursor: cursor)
        } catch {
            return failure(503, "store unavailable")
        }
    }
}
