public import NIOCore
import Synchronization

/// Records that a client closed its side of the connection.
///
/// Hummingbird allows remote half-closure, so a client that goes away shows up as `ChannelEvent.inputClosed`
/// while the channel stays active. Add one tracker per connection (`.http1(additionalChannelHandlers:)`) and
/// long calls can see that their client has left. Everything passes through unchanged.
public final class InputClosedTracker: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    public typealias InboundIn = ByteBuffer

    private let closed = Atomic<Bool>(false)

    public init() {}

    /// `true` once the client closed its side or the connection went away.
    public var isClosed: Bool { closed.load(ordering: .relaxed) }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { closed.store(true, ordering: .relaxed) }
        context.fireUserInboundEventTriggered(event)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        closed.store(true, ordering: .relaxed)
        context.fireChannelInactive()
    }
}
