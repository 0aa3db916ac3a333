import Logging
import NIOCore
import NimbusMultiformats

/// Closes a connection the host has no room for, logging the one line every closed connection gets.
final class ConnectionRefusalHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let logger: Logger
    private let reason: ConnectionCloseReason
    private var done = false

    init(logger: Logger, reason: ConnectionCloseReason) {
        self.logger = logger
        self.reason = reason
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private func refuse(_ context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        let remote = context.channel.remoteAddress.flatMap(Multiaddr.init(socketAddress:))
        logger.notice(
            "closing connection",
            metadata: [
                "remote": "\(remote?.description ?? "?")", "reason": "\(reason.description)",
            ])
        context.close(promise: nil)
    }
}
