import NIOCore
import NimbusMultiformats
import Synchronization

/// One multiplexed stream to a peer, after protocol negotiation: ordered bytes both ways, half-close and reset.
///
/// Reads wait for data with a deadline (the host's `readTimeout` unless given) and throw on reset or on the
/// connection closing; writes complete once the bytes are handed to the socket, which gives the writer
/// back-pressure. Methods may be called from any task, but concurrent reads (or concurrent writes) on one stream
/// interleave unpredictably.
public final class Libp2pStream: Sendable, CustomStringConvertible {
    fileprivate struct Waiter {
        let token: UInt64
        let continuation: CheckedContinuation<Void, any Error>
        var timer: Scheduled<Void>?
    }

    fileprivate struct State {
        var buffer: [UInt8] = []
        var readIndex = 0
        /// Bytes at the front of the buffer that were already reported as consumed (pushed back after
        /// negotiation), so the yamux window is not opened twice for them.
        var alreadyCounted = 0
        var endOfStream = false
        var failure: Libp2pError?
        var readClosed = false
        var waiter: Waiter?
        var nextToken: UInt64 = 0
        var protocolID: String?

        var hasInput: Bool { readIndex < buffer.count || endOfStream || failure != nil }
    }

    /// The remote peer.
    public let peer: PeerID
    /// Whether we opened the stream.
    public let direction: ConnectionDirection
    let id: MuxedStreamID
    let connection: Libp2pConnection
    private let defaultReadTimeout: Duration
    private let state = Mutex(State())

    init(
        peer: PeerID, direction: ConnectionDirection, id: MuxedStreamID, connection: Libp2pConnection,
        readTimeout: Duration
    ) {
        self.peer = peer
        self.direction = direction
        self.id = id
        self.connection = connection
        defaultReadTimeout = readTimeout
    }

    /// The negotiated protocol id.
    public var protocolID: String? { state.withLock { $0.protocolID } }

    /// "stream <id> <protocol> with <peer>".
    public var description: String { "stream \(id) \(protocolID ?? "-") with \(peer)" }

    // MARK: Reading

    /// The next bytes (at most `maxLength`), or nil once the peer closed its side and all data was read.
    public func read(maxLength: Int = 64 * 1024, timeout: Duration? = nil) async throws -> [UInt8]? {
        precondition(maxLength > 0)
        while true {
            enum Outcome { case data([UInt8], counted: Int), end, failure(Libp2pError), wait }
            let outcome: Outcome = state.withLock { state in
                if state.readIndex < state.buffer.count {
                    let end = min(state.readIndex + maxLength, state.buffer.count)
                    let bytes = Array(state.buffer[state.readIndex..<end])
                    state.readIndex = end
                    let recounted = min(state.alreadyCounted, bytes.count)
                    state.alreadyCounted -= recounted
                    if state.readIndex == state.buffer.count {
                        state.buffer = []
                        state.readIndex = 0
                    }
                    return .data(bytes, counted: bytes.count - recounted)
                }
                if let failure = state.failure { return .failure(failure) }
                if state.endOfStream { return .end }
                return .wait
            }
            switch outcome {
            case .data(let bytes, let counted):
                if counted > 0 { connection.consumed(id, count: counted) }
                return bytes
            case .end:
                return nil
            case .failure(let error):
                throw error
            case .wait:
                try await waitForInput(timeout: timeout ?? defaultReadTimeout)
            }
        }
    }

    /// Exactly `count` bytes; throws `unexpectedEndOfStream` if the stream ends first.
    public func readExactly(_ count: Int, timeout: Duration? = nil) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            guard let chunk = try await read(maxLength: count - bytes.count, timeout: timeout) else {
                throw Libp2pError.unexpectedEndOfStream
            }
            bytes += chunk
        }
        return bytes
    }

    /// One message prefixed by its varint length (the framing of most libp2p protocols), or nil if the stream
    /// ends cleanly before it.
    public func readLengthPrefixed(maxLength: Int, timeout: Duration? = nil) async throws -> [UInt8]? {
        var prefix: [UInt8] = []
        while true {
            guard let byte = try await read(maxLength: 1, timeout: timeout) else {
                if prefix.isEmpty { return nil }
                throw Libp2pError.unexpectedEndOfStream
            }
            prefix += byte
            let decoded: (value: UInt64, length: Int)?
            do {
                decoded = try Varint.decode(prefix, limit: UInt64(maxLength))
            } catch .tooLarge(let value, _) {
                throw Libp2pError.messageTooLarge(length: value, limit: maxLength)
            } catch {
                throw Libp2pError.malformedMessage("length prefix: \(error)")
            }
            if let decoded { return try await readExactly(Int(decoded.value), timeout: timeout) }
        }
    }

    /// Everything until the peer closes its side, at most `maxLength` bytes.
    public func readToEnd(maxLength: Int, timeout: Duration? = nil) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = try await read(timeout: timeout) {
            bytes += chunk
            if bytes.count > maxLength {
                throw Libp2pError.messageTooLarge(length: UInt64(bytes.count), limit: maxLength)
            }
        }
        return bytes
    }

    // MARK: Writing and closing

    /// Sends bytes; returns once they are handed to the socket.
    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await connection.write(id, bytes)
    }

    /// Sends one message prefixed by its varint length.
    public func writeLengthPrefixed(_ bytes: [UInt8]) async throws {
        try await write(Varint.encode(UInt64(bytes.count)) + bytes)
    }

    /// Closes our sending side; the peer reads end-of-stream, and we can still read.
    public func closeWrite() async throws {
        try await connection.closeWrite(id)
    }

    /// Closes our sending side and stops reading: later data is discarded.
    public func close() async {
        try? await connection.closeWrite(id)
        let discarded: Int = state.withLock { state in
            state.readClosed = true
            let count = state.buffer.count - state.readIndex - state.alreadyCounted
            state.buffer = []
            state.readIndex = 0
            state.alreadyCounted = 0
            return max(0, count)
        }
        if discarded > 0 { connection.consumed(id, count: discarded) }
    }

    /// Aborts the stream both ways.
    public func reset() async {
        connection.reset(id)
        deliverFailure(.streamReset, discardBuffered: true)
    }

    // MARK: Negotiation

    /// Runs multistream-select on this stream and records the agreed protocol.
    func negotiate(_ negotiation: MultistreamNegotiation, timeout: Duration) async throws -> String {
        var machine = negotiation
        let deadline = ContinuousClock.now + timeout
        var actions = machine.start()
        while true {
            for action in actions {
                switch action {
                case .send(let bytes):
                    try await write(bytes)
                case .agreed(let protocolID, let remainder):
                    state.withLock { state in
                        state.protocolID = protocolID
                        if !remainder.isEmpty {
                            state.buffer = remainder + state.buffer[state.readIndex...]
                            state.readIndex = 0
                            state.alreadyCounted += remainder.count
                        }
                    }
                    return protocolID
                case .failed(let error):
                    throw Libp2pError.negotiationFailed(error)
                }
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw Libp2pError.timeout("stream protocol negotiation") }
            guard let chunk = try await read(timeout: remaining) else { throw Libp2pError.unexpectedEndOfStream }
            actions = machine.receive(chunk)
        }
    }

    // MARK: Deliveries from the connection (on its event loop)

    /// The number of bytes received and not yet read.
    var bufferedCount: Int { state.withLock { $0.buffer.count - $0.readIndex } }

    func deliver(_ bytes: [UInt8]) {
        let (waiter, discarded): (Waiter?, Bool) = state.withLock { state in
            if state.readClosed { return (nil, true) }
            state.buffer += bytes
            return (state.takeWaiter(), false)
        }
        if discarded { connection.consumed(id, count: bytes.count) }
        waiter?.resume(with: nil)
    }

    func deliverEndOfStream() {
        let waiter = state.withLock { state -> Waiter? in
            state.endOfStream = true
            return state.takeWaiter()
        }
        waiter?.resume(with: nil)
    }

    func deliverFailure(_ error: Libp2pError, discardBuffered: Bool) {
        let waiter = state.withLock { state -> Waiter? in
            if state.failure == nil { state.failure = error }
            if discardBuffered {
                state.buffer = []
                state.readIndex = 0
                state.alreadyCounted = 0
            }
            return state.takeWaiter()
        }
        waiter?.resume(with: nil)
    }

    // MARK: Waiting

    private func waitForInput(timeout: Duration) async throws {
        let token = state.withLock { state -> UInt64 in
            state.nextToken += 1
            return state.nextToken
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Start { case wait, ready, cancelled }
                let start: Start = state.withLock { state in
                    if Task.isCancelled { return .cancelled }
                    if state.hasInput { return .ready }
                    state.waiter = Waiter(token: token, continuation: continuation)
                    return .wait
                }
                switch start {
                case .ready: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .wait:
                    let timer = connection.eventLoop.scheduleTask(in: TimeAmount(timeout)) { [self] in
                        self.expire(token, with: Libp2pError.timeout("read on \(self.id)"))
                    }
                    let stale = state.withLock { state -> Bool in
                        guard state.waiter?.token == token else { return true }
                        state.waiter?.timer = timer
                        return false
                    }
                    if stale { timer.cancel() }
                }
            }
        } onCancel: {
            self.expire(token, with: CancellationError())
        }
    }

    private func expire(_ token: UInt64, with error: any Error) {
        let waiter = state.withLock { state -> Waiter? in
            guard state.waiter?.token == token else { return nil }
            return state.takeWaiter()
        }
        waiter?.resume(with: error)
    }
}

extension Libp2pStream.State {
    fileprivate mutating func takeWaiter() -> Libp2pStream.Waiter? {
        defer { waiter = nil }
        return waiter
    }
}

extension Libp2pStream.Waiter {
    fileprivate func resume(with error: (any Error)?) {
        timer?.cancel()
        if let error { continuation.resume(throwing: error) } else { continuation.resume() }
    }
}

extension TimeAmount {
    /// The NIO form of a Swift duration (nanosecond precision, saturating).
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self = .nanoseconds(overflow ? .max : scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue)
    }
}
