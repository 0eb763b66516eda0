public import MCPCore
import PierSync

/// One client connection served by an ``MCPServer`` through a view: the effects around a
/// ``ConnectionStateMachine``. Transports keep only framing and I/O: they hand it each message as it arrives and
/// write what it returns.
///
/// ```swift
/// let connection = MCPConnection(server: server, setup: .stdio)
/// // for each request read from the client:
/// if let response = await connection.serve(request, sink: sink, send: writeRequest) { write(response) }
/// ```
public final class MCPConnection: Sendable {
    /// Puts a server→client request on the stream of the call that sends it.
    public typealias RequestSender = @Sendable (JSONRPCRequest) async -> Void

    public let server: MCPServer
    public let view: CatalogView
    private let state: Locked<ConnectionStateMachine>

    public init(server: MCPServer, view: CatalogView = .everything, setup: ConnectionStateMachine.Setup) {
        self.server = server
        self.view = view
        self.state = Locked(ConnectionStateMachine(setup: setup))
    }

    /// The client as `initialize` described it (with the log level set since); `nil` before `initialize`.
    public var client: ClientContext? { state.withLock { $0.client } }
    /// Resource URIs the client subscribed to.
    public var subscriptions: Set<String> { state.withLock { $0.subscriptions } }
    /// Whether the client declared a capability a handler may use mid-call (elicitation, sampling, roots).
    public var canBeAsked: Bool { state.withLock { $0.canBeAsked } }

    /// Takes up a session negotiated elsewhere (another instance, before a restart): see
    /// ``ConnectionStateMachine/restore(_:subscriptions:)``.
    public func restore(_ client: ClientContext, subscriptions: Set<String>) { state.withLock { $0.restore(client, subscriptions: subscriptions) } }

    /// Serves one request from the client and returns the response to send; `nil` when none is due (the call was
    /// cancelled, or the client cancelled its listen).
    ///
    /// - Parameters:
    ///   - sink: where the call's notifications (progress, log messages, a listen's events) go.
    ///   - send: how to send the client a request on this call's stream; `nil` when the stream cannot carry one
    ///     (handlers that ask then get a tool error).
    /// - Parameter principal: who sent this request, when the transport authenticated it (it may differ from
    ///   request to request on one connection).
    public func serve(_ request: JSONRPCRequest, sink: NotificationSink, send: RequestSender? = nil, principal: Principal? = nil) async -> JSONRPCResponse? {
        switch state.withLock({ $0.route(request) }) {
        case .reject(let error):
            return JSONRPCResponse(id: request.id, error: error)
        case .initialize:
            let version = state.withLock { $0.initialize(request) }
            return JSONRPCResponse(id: request.id, result: server.initializeResult(version: version, view: view))
        case .listen(let filter):
            return await listen(request, filter: filter, sink: sink)
        case .call(let spec, var client):
            if let principal { client.principal = principal }
            if let send, !client.version.isModern { client.requests = ClientRequestChannel(connection: self, send: send) }
            let signal = CancelSignal()
            if !state.withLock({ $0.begin(request.id, signal: signal) }) { signal.fire() }
            let response = await server.handle(request, method: spec, client: client, view: view, sink: sink, until: signal)
            state.withLock { $0.end(request, spec: spec, response: response) }
            return response
        }
    }

    /// A 2026-07-28 `subscriptions/listen` on this connection: the acknowledgment now, the events the transport
    /// delivers through ``notifications(for:)`` meanwhile, and a result when the server ends it.
    func listen(_ request: JSONRPCRequest, filter: SubscriptionFilter, sink: NotificationSink) async -> JSONRPCResponse? {
        let signal = CancelSignal()
        if !state.withLock({ $0.openListen(request.id, filter: filter, signal: signal) }) { signal.fire() }
        await sink(server.listenAcknowledgment(filter, subscription: request.id))
        await signal.wait()
        let endedByServer = state.withLock { $0.closeListen(request.id) }
        return endedByServer ? JSONRPCResponse(id: request.id, result: server.listenResult(subscription: request.id)) : nil
    }

    /// A notification from the client: `notifications/cancelled` stops the call it names; others need nothing.
    public func receive(_ notification: JSONRPCNotification) {
        guard notification.method == Method.cancelled, let id = notification.params["requestId"].flatMap(JSONRPCID.init(json:)) else { return }
        state.withLock { $0.signal(for: id) }?.fire()
    }

    /// A response from the client, handed to the call that asked; `false` when nobody waits for it.
    @discardableResult
    public func receive(_ response: JSONRPCResponse) -> Bool {
        guard let slot = state.withLock({ $0.take(response) }) else { return false }
        slot.fill(response)
        return true
    }

    /// What a server event becomes for this client (see ``ConnectionStateMachine/notifications(for:)``).
    public func notifications(for event: ServerEvent) -> [JSONRPCNotification] { state.withLock { $0.notifications(for: event) } }

    /// The client's input ended: open listens end with a result; calls in flight go on.
    public func endListens() {
        for signal in state.withLock({ $0.endListens() }) { signal.fire() }
    }

    /// The client has gone, or its session ended: every call in flight is cancelled, and later ones at once.
    public func abandon() {
        for signal in state.withLock({ $0.abandon() }) { signal.fire() }
    }

    func expect(_ slot: ResponseSlot) -> JSONRPCID { state.withLock { $0.expect(slot) } }
    func forget(_ id: JSONRPCID) { state.withLock { $0.forget(id) } }
}
