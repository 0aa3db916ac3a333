import NIOCore
import NIOHTTP1
import NIOPosix

extension HTTPClient {
    /// One part of a streamed response.
    public enum StreamEvent: Sendable, Equatable {
        case head(status: Int, contentType: String?)
        case body([UInt8])
        case end
    }

    /// A GET whose answer arrives as it comes (server-sent events): the head, each body part, then `end` (or the
    /// stream finishes early when the connection fails). Cancelling the consuming task closes the connection.
    public func stream(
        _ target: String, at endpoint: Endpoint, headers: [(String, String)] = [], connectTimeout: TimeAmount = .seconds(10)
    ) async throws(Failure) -> AsyncStream<StreamEvent> {
        let loop = group.next()
        let (events, continuation) = AsyncStream<StreamEvent>.makeStream(bufferingPolicy: .bufferingNewest(4096))
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(StreamForwarder(continuation: continuation))
                }
            }
        let channel: any Channel
        do {
            switch endpoint {
            case let .tcp(host, port): channel = try await bootstrap.connect(host: host, port: port).get()
            case let .unix(path): channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
            }
        } catch {
            continuation.finish()
            throw Self.explain(error, endpoint)
        }
        continuation.onTermination = { _ in channel.close(promise: nil) }
        var head = HTTPHeaders()
        head.add(name: "Host", value: endpoint.hostHeader)
        for (name, value) in headers { head.add(name: name, value: value) }
        channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: target, headers: head)), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        return events
    }
}

/// Hands each response part to the stream as it arrives.
final class StreamForwarder: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    private let continuation: AsyncStream<HTTPClient.StreamEvent>.Continuation

    init(continuation: AsyncStream<HTTPClient.StreamEvent>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            continuation.yield(.head(status: Int(head.status.code), contentType: head.headers.first(name: "Content-Type")))
        case var .body(buffer):
            continuation.yield(.body(buffer.readBytes(length: buffer.readableBytes) ?? []))
        case .end:
            continuation.yield(.end)
            continuation.finish()
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish()
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
    }
}
