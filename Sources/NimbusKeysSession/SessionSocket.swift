#if canImport(Glibc)
import Glibc
#endif

/// A session over a connected stream socket, read and written with blocking calls on the caller's thread. Both
/// ends of a session use it: the signer on the descriptor the network role handed over, the CLI on its connection
/// (or on its end of the socketpair to an offline signer).
public final class SessionSocket: KeysTransport, @unchecked Sendable {
    // @unchecked: one thread drives a session; the type is not shared between threads while in use.
    public let descriptor: Int32
    private var decoder = SessionFrameDecoder()
    private var queued: [SessionFrame] = []
    /// How long `receive` waits for the other side before giving up (a person typing is on the CLI's side, before
    /// anything is sent, so the signer's wait only covers a client that hung).
    public var receiveTimeout: Duration

    /// Takes ownership of `descriptor`.
    public init(descriptor: Int32, receiveTimeout: Duration = .seconds(600)) {
        self.descriptor = descriptor
        self.receiveTimeout = receiveTimeout
    }

    deinit {
        decoder.wipe()
        close(descriptor)
    }

    /// Writes a frame whole. Throws `.closed` when the other side went away.
    public func send(_ frame: SessionFrame) throws(SessionError) {
        var bytes = frame.encoded()
        defer { if frame.kind == .secret { for index in bytes.indices { bytes[index] = 0 } } }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .closed
            }
            offset += written
        }
    }

    /// The next frame, or nil at a clean end of the stream. Throws on a framing error, a stream cut inside a frame,
    /// or no data within `receiveTimeout`.
    public func receive() throws(SessionError) -> SessionFrame? {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        defer { for index in chunk.indices { chunk[index] = 0 } }
        let deadline = ContinuousClock.now + receiveTimeout
        while queued.isEmpty {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw .timedOut }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(remaining.components.seconds * 1000 + 1, 60_000))
            let ready = poll(&poller, 1, milliseconds)
            if ready < 0 && errno != EINTR { throw .closed }
            if ready <= 0 { continue }
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .closed
            }
            if count == 0 {
                if decoder.pendingBytes > 0 { throw .truncated }
                return nil
            }
            queued += try decoder.append(chunk[0..<count])
        }
        return queued.removeFirst()
    }
}
