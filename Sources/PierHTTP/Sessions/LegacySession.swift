import MCPCore
import PierServer
import PierSync

/// A 2025-era Streamable HTTP session opened by `initialize`. Pier never requires clients to send its id back; a
/// client that does gets its negotiated version, capabilities, log level and subscriptions, all kept by the
/// session's ``MCPConnection``. What the session itself keeps is the HTTP side: the bounded log of the events its
/// SSE streams sent (for `Last-Event-ID`), which POST streams are still open, the one standalone GET stream, and the
/// streams following the log.
final class LegacySession: Sendable {
    let id: String
    let connection: MCPConnection

    private struct State {
        var lastActive: ContinuousClock.Instant
        /// When use was last marked in the ``SessionDirectory``.
        var markedShared: ContinuousClock.Instant
        var log: EventLog
        var nextStream = 1
        /// POST streams whose call is still running.
        var openStreams: Set<Int> = []
        var standaloneOpen = false
        /// Readers of the log, by registration: the stream each follows and how to wake it.
        var followers: [Int: (stream: Int, wake: AsyncStream<Void>.Continuation)] = [:]
        var nextFollower = 0
        var closed = false
    }
    private let state: Locked<State>
    /// Stream 0 is the standalone GET stream.
    static let standaloneStream = 0

    /// The instance whose log this is, in a cluster (event ids name it).
    let owner: String?

    init(id: String, server: MCPServer, view: CatalogView, eventLogCapacity: Int, owner: String? = nil) {
        self.id = id
        self.owner = owner
        self.connection = MCPConnection(server: server, view: view, setup: .session(id))
        let now = ContinuousClock.now
        self.state = Locked(State(lastActive: now, markedShared: now, log: EventLog(capacity: eventLogCapacity, owner: owner)))
    }

    /// The event id of `sequence` on `stream` of this session's log.
    func eventID(stream: Int, sequence: Int) -> String { EventLog.id(stream: stream, sequence: sequence, owner: owner) }

    /// Whether `stream` is one of this session's POST streams that is still open or left events in the log.
    func knows(stream: Int) -> Bool {
        state.withLock { s in s.openStreams.contains(stream) || (stream > 0 && stream < s.nextStream) }
    }

    /// The version `initialize` negotiated.
    var version: ProtocolVersion { connection.client?.version ?? .assumedWithoutHeader }

    var lastActive: ContinuousClock.Instant { state.withLock { $0.lastActive } }
    func touch() { state.withLock { $0.lastActive = .now } }
    var isClosed: Bool { state.withLock { $0.closed } }
    /// A stream is open or a call is running on one: eviction passes over it.
    var isBusy: Bool { state.withLock { $0.standaloneOpen || !$0.openStreams.isEmpty } }

    /// `true` (once per `interval`) when the session's use is to be marked in the shared directory.
    func sharedMarkDue(every interval: Duration) -> Bool {
        state.withLock { s in
            let now = ContinuousClock.now
            guard now - s.markedShared >= interval else { return false }
            s.markedShared = now
            return true
        }
    }

    /// A new stream number for a POST's SSE response; the stream stays open until ``finishStream(_:)``.
    func openStream() -> Int {
        state.withLock { s in
            defer { s.nextStream += 1 }
            s.openStreams.insert(s.nextStream)
            return s.nextStream
        }
    }

    /// The call behind POST stream `stream` has ended (its last event, if any, is in the log).
    func finishStream(_ stream: Int) {
        let wakes = state.withLock { s in
            s.openStreams.remove(stream)
            return s.followers.values.filter { $0.stream == stream }.map(\.wake)
        }
        for wake in wakes { wake.yield() }
    }

    /// Logs a message sent on `stream`, returns its event id, and wakes the streams following it.
    func record(_ message: JSONRPCMessage, stream: Int) -> String {
        let (id, wakes) = state.withLock { s in (s.log.append(message, stream: stream), s.followers.values.filter { $0.stream == stream }.map(\.wake)) }
        for wake in wakes { wake.yield() }
        return id
    }

    /// The newest sequence number in the log.
    var lastSequence: Int { state.withLock { $0.log.lastSequence } }

    /// Claims the standalone stream; `false` when another GET holds it.
    func claimStandalone() -> Bool {
        state.withLock { s in
            guard !s.standaloneOpen, !s.closed else { return false }
            s.standaloneOpen = true
            return true
        }
    }

    func releaseStandalone() { state.withLock { $0.standaloneOpen = false } }

    /// The events of `stream` after `sequence` as they are logged, in batches. The standalone stream ends with the
    /// session; a POST stream once its call has ended and everything it sent has been read (or fell off the log).
    func follow(_ stream: Int, after sequence: Int) -> LogFollower {
        let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let registered = state.withLock { s -> Int? in
            guard !s.closed else { return nil }
            s.nextFollower += 1
            s.followers[s.nextFollower] = (stream, wake)
            return s.nextFollower
        }
        if let registered {
            wake.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.followers.removeValue(forKey: registered) } }
        } else {
            wake.finish()
        }
        return LogFollower(session: self, stream: stream, sent: sequence, wakes: wakes)
    }

    /// What a follower reads: the new events, and whether more may come.
    func read(_ stream: Int, after sequence: Int) -> (events: [EventLog.Entry], more: Bool) {
        state.withLock { s in
            let events = s.log.events(after: sequence, stream: stream)
            let more = !s.closed && (stream == Self.standaloneStream || s.openStreams.contains(stream))
            return (events, more)
        }
    }

    /// Ends the session: cancels its work and ends the streams following its log.
    func close() {
        let wakes = state.withLock { s in
            s.closed = true
            defer { s.followers = [:] }
            return s.followers.values.map(\.wake)
        }
        connection.abandon()
        for wake in wakes { wake.finish() }
    }
}
