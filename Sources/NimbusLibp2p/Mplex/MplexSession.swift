/// The mplex stream multiplexer (`/mplex/6.7.0`, libp2p/specs mplex/README.md) as a state machine.
///
/// Mplex has no flow control: data is sent as soon as it is written, and a peer that sends faster than the
/// application reads is bounded by the driver's per-stream buffer limit (`MuxerError.bufferOverflow`). Messages
/// for unknown streams are dropped, as the spec allows for streams that were just reset.
public struct MplexSession: StreamMuxerSession {
    /// The multistream protocol id.
    public static let protocolID = "/mplex/6.7.0"

    /// Limits of a session.
    public struct Configuration: Sendable {
        /// Streams open at once, both directions together.
        public var maxStreams: Int
        /// The largest message accepted (at most 1 MiB by the spec).
        public var maxFrameLength: Int
        /// The largest message sent; writes are cut to this size.
        public var maxSendFrameLength: Int

        /// Limits with defaults: 256 streams, 1 MiB frames in, 64 KiB frames out.
        public init(
            maxStreams: Int = 256, maxFrameLength: Int = MplexFrame.maxPayloadLength,
            maxSendFrameLength: Int = 64 * 1024
        ) {
            self.maxStreams = maxStreams
            self.maxFrameLength = maxFrameLength
            self.maxSendFrameLength = maxSendFrameLength
        }
    }

    private struct StreamState: Sendable {
        var localClosed = false
        var remoteClosed = false
    }

    private let configuration: Configuration
    private var decoder: MplexFrameDecoder
    private var streams: [MuxedStreamID: StreamState] = [:]
    private var nextStreamNumber: UInt64 = 0
    private var failed = false

    /// A session; mplex has no client/server asymmetry.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        decoder = MplexFrameDecoder(maxPayloadLength: configuration.maxFrameLength)
    }

    /// The number of open streams.
    public var streamCount: Int { streams.count }

    /// Bytes of an incomplete frame.
    public var bufferedCount: Int { decoder.bufferedCount }

    /// Mplex sends at once; nothing is ever pending.
    public func pendingCount(_ stream: MuxedStreamID) -> Int { 0 }

    /// Feeds bytes from the connection.
    public mutating func receive(_ bytes: [UInt8]) -> [MuxerAction] {
        guard !failed else { return [] }
        decoder.append(bytes)
        var actions: [MuxerAction] = []
        do {
            while let frame = try decoder.next() {
                actions += try handle(frame)
            }
        } catch {
            failed = true
            actions.append(.failed(error))
        }
        return actions
    }

    private mutating func handle(_ frame: MplexFrame) throws(MuxerError) -> [MuxerAction] {
        // A flag sent by the stream's initiator names a stream the peer opened, and the reverse.
        let id = MuxedStreamID(number: frame.streamID, isLocal: !frame.flag.fromInitiator)
        switch frame.flag {
        case .newStream:
            guard streams[id] == nil else { throw .invalidStreamID(frame.streamID) }
            guard streams.count < configuration.maxStreams else {
                throw .tooManyStreams(limit: configuration.maxStreams)
            }
            streams[id] = StreamState()
            return [.streamOpened(id)]
        case .messageInitiator, .messageReceiver:
            guard let state = streams[id], !state.remoteClosed else { return [] }
            return frame.payload.isEmpty ? [] : [.data(id, frame.payload)]
        case .closeInitiator, .closeReceiver:
            guard var state = streams[id], !state.remoteClosed else { return [] }
            state.remoteClosed = true
            if state.localClosed {
                streams[id] = nil
                return [.remoteClosed(id), .streamFinished(id)]
            }
            streams[id] = state
            return [.remoteClosed(id)]
        case .resetInitiator, .resetReceiver:
            guard streams.removeValue(forKey: id) != nil else { return [] }
            return [.streamReset(id)]
        }
    }

    /// Opens a stream, announcing it with its number as the name (as go-libp2p does).
    public mutating func openStream() throws(MuxerStreamError) -> (MuxedStreamID, [MuxerAction]) {
        guard streams.count < configuration.maxStreams else { throw .tooManyStreams(limit: configuration.maxStreams) }
        let number = nextStreamNumber
        nextStreamNumber += 1
        let id = MuxedStreamID(number: number, isLocal: true)
        streams[id] = StreamState()
        let frame = MplexFrame(streamID: number, flag: .newStream, payload: Array(String(number).utf8))
        return (id, [.send(frame.encoded)])
    }

    /// Sends data at once, cut into frames of at most `maxSendFrameLength`.
    public mutating func write(_ stream: MuxedStreamID, _ bytes: [UInt8]) throws(MuxerStreamError) -> [MuxerAction] {
        guard let state = streams[stream] else { throw .unknownStream(stream) }
        guard !state.localClosed else { throw .writeClosed(stream) }
        let flag: MplexFrame.Flag = stream.isLocal ? .messageInitiator : .messageReceiver
        var output: [UInt8] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + configuration.maxSendFrameLength, bytes.count)
            output += MplexFrame(streamID: stream.number, flag: flag, payload: Array(bytes[offset..<end])).encoded
            offset = end
        }
        return output.isEmpty ? [] : [.send(output)]
    }

    /// Half-closes the stream.
    public mutating func closeWrite(_ stream: MuxedStreamID) throws(MuxerStreamError) -> [MuxerAction] {
        guard var state = streams[stream] else { throw .unknownStream(stream) }
        guard !state.localClosed else { return [] }
        state.localClosed = true
        let frame = MplexFrame(streamID: stream.number, flag: stream.isLocal ? .closeInitiator : .closeReceiver)
        if state.remoteClosed {
            streams[stream] = nil
            return [.send(frame.encoded), .streamFinished(stream)]
        }
        streams[stream] = state
        return [.send(frame.encoded)]
    }

    /// Resets the stream.
    public mutating func reset(_ stream: MuxedStreamID) -> [MuxerAction] {
        guard streams.removeValue(forKey: stream) != nil else { return [] }
        let frame = MplexFrame(streamID: stream.number, flag: stream.isLocal ? .resetInitiator : .resetReceiver)
        return [.send(frame.encoded)]
    }

    /// Mplex has no pings.
    public func ping(_ opaque: UInt32) -> [MuxerAction] { [] }

    /// Mplex has no go-away; closing the connection is the only way to stop.
    public mutating func goAway() -> [MuxerAction] { [] }

    /// Mplex has no windows to open.
    public mutating func consumed(_ stream: MuxedStreamID, count: Int) -> [MuxerAction] { [] }
}
