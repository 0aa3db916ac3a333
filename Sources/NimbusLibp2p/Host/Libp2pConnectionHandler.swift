import NIOCore

/// The NIO side of a `Libp2pConnection`: it only forwards channel events; the connection and its state machines
/// decide everything.
final class Libp2pConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let connection: Libp2pConnection

    init(connection: Libp2pConnection) {
        self.connection = connection
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { connection.start() }
    }

    func channelActive(context: ChannelHandlerContext) {
        connection.start()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if let bytes = buffer.readBytes(length: buffer.readableBytes) { connection.receive(bytes) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        connection.flushIfNeeded()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.channelInactive()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        connection.close(.channelError("\(error)"))
    }
}
