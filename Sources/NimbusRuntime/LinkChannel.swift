import CNimbusSpawn
import Foundation
import NimbusIPC
import Synchronization

/// One end of an IPC link over a connected socket: a reader thread feeds the pure `FrameDecoder` and
/// `LinkEndpoint`, requests are awaited with a deadline, writes are serialised.
///
/// What the peer sends is trusted for nothing: a frame the endpoint rejects closes the channel with `.violation`,
/// and the owner decides what that means (a child exits; the supervisor kills the child).
public final class LinkChannel: Sendable {
    /// Something the peer sent that the owner must handle.
    public enum Event: Sendable {
        /// Answer with `reply(to:_:)`, on any thread, once.
        case request(id: UInt32, IPCMessage)
        /// `descriptor` is set for messages that carry one; the owner then owns it.
        case notification(IPCMessage, descriptor: Int32?)
    }

    /// Why the channel stopped.
    public enum Closure: Sendable, Equatable {
        case endOfStream
        case violation(IPCError)
        case readError(errno: Int32)
        case closedLocally
    }

    public let link: Link
    public let local: Role
    public var peer: Role { link.peer(of: local) }
    private let descriptor: Int32

    private struct State: ~Copyable {
        var endpoint: LinkEndpoint
        var decoder = FrameDecoder()
        var receivedDescriptors: [Int32] = []
        var waiters: [UInt32: CheckedContinuation<IPCMessage, any Error>] = [:]
        var closed = false
        var closingLocally = false
    }

    private let state: Mutex<State>
    /// Serialises writes and guards the descriptor's lifetime: true once the reader closed it. Every use of the
    /// descriptor outside the reader holds this lock and checks it, so that a closed number that the kernel has
    /// since reused for another link is never written to or shut down.
    private let descriptorClosed = Mutex<Bool>(false)

    /// Takes ownership of `descriptor`, a connected stream socket.
    public init(link: Link, local: Role, descriptor: Int32) {
        self.link = link
        self.local = local
        self.descriptor = descriptor
        state = Mutex(State(endpoint: LinkEndpoint(link: link, local: local)))
    }

    /// Starts the reader thread. `onEvent` and `onClose` run on it; `onClose` runs exactly once, last.
    public func start(
        onEvent: @escaping @Sendable (Event) -> Void, onClose: @escaping @Sendable (Closure) -> Void
    ) {
        let thread = Thread { [self] in
            let closure = readLoop(onEvent: onEvent)
            shutDown()
            onClose(closure)
        }
        thread.name = "ipc-\(peer)"
        thread.start()
    }

    // MARK: Sending

    /// Sends a request and waits for its reply. A `failure` reply is thrown as `LinkError.failed`.
    public func request(_ message: IPCMessage, timeout: Duration = .seconds(10)) async throws -> IPCMessage {
        let peer = self.peer
        let (id, frame): (UInt32, Frame) = try state.withLock { state throws -> (UInt32, Frame) in
            guard !state.closed else { throw LinkError.closed(peer: peer) }
            do {
                return try state.endpoint.request(message)
            } catch {
                if case IPCError.notPermitted = error { throw LinkError.notReady(peer: peer) }
                throw LinkError.busy(peer: peer)
            }
        }
        let reply: IPCMessage = try await withCheckedThrowingContinuation { continuation in
            let stillOpen = state.withLock { state -> Bool in
                guard !state.closed, state.endpoint.outstandingRequestIDs.contains(id) else { return false }
                state.waiters[id] = continuation
                return true
            }
            guard stillOpen else { return continuation.resume(throwing: LinkError.closed(peer: peer)) }
            if !write(frame.encoded(), descriptor: -1) {
                fail(id, with: LinkError.closed(peer: peer))
                return
            }
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            // A dispatch timer, not a sleeping task: the deadline must hold even when every thread of the
            // cooperative pool is busy.
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                self.fail(id, with: LinkError.timedOut(peer: peer, request: message.type, seconds: seconds))
            }
        }
        if case let .failure(failure) = reply { throw LinkError.failed(peer: peer, failure) }
        return reply
    }

    /// Answers a request received as `Event.request`.
    public func reply(to id: UInt32, _ message: IPCMessage) {
        let frame: Frame? = state.withLock { state in
            state.closed ? nil : state.endpoint.reply(to: id, message)
        }
        if let frame { _ = write(frame.encoded(), descriptor: -1) }
    }

    /// Sends a notification, with a descriptor for messages that carry one. Returns false if the link is down.
    @discardableResult
    public func notify(_ message: IPCMessage, passing descriptor: Int32 = -1) -> Bool {
        precondition((descriptor >= 0) == message.type.carriesDescriptor, "\(message.type) descriptor mismatch")
        let frame: Frame? = state.withLock { state in state.closed ? nil : state.endpoint.notify(message) }
        guard let frame else { return false }
        return write(frame.encoded(), descriptor: descriptor)
    }

    /// Closes the link; the reader thread ends and `onClose` runs with `.closedLocally` (or whatever came first).
    public func close() {
        // shutdown() wakes the reader thread's recvmsg; the descriptor itself is closed by the reader.
        descriptorClosed.withLock { closed in
            guard !closed else { return }
            state.withLock { $0.closingLocally = true }
            Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
        }
    }

    // MARK: Internals

    private func fail(_ id: UInt32, with error: LinkError) {
        let waiter = state.withLock { state -> CheckedContinuation<IPCMessage, any Error>? in
            state.endpoint.abandon(id)
            return state.waiters.removeValue(forKey: id)
        }
        waiter?.resume(throwing: error)
    }

    private func write(_ bytes: [UInt8], descriptor passing: Int32) -> Bool {
        descriptorClosed.withLock { closed in
            guard !closed else { return false }
            return bytes.withUnsafeBytes { buffer in
                var offset = 0
                var attached = passing
                while offset < buffer.count {
                    let sent = nm_send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, attached)
                    if sent < 0 { return false }
                    attached = -1
                    offset += sent
                }
                return true
            }
        }
    }

    private func readLoop(onEvent: @Sendable (Event) -> Void) -> Closure {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var descriptors = [Int32](repeating: -1, count: 8)
        while true {
            var count: Int32 = 0
            var truncated: Int32 = 0
            let got = buffer.withUnsafeMutableBytes { bytes in
                descriptors.withUnsafeMutableBufferPointer { fds in
                    nm_receive(descriptor, bytes.baseAddress, bytes.count, fds.baseAddress, 8, &count, &truncated)
                }
            }
            if got < 0 {
                return state.withLock { $0.closingLocally } ? .closedLocally : .readError(errno: Int32(-got))
            }
            let received = Array(descriptors.prefix(Int(count)))
            if truncated != 0 {
                received.forEach { _ = Glibc.close($0) }
                return .violation(.unexpectedDescriptor)
            }
            if got == 0 {
                received.forEach { _ = Glibc.close($0) }
                return state.withLock { $0.closingLocally } ? .closedLocally : .endOfStream
            }
            let outcome = state.withLock { state in Self.process(&state, bytes: buffer[0..<got], descriptors: received) }
            for (continuation, reply) in outcome.replies { continuation.resume(returning: reply) }
            for event in outcome.events { onEvent(event) }
            if let violation = outcome.violation { return .violation(violation) }
        }
    }

    private struct Outcome {
        var events: [Event] = []
        var replies: [(CheckedContinuation<IPCMessage, any Error>, IPCMessage)] = []
        var violation: IPCError?
    }

    private static func process(_ state: inout State, bytes: ArraySlice<UInt8>, descriptors: [Int32]) -> Outcome {
        var outcome = Outcome()
        state.decoder.append(bytes)
        state.receivedDescriptors += descriptors
        do throws(IPCError) {
            while let frame = try state.decoder.next() {
                let wantsDescriptor = MessageType(rawValue: frame.type)?.carriesDescriptor ?? false
                let hasDescriptor = wantsDescriptor && !state.receivedDescriptors.isEmpty
                switch try state.endpoint.receive(frame, hasDescriptor: hasDescriptor) {
                case let .request(id, message):
                    outcome.events.append(.request(id: id, message))
                case let .reply(id, message):
                    if let waiter = state.waiters.removeValue(forKey: id) { outcome.replies.append((waiter, message)) }
                case .lateReply:
                    break
                case let .notification(message):
                    let descriptor = hasDescriptor ? state.receivedDescriptors.removeFirst() : nil
                    outcome.events.append(.notification(message, descriptor: descriptor))
                }
            }
            if state.decoder.bufferedByteCount == 0 && !state.receivedDescriptors.isEmpty {
                throw IPCError.unexpectedDescriptor
            }
        } catch {
            outcome.violation = error
        }
        return outcome
    }

    /// Marks the channel closed, fails every waiter and releases the descriptors. Runs once, on the reader thread.
    private func shutDown() {
        let (waiters, stray) = state.withLock { state in
            state.closed = true
            defer {
                state.waiters = [:]
                state.receivedDescriptors = []
            }
            return (Array(state.waiters.values), state.receivedDescriptors)
        }
        stray.forEach { _ = Glibc.close($0) }
        for waiter in waiters { waiter.resume(throwing: LinkError.closed(peer: peer)) }
        descriptorClosed.withLock { closed in
            closed = true
            _ = Glibc.close(descriptor)
        }
    }
}
