import AsyncAlgorithms
import MCPCore
import PierServer
import PierSync

/// One 2024-11-05 HTTP+SSE connection: the GET stream carries every reply; POSTs to the message endpoint hand
/// their messages to it. The protocol state (initialize, cancellation, session changes, requests to the client)
/// is its ``MCPConnection``'s; all work of the connection runs in the stream's task group, so a disconnect cancels it.
final class SSEConnection: Sendable {
    let id: String
    let connection: MCPConnection
    /// What a POST hands the stream: a request to serve, or an answer made already (a refusal with a result).
    enum Inbound: Sendable {
        case request(JSONRPCRequest)
        case answered(JSONRPCResponse)
    }

    /// Messages POSTed for this connection; the stream's dispatcher takes them (a send waits for it: backpressure).
    let inbox = AsyncChannel<Inbound>()
    /// Fired by graceful shutdown: the inbox takes no more messages, and the stream ends once its calls have answered.
    let draining = CancelSignal()

    /// Server events for this connection, bounded (the oldest are dropped for a stream that does not keep up).
    let notices: AsyncStream<JSONRPCNotification>
    private let noticeSink: AsyncStream<JSONRPCNotification>.Continuation
    private let active = Locked(ContinuousClock.now)
    private let caller = Locked<Principal?>(nil)

    /// Who opened the stream, when the endpoint's access check knows; its calls run as them.
    var principal: Principal? {
        get { caller.withLock { $0 } }
        set { caller.withLock { $0 = newValue } }
    }

    init(id: String, server: MCPServer, view: CatalogView) {
        self.id = id
        self.connection = MCPConnection(server: server, view: view, setup: .httpSSE(id))
        (notices, noticeSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(256))
    }

    /// Hands an event to the stream when it concerns this connection.
    func deliver(_ event: ServerEvent) {
        for notification in connection.notifications(for: event) { noticeSink.yield(notification) }
    }
    func finishNotices() { noticeSink.finish() }

    var lastActive: ContinuousClock.Instant { active.withLock { $0 } }
    func touch() { active.withLock { $0 = .now } }
}
