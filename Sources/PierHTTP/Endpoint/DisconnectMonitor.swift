public import NIOCore
import PierServer
import Synchronization

/// Tells the endpoint when a client goes away, as it happens: a handler on every connection's pipeline reports
/// when the client closes its side (Hummingbird allows half-closure, so a departed client shows up as
/// `inputClosed` on a channel that stays active) or the connection ends, and everything registered for that
/// connection runs then: a call's cancel signal, a stream waiting to end. Registering is a dictionary insert
/// under a lock, so quick calls pay almost nothing, and nothing polls.
///
/// ```swift
/// let disconnects = DisconnectMonitor()
/// let server = .http1(configuration: .init(additionalChannelHandlers: [disconnects.handler()]))
/// let endpoint = MCPEndpoint(server: mcp, configuration: http, disconnects: disconnects)
/// ```
public final class DisconnectMonitor: Sendable {
    private struct Connection {
        var closed = false
        var watchers: [Int: @Sendable () -> Void] = [:]
    }
    private struct State {
        var next = 0
        var connections: [ObjectIdentifier: Connection] = [:]
    }
    private let state = Mutex(State())

    public init() {}

    /// A handler for one new connection (Hummingbird builds one per connection from `additionalChannelHandlers`).
    public func handler() -> ConnectionCloseHandler { ConnectionCloseHandler(monitor: self) }

    /// The connections being watched now.
    var connectionCount: Int { state.withLock { $0.connections.count } }

    func opened(_ channel: ObjectIdentifier) { state.withLock { $0.connections[channel] = Connection() } }

    /// The client closed its side (`forget: false`) or the connection ended (`forget: true`).
    func closed(_ channel: ObjectIdentifier, forget: Bool) {
        let watchers = state.withLock { s -> [@Sendable () -> Void] in
            let fired = s.connections[channel].map { Array($0.watchers.values) } ?? []
            if forget { s.connections[channel] = nil } else { s.connections[channel] = Connection(closed: true) }
            return fired
        }
        for watcher in watchers { watcher() }
    }

    /// Runs `onClose` once when `channel`'s client goes; at once when it has already gone. Returns the
    /// registration to ``unwatch(_:)`` when the work ends first.
    func watch(_ channel: any Channel, _ onClose: @escaping @Sendable () -> Void) -> Registration? {
        let key = ObjectIdentifier(channel)
        let registration = state.withLock { s -> Registration? in
            guard s.connections[key]?.closed == false else { return nil }
            s.next += 1
            s.connections[key]?.watchers[s.next] = onClose
            return Registration(channel: key, id: s.next)
        }
        // Not watched (closed already, or the connection ended and was forgotten): gone unless still active.
        if registration == nil, state.withLock({ $0.connections[key]?.closed }) == true || !channel.isActive { onClose() }
        return registration
    }

    func unwatch(_ registration: Registration) {
        _ = state.withLock { $0.connections[registration.channel]?.watchers.removeValue(forKey: registration.id) }
    }

    /// Returns once `channel`'s client has gone, or when the calling task is cancelled.
    func waitForClose(_ channel: any Channel) async {
        let gone = CancelSignal()
        let registration = watch(channel, gone.fire)
        await gone.wait()
        if let registration { unwatch(registration) }
    }

    struct Registration: Sendable {
        let channel: ObjectIdentifier
        let id: Int
    }
}

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
