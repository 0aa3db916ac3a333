/// One libp2p stream for one Waku protocol, as the node's protocol glue needs it: bytes in, bytes out, close.
/// `Libp2pTransport` adapts the libp2p host's streams to it; tests use an in-memory implementation.
public protocol WakuStream: Sendable {
    /// The next bytes received, or nil once the remote closed its side.
    func read() async throws -> [UInt8]?
    /// Sends bytes.
    func write(_ bytes: [UInt8]) async throws
    /// Closes the sending side (the remote reads the end of the stream); reading may continue.
    func closeWrite() async
    /// Closes both sides, abruptly if needed.
    func close() async
}

/// Why a stream failed at the Waku framing level.
public enum WakuStreamError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The remote closed the stream before a whole frame arrived.
    case endOfStream
    /// The frame was refused (too large, malformed length).
    case framing(WakuCodecError)
    /// No answer within the deadline.
    case timedOut(String)

    /// A reason for the log.
    public var description: String {
        switch self {
        case .endOfStream: "stream ended before a whole message arrived"
        case .framing(let error): "bad frame: \(error)"
        case .timedOut(let what): "timed out waiting for \(what)"
        }
    }
}

extension WakuStream {
    /// Reads one length-prefixed frame of at most `maxSize` bytes. Bytes after it in the same chunk are dropped:
    /// the request-response protocols send one frame per direction (gossipsub uses `FrameReader`).
    public func readFrame(maxSize: Int) async throws -> [UInt8] {
        var reader = FrameReader(stream: self, maxSize: maxSize)
        return try await reader.next() ?? { throw WakuStreamError.endOfStream }()
    }

    /// Writes one length-prefixed frame.
    public func writeFrame(_ body: [UInt8]) async throws {
        try await write(LengthPrefixedFrames.encode(body))
    }
}

/// Reads successive length-prefixed frames from a stream (gossipsub streams carry one RPC after another).
public struct FrameReader: Sendable {
    private let stream: any WakuStream
    private var frames: LengthPrefixedFrames

    /// A reader of frames of at most `maxSize` bytes.
    public init(stream: any WakuStream, maxSize: Int) {
        self.stream = stream
        frames = LengthPrefixedFrames(maxFrameSize: maxSize)
    }

    /// The next frame, or nil at a clean end of stream (between frames).
    public mutating func next() async throws -> [UInt8]? {
        while true {
            do {
                if let frame = try frames.next() { return frame }
            } catch {
                throw WakuStreamError.framing(error)
            }
            guard let chunk = try await stream.read() else {
                if frames.hasPartialFrame { throw WakuStreamError.endOfStream }
                return nil
            }
            frames.append(chunk)
        }
    }
}
