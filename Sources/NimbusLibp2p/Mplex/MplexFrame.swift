#if canImport(NimbusMultiformats)
    import NimbusMultiformats
#endif

/// One mplex message (libp2p/specs mplex/README.md, "Message format"): a varint header `streamID << 3 | flag`,
/// a varint length, then the data.
public struct MplexFrame: Equatable, Sendable {
    /// The message type; "Initiator" flags are sent by the side that opened the stream, "Receiver" flags by the
    /// other side, which is how both sides tell the two number spaces apart.
    public enum Flag: UInt8, Sendable {
        /// Opens a stream; the data is an optional name.
        case newStream = 0
        /// Data from the side that accepted the stream.
        case messageReceiver = 1
        /// Data from the side that opened the stream.
        case messageInitiator = 2
        /// Half-close by the accepting side.
        case closeReceiver = 3
        /// Half-close by the opening side.
        case closeInitiator = 4
        /// Reset by the accepting side.
        case resetReceiver = 5
        /// Reset by the opening side.
        case resetInitiator = 6

        /// Whether the sender of this flag opened the stream.
        public var fromInitiator: Bool {
            switch self {
            case .newStream, .messageInitiator, .closeInitiator, .resetInitiator: true
            case .messageReceiver, .closeReceiver, .resetReceiver: false
            }
        }
    }

    /// The spec's limit on a message's data: 1 MiB.
    public static let maxPayloadLength = 1 << 20
    /// Stream ids are 60 bits, so that the header fits a 63-bit varint.
    public static let maxStreamID: UInt64 = (1 << 60) - 1

    /// The stream number, in the sender-of-`newStream`'s number space.
    public var streamID: UInt64
    /// The message type.
    public var flag: Flag
    /// The data.
    public var payload: [UInt8]

    /// A frame from its fields.
    public init(streamID: UInt64, flag: Flag, payload: [UInt8] = []) {
        self.streamID = streamID
        self.flag = flag
        self.payload = payload
    }

    /// The wire bytes.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(payload.count + 12)
        Varint.append(streamID << 3 | UInt64(flag.rawValue), to: &bytes)
        Varint.append(UInt64(payload.count), to: &bytes)
        bytes += payload
        return bytes
    }
}

/// Splits a byte stream into mplex frames, in any split, refusing a length above the limit as soon as it is read.
public struct MplexFrameDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private let maxPayloadLength: Int

    /// A decoder accepting payloads up to `maxPayloadLength` bytes.
    public init(maxPayloadLength: Int = MplexFrame.maxPayloadLength) {
        self.maxPayloadLength = maxPayloadLength
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
    public mutating func next() throws(MuxerError) -> MplexFrame? {
        let rest = buffer[readIndex...]
        let header: (value: UInt64, length: Int)?
        do {
            header = try Varint.decode(rest)
        } catch {
            throw .malformedFrame("header: \(error)")
        }
        guard let header else { return nil }
        let length: (value: UInt64, length: Int)?
        do {
            length = try Varint.decode(rest.dropFirst(header.length), limit: UInt64(maxPayloadLength))
        } catch .tooLarge(let value, let limit) {
            throw .frameTooLarge(length: value, limit: limit)
        } catch {
            throw .malformedFrame("length: \(error)")
        }
        guard let length else { return nil }
        guard let flag = MplexFrame.Flag(rawValue: UInt8(header.value & 7)) else {
            throw .malformedFrame("unknown flag \(header.value & 7)")
        }
        let start = readIndex + header.length + length.length
        let end = start + Int(length.value)
        guard buffer.count >= end else { return nil }
        readIndex = end
        return MplexFrame(streamID: header.value >> 3, flag: flag, payload: Array(buffer[start..<end]))
    }
}
