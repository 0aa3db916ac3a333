/// The framing every Waku request-response protocol and gossipsub use on a libp2p stream: each message is preceded
/// by its length as an unsigned varint (multiformats unsigned-varint: at most 9 bytes, minimally encoded).
///
/// A decoder accumulates stream chunks as they arrive and yields whole frames; a length above the limit is refused
/// before any of the body is buffered.
public struct LengthPrefixedFrames: Sendable {
    /// Bytes received but not yet returned as frames.
    private var buffer: [UInt8] = []
    private var start = 0
    /// The largest frame body accepted.
    public let maxFrameSize: Int

    /// A decoder refusing frames larger than `maxFrameSize` bytes.
    public init(maxFrameSize: Int) {
        self.maxFrameSize = maxFrameSize
    }

    /// The length prefix and body of one frame.
    public static func encode<Bytes: Collection<UInt8>>(_ body: Bytes) -> [UInt8] {
        var frame: [UInt8] = []
        frame.reserveCapacity(body.count + 5)
        ProtoWriter.appendVarint(UInt64(body.count), to: &frame)
        frame.append(contentsOf: body)
        return frame
    }

    /// Whether bytes of an unfinished frame are buffered.
    public var hasPartialFrame: Bool { start < buffer.count }

    /// Adds bytes read from the stream.
    public mutating func append<Bytes: Sequence<UInt8>>(_ chunk: Bytes) {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: chunk)
    }

    /// The next whole frame, or nil until more bytes arrive.
    public mutating func next() throws(WakuCodecError) -> [UInt8]? {
        var length: UInt64 = 0
        var index = start
        var shift: UInt64 = 0
        while true {
            guard index < buffer.count else { return nil }
            let byte = buffer[index]
            let position = index - start
            // unsigned-varint: at most 9 bytes (63 bits), and no trailing zero byte (non-minimal encodings).
            guard position < 9 else { throw .malformedVarint }
            if byte == 0 && position > 0 { throw .malformedVarint }
            length |= UInt64(byte & 0x7F) << shift
            index += 1
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        guard length <= UInt64(maxFrameSize) else {
            throw .tooLarge(what: "frame", size: length > UInt64(Int.max) ? Int.max : Int(length), limit: maxFrameSize)
        }
        guard buffer.count - index >= Int(length) else { return nil }
        let frame = Array(buffer[index..<(index + Int(length))])
        start = index + Int(length)
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        return frame
    }
}
