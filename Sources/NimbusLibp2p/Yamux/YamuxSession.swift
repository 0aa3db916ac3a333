/// The yamux stream multiplexer (`/yamux/1.0.0`; hashicorp/yamux spec.md, libp2p/specs yamux/README.md) as a
/// state machine.
///
/// Flow control (spec "Flow Control"): each stream starts with a 256 KiB window in each direction. Data beyond
/// the peer's send window is queued here and sent as window updates arrive; data beyond our receive window is a
/// protocol error. Our window reopens as the application consumes data (`consumed`), announced once half the
/// window has been consumed, so a slow reader slows the sender instead of filling memory.
///
/// Stream ids: the dialer (client) uses odd numbers, the listener even ones; 0 is the session. Pings (SYN) are
/// answered (ACK) with the same opaque value; go-away stops new streams both ways.
public struct YamuxSession: StreamMuxerSession {
    /// The multistream protocol id.
    public static let protocolID = "/yamux/1.0.0"
    /// The window every stream starts with (spec "Flow Control").
    public static let initialWindow: UInt32 = 256 * 1024

    /// Limits of a session.
    public struct Configuration: Sendable {
        /// Whether this side dialed the connection (odd stream ids).
        public var isClient: Bool
        /// Streams open at once, both directions together.
        public var maxStreams: Int
        /// The most data sent in one frame.
        public var maxSendFrameLength: Int

        /// Limits with defaults: 256 streams, 64 KiB data frames out.
        public init(isClient: Bool, maxStreams: Int = 256, maxSendFrameLength: Int = 64 * 1024) {
            self.isClient = isClient
            self.maxStreams = maxStreams
            self.maxSendFrameLength = maxSendFrameLength
        }
    }

    private struct StreamState: Sendable {
        /// How much we may still send.
        var sendWindow = YamuxSession.initialWindow
        /// How much the peer may still send.
        var receiveWindow = YamuxSession.initialWindow
        /// Data consumed by the application and not yet returned to the peer as window.
        var unannounced: UInt32 = 0
        /// Data written but not yet sent for lack of window.
        var pending: [UInt8] = []
        var localClosed = false
        var finSent = false
        var remoteClosed = false
    }

    private let configuration: Configuration
    private var decoder = YamuxFrameDecoder(maxDataLength: YamuxSession.initialWindow)
    private var streams: [UInt32: StreamState] = [:]
    private var nextStreamID: UInt32
    private var goAwaySent = false
    private var goAwayReceived = false
    private var failed = false

    /// A session for one side of a connection.
    public init(configuration: Configuration) {
        self.configuration = configuration
        nextStreamID = configuration.isClient ? 1 : 2
    }

    /// The number of open streams.
    public var streamCount: Int { streams.count }

    /// Bytes of an incomplete frame.
    public var bufferedCount: Int { decoder.bufferedCount }

    /// Bytes written to `stream` and waiting for window.
    public func pendingCount(_ stream: MuxedStreamID) -> Int {
        guard let number = UInt32(exactly: stream.number) else { return 0 }
        return streams[number]?.pending.count ?? 0
    }

    private func key(_ number: UInt32) -> MuxedStreamID {
        MuxedStreamID(number: UInt64(number), isLocal: (number % 2 == 1) == configuration.isClient)
    }

    // MARK: Inbound

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
            let code = YamuxFrame.GoAwayCode.protocolError.rawValue
            actions.append(.send(YamuxFrame(type: .goAway, streamID: 0, length: code).encoded))
            actions.append(.failed(error))
        }
        return actions
    }

    private mutating func handle(_ frame: YamuxFrame) throws(MuxerError) -> [MuxerAction] {
        switch frame.type {
        case .ping:
            if frame.flags.contains(.syn) {
                return [.send(YamuxFrame(type: .ping, flags: .ack, streamID: 0, length: frame.length).encoded)]
            }
            return frame.flags.contains(.ack) ? [.pong(frame.length)] : []
        case .goAway:
            goAwayReceived = true
            return [.goAway(frame.length)]
        case .data, .windowUpdate:
            return try handleStreamFrame(frame)
        }
    }

    private mutating func handleStreamFrame(_ frame: YamuxFrame) throws(MuxerError) -> [MuxerAction] {
        let number = frame.streamID
        let id = key(number)
        var actions: [MuxerAction] = []
        if frame.flags.contains(.syn) {
            // The peer opens streams with its own parity; id 0 is the session.
            guard number != 0, !id.isLocal, streams[number] == nil else {
                throw .invalidStreamID(UInt64(number))
            }
            if goAwaySent || goAwayReceived {
                return [.send(YamuxFrame(type: .windowUpdate, flags: .rst, streamID: number).encoded)]
            }
            guard streams.count < configuration.maxStreams else {
                throw .tooManyStreams(limit: configuration.maxStreams)
            }
            streams[number] = StreamState()
            actions.append(.send(YamuxFrame(type: .windowUpdate, flags: .ack, streamID: number).encoded))
            actions.append(.streamOpened(id))
        }
        guard var state = streams[number] else {
            // A frame for a stream already reset or finished: the spec lets in-flight frames be dropped.
            return actions
        }
        if frame.flags.contains(.rst) {
            streams[number] = nil
            return actions + [.streamReset(id)]
        }
        switch frame.type {
        case .windowUpdate:
            let (window, overflow) = state.sendWindow.addingReportingOverflow(frame.length)
            guard !overflow else { throw .malformedFrame("send window above 2^32") }
            state.sendWindow = window
        case .data:
            guard !state.remoteClosed else { throw .malformedFrame("data after FIN on stream \(number)") }
            guard frame.length <= state.receiveWindow else { throw .windowExceeded(UInt64(number)) }
            state.receiveWindow -= frame.length
            if !frame.payload.isEmpty { actions.append(.data(id, frame.payload)) }
        case .ping, .goAway:
            break
        }
        if frame.flags.contains(.fin) && !state.remoteClosed {
            state.remoteClosed = true
            actions.append(.remoteClosed(id))
        }
        streams[number] = state
        actions += flush(number)
        return actions
    }

    // MARK: Outbound

    /// Opens a stream with a window update carrying SYN.
    public mutating func openStream() throws(MuxerStreamError) -> (MuxedStreamID, [MuxerAction]) {
        guard !goAwaySent && !goAwayReceived else { throw .goingAway }
        guard streams.count < configuration.maxStreams else { throw .tooManyStreams(limit: configuration.maxStreams) }
        guard nextStreamID < UInt32.max - 1 else { throw .goingAway }
        let number = nextStreamID
        nextStreamID += 2
        streams[number] = StreamState()
        return (key(number), [.send(YamuxFrame(type: .windowUpdate, flags: .syn, streamID: number).encoded)])
    }

    /// Queues data and sends what the window allows.
    public mutating func write(_ stream: MuxedStreamID, _ bytes: [UInt8]) throws(MuxerStreamError) -> [MuxerAction] {
        guard let number = UInt32(exactly: stream.number), var state = streams[number] else {
            throw .unknownStream(stream)
        }
        guard !state.localClosed else { throw .writeClosed(stream) }
        state.pending += bytes
        streams[number] = state
        return flush(number)
    }

    /// Half-closes after the queued data (FIN).
    public mutating func closeWrite(_ stream: MuxedStreamID) throws(MuxerStreamError) -> [MuxerAction] {
        guard let number = UInt32(exactly: stream.number), var state = streams[number] else {
            throw .unknownStream(stream)
        }
        guard !state.localClosed else { return [] }
        state.localClosed = true
        streams[number] = state
        return flush(number)
    }

    /// Resets the stream (RST).
    public mutating func reset(_ stream: MuxedStreamID) -> [MuxerAction] {
        guard let number = UInt32(exactly: stream.number), streams.removeValue(forKey: number) != nil else {
            return []
        }
        return [.send(YamuxFrame(type: .windowUpdate, flags: .rst, streamID: number).encoded)]
    }

    /// Returns consumed data to the peer as window, once half the initial window has been consumed.
    public mutating func consumed(_ stream: MuxedStreamID, count: Int) -> [MuxerAction] {
        guard let number = UInt32(exactly: stream.number), var state = streams[number], !state.remoteClosed else {
            return []
        }
        state.unannounced += UInt32(clamping: count)
        guard state.unannounced >= Self.initialWindow / 2 else {
            streams[number] = state
            return []
        }
        let delta = state.unannounced
        state.unannounced = 0
        state.receiveWindow += delta
        streams[number] = state
        return [.send(YamuxFrame(type: .windowUpdate, streamID: number, length: delta).encoded)]
    }

    /// A ping request with an opaque value; the answer comes back as `MuxerAction.pong`.
    public func ping(_ opaque: UInt32) -> [MuxerAction] {
        [.send(YamuxFrame(type: .ping, flags: .syn, streamID: 0, length: opaque).encoded)]
    }

    /// Announces a normal go-away: no new streams either way.
    public mutating func goAway() -> [MuxerAction] {
        guard !goAwaySent else { return [] }
        goAwaySent = true
        return [.send(YamuxFrame(type: .goAway, streamID: 0, length: YamuxFrame.GoAwayCode.normal.rawValue).encoded)]
    }

    /// Sends queued data within the window, then the FIN once nothing is queued.
    private mutating func flush(_ number: UInt32) -> [MuxerAction] {
        guard var state = streams[number] else { return [] }
        var actions: [MuxerAction] = []
        let hadPending = !state.pending.isEmpty
        var output: [UInt8] = []
        var offset = 0
        while offset < state.pending.count && state.sendWindow > 0 {
            let size = min(state.pending.count - offset, Int(state.sendWindow), configuration.maxSendFrameLength)
            let chunk = Array(state.pending[offset..<(offset + size)])
            output += YamuxFrame(type: .data, streamID: number, payload: chunk).encoded
            state.sendWindow -= UInt32(size)
            offset += size
        }
        if offset > 0 { state.pending.removeFirst(offset) }
        if state.pending.isEmpty && state.localClosed && !state.finSent {
            state.finSent = true
            output += YamuxFrame(type: .windowUpdate, flags: .fin, streamID: number).encoded
        }
        if !output.isEmpty { actions.append(.send(output)) }
        if hadPending && state.pending.isEmpty { actions.append(.writable(key(number))) }
        if state.finSent && state.remoteClosed {
            streams[number] = nil
            actions.append(.streamFinished(key(number)))
        } else {
            streams[number] = state
        }
        return actions
    }
}
