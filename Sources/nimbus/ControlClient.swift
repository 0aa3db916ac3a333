import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client for the control socket (SwiftNIO's HTTP codec does the parsing).
struct ControlClient {
    let socketPath: String

    struct Response {
        var status: Int
        var body: [UInt8]
    }

    /// The largest answer the CLI accepts; a status is a few kilobytes.
    static let maximumBody = 16 << 20

    func get(_ path: String) throws -> Response {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let promise = group.next().makePromise(of: Response.self)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
                }
            }
        let channel: any Channel
        do {
            channel = try bootstrap.connect(unixDomainSocketPath: socketPath).wait()
        } catch {
            promise.fail(error)
            throw CLIError(description: Self.explain(error, socketPath))
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "localhost")
        headers.add(name: "Accept", value: "application/json")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        let timeout = group.next().scheduleTask(in: .seconds(30)) {
            promise.fail(CLIError(description: "the node manager at \(socketPath) did not answer within 30 s"))
        }
        defer {
            timeout.cancel()
            _ = channel.close()
        }
        do {
            return try promise.futureResult.wait()
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError(description: "lost the connection to the node manager at \(socketPath): \(error)")
        }
    }

    static func explain(_ error: any Error, _ path: String) -> String {
        if let io = error as? IOError, io.errnoCode == EACCES || io.errnoCode == EPERM {
            return "permission denied on \(path): run as root or as a member of the control group (nimbus-nm by default)"
        }
        return "cannot reach the node manager at \(path): is nimbus-node-manager running?"
    }
}

/// Collects one response and fulfils the promise.
final class ResponseCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<ControlClient.Response>
    private var status = 0
    private var body: [UInt8] = []

    init(promise: EventLoopPromise<ControlClient.Response>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            status = Int(head.status.code)
        case var .body(buffer):
            guard body.count + buffer.readableBytes <= ControlClient.maximumBody else {
                promise.fail(CLIError(description: "the node manager's answer exceeds \(ControlClient.maximumBody) bytes"))
                context.close(promise: nil)
                return
            }
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            promise.succeed(ControlClient.Response(status: status, body: body))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(CLIError(description: "the node manager closed the connection"))
    }
}
