import Logging
import MCPCore
import PierServer
import PierSync

/// Live legacy sessions plus a bounded memory of ended ones (so their ids get 404, not a silent new start). With a
/// ``SessionDirectory``, the sessions are the cluster's: an id this instance does not hold is looked up there and
/// taken up, use is marked there, and a session ended anywhere ends everywhere.
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
    private let state: Locked<State>
    let configuration: MCPHTTPConfiguration
    let server: MCPServer
    let view: CatalogView
    let logger: Logger
    var directory: (any SessionDirectory)? { configuration.sessionDirectory }

    init(server: MCPServer, view: CatalogView, configuration: MCPHTTPConfiguration, logger: Logger) {
        self.server = server
        self.view = view
        self.configuration = configuration
        self.logger = logger
        self.state = Locked(State(ended: EndedIDs(capacity: configuration.maxRememberedExpiredSessions)))
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

    /// A new session, before its `initialize` has been served; `nil` when the cap is reached and every session
    /// has a stream open (else the least recently used idle one is ended to make room).
    func create() async -> LegacySession? {
        await admit(newSession(Self.newID()))
    }

    private func newSession(_ id: String) -> LegacySession {
        LegacySession(id: id, server: server, view: view, eventLogCapacity: configuration.eventLogCapacity, owner: configuration.cluster?.instance)
    }

    /// Saves `session` as it now stands (after `initialize`, or a change of log level or subscriptions) and, unless
    /// it `isNew`, tells the other instances holding it to take the change up now.
    func share(_ session: LegacySession, isNew: Bool = false) async {
        guard let directory, let shared = SharedSession(id: session.id, endpoint: configuration.endpointPath, connection: session.connection) else { return }
        do {
            try await directory.save(shared)
        } catch {
            logger.warning("a session could not be saved; other instances will not know it", metadata: ["session": "\(session.id)", "error": "\(error)"])
            return
        }
        if !isNew { await announce(.sessionChanged, session.id) }
    }

    /// Tells the other instances that session `id` changed or ended.
    private func announce(_ topic: ClusterTopic, _ id: String) async {
        await configuration.cluster?.publish(ClusterMessage(topic, ["endpoint": .string(configuration.endpointPath), "session": .string(id)]))
    }

    /// Another instance changed session `id`: when it is held here, its log level and subscriptions are read again.
    func refresh(_ id: String) async {
        guard let directory, case .live(let session) = lookup(id) else { return }
        do {
            guard let shared = try await directory.load(id) else {
                end(id)
                return
            }
            if SharedSession(id: id, endpoint: shared.endpoint, connection: session.connection) != shared {
                session.connection.restore(shared.client, subscriptions: shared.subscriptions)
            }
        } catch {
            logger.warning("a session changed elsewhere could not be read", metadata: ["session": "\(id)", "error": "\(error)"])
        }
    }

    /// Another instance ended session `id`: it ends here too, streams and all.
    func endedElsewhere(_ id: String) { end(id) }

    /// The session `id`: held here, taken up from the directory, or ended. A held one is marked used in the
    /// directory now and then, and learns there what other instances changed and whether one ended it.
    func find(_ id: String) async -> Lookup {
        let found = lookup(id)
        guard let directory else { return found }
        switch found {
        case .live(let session):
            guard session.sharedMarkDue(every: configuration.sessionTouchInterval) else { return found }
            do {
                if let shared = try await directory.touch(id) {
                    // What another instance changed (a log level, a subscription) holds here from now on.
                    if SharedSession(id: id, endpoint: shared.endpoint, connection: session.connection) != shared {
                        session.connection.restore(shared.client, subscriptions: shared.subscriptions)
                    }
                    return found
                }
            } catch {
                logger.warning("a session's use could not be marked", metadata: ["session": "\(id)", "error": "\(error)"])
                return found
            }
            end(id)
            return .expired
        case .expired:
            return found
        case .unknown:
            do {
                guard let shared = try await directory.load(id), shared.endpoint == configuration.endpointPath else { return .unknown }
                let session = newSession(id)
                session.connection.restore(shared.client, subscriptions: shared.subscriptions)
                guard let admitted = await admit(session) else { return .unknown }
                logger.debug("took up a session opened elsewhere", metadata: ["session": "\(id)"])
                return .live(admitted)
            } catch {
                logger.warning("a session could not be looked up", metadata: ["session": "\(id)", "error": "\(error)"])
                return .unknown
            }
        }
    }

    /// What this instance knows of `id` without asking the directory.
    func lookup(_ id: String) -> Lookup {
        state.withLock { s in
            if let session = s.live[id] { return .live(session) }
            return s.ended.contains(id) ? .expired : .unknown
        }
    }

    /// Ends a session (DELETE, an operator, eviction) here and in the directory. Returns `false` when neither had it.
    @discardableResult
    func remove(_ id: String) async -> Bool {
        let here = end(id)
        guard let directory else { return here }
        do {
            let removed = try await directory.remove(id) || here
            if removed { await announce(.sessionEnded, id) }
            return removed
        } catch {
            logger.warning("a session could not be removed from the store", metadata: ["session": "\(id)", "error": "\(error)"])
            return here
        }
    }

    /// Expires sessions idle here longer than the configured timeout; returns how many.
    @discardableResult
    func expireIdle(now: ContinuousClock.Instant = .now) -> Int {
        let timeout = configuration.sessionIdleTimeout
        let idle = state.withLock { s in s.live.values.filter { now - $0.lastActive > timeout }.map(\.id) }
        for id in idle {
            // With a directory, a session idle here may be in use on another instance: it only leaves this one's
            // memory (to be taken up again if it comes back); the directory ends what is idle everywhere.
            if directory == nil { end(id) } else { forget(id) }
        }
        return idle.count
    }

    // MARK: in memory

    private func admit(_ session: LegacySession) async -> LegacySession? {
        enum Outcome {
            case admitted(LegacySession, evicted: LegacySession?)
            case full
        }
        let outcome = state.withLock { s -> Outcome in
            // Two requests may take up one id at once: the first one in wins.
            if let existing = s.live[session.id] { return .admitted(existing, evicted: nil) }
            var evicted: LegacySession?
            if s.live.count >= configuration.maxSessions {
                guard let oldest = s.live.values.filter({ !$0.isBusy }).min(by: { $0.lastActive < $1.lastActive }) else { return .full }
                evicted = Self.markEnded(oldest.id, in: &s)
            }
            s.live[session.id] = session
            return .admitted(session, evicted: evicted)
        }
        switch outcome {
        case .full:
            return nil
        case .admitted(let admitted, let evicted):
            if let evicted {
                evicted.close()
                logger.info("ended the least recently used session to make room", metadata: ["session": "\(evicted.id)"])
                if let directory {
                    do {
                        _ = try await directory.remove(evicted.id)
                        await announce(.sessionEnded, evicted.id)
                    } catch {
                        logger.warning("an evicted session could not be removed from the store", metadata: ["session": "\(evicted.id)", "error": "\(error)"])
                    }
                }
            }
            return admitted
        }
    }

    /// Ends `id` here, remembering it as ended; `false` when it was not live.
    @discardableResult
    private func end(_ id: String) -> Bool {
        let session = state.withLock { Self.markEnded(id, in: &$0) }
        session?.close()
        return session != nil
    }

    /// Takes `id` out of the live sessions and remembers it as ended; the session, if it was live.
    private static func markEnded(_ id: String, in s: inout State) -> LegacySession? {
        guard let session = s.live.removeValue(forKey: id) else { return nil }
        s.ended.insert(id)
        return session
    }

    /// Drops `id` from memory without ending it for the cluster.
    private func forget(_ id: String) {
        let session = state.withLock { $0.live.removeValue(forKey: id) }
        session?.close()
    }
}
