import Logging
import MCPCore
import PierServer
import NIOCore
import Synchronization

/// The state of the one client on stdin/stdout: what `initialize` negotiated (legacy era), its log level, and
/// the calls in flight that `notifications/cancelled` may stop.
final class StdioConnection: Sendable {
    let server: MCPServer
    let logger: Logger

    private struct Listen {
        let filter: SubscriptionFilter
        let signal: CancelSignal
    }

    private struct State {
        var client: ClientContext?
        var inFlight: [JSONRPCID: CancelSignal] = [:]
        var subscriptions: Set<String> = []
        /// Open 2026-07-28 `subscriptions/listen` requests.
        var listens: [JSONRPCID: Listen] = [:]
        var closing = false
        /// The client is gone: nothing more runs for it.
        var abandoned = false
    }

    /// The notifications a server event becomes for this client: the plain one for an initialized legacy client
    /// (subject to its resource subscriptions), and a stamped one per open listen whose filter asks for it.
    func notifications(for event: ServerEvent) -> [JSONRPCNotification] {
        state.withLock { s in
            var out: [JSONRPCNotification] = []
            if let client = s.client, !client.version.isModern, event.concerns(subscriptions: s.subscriptions) { out.append(event.notification) }
            for (id, listen) in s.listens where listen.filter.matches(event) { out.append(SubscriptionFilter.notification(event, subscription: id)) }
            return out
        }
    }

    /// Input has ended: open listens close (with a result), so the process can exit.
    func endListens() {
        let signals = state.withLock { s in
            s.closing = true
            return s.listens.values.map(\.signal)
        }
        for signal in signals { signal.fire() }
    }

    /// The client vanished: every call in flight (and every open listen) is cancelled, and nothing new starts.
    func abandon() {
        let signals = state.withLock { s in
            s.closing = true
            s.abandoned = true
            return Array(s.inFlight.values)
        }
        for signal in signals { signal.fire() }
    }

    /// Serves `subscriptions/listen`: the acknowledgment now, the events as they come (see ``notifications(for:)``),
    /// a result when the server closes it; nothing when the client cancels it.
    func listen(_ r: JSONRPCRequest, out: LineWriter) async -> JSONRPCResponse? {
        let filter: SubscriptionFilter
        do {
            filter = try SubscriptionFilter(params: r.params)
        } catch {
            return JSONRPCResponse(id: r.id, error: error)
        }
        let signal = CancelSignal()
        let closing = state.withLock { s -> Bool in
            s.listens[r.id] = Listen(filter: filter, signal: signal)
            s.inFlight[r.id] = signal
            return s.closing
        }
        if closing { signal.fire() }
        await out.send(.notification(server.listenAcknowledgment(filter, subscription: r.id)))
        await signal.wait()
        let endedByServer = state.withLock { s -> Bool in
            s.listens[r.id] = nil
            s.inFlight[r.id] = nil
            return s.closing
        }
        return endedByServer ? JSONRPCResponse(id: r.id, result: server.listenResult(subscription: r.id)) : nil
    }
    private let state = Mutex(State())

    /// Requests to the client (elicitation, sampling, roots) for a handshake-era client.
    let requests: ClientRequestChannel

    init(server: MCPServer, logger: Logger, out: LineWriter) {
        self.server = server
        self.logger = logger
        self.requests = ClientRequestChannel { request in await out.send(.request(request)) }
    }

    func receive(_ line: ByteBuffer, out: LineWriter) async {
        let json: JSONValue
        do {
            json = try line.withUnsafeReadableBytes { bytes throws(JSONParseError) in try JSONValue(parsing: bytes) }
        } catch {
            await out.send(.response(JSONRPCResponse(id: nil, error: .parseError("Parse error: \(error.description)"))))
            return
        }
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage(json: json)
        } catch {
            await out.send(.response(JSONRPCResponse(id: error.requestID, error: error)))
            return
        }
        switch message {
        case .request(let r):
            if let response = await handle(r, out: out) { await out.send(.response(response)) }
        case .notification(let n):
            if n.method == Method.cancelled, let id = n.params["requestId"].flatMap(JSONRPCID.init(json:)) {
                state.withLock { $0.inFlight[id] }?.fire()
            }
        case .response(let response):
            requests.deliver(response)
        }
    }

    func handle(_ r: JSONRPCRequest, out: LineWriter) async -> JSONRPCResponse? {
        let client: ClientContext
        if r.meta[MetaKey.protocolVersion] != nil || r.method == Method.discover {
            do {
                client = try MCPServer.modernClientContext(for: r)
            } catch {
                return JSONRPCResponse(id: r.id, error: error)
            }
        } else if r.method == Method.initialize {
            let version = ProtocolVersion.negotiateLegacy(requested: r.params["protocolVersion"]?.stringValue)
            var context = ClientContext(
                version: version, capabilities: r.params["capabilities"]?.objectValue ?? [:], info: r.params["clientInfo"]?.objectValue)
            context.requests = requests
            state.withLock { $0.client = context }
            return JSONRPCResponse(id: r.id, result: server.initializeResult(version: version))
        } else {
            client = state.withLock { $0.client } ?? ClientContext(version: .latestLegacy)
        }
        guard server.supports(method: r.method, modern: client.version.isModern) else {
            return JSONRPCResponse(id: r.id, error: .methodNotFound(r.method))
        }
        if r.method == Method.subscriptionsListen { return await listen(r, out: out) }
        let sink = NotificationSink { notification in await out.send(.notification(notification)) }
        let signal = CancelSignal()
        let abandoned = state.withLock { s in
            s.inFlight[r.id] = signal
            return s.abandoned
        }
        if abandoned { signal.fire() }
        let response = await server.handle(r, client: client, sink: sink, until: signal)
        _ = state.withLock { $0.inFlight.removeValue(forKey: r.id) }
        if response?.error == nil, let change = SessionChange(r) {
            state.withLock { s in change.apply(to: &s.client, subscriptions: &s.subscriptions) }
        }
        return response
    }
}
