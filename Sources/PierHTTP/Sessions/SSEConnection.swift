import AsyncAlgorithms
import MCPCore
import PierServer
import Synchronization

/// One 2024-11-05 HTTP+SSE connection: the GET stream carries every reply; POSTs to the message endpoint hand
/// their messages to it. All work of the connection runs in the stream's task group, so a disconnect cancels it.
final class SSEConnection: Sendable {
    let id: String
    /// Messages POSTed for this connection; the stream's dispatcher takes them (a send waits for it: backpressure).
    let inbox = AsyncChannel<JSONRPCRequest>()

    /// Server events for this connection, bounded (the oldest are dropped for a stream that does not keep up).
    let notices: AsyncStream<ServerEvent>
    private let noticeSink: AsyncStream<ServerEvent>.Continuation

    private struct State {
        var client: ClientContext?
        var inFlight: [JSONRPCID: CancelSignal] = [:]
        var lastActive: ContinuousClock.Instant = .now
        var subscriptions: Set<String> = []
        var requests: ClientRequestChannel?
    }

    /// Requests to the client travel on the stream; set when the stream opens.
    var requests: ClientRequestChannel? {
        get { state.withLock { $0.requests } }
        set { state.withLock { $0.requests = newValue } }
    }
    private let state = Mutex(State())

    init(id: String) {
        self.id = id
        (notices, noticeSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(256))
    }

    /// Hands an event to the stream when it concerns this connection.
    func deliver(_ event: ServerEvent) {
        if event.concerns(subscriptions: state.withLock { $0.subscriptions }) { noticeSink.yield(event) }
    }
    func finishNotices() { noticeSink.finish() }

    /// The client as `initialize` described it; a client that skipped it is taken to speak 2024-11-05.
    var client: ClientContext {
        state.withLock { s in
            var client = s.client ?? ClientContext(version: .v2024_11_05, sessionID: id)
            client.requests = s.requests
            return client
        }
    }
    func setClient(_ client: ClientContext) { state.withLock { $0.client = client } }

    /// Keeps a session change (log level, subscriptions) made by a successful request.
    func apply(_ change: SessionChange) {
        let fallback = ClientContext(version: .v2024_11_05, sessionID: id)
        state.withLock { s in
            if s.client == nil { s.client = fallback }
            change.apply(to: &s.client, subscriptions: &s.subscriptions)
        }
    }

    var lastActive: ContinuousClock.Instant { state.withLock { $0.lastActive } }
    func touch() { state.withLock { $0.lastActive = .now } }

    func register(_ id: JSONRPCID, _ signal: CancelSignal) { state.withLock { $0.inFlight[id] = signal } }
    func unregister(_ id: JSONRPCID) { _ = state.withLock { $0.inFlight.removeValue(forKey: id) } }
    func cancel(_ id: JSONRPCID) { state.withLock { $0.inFlight[id] }?.fire() }
}

/// The open HTTP+SSE connections, capped, plus a bounded memory of closed ones (their message POSTs get 404).
final class SSEConnectionStore: Sendable {
    private struct State {
        var live: [String: SSEConnection] = [:]
        var ended: EndedIDs
    }
    private let state: Mutex<State>
    let limit: Int

    init(limit: Int, remembered: Int) {
        self.limit = limit
        self.state = Mutex(State(ended: EndedIDs(capacity: remembered)))
    }

    var count: Int { state.withLock { $0.live.count } }
    var all: [SSEConnection] { state.withLock { Array($0.live.values) } }

    /// A new connection, or `nil` when `limit` streams are open.
    func open() -> SSEConnection? {
        state.withLock { s in
            guard s.live.count < limit else { return nil }
            let connection = SSEConnection(id: SessionStore.newID())
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
    func hasEnded(_ id: String) -> Bool { state.withLock { $0.ended.contains(id) } }
}
