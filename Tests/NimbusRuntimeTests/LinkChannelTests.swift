import CNimbusSpawn
import Glibc
import NimbusIPC
import NimbusRuntime
import Synchronization
import Testing

/// Values collected on a channel's reader thread, read by the test.
final class Collected<Value: Sendable>: Sendable {
    private let storage = Mutex<[Value]>([])

    func append(_ value: Value) { storage.withLock { $0.append(value) } }
    var values: [Value] { storage.withLock { $0 } }

    /// Polls until `probe` finds something in the values, or five seconds pass.
    func first<T>(_ probe: ([Value]) -> T?) async -> T? {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if let found = probe(values) { return found }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return probe(values)
    }

    func first() async -> Value? { await first { $0.first } }
}

/// Both ends of a fresh connected stream socket pair.
func socketPair() throws -> (Int32, Int32) {
    var fds: [Int32] = [-1, -1]
    try #require(nm_socketpair(&fds) == 0)
    return (fds[0], fds[1])
}

/// Writes all of `bytes` to a raw descriptor, optionally passing `descriptor` with them.
@discardableResult
func sendRaw(_ fd: Int32, _ bytes: [UInt8], passing descriptor: Int32 = -1) -> Bool {
    bytes.withUnsafeBytes { nm_send(fd, $0.baseAddress, $0.count, descriptor) } == bytes.count
}

/// Reads `count` bytes from a raw descriptor, giving up after five seconds or at end of stream. Polls without
/// blocking: the cooperative pool has as many threads as cores, and a blocked thread starves the channel's tasks.
func receiveRaw(_ fd: Int32, count: Int) async -> [UInt8] {
    var out: [UInt8] = []
    let deadline = ContinuousClock.now + .seconds(5)
    while out.count < count && ContinuousClock.now < deadline {
        var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&request, 1, 0) == 1 else {
            try? await Task.sleep(for: .milliseconds(5))
            continue
        }
        var buffer = [UInt8](repeating: 0, count: count - out.count)
        let got = read(fd, &buffer, buffer.count)
        if got <= 0 { break }
        out += buffer.prefix(got)
    }
    return out
}

/// Whether the descriptor reaches the end of its stream (every other end closed) within five seconds.
func reachesEndOfStream(_ fd: Int32) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(5)
    while ContinuousClock.now < deadline {
        var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if poll(&request, 1, 0) == 1 {
            var byte: UInt8 = 0
            return read(fd, &byte, 1) == 0
        }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return false
}

func header(bodyLength: UInt32, type: UInt16, requestID: UInt32, flags: UInt16 = 0) -> [UInt8] {
    func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
    return bigEndian(bodyLength) + bigEndian(type) + bigEndian(flags) + bigEndian(requestID)
}

@Suite("LinkChannel over socketpairs")
struct LinkChannelTests {
    static let keyStore = KeyStoreStatus(keystoreCount: 3, schemaVersion: 1)

    /// A network end and a signer end on `.networkSigner`; the signer answers with `answer` (nil: never answers).
    struct NetworkSignerPair {
        let network: LinkChannel
        let signer: LinkChannel
        let networkClosures = Collected<LinkChannel.Closure>()
        let signerClosures = Collected<LinkChannel.Closure>()
        let signerRequests = Collected<UInt32>()

        init(answer: (@Sendable (IPCMessage) -> IPCMessage?)?) throws {
            let (a, b) = try socketPair()
            network = LinkChannel(link: .networkSigner, local: .network, descriptor: a)
            signer = LinkChannel(link: .networkSigner, local: .signer, descriptor: b)
            let signer = signer
            let requests = signerRequests
            signer.start(
                onEvent: { event in
                    guard case let .request(id, message) = event else { return }
                    requests.append(id)
                    if let reply = answer?(message) { signer.reply(to: id, reply) }
                },
                onClose: signerClosures.append)
            network.start(onEvent: { _ in }, onClose: networkClosures.append)
        }

        /// Closes the network end and waits until both reader threads have ended, so that no test leaves a thread
        /// or a descriptor behind.
        func shutDown() async {
            network.close()
            #expect(await networkClosures.first() == .closedLocally)
            #expect(await signerClosures.first() == .endOfStream)
        }
    }

    /// A channel end over one descriptor of a pair; the test drives the other descriptor by hand.
    struct RawPeer {
        let channel: LinkChannel
        let raw: Int32
        let events = Collected<LinkChannel.Event>()
        let closures = Collected<LinkChannel.Closure>()

        init(link: Link, local: Role) throws {
            let (a, b) = try socketPair()
            channel = LinkChannel(link: link, local: local, descriptor: a)
            raw = b
            channel.start(onEvent: events.append, onClose: closures.append)
        }

        /// Closes the test's end; the channel owns and closes the other.
        func finish() {
            _ = Glibc.close(raw)
        }
    }

    // MARK: Requests

    @Test func requestGetsTheReplyThePeerSends() async throws {
        let pair = try NetworkSignerPair { message in
            message == .keyStoreStatusRequest ? .keyStoreStatus(Self.keyStore) : nil
        }
        let reply = try await pair.network.request(.keyStoreStatusRequest, timeout: .seconds(5))
        #expect(reply == .keyStoreStatus(Self.keyStore))
        #expect(pair.signerRequests.values.count == 1)
        await pair.shutDown()
    }

    @Test func concurrentRequestsEachGetTheirOwnReply() async throws {
        let counter = Mutex<UInt32>(0)
        let pair = try NetworkSignerPair { _ in
            let count = counter.withLock { value in
                value += 1
                return value
            }
            return .keyStoreStatus(KeyStoreStatus(keystoreCount: count, schemaVersion: 1))
        }
        let counts = try await withThrowingTaskGroup(of: UInt32.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    guard case let .keyStoreStatus(status) = try await pair.network.request(.keyStoreStatusRequest)
                    else { return 0 }
                    return status.keystoreCount
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts.sorted() == Array(1...20))
        await pair.shutDown()
    }

    @Test func failureReplyIsThrownAsLinkErrorFailed() async throws {
        let failure = Failure(code: .storage, message: "cannot read keystores")
        let pair = try NetworkSignerPair { _ in .failure(failure) }
        await #expect(throws: LinkError.failed(peer: .signer, failure)) {
            try await pair.network.request(.keyStoreStatusRequest, timeout: .seconds(5))
        }
        await pair.shutDown()
    }

    @Test func requestTimesOutWhenThePeerNeverAnswers() async throws {
        let pair = try NetworkSignerPair(answer: nil)
        let started = ContinuousClock.now
        await #expect(throws: LinkError.timedOut(peer: .signer, request: .keyStoreStatusRequest, seconds: 0.2)) {
            try await pair.network.request(.keyStoreStatusRequest, timeout: .milliseconds(200))
        }
        let elapsed = ContinuousClock.now - started
        // Not early. (No upper bound: the throw above already shows the deadline fired, and a loaded machine
        // may delay it; timing belongs in benchmarks, not tests.)
        #expect(elapsed >= .milliseconds(200))
        await pair.shutDown()
    }

    @Test func lateReplyAfterATimeoutIsDroppedAndTheLinkStaysUp() async throws {
        let answering = Mutex(false)
        let pair = try NetworkSignerPair { _ in
            answering.withLock { $0 } ? .keyStoreStatus(Self.keyStore) : nil
        }
        await #expect(throws: LinkError.self) {
            try await pair.network.request(.keyStoreStatusRequest, timeout: .milliseconds(200))
        }
        let abandoned = try #require(await pair.signerRequests.first())
        pair.signer.reply(to: abandoned, .keyStoreStatus(KeyStoreStatus(keystoreCount: 99, schemaVersion: 9)))
        answering.withLock { $0 = true }
        let reply = try await pair.network.request(.keyStoreStatusRequest, timeout: .seconds(5))
        #expect(reply == .keyStoreStatus(Self.keyStore))
        #expect(pair.networkClosures.values.isEmpty)
        await pair.shutDown()
    }

    // MARK: Closing

    @Test func peerClosingFailsPendingRequestsAndEndsTheStream() async throws {
        let peer = try RawPeer(link: .networkSigner, local: .network)
        let pending = Task { try await peer.channel.request(.keyStoreStatusRequest, timeout: .seconds(30)) }
        let sent = await receiveRaw(peer.raw, count: FrameHeader.size)
        #expect(sent == header(bodyLength: 0, type: MessageType.keyStoreStatusRequest.rawValue, requestID: 1))
        peer.finish()
        await #expect(throws: LinkError.closed(peer: .signer)) { try await pending.value }
        #expect(await peer.closures.first() == .endOfStream)
        await #expect(throws: LinkError.closed(peer: .signer)) {
            try await peer.channel.request(.keyStoreStatusRequest, timeout: .seconds(5))
        }
    }

    @Test func closeAfterTheChannelEndedLeavesAReusedDescriptorNumberAlone() async throws {
        // Sleeping once first lets the runtime open the descriptors its timers need, so they do not take `a`.
        try await Task.sleep(for: .milliseconds(1))
        let (a, b) = try socketPair()
        let channel = LinkChannel(link: .networkSigner, local: .network, descriptor: a)
        let closures = Collected<LinkChannel.Closure>()
        channel.start(onEvent: { _ in }, onClose: closures.append)
        _ = Glibc.close(b)
        #expect(await closures.first() == .endOfStream)

        // The reader closed `a`; the kernel hands out the lowest free number, so a new socket soon gets it.
        var spare: [Int32] = []
        var reused: (victim: Int32, partner: Int32)?
        for _ in 0..<64 where reused == nil {
            let (x, y) = try socketPair()
            if x == a { reused = (x, y) } else if y == a { reused = (y, x) } else { spare += [x, y] }
        }
        spare.forEach { _ = Glibc.close($0) }
        // Another test running in parallel took the number: there is nothing to show, and nothing to disturb.
        guard let (victim, partner) = reused else { return }

        channel.close()
        #expect(sendRaw(partner, [1, 2, 3]))
        #expect(await receiveRaw(victim, count: 3) == [1, 2, 3])
        _ = Glibc.close(victim)
        _ = Glibc.close(partner)
    }

    @Test func closingLocallyFailsPendingRequests() async throws {
        let pair = try NetworkSignerPair(answer: nil)
        let pending = Task { try await pair.network.request(.keyStoreStatusRequest, timeout: .seconds(30)) }
        _ = await pair.signerRequests.first()
        await pair.shutDown()
        await #expect(throws: LinkError.closed(peer: .signer)) { try await pending.value }
    }

    // MARK: Violations

    @Test func unknownMessageTypeIsAViolation() async throws {
        let peer = try RawPeer(link: .networkSigner, local: .network)
        let pending = Task { try await peer.channel.request(.keyStoreStatusRequest, timeout: .seconds(30)) }
        #expect(await receiveRaw(peer.raw, count: FrameHeader.size).count == FrameHeader.size)
        #expect(sendRaw(peer.raw, header(bodyLength: 0, type: 0x7777, requestID: 0)))
        #expect(await peer.closures.first() == .violation(.unknownType(0x7777)))
        await #expect(throws: LinkError.closed(peer: .signer)) { try await pending.value }
        peer.finish()
    }

    @Test func oversizeHeaderIsAViolationBeforeAnyBody() async throws {
        let peer = try RawPeer(link: .networkSigner, local: .network)
        let length = UInt32(FrameHeader.maximumBodyLength + 1)
        #expect(sendRaw(peer.raw, header(bodyLength: length, type: MessageType.pong.rawValue, requestID: 1)))
        #expect(await peer.closures.first()
            == .violation(.oversize(length: Int(length), limit: FrameHeader.maximumBodyLength)))
        peer.finish()
    }

    @Test func reservedFlagsAreAViolation() async throws {
        let peer = try RawPeer(link: .networkSigner, local: .signer)
        #expect(sendRaw(peer.raw, header(bodyLength: 0, type: 0x0201, requestID: 1, flags: 0x8000)))
        #expect(await peer.closures.first() == .violation(.reservedFlags(0x8000)))
        peer.finish()
    }

    @Test func replyNobodyAskedForIsAViolation() async throws {
        let peer = try RawPeer(link: .networkSigner, local: .network)
        let body = IPCMessage.keyStoreStatus(Self.keyStore).encodedBody()
        let frame = Frame(type: MessageType.keyStoreStatus.rawValue, requestID: 5, body: body)
        #expect(sendRaw(peer.raw, frame.encoded()))
        #expect(await peer.closures.first()
            == .violation(.replyWithoutRequest(type: MessageType.keyStoreStatus.rawValue, requestID: 5)))
        peer.finish()
    }

    @Test func requestFromTheWrongSideIsAViolation() async throws {
        let peer = try RawPeer(link: .networkSigner, local: .network)
        let frame = Frame(type: MessageType.keyStoreStatusRequest.rawValue, requestID: 1, body: [])
        #expect(sendRaw(peer.raw, frame.encoded()))
        #expect(await peer.closures.first()
            == .violation(.notPermitted(type: 0x0201, link: .networkSigner, from: .signer, phase: .running)))
        peer.finish()
    }

    @Test func truncatedBodyIsAViolation() async throws {
        let peer = try RawPeer(link: .networkSigner, local: .signer)
        let frame = Frame(type: MessageType.ping.rawValue, requestID: 1, body: [0, 0, 0, 1])
        #expect(sendRaw(peer.raw, frame.encoded()))
        #expect(await peer.closures.first() == .violation(.truncated(needed: 8, available: 4)))
        peer.finish()
    }

    // MARK: Supervisor links

    @Test func supervisorLinkStartsInStartingWherePingIsNotPermitted() async throws {
        let peer = try RawPeer(link: .supervisorSigner, local: .signer)
        let ping = Frame(type: MessageType.ping.rawValue, requestID: 1, body: IPCMessage.ping(nonce: 1).encodedBody())
        #expect(sendRaw(peer.raw, ping.encoded()))
        #expect(await peer.closures.first()
            == .violation(.notPermitted(type: 0x0001, link: .supervisorSigner, from: .supervisor, phase: .starting)))
        peer.finish()
    }

    @Test func readyOpensTheSupervisorLinkForPings() async throws {
        let (a, b) = try socketPair()
        let supervisor = LinkChannel(link: .supervisorSigner, local: .supervisor, descriptor: a)
        let child = LinkChannel(link: .supervisorSigner, local: .signer, descriptor: b)
        let supervisorEvents = Collected<LinkChannel.Event>()
        let supervisorClosures = Collected<LinkChannel.Closure>()
        let childClosures = Collected<LinkChannel.Closure>()
        child.start(
            onEvent: { event in
                if case let .request(id, .ping(nonce)) = event { child.reply(to: id, .pong(nonce: nonce)) }
            },
            onClose: childClosures.append)
        supervisor.start(onEvent: supervisorEvents.append, onClose: supervisorClosures.append)

        let steps = [SandboxStepReport(name: "seccomp", inForce: true, detail: "filter")]
        #expect(child.notify(.ready(steps: steps)))
        let ready = await supervisorEvents.first { events -> [SandboxStepReport]? in
            for case let .notification(.ready(steps), descriptor) in events where descriptor == nil { return steps }
            return nil
        }
        #expect(ready == steps)
        #expect(try await supervisor.request(.ping(nonce: 77), timeout: .seconds(5)) == .pong(nonce: 77))

        supervisor.close()
        #expect(await supervisorClosures.first() == .closedLocally)
        #expect(await childClosures.first() == .endOfStream)
    }

    // MARK: Descriptor passing

    @Test func peerLinkReplacedDeliversAWorkingDescriptor() async throws {
        let (a, b) = try socketPair()
        let supervisor = LinkChannel(link: .supervisorSigner, local: .supervisor, descriptor: a)
        let signer = LinkChannel(link: .supervisorSigner, local: .signer, descriptor: b)
        let signerEvents = Collected<LinkChannel.Event>()
        let supervisorClosures = Collected<LinkChannel.Closure>()
        let signerClosures = Collected<LinkChannel.Closure>()
        signer.start(onEvent: signerEvents.append, onClose: signerClosures.append)
        supervisor.start(onEvent: { _ in }, onClose: supervisorClosures.append)

        let (newEnd, partner) = try socketPair()
        #expect(supervisor.notify(.peerLinkReplaced(peer: .network), passing: newEnd))
        _ = Glibc.close(newEnd)  // the sender keeps ownership of what it passes

        let received = await signerEvents.first { events -> Int32? in
            for case let .notification(.peerLinkReplaced(peer: .network), descriptor?) in events { return descriptor }
            return nil
        }
        let fd = try #require(received)
        #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)
        #expect(sendRaw(partner, Array("through the partner".utf8)))
        #expect(await receiveRaw(fd, count: 19) == Array("through the partner".utf8))
        #expect(sendRaw(fd, Array("and back".utf8)))
        #expect(await receiveRaw(partner, count: 8) == Array("and back".utf8))
        _ = Glibc.close(fd)
        _ = Glibc.close(partner)

        supervisor.close()
        #expect(await supervisorClosures.first() == .closedLocally)
        #expect(await signerClosures.first() == .endOfStream)
    }

    @Test func descriptorWithAMessageThatCarriesNoneIsAViolation() async throws {
        let peer = try RawPeer(link: .supervisorSigner, local: .signer)
        let (extra, extraPartner) = try socketPair()
        let shutdown = Frame(type: MessageType.shutdown.rawValue, requestID: 0, body: [])
        #expect(sendRaw(peer.raw, shutdown.encoded(), passing: extra))
        #expect(await peer.closures.first() == .violation(.unexpectedDescriptor))
        // The channel closed the stray descriptor it received: the partner sees the end of the stream.
        _ = Glibc.close(extra)
        #expect(await reachesEndOfStream(extraPartner))
        _ = Glibc.close(extraPartner)
        peer.finish()
    }

    @Test func peerLinkReplacedWithoutItsDescriptorIsAViolation() async throws {
        let peer = try RawPeer(link: .supervisorSigner, local: .signer)
        let frame = Frame(type: MessageType.peerLinkReplaced.rawValue, requestID: 0, body: [Role.network.rawValue])
        #expect(sendRaw(peer.raw, frame.encoded()))
        #expect(await peer.closures.first()
            == .violation(.missingDescriptor(type: MessageType.peerLinkReplaced.rawValue)))
        #expect(peer.events.values.isEmpty)
        peer.finish()
    }

    @Test func peerLinkReplacedNamingARoleWithoutALinkIsAViolation() async throws {
        let peer = try RawPeer(link: .supervisorSigner, local: .signer)
        let (extra, extraPartner) = try socketPair()
        let frame = Frame(type: MessageType.peerLinkReplaced.rawValue, requestID: 0, body: [Role.installer.rawValue])
        #expect(sendRaw(peer.raw, frame.encoded(), passing: extra))
        #expect(await peer.closures.first() == .violation(.invalidValue("signer has no link to installer")))
        _ = Glibc.close(extra)
        _ = Glibc.close(extraPartner)
        peer.finish()
    }
}
