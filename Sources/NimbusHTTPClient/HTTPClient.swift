import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 client over SwiftNIO for loopback and LAN services: a managed node's REST API and metrics
/// (TCP) and the node manager's control socket (Unix). One request per connection, a deadline on everything, and
/// a bound on the answer's size, because the bytes come from another process.
public final class HTTPClient: Sendable {
    /// Where to connect.
    public enum Endpoint: Sendable, Equatable, CustomStringConvertible {
        case tcp(host: String, port: Int)
        case unix(path: String)

        public var description: String {
            switch self {
            case let .tcp(host, port): "\(host):\(port)"
            case let .unix(path): path
            }
        }
    }

    /// An answer.
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]

        public static func == (lhs: Response, rhs: Response) -> Bool {
            lhs.status == rhs.status && lhs.body == rhs.body
                && lhs.headers.map { "\($0.0):\($0.1)" } == rhs.headers.map { "\($0.0):\($0.1)" }
        }

        /// The first value of a header, case-insensitively.
        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    /// Why a request failed, in words a user can act on. Never includes request headers (they may carry tokens).
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public enum Reason: Sendable, Equatable {
            case connectionRefused
            case permissionDenied
            case timedOut
            case tooLarge
            case closed
            case other
        }

        public var reason: Reason
        public var description: String

        public init(reason: Reason, description: String) {
            self.reason = reason
            self.description = description
        }
    }

    let group: MultiThreadedEventLoopGroup

    /// Uses its own event-loop thread; call `shutdown()` when done.
    public init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    public func shutdown() {
        try? group.syncShutdownGracefully()
    }

    /// Performs one request. `body` is sent with a Content-Length; `maximumBody` bounds the answer.
    public func request(
        _ method: HTTPMethod, _ target: String, at endpoint: Endpoint, headers: [(String, String)] = [],
        body: [UInt8]? = nil, timeout: TimeAmount = .seconds(10), maximumBody: Int = 16 << 20
    ) async throws(Failure) -> Response {
        let loop = group.next()
        let promise = loop.makePromise(of: Response.self)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        ResponseCollector(promise: promise, maximumBody: maximumBody, endpoint: endpoint))
                }
            }
        let channel: any Channel
        do {
            switch endpoint {
            case let .tcp(host, port): channel = try await bootstrap.connect(host: host, port: port).get()
            case let .unix(path): channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
            }
        } catch {
            promise.fail(error)
            throw Self.explain(error, endpoint)
        }
        var head = HTTPHeaders()
        head.add(name: "Host", value: endpoint.hostHeader)
        head.add(name: "Connection", value: "close")
        for (name, value) in headers { head.add(name: name, value: value) }
        if let body { head.add(name: "Content-Length", value: String(body.count)) }
        channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: method, uri: target, headers: head)), promise: nil)
        if let body {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: body))), promise: nil)
        }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        let deadline = loop.scheduleTask(in: timeout) {
            promise.fail(Failure(reason: .timedOut, description: "\(endpoint) did not answer \(method) \(target) in time"))
        }
        defer {
            deadline.cancel()
            channel.close(promise: nil)
        }
        do {
            return try await promise.futureResult.get()
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(reason: .other, description: "\(endpoint): \(error)")
        }
    }

    static func explain(_ error: any Error, _ endpoint: Endpoint) -> Failure {
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED, ENOENT:
                return Failure(reason: .connectionRefused, description: "\(endpoint) refused the connection")
            case EACCES, EPERM:
                return Failure(reason: .permissionDenied, description: "permission denied on \(endpoint)")
            default:
                break
            }
        }
        if error is ChannelError, case .connectTimeout? = error as? ChannelError {
            return Failure(reason: .timedOut, description: "connecting to \(endpoint) timed out")
        }
        if let connect = error as? NIOConnectionError {
            if let first = connect.connectionErrors.first {
                return explain(first.error, endpoint)
            }
            return Failure(reason: .connectionRefused, description: "cannot connect to \(endpoint)")
        }
        return Failure(reason: .other, description: "cannot connect to \(endpoint): \(error)")
    }
}

extension HTTPClient.Endpoint {
    var hostHeader: String {
        switch self {
        case let .tcp(host, port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix: "localhost"
        }
    }
}

/// Collects one response and fulfils the promise; refuses bodies over the bound.
final class ResponseCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<HTTPClient.Response>
    private let maximumBody: Int
    private let endpoint: HTTPClient.Endpoint
    private var response = HTTPClient.Response(status: 0, headers: [], body: [])

    init(promise: EventLoopPromise<HTTPClient.Response>, maximumBody: Int, endpoint: HTTPClient.Endpoint) {
        self.promise = promise
        self.maximumBody = maximumBody
        self.endpoint = endpoint
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            response.status = Int(head.status.code)
            response.headers = head.headers.map { ($0.name, $0.value) }
        case var .body(buffer):
            guard response.body.count + buffer.readableBytes <= maximumBody else {
                promise.fail(HTTPClient.Failure(
                    reason: .tooLarge, description: "\(endpoint) sent more than \(maximumBody) bytes"))
                context.close(promise: nil)
                return
            }
            response.body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            promise.succeed(response)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(HTTPClient.Failure(reason: .other, description: "\(endpoint): malformed answer (\(error))"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(HTTPClient.Failure(reason: .closed, description: "\(endpoint) closed the connection"))
    }
}
