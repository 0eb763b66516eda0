import MCPCore
import PierServer
import Synchronization

/// Live legacy sessions plus a bounded memory of ended ones (so their ids get 404, not a silent new start).
final class SessionStore: Sendable {
    enum Lookup {
        case live(LegacySession)
        case expired
        case unknown
    }

    private struct State {
        var live: [String: LegacySession] = [:]
        var ended: EndedIDs
    }
    private let state: Mutex<State>
    let configuration: MCPHTTPConfiguration
    let server: MCPServer
    let view: CatalogView

    init(server: MCPServer, view: CatalogView, configuration: MCPHTTPConfiguration) {
        self.server = server
        self.view = view
        self.configuration = configuration
        self.state = Mutex(State(ended: EndedIDs(capacity: configuration.maxRememberedExpiredSessions)))
    }

    var count: Int { state.withLock { $0.live.count } }
    var all: [LegacySession] { state.withLock { Array($0.live.values) } }

    /// A fresh id: 128 random bits as hex (visible ASCII, as the spec asks).
    static func newID() -> String {
        var g = SystemRandomNumberGenerator()
        let a = g.next() as UInt64
        let b = g.next() as UInt64
        let hex = String(a, radix: 16) + String(b, radix: 16)
        return String(repeating: "0", count: max(0, 32 - hex.count)) + hex
    }

    /// A new session, before its `initialize` has been served; the least recently used one is ended beyond the cap.
    func create() -> LegacySession {
        let session = LegacySession(id: Self.newID(), server: server, view: view, eventLogCapacity: configuration.eventLogCapacity)
        let evicted = state.withLock { s -> LegacySession? in
            s.live[session.id] = session
            guard s.live.count > configuration.maxSessions,
                let oldest = s.live.values.min(by: { $0.lastActive < $1.lastActive })
            else { return nil }
            end(oldest.id, in: &s)
            return oldest
        }
        evicted?.close()
        return session
    }

    func lookup(_ id: String) -> Lookup {
        state.withLock { s in
            if let session = s.live[id] { return .live(session) }
            return s.ended.contains(id) ? .expired : .unknown
        }
    }

    /// Ends a session (DELETE or expiry). Returns `false` when it was not live.
    @discardableResult
    func remove(_ id: String) -> Bool {
        let session = state.withLock { s -> LegacySession? in
            guard let session = s.live[id] else { return nil }
            end(id, in: &s)
            return session
        }
        session?.close()
        return session != nil
    }

    private func end(_ id: String, in s: inout State) {
        s.live[id] = nil
        s.ended.insert(id)
    }

    /// Expires sessions idle longer than the configured timeout; returns how many.
    @discardableResult
    func expireIdle(now: ContinuousClock.Instant = .now) -> Int {
        let idle = state.withLock { s in s.live.values.filter { now - $0.lastActive > configuration.sessionIdleTimeout }.map(\.id) }
        for id in idle { remove(id) }
        return idle.count
    }
}
