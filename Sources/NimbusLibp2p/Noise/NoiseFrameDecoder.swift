/// The framing of libp2p Noise (libp2p/specs noise/README.md, "Wire Format"): every handshake message and every
/// transport message is preceded by its length as a 2-byte big-endian integer, so no message exceeds 65535 bytes.
///
/// The decoder buffers bytes in any split and yields whole frames. A lower `maxFrameLength` (used during the
/// handshake, whose messages are small) is enforced as soon as a length prefix is read.
public struct NoiseFrameDecoder: Sendable {
    /// The largest frame the format can express.
    public static let maxLength = 65535

    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// The largest frame accepted.
    public var maxFrameLength: Int

    /// A decoder accepting frames up to `maxFrameLength` bytes (at most 65535).
    public init(maxFrameLength: Int = NoiseFrameDecoder.maxLength) {
        self.maxFrameLength = min(maxFrameLength, Self.maxLength)
    }

    /// The frame with its length prefix.
    public static func frame<Bytes: Collection<UInt8>>(_ body: Bytes) -> [UInt8] {
        precondition(body.count <= maxLength, "noise frame above 65535 bytes")
        return [UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    /// Adds bytes received from the peer.
    public mutating func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole frame's body, or nil when more bytes are needed.
    public mutating func next() throws(NoiseError) -> [UInt8]? {
        guard buffer.count - readIndex >= 2 else { return nil }
        let length = Int(buffer[readIndex]) << 8 | Int(buffer[readIndex + 1])
        guard length <= maxFrameLength else { throw .frameTooLarge(length: length, limit: maxFrameLength) }
        guard buffer.count - readIndex >= 2 + length else { return nil }
        let body = Array(buffer[(readIndex + 2)..<(readIndex + 2 + length)])
        readIndex += 2 + length
        return body
    }

    /// The number of buffered bytes not yet returned in a frame (non-zero means a frame is incomplete).
    public var bufferedCount: Int { buffer.count - readIndex }

    /// Removes and returns the buffered bytes that are not yet a whole frame.
    public mutating func takeBuffered() -> [UInt8] {
        let rest = Array(buffer[readIndex...])
        buffer = []
        readIndex = 0
        return rest
    }
}
