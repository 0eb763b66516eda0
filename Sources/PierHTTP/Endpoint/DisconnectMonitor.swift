public import HummingbirdCore
import NIOCore
import PierServer
import PierSync

/// Tells the endpoint when a client goes away, as it happens: a handler on every connection's pipeline reports
/// when the client closes its side (Hummingbird allows half-closure, so a departed client shows up as
/// `inputClosed` on a channel that stays active) or the connection ends, and what was registered for that
/// connection is fired then: a stream's or a call's cancel signal. Nothing polls.
///
/// Served through ``http1(configuration:)``, each connection also runs in a scope the monitor can cancel. A call
/// that must stop when its client leaves then only arms the scope while it runs (a counter under a lock): it runs
/// in the connection's own task, and a departure cancels that task, the call with it.
///
/// ```swift
/// let disconnects = DisconnectMonitor()
/// let app = Application(router: router, server: disconnects.http1())
/// let endpoint = MCPEndpoint(server: mcp, configuration: http, disconnects: disconnects)
/// ```
public final class DisconnectMonitor: Sendable {
    private struct Connection {
        var closed = false
        var watchers: [Int: CancelSignal] = [:]
        /// Fired to cancel the connection's task, when it runs under ``http1(configuration:)``.
        var scope: CancelSignal?
        /// Calls running now that the client's leaving cancels.
        var armed = 0
    }
    private struct State {
        var next = 0
        var connections: [ObjectIdentifier: Connection] = [:]
    }
    private let state = Locked(State())

    public init() {}

    /// A handler for one new connection (Hummingbird builds one per connection from `additionalChannelHandlers`).
    public func handler() -> ConnectionCloseHandler { ConnectionCloseHandler(monitor: self) }

    /// The connections being watched now.
    var connectionCount: Int { state.withLock { $0.connections.count } }

    func opened(_ channel: ObjectIdentifier) { state.withLock { $0.connections[channel] = Connection() } }

    /// The client closed its side (`forget: false`) or the connection ended (`forget: true`).
    func closed(_ channel: ObjectIdentifier, forget: Bool) {
        let (watchers, scope) = state.withLock { s -> ([Int: CancelSignal], CancelSignal?) in
            guard let connection = s.connections[channel] else { return ([:], nil) }
            if forget { s.connections[channel] = nil } else { s.connections[channel] = Connection(closed: true, scope: connection.scope) }
            return (connection.watchers, connection.armed > 0 ? connection.scope : nil)
        }
        for watcher in watchers.values { watcher.fire() }
        scope?.fire()
    }

    /// The signal that cancels `channel`'s task (its scope); `nil` for a connection that has already ended.
    func scope(for channel: any Channel) -> CancelSignal? {
        state.withLock { s in
            let key = ObjectIdentifier(channel)
            guard s.connections[key] != nil else { return nil }
            if let scope = s.connections[key]?.scope { return scope }
            let scope = CancelSignal()
            s.connections[key]?.scope = scope
            return scope
        }
    }

    /// A call the client's leaving cancels starts on `channel`: `true` when the connection runs in a scope that does
    /// that (cancelled at once if the client has already gone); `false` when it does not, so the caller must.
    func arm(_ channel: any Channel) -> Bool {
        let (armed, cancel) = state.withLock { s -> (Bool, CancelSignal?) in
            guard let i = s.connections.index(forKey: ObjectIdentifier(channel)), let scope = s.connections.values[i].scope else { return (false, nil) }
            s.connections.values[i].armed += 1
            return (true, s.connections.values[i].closed ? scope : nil)
        }
        cancel?.fire()
        return armed
    }

    /// The call ``arm(_:)`` announced has ended.
    func disarm(_ channel: any Channel) {
        state.withLock { s in
            guard let i = s.connections.index(forKey: ObjectIdentifier(channel)), s.connections.values[i].armed > 0 else { return }
            s.connections.values[i].armed -= 1
        }
    }

    /// Fires `signal` when `channel`'s client goes; at once when it has already gone. Returns the registration to
    /// ``unwatch(_:)`` when the work ends first.
    func watch(_ channel: any Channel, _ signal: CancelSignal) -> Registration? {
        let key = ObjectIdentifier(channel)
        let registration = state.withLock { s -> Registration? in
            guard s.connections[key]?.closed == false else { return nil }
            s.next += 1
            s.connections[key]?.watchers[s.next] = signal
            return Registration(channel: key, id: s.next)
        }
        // Not watched (closed already, or the connection ended and was forgotten): gone unless still active.
        if registration == nil, state.withLock({ $0.connections[key]?.closed }) == true || !channel.isActive { signal.fire() }
        return registration
    }

    func unwatch(_ registration: Registration) {
        _ = state.withLock { $0.connections[registration.channel]?.watchers.removeValue(forKey: registration.id) }
    }

    /// Returns once `channel`'s client has gone, or when the calling task is cancelled.
    func waitForClose(_ channel: any Channel) async {
        let gone = CancelSignal()
        let registration = watch(channel, gone)
        await gone.wait()
        if let registration { unwatch(registration) }
    }

    struct Registration: Sendable {
        let channel: ObjectIdentifier
        let id: Int
    }
}

extension DisconnectMonitor {
    /// An HTTP/1.1 server whose connections this monitor watches (``handler()`` on every pipeline, after
    /// `configuration`'s own handlers) and runs in scopes it can cancel.
    public func http1(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        let configuration = watching(configuration)
        return HTTPServerBuilder { responder in
            ScopedConnections(inner: HTTP1Channel(responder: responder, configuration: configuration), monitor: self)
        }
    }

    /// `configuration` with ``handler()`` after its own handlers on every pipeline (each HTTP/2 stream's, under TLS).
    func watching(_ configuration: HTTP1Channel.Configuration) -> HTTP1Channel.Configuration {
        var watched = configuration
        let extra = configuration.additionalChannelHandlers
        watched.additionalChannelHandlers = { extra() + [self.handler()] }
        return watched
    }
}
