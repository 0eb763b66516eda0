import MCPCore
import PierServer
import Synchronization

/// A 2025-era session opened by `initialize`. Pier never requires clients to send its id back; a client
/// that does gets its negotiated version, capabilities and log level applied.
final class LegacySession: Sendable {
    let id: String
    let version: ProtocolVersion
    let capabilities: JSONObject
    let clientInfo: JSONObject?

    private struct State {
        var logLevel: LogLevel?
        var lastActive: ContinuousClock.Instant
        var inFlight: [JSONRPCID: CancelSignal] = [:]
        var log: EventLog
        var nextStream = 1
        var standaloneOpen = false
        var wake: AsyncStream<Void>.Continuation?
        var subscriptions: Set<String> = []
        var askers: [Int: ClientRequestChannel] = [:]
        /// POST streams whose call is still running.
        var openStreams: Set<Int> = []
        var closed = false
    }
    private let state: Mutex<State>
    /// Stream 0 is the standalone GET stream.
    static let standaloneStream = 0

    init(id: String, version: ProtocolVersion, capabilities: JSONObject, clientInfo: JSONObject?, eventLogCapacity: Int) {
        self.id = id
        self.version = version
        self.capabilities = capabilities
        self.clientInfo = clientInfo
        self.state = Mutex(State(lastActive: .now, log: EventLog(capacity: eventLogCapacity)))
    }

    var clientContext: ClientContext {
        ClientContext(version: version, capabilities: capabilities, info: clientInfo, logLevel: state.withLock { $0.logLevel }, sessionID: id)
    }

    var lastActive: ContinuousClock.Instant { state.withLock { $0.lastActive } }
    func touch() { state.withLock { $0.lastActive = .now } }
    func setLogLevel(_ level: LogLevel) { state.withLock { $0.logLevel = level } }

    /// Registers a request that `notifications/cancelled` may cancel.
    func register(_ id: JSONRPCID, signal: CancelSignal) { state.withLock { $0.inFlight[id] = signal } }
    func unregister(_ id: JSONRPCID) { _ = state.withLock { $0.inFlight.removeValue(forKey: id) } }
    func cancel(_ id: JSONRPCID) { state.withLock { $0.inFlight[id] }?.fire() }
    /// Cancels everything in flight (the session ended).
    func cancelAll() {
        let signals = state.withLock { s -> [CancelSignal] in
            defer { s.inFlight = [:] }
            return Array(s.inFlight.values)
        }
        for s in signals { s.fire() }
    }

    /// Resource URIs this session subscribed to.
    var subscriptions: Set<String> { state.withLock { $0.subscriptions } }
    func subscribe(_ uri: String) { _ = state.withLock { $0.subscriptions.insert(uri) } }
    func unsubscribe(_ uri: String) { _ = state.withLock { $0.subscriptions.remove(uri) } }

    /// A new stream number for a POST's SSE response; the stream stays open until ``finishStream(_:)``.
    func openStream() -> Int {
        state.withLock { s in
            defer { s.nextStream += 1 }
            s.openStreams.insert(s.nextStream)
            return s.nextStream
        }
    }

    /// The call behind POST stream `stream` has ended (its last event, if any, is in the log).
    func finishStream(_ stream: Int) { _ = state.withLock { $0.openStreams.remove(stream) } }
    func isStreamOpen(_ stream: Int) -> Bool { state.withLock { $0.openStreams.contains(stream) } }
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Logs a message sent on `stream`, returns its event id, and wakes the standalone listener when it is its.
    func record(_ message: JSONRPCMessage, stream: Int) -> String {
        let (id, wake) = state.withLock { s in (s.log.append(message, stream: stream), stream == Self.standaloneStream ? s.wake : nil) }
        wake?.yield()
        return id
    }

    func replay(after sequence: Int, stream: Int) -> [EventLog.Entry] { state.withLock { $0.log.events(after: sequence, stream: stream) } }
    var lastSequence: Int { state.withLock { $0.log.lastSequence } }

    /// Claims the standalone stream; `nil` when another GET holds it. The stream wakes on new events.
    func claimStandalone() -> AsyncStream<Void>? {
        state.withLock { s in
            guard !s.standaloneOpen else { return nil }
            s.standaloneOpen = true
            let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            s.wake = continuation
            return stream
        }
    }

    func releaseStandalone() {
        let wake = state.withLock { s -> AsyncStream<Void>.Continuation? in
            s.standaloneOpen = false
            defer { s.wake = nil }
            return s.wake
        }
        wake?.finish()
    }

    var wakeContinuation: AsyncStream<Void>.Continuation? { state.withLock { $0.wake } }

    /// Ends the session: cancels its work and closes its standalone stream.
    func close() {
        state.withLock { $0.closed = true }
        cancelAll()
        releaseStandalone()
    }
}

extension LegacySession {
    /// Lets the call answering on POST stream `stream` send requests to the client on that stream.
    func attachAsker(_ channel: ClientRequestChannel, stream: Int) { state.withLock { $0.askers[stream] = channel } }
    func detachAsker(stream: Int) { _ = state.withLock { $0.askers.removeValue(forKey: stream) } }

    /// Hands a response the client posted to the call that asked for it; `false` when no call is waiting.
    @discardableResult
    func deliver(_ response: JSONRPCResponse) -> Bool {
        let askers = state.withLock { Array($0.askers.values) }
        return askers.contains { $0.deliver(response) }
    }

    /// `true` when the client declared a capability that lets a handler ask it something mid-call.
    var canBeAsked: Bool { ["elicitation", "sampling", "roots"].contains { capabilities[$0] != nil } }
}

extension LegacySession {
    /// Wakes the standalone listener without a new event (a keep-alive tick).
    func poke() { wakeContinuation?.yield() }
}

extension LegacySession {
    /// Keeps what a successful session-scoped request changes: log level and resource subscriptions.
    func apply(_ r: JSONRPCRequest) {
        switch SessionChange(r) {
        case .logLevel(let level)?: setLogLevel(level)
        case .subscribe(let uri)?: subscribe(uri)
        case .unsubscribe(let uri)?: unsubscribe(uri)
        case nil: break
        }
    }
}
