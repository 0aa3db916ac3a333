/// The device's side of one answer: puts the head and chunks together in any order, ignores duplicates, and when
/// nothing has arrived for a while says what to ask again (docs/http_over_waku.md, "Loss and repeats"). Pure.
public struct ResponseAssembly: Sendable {
    public struct Head: Sendable, Equatable {
        public var status: Int
        public var contentType: String
        public var chunks: Int
        public var deflatedFrom: Int
    }

    /// What to send after a quiet interval.
    public enum Retry: Sendable, Equatable {
        /// Something arrived since the last check: wait.
        case none
        /// Nothing arrived at all: the request again, with the same stream id (the host runs it once).
        case repeatRequest
        /// Some parts are missing: ask for them.
        case resend(head: Bool, indices: [UInt16])
    }

    public private(set) var head: Head?
    private var chunks: [Int: [UInt8]] = [:]
    private var progressed = false

    public init() {}

    /// Takes a response frame of this stream; false for a duplicate or one that cannot belong (an index past the
    /// announced count).
    @discardableResult
    public mutating func accept(_ frame: HTTPFrame) -> Bool {
        switch frame {
        case let .responseHead(_, status, contentType, count, deflatedFrom):
            guard head == nil, count != HTTPFrame.streaming else { return false }
            if let highest = chunks.keys.max(), highest >= Int(count) { return false }
            head = Head(status: Int(status), contentType: contentType, chunks: Int(count), deflatedFrom: Int(deflatedFrom))
        case let .responseChunk(_, index, bytes):
            guard chunks[Int(index)] == nil, head.map({ Int(index) < $0.chunks }) ?? true else { return false }
            chunks[Int(index)] = bytes
        default:
            return false
        }
        progressed = true
        return true
    }

    public var isComplete: Bool {
        guard let head else { return false }
        return chunks.count == head.chunks
    }

    /// The reassembled body (still deflated when `head.deflatedFrom` > 0); only once complete.
    public var body: [UInt8] {
        guard let head else { return [] }
        return (0..<head.chunks).flatMap { chunks[$0] ?? [] }
    }

    /// Called every retry interval.
    public mutating func retry() -> Retry {
        defer { progressed = false }
        guard !progressed, !isComplete else { return .none }
        guard let head else { return chunks.isEmpty ? .repeatRequest : .resend(head: true, indices: []) }
        let missing = (0..<head.chunks).filter { chunks[$0] == nil }.prefix(HTTPFrame.maximumResendIndices)
        return .resend(head: false, indices: missing.map { UInt16($0) })
    }
}
