import AsyncAlgorithms
import MCPCore
import PierServer
import Synchronization

/// One 2024-11-05 HTTP+SSE connection: the GET stream carries every reply; POSTs to the message endpoint hand
/// their messages to it. The protocol state (initialize, cancellation, session changes, requests to the client)
/// is its ``MCPConnection``'s; all work of the connection runs in the stream's task group, so a disconnect cancels it.
final class SSEConnection: Sendable {
    let id: String
    let connection: MCPConnection
    /// Messages POSTed for this connection; the stream's dispatcher takes them (a send waits for it: backpressure).
    let inbox = AsyncChannel<JSONRPCRequest>()

    /// Server events for this connection, bounded (the oldest are dropped for a stream that does not keep up).
    let notices: AsyncStream<JSONRPCNotification>
    private let noticeSink: AsyncStream<JSONRPCNotification>.Continuation
    private let active = Mutex(ContinuousClock.now)

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

/// The open HTTP+SSE connections, capped, plus a bounded memory of closed ones (their message POSTs get 404).
final class SSEConnectionStore: Sendable {
    private struct State {
        var live: [String: SSEConnection] = [:]
        var ended: EndedIDs
    }
    private let state: Mutex<State>
    let limit: Int
    let server: MCPServer
    let view: CatalogView

    init(server: MCPServer, view: CatalogView, limit: Int, remembered: Int) {
        self.server = server
        self.view = view
        self.limit = limit
        self.state = Mutex(State(ended: EndedIDs(capacity: remembered)))
    }

    var count: Int { state.withLock { $0.live.count } }
    var all: [SSEConnection] { state.withLock { Array($0.live.values) } }

    /// A new connection, or `nil` when `limit` streams are open.
    func open() -> SSEConnection? {
        state.withLock { s in
            guard s.live.count < limit else { return nil }
            let connection = SSEConnection(id: SessionStore.newID(), server: server, view: view)
            s.live[connection.id] = connection
            return connection
        }
    }

    func close(_ id: String) {
        state.withLock { s in
            s.live[id] = nil
            s.ended.insert(id)
        }
    }

    func connection(_ id: String) -> SSEConnection? { state.withLock { $0.live[id] } }
}
