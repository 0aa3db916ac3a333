/// One yamux frame (hashicorp/yamux spec.md, "Framing"; libp2p/specs yamux/README.md): a 12-byte big-endian
/// header — version (0), type, flags, stream id, length — then, for data frames only, `length` bytes of data.
/// For window updates the length is the window increment, for pings an opaque value, for go-away an error code.
public struct YamuxFrame: Equatable, Sendable {
    /// The frame type.
    public enum FrameType: UInt8, Sendable {
        /// Stream data.
        case data = 0
        /// A send-window increment.
        case windowUpdate = 1
        /// Session liveness and round-trip measurement (stream id 0).
        case ping = 2
        /// Session termination (stream id 0).
        case goAway = 3
    }

    /// The frame flags.
    public struct Flags: OptionSet, Hashable, Sendable {
        /// The 16-bit flag field.
        public let rawValue: UInt16
        /// Flags from the raw field.
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        /// Opens a stream, or is a ping request.
        public static let syn = Flags(rawValue: 0x1)
        /// Acknowledges a stream, or is a ping response.
        public static let ack = Flags(rawValue: 0x2)
        /// Half-closes the sender's direction.
        public static let fin = Flags(rawValue: 0x4)
        /// Resets the stream.
        public static let rst = Flags(rawValue: 0x8)
    }

    /// Go-away codes (spec "Go Away").
    public enum GoAwayCode: UInt32, Sendable {
        /// Normal termination.
        case normal = 0
        /// The peer broke the protocol.
        case protocolError = 1
        /// An internal error.
        case internalError = 2
    }

    /// The header length.
    public static let headerLength = 12

    /// The frame type.
    public var type: FrameType
    /// The flags.
    public var flags: Flags
    /// The stream id (0 for the session).
    public var streamID: UInt32
    /// The data length, window increment, ping value or go-away code.
    public var length: UInt32
    /// The data (data frames only).
    public var payload: [UInt8]

    /// A frame from its fields; for data frames the length is the payload's.
    public init(type: FrameType, flags: Flags = [], streamID: UInt32, length: UInt32 = 0, payload: [UInt8] = []) {
        self.type = type
        self.flags = flags
        self.streamID = streamID
        self.length = type == .data ? UInt32(payload.count) : length
        self.payload = payload
    }

    /// The wire bytes.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = [0, type.rawValue, UInt8(flags.rawValue >> 8), UInt8(flags.rawValue & 0xFF)]
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: streamID >> shift)) }
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: length >> shift)) }
        return bytes + payload
    }
}

/// Splits a byte stream into yamux frames, in any split; a data length above the limit is refused as soon as the
/// header is read.
public struct YamuxFrameDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private let maxDataLength: UInt32

    /// A decoder accepting data frames up to `maxDataLength` bytes.
    public init(maxDataLength: UInt32) {
        self.maxDataLength = maxDataLength
    }

    /// Adds bytes from the connection.
    public mutating func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Bytes of an incomplete frame.
    public var bufferedCount: Int { buffer.count - readIndex }

    /// The next whole frame, or nil when more bytes are needed.
    public mutating func next() throws(MuxerError) -> YamuxFrame? {
        guard buffer.count - readIndex >= YamuxFrame.headerLength else { return nil }
        let header = buffer[readIndex..<(readIndex + YamuxFrame.headerLength)]
        let base = header.startIndex
        guard header[base] == 0 else { throw .malformedFrame("version \(header[base])") }
        guard let type = YamuxFrame.FrameType(rawValue: header[base + 1]) else {
            throw .malformedFrame("type \(header[base + 1])")
        }
        let flags = YamuxFrame.Flags(rawValue: UInt16(header[base + 2]) << 8 | UInt16(header[base + 3]))
        let streamID = header[(base + 4)..<(base + 8)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let length = header[(base + 8)..<(base + 12)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        var payload: [UInt8] = []
        var consumed = YamuxFrame.headerLength
        if type == .data {
            guard length <= maxDataLength else {
                throw .frameTooLarge(length: UInt64(length), limit: UInt64(maxDataLength))
            }
            guard buffer.count - readIndex >= YamuxFrame.headerLength + Int(length) else { return nil }
            let start = readIndex + YamuxFrame.headerLength
            payload = Array(buffer[start..<(start + Int(length))])
            consumed += Int(length)
        }
        readIndex += consumed
        return YamuxFrame(type: type, flags: flags, streamID: streamID, length: length, payload: payload)
    }
}
