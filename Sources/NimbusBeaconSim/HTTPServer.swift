import Dispatch
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 server over SwiftNIO: one request per connection (`Connection: close`), handlers run off the
/// event loop (they may take the simulation lock or run a KDF), event streams stay open and are fed by an
/// `EventStreamHub`.
public final class HTTPServer: Sendable {
    /// Answers a request.
    public typealias Router = @Sendable (APIRequest) -> APIReply

    private let channel: any Channel
    /// The address actually bound (useful with port 0).
    public var localPort: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Binds `host:port` and serves `router`.
    public static func start(
        group: any EventLoopGroup, host: String, port: Int, hub: EventStreamHub?, router: @escaping Router
    ) async throws -> HTTPServer {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(RequestHandler(router: router, hub: hub))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        return HTTPServer(channel: channel)
    }

    /// Stops listening (open connections end with the event loop group).
    public func close() async {
        try? await channel.close()
    }
}

/// Collects one request, hands it to the router on a dispatch queue, writes the reply.
private final class RequestHandler: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: the mutable request state is only touched on the channel's event loop.
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: HTTPServer.Router
    private let hub: EventStreamHub?
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private static let maximumBody = 16 << 20

    init(router: @escaping HTTPServer.Router, hub: EventStreamHub?) {
        self.router = router
        self.hub = hub
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
        case .body(var buffer):
            guard body.count + buffer.readableBytes <= Self.maximumBody else {
                context.close(promise: nil)
                return
            }
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = APIRequest(
                method: head.method.rawValue, target: head.uri,
                headers: head.headers.map { (name: $0.name, value: $0.value) }, body: body)
            let router = self.router
            let hub = self.hub
            let loop = context.eventLoop
            let channel = context.channel
            DispatchQueue.global().async {
                let reply = router(request)
                loop.execute {
                    Self.write(reply, on: channel, hub: hub)
                }
            }
        }
    }

    private static func write(_ reply: APIReply, on channel: any Channel, hub: EventStreamHub?) {
        switch reply {
        case .response(let response):
            var headers = HTTPHeaders()
            if let type = response.contentType { headers.add(name: "Content-Type", value: type) }
            headers.add(name: "Content-Length", value: "\(response.body.count)")
            headers.add(name: "Connection", value: "close")
            let head = HTTPResponseHead(
                version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
            channel.write(HTTPServerResponsePart.head(head), promise: nil)
            if !response.body.isEmpty {
                channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: response.body))), promise: nil)
            }
            channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in
                channel.close(promise: nil)
            }
        case .eventStream(let topics):
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/event-stream")
            headers.add(name: "Cache-Control", value: "no-cache")
            headers.add(name: "Connection", value: "close")
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)
            channel.writeAndFlush(HTTPServerResponsePart.head(head), promise: nil)
            hub?.subscribe(channel: channel, topics: Set(topics))
        }
    }
}
