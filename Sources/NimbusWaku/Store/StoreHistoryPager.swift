/// The client side of a 13/WAKU2-STORE v3 history query as a pure state machine: it produces one page request
/// after another, checks each response (request id, status, and that every message hashes to the hash the store
/// claims), drops duplicates by hash, and stops at the last page, at a repeated cursor, or at `maxPages`.
public struct StoreHistoryPager: Sendable {
    /// Why a history query failed.
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// The store answered another request id.
        case mismatchedRequestID
        /// The store answered with an error status.
        case status(code: UInt32, description: String)

        /// A reason for the log and the caller.
        public var description: String {
            switch self {
            case .mismatchedRequestID: "store response answers another request"
            case .status(let code, let description): "store query failed with status \(code): \(description)"
            }
        }
    }

    /// One message received.
    public struct Result: Hashable, Sendable {
        /// The pubsub topic it was stored from.
        public let pubsubTopic: String
        /// The message.
        public let message: WakuMessage
        /// Its deterministic hash (checked).
        public let hash: WakuMessageHash
    }

    /// What is selected.
    public let criteria: StoreCriteria
    /// Messages per page asked for.
    public let pageSize: UInt64
    /// Pages fetched at most.
    public let maxPages: Int
    /// Oldest first (true) or newest first.
    public let forward: Bool
    private var generator: SplitMix64
    private var cursor: WakuMessageHash?
    private var seenCursors: Set<WakuMessageHash> = []
    private var outstanding: String?
    private var seenHashes: Set<WakuMessageHash> = []
    /// Pages received so far.
    public private(set) var pages = 0
    /// Whether no more pages will be asked for.
    public private(set) var isFinished = false
    /// Whether the query stopped at `maxPages` or a repeated cursor while the store had more.
    public private(set) var isTruncated = false
    /// Messages whose content did not match the hash the store gave; dropped.
    public private(set) var rejectedCount = 0
    /// The messages so far, without duplicates, in the order received.
    public private(set) var results: [Result] = []

    /// A query for `criteria`.
    public init(
        criteria: StoreCriteria, pageSize: UInt64 = StoreQueryRequest.maxPageSize, maxPages: Int = 100,
        forward: Bool = true, generator: SplitMix64
    ) {
        self.criteria = criteria
        self.pageSize = pageSize
        self.maxPages = maxPages
        self.forward = forward
        self.generator = generator
    }

    /// The next page request, or nil when finished.
    public mutating func nextRequest() -> StoreQueryRequest? {
        guard !isFinished else { return nil }
        let requestID = RequestID.random(using: &generator)
        outstanding = requestID
        return StoreQueryRequest(
            requestID: requestID, includeData: true, pubsubTopic: criteria.pubsubTopic,
            contentTopics: criteria.contentTopics.sorted(), timeStart: criteria.timeStart, timeEnd: criteria.timeEnd,
            messageHashes: criteria.messageHashes.sorted(), paginationCursor: cursor, paginationForward: forward,
            paginationLimit: pageSize)
    }

    /// Takes in the response to the last request.
    public mutating func receive(_ response: StoreQueryResponse) throws(Failure) {
        guard let outstanding, response.requestID == outstanding else { throw .mismatchedRequestID }
        self.outstanding = nil
        guard response.statusCode == StoreQueryResponse.statusOK else {
            isFinished = true
            throw .status(code: response.statusCode, description: response.statusDescription)
        }
        pages += 1
        for entry in response.messages {
            guard let message = entry.message, let topic = entry.pubsubTopic else { continue }
            let hash = WakuMessageHash(pubsubTopic: topic, message: message)
            guard hash == entry.messageHash else {
                rejectedCount += 1
                continue
            }
            guard seenHashes.insert(hash).inserted else { continue }
            guard criteria.messageHashes.isEmpty || criteria.messageHashes.contains(hash) else { continue }
            results.append(Result(pubsubTopic: topic, message: message, hash: hash))
        }
        guard let next = response.paginationCursor else {
            isFinished = true
            return
        }
        if pages >= maxPages || !seenCursors.insert(next).inserted {
            isFinished = true
            isTruncated = true
            return
        }
        cursor = next
    }
}
