/// Splits a byte stream into frames. Pure: feed it whatever `read` returned, in any split, then drain `next()`.
///
/// The decoder checks the header as soon as its 12 bytes are in, so an oversize or malformed header is rejected
/// before the body is buffered. After an error the stream is unusable: the caller must drop the link.
public struct FrameDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0
    private var pendingHeader: FrameHeader?
    private let limit: Int

    public init(limit: Int = FrameHeader.maximumBodyLength) {
        precondition(limit <= FrameHeader.maximumBodyLength)
        self.limit = limit
    }

    /// Bytes received but not yet returned as a frame. Zero at a clean frame boundary.
    public var bufferedByteCount: Int { buffer.count - start }

    /// Appends received bytes.
    public mutating func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        buffer.append(contentsOf: bytes)
    }

    /// Returns the next complete frame, or nil when more bytes are needed.
    public mutating func next() throws(IPCError) -> Frame? {
        if pendingHeader == nil {
            guard bufferedByteCount >= FrameHeader.size else { return nil }
            pendingHeader = try FrameHeader(decoding: buffer[start..<start + FrameHeader.size], limit: limit)
            start += FrameHeader.size
        }
        guard let header = pendingHeader, bufferedByteCount >= Int(header.bodyLength) else { return nil }
        let end = start + Int(header.bodyLength)
        let frame = Frame(type: header.type, requestID: header.requestID, body: Array(buffer[start..<end]))
        start = end
        pendingHeader = nil
        compact()
        return frame
    }

    /// Reclaims consumed bytes once they dominate the buffer, keeping appends amortised O(1).
    private mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 4096 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }
}
