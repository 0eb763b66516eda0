public import NIOCore

/// Reports its connection's end to a ``DisconnectMonitor``; everything passes through unchanged.
public final class ConnectionCloseHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    public typealias InboundIn = ByteBuffer
    let monitor: DisconnectMonitor

    init(monitor: DisconnectMonitor) { self.monitor = monitor }

    public func handlerAdded(context: ChannelHandlerContext) { monitor.opened(ObjectIdentifier(context.channel)) }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { monitor.closed(ObjectIdentifier(context.channel), forget: false) }
        context.fireUserInboundEventTriggered(event)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        monitor.closed(ObjectIdentifier(context.channel), forget: true)
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) { monitor.closed(ObjectIdentifier(context.channel), forget: true) }
}
