import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NimbusNetworkCore
import Synchronization

/// Who sent a control command, from the kernel (SO_PEERCRED), not from anything the client says.
public struct ControlPeer: Sendable, Equatable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32
}

/// A finished control command, for the audit trail.
public struct ControlAuditEntry: Sendable {
    public var peer: ControlPeer
    public var method: String
    public var path: String
    public var status: Int
}

/// Serves `ControlAPI` as HTTP/1.1 on a Unix socket. Every command is logged and audited with the peer's uid.
public final class ControlServer: Sendable {
    /// Request bodies larger than this are refused (413): no command needs more yet.
    public static let maximumBodyBytes = 64 * 1024

    private let path: String
    private let mode: UInt32
    private let api: ControlAPI
    private let logger: Logger
    private let audit: @Sendable (ControlAuditEntry) -> Void
    private let group: MultiThreadedEventLoopGroup
    private let channel = Mutex<(any Channel)?>(nil)
    private let inFlight = RequestCounter()

    public init(
        path: String, mode: UInt32, api: ControlAPI, logger: Logger,
        audit: @escaping @Sendable (ControlAuditEntry) -> Void
    ) {
        self.path = path
        self.mode = mode
        self.api = api
        self.logger = logger
        self.audit = audit
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// Binds the socket (replacing a stale one left by a previous run) and sets its mode. Call before the sandbox
    /// is locked down, so that the event-loop thread exists and is covered by the seccomp filter.
    public func start() throws {
        try Self.removeStaleSocket(path)
        let api = self.api
        let logger = self.logger
        let audit = self.audit
        let inFlight = self.inFlight
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 32)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        ControlHTTPHandler(api: api, logger: logger, audit: audit, inFlight: inFlight))
                }
            }
        let bound = try bootstrap.bind(unixDomainSocketPath: path).wait()
        guard chmod(path, mode_t(mode)) == 0 else {
            throw ControlServerError("cannot set mode \(String(mode, radix: 8)) on \(path): \(String(cString: strerror(errno)))")
        }
        channel.withLock { $0 = bound }
    }

    /// Removes a socket left by a previous run at `path`; refuses to touch anything that is not a socket.
    static func removeStaleSocket(_ path: String) throws {
        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFSOCK else {
                throw ControlServerError("\(path) exists and is not a socket; refusing to replace it")
            }
            unlink(path)
        }
    }

    /// Stops accepting, lets in-flight commands finish for up to `grace`, then stops the event loop.
    public func stop(grace: Duration = .seconds(5)) {
        if let bound = channel.withLock({ $0 }) { try? bound.close().wait() }
        let deadline = ContinuousClock.now + grace
        while inFlight.current > 0 && ContinuousClock.now < deadline {
            usleep(20_000)
        }
        try? group.syncShutdownGracefully()
        unlink(path)
    }
}

/// A one-line reason the control server could not start.
public struct ControlServerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// One connection: collects a request, answers it through `ControlAPI`, keeps the connection for the next.
final class ControlHTTPHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let api: ControlAPI
    private let logger: Logger
    private let audit: @Sendable (ControlAuditEntry) -> Void
    private let inFlight: RequestCounter
    private var head: HTTPRequestHead?
    private var bodyBytes = 0
    private var body: [UInt8] = []
    private var peer = ControlPeer(pid: 0, uid: UInt32.max, gid: UInt32.max)

    init(api: ControlAPI, logger: Logger, audit: @escaping @Sendable (ControlAuditEntry) -> Void, inFlight: RequestCounter) {
        self.api = api
        self.logger = logger
        self.audit = audit
        self.inFlight = inFlight
    }

    func channelActive(context: ChannelHandlerContext) {
        // The kernel's word on who connected; recorded with every command on this connection.
        if let provider = context.channel as? any SocketOptionProvider {
            let future: EventLoopFuture<KernelPeerCredentials> = provider.unsafeGetSocketOption(
                level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
            future.whenSuccess { [self] credentials in
                peer = ControlPeer(pid: credentials.pid, uid: credentials.uid, gid: credentials.gid)
            }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(requestHead):
            head = requestHead
            bodyBytes = 0
            body = []
        case let .body(buffer):
            bodyBytes += buffer.readableBytes
            if bodyBytes <= ControlServer.maximumBodyBytes { body += buffer.readableBytesView }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            inFlight.enter()
            if bodyBytes > ControlServer.maximumBodyBytes {
                respond(context: context, head: requestHead, response: .init(
                    status: 413, body: Array(#"{"error":"request body too large"}"#.utf8)))
                return
            }
            let api = self.api
            let loop = context.eventLoop
            let contextBox = NIOLoopBound(context, eventLoop: loop)
            let requestBody = body
            body = []
            Task {
                let response = await api.handle(method: requestHead.method.rawValue, path: requestHead.uri, body: requestBody)
                loop.execute { [self] in respond(context: contextBox.value, head: requestHead, response: response) }
            }
        }
    }

    private func respond(context: ChannelHandlerContext, head requestHead: HTTPRequestHead, response: ControlAPI.Response) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        let status = HTTPResponseStatus(statusCode: response.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: requestHead.version, status: status, headers: headers))), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        // The path is logged, never a body: bodies may one day carry key material or codes.
        logger.info("control command", metadata: [
            "peer_uid": "\(peer.uid)", "peer_pid": "\(peer.pid)", "method": "\(requestHead.method.rawValue)",
            "path": "\(requestHead.uri.prefix(200))", "status": "\(response.status)",
        ])
        audit(ControlAuditEntry(peer: peer, method: requestHead.method.rawValue, path: String(requestHead.uri.prefix(200)), status: response.status))
        inFlight.leave()
    }
}

/// Commands being answered, so that shutdown can let them finish.
final class RequestCounter: Sendable {
    private let value = Atomic<Int>(0)
    func enter() { value.add(1, ordering: .relaxed) }
    func leave() { value.subtract(1, ordering: .relaxed) }
    var current: Int { value.load(ordering: .relaxed) }
}

/// The layout of Linux's `struct ucred` (pid, uid, gid), which Glibc's module does not export without _GNU_SOURCE.
struct KernelPeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
