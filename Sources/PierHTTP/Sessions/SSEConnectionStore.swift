import PierServer
import PierSync

/// The open HTTP+SSE connections, capped, plus a bounded memory of closed ones (their message POSTs get 404).
final class SSEConnectionStore: Sendable {
    private struct State {
        var live: [String: SSEConnection] = [:]
        var ended: EndedIDs
    }
    private let state: Locked<State>
    let limit: Int
    let server: MCPServer
    let view: CatalogView

    init(server: MCPServer, view: CatalogView, limit: Int, remembered: Int) {
        self.server = server
        self.view = view
        self.limit = limit
        self.state = Locked(State(ended: EndedIDs(capacity: remembered)))
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

    /// Whether stream `id` was open here and has closed.
    func hasEnded(_ id: String) -> Bool { state.withLock { $0.ended.contains(id) } }
}
