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

    private struct State {
        var client: ClientContext?
        var inFlight: [JSONRPCID: CancelSignal] = [:]
        var subscriptions: Set<String> = []
    }

    /// `true` when a server event should be written to this client.
    func wants(_ event: ServerEvent) -> Bool {
        state.withLock { s in s.client != nil && event.concerns(subscriptions: s.subscriptions) }
    }
    private let state = Mutex(State())

    init(server: MCPServer, logger: Logger) {
        self.server = server
        self.logger = logger
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
        case .response:
            break
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
            let context = ClientContext(
                version: version, capabilities: r.params["capabilities"]?.objectValue ?? [:], info: r.params["clientInfo"]?.objectValue)
            state.withLock { $0.client = context }
            return JSONRPCResponse(id: r.id, result: server.initializeResult(version: version))
        } else {
            client = state.withLock { $0.client } ?? ClientContext(version: .latestLegacy)
        }
        guard server.supports(method: r.method, modern: client.version.isModern) else {
            return JSONRPCResponse(id: r.id, error: .methodNotFound(r.method))
        }
        let sink = NotificationSink { notification in await out.send(.notification(notification)) }
        let signal = CancelSignal()
        state.withLock { $0.inFlight[r.id] = signal }
        let response = await server.handle(r, client: client, sink: sink, until: signal)
        _ = state.withLock { $0.inFlight.removeValue(forKey: r.id) }
        if response?.error == nil, let change = SessionChange(r) {
            state.withLock { s in change.apply(to: &s.client, subscriptions: &s.subscriptions) }
        }
        return response
    }
}
