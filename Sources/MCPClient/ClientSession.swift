public import MCPCore
import PierSync

/// Pier's side of one connection to an upstream MCP server: negotiation in whichever era the upstream speaks,
/// requests matched to their responses, and the upstream's notifications and requests routed to whoever they
/// belong to.
///
/// The session runs inside its owner's task group: the transport's ``ClientTransport/run(connected:deliver:)``
/// hands every message to ``receive(_:)``, and ``runOutbox()`` sends what must go out without a waiting sender
/// (cancellations, answers to pings). When the transport ends, ``close(_:)`` fails every request in flight.
///
/// ```swift
/// let session = ClientSession(transport: transport, configuration: .init(clientInfo: info)) { note in … }
/// try await withThrowingDiscardingTaskGroup { group in
///     group.addTask { try await transport.run(connected: {}, deliver: session.receive) }
///     group.addTask { await session.runOutbox() }
///     let negotiated = try await session.negotiate()
///     let tools = try await session.list(Method.toolsList, key: "tools")
/// }
/// ```
public final class ClientSession: Sendable {
    /// How Pier presents itself to upstreams.
    public struct Configuration: Sendable {
        /// `clientInfo`: Pier's name and version.
        public var clientInfo: JSONObject
        /// The capabilities declared to a handshake-era upstream (what Pier can relay to its own clients), and
        /// sent to a 2026-07-28 upstream when a request does not bring its client's.
        public var capabilities: JSONObject
        /// How long `server/discover` and `initialize` may take.
        public var negotiationTimeout: Duration
        /// Try 2026-07-28 first; `false` goes straight to `initialize`.
        public var preferModern: Bool

        public init(clientInfo: JSONObject, capabilities: JSONObject = [:], negotiationTimeout: Duration = .seconds(10), preferModern: Bool = true) {
            self.clientInfo = clientInfo
            self.capabilities = capabilities
            self.negotiationTimeout = negotiationTimeout
            self.preferModern = preferModern
        }
    }

    /// Gets the notifications that belong to the session as a whole (`list_changed`, log messages, resource
    /// updates).
    public typealias NotificationHandler = @Sendable (JSONRPCNotification) async -> Void

    struct State {
        var nextID = 1
        var inFlight: [JSONRPCID: CallInbox] = [:]
        /// Requests in flight that take requests from the upstream, oldest first.
        var asking: [JSONRPCID] = []
        var negotiated: Negotiated?
        /// Bumped on every successful negotiation, so that a request that saw an expired session knows whether
        /// another one already negotiated again.
        var generation = 0
        var closed: ClientError?
    }

    public let transport: any ClientTransport
    public let configuration: Configuration
    let onNotification: NotificationHandler
    let state = Locked(State())
    private let outbox: AsyncStream<Outbound>
    let outboxInput: AsyncStream<Outbound>.Continuation

    public init(transport: any ClientTransport, configuration: Configuration, onNotification: @escaping NotificationHandler) {
        self.transport = transport
        self.configuration = configuration
        self.onNotification = onNotification
        (outbox, outboxInput) = AsyncStream.makeStream(of: Outbound.self, bufferingPolicy: .bufferingOldest(256))
    }

    /// What negotiation settled; `nil` before it ends.
    public var negotiated: Negotiated? { state.withLock { $0.negotiated } }


    // MARK: Requests

    /// Sends a request and returns its result.
    ///
    /// To a 2026-07-28 upstream the request carries the protocol version, `clientInfo` and the capabilities in
    /// `_meta` (`clientCapabilities` when given: the capabilities of the client Pier relays for). An expired
    /// session is negotiated again and the request sent once more. On a timeout, an error of the observer or
    /// cancellation, the upstream gets `notifications/cancelled`.
    /// - Throws: ``ClientError``; `CancellationError` when the sending task is cancelled; whatever the observer's
    ///   request handler throws.
    public func request(
        _ method: String, params: JSONObject = [:], name: String? = nil, timeout: Duration? = nil, clientCapabilities: JSONObject? = nil,
        observer: CallObserver? = nil
    ) async throws -> JSONObject {
        let (negotiated, generation) = state.withLock { ($0.negotiated, $0.generation) }
        guard let negotiated else { throw ClientError.closed }
        let stamped = negotiated.isModern ? stampModern(params, version: negotiated.version, capabilities: clientCapabilities) : params
        do {
            return try await send(method, params: stamped, protocolVersion: negotiated.version.rawValue, name: name, timeout: timeout, observer: observer)
        } catch ClientError.transport(.sessionExpired) where !negotiated.isModern {
            if state.withLock({ $0.generation }) == generation {
                try await negotiate()
            }
            return try await send(method, params: stamped, protocolVersion: negotiated.version.rawValue, name: name, timeout: timeout, observer: observer)
        }
    }

    /// Sends a notification (fire and forget, in order with other queued messages).
    public func notify(_ method: String, params: JSONObject = [:]) {
        post(.notification(JSONRPCNotification(method: method, params: params)))
    }

    /// Every item of a paginated list (`tools/list` and the like), following `nextCursor` up to `maximumItems`.
    public func list(_ method: String, key: String, timeout: Duration? = nil, maximumItems: Int = 10_000) async throws -> [JSONObject] {
        var items: [JSONObject] = []
        var cursor: JSONValue?
        var seen: Set<String> = []
        repeat {
            var params: JSONObject = [:]
            if let cursor { params["cursor"] = cursor }
            let page = try await request(method, params: params, timeout: timeout)
            guard case .array(let batch)? = page[key] else { throw ClientError.malformed("\(method) result without \"\(key)\"") }
            items.append(contentsOf: batch.compactMap(\.objectValue))
            cursor = page["nextCursor"]
            if let text = cursor?.stringValue {
                // A cursor seen before would loop for ever.
                guard seen.insert(text).inserted else { break }
            } else {
                cursor = nil
            }
        } while cursor != nil && items.count < maximumItems
        return Array(items.prefix(maximumItems))
    }

    // MARK: Lifecycle

    /// Queues a message that nobody waits to send.
    func post(_ message: JSONRPCMessage, protocolVersion: String? = nil) {
        let version = protocolVersion ?? state.withLock { $0.negotiated?.version.rawValue }
        outboxInput.yield(Outbound(message, protocolVersion: version))
    }

    /// Sends queued messages until the session closes or the task is cancelled (failures are dropped: these
    /// messages have no sender to tell), and times out requests whose deadline passed.
    public func runOutbox() async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isCancelled, self.state.withLock({ $0.closed == nil }) {
                    try? await Task.sleep(for: Self.sweepInterval)
                    self.sweep(now: .now)
                }
            }
            for await outbound in outbox {
                try? await transport.send(outbound, replies: { reply in await self.route(reply, to: nil) })
            }
            group.cancelAll()
        }
    }

    /// How often requests are checked against their deadlines.
    static let sweepInterval = Duration.milliseconds(50)

    /// Fails the requests whose deadline is before `now`.
    func sweep(now: ContinuousClock.Instant) {
        let late = state.withLock { s in s.inFlight.values.filter { $0.deadline.map { $0 <= now } ?? false } }
        for inbox in late { inbox.push(.failed(.timeout(inbox.timeout ?? .zero))) }
    }

    /// Ends the session: every request in flight fails with `reason`, and later ones with ``ClientError/closed``.
    public func close(_ reason: ClientError) {
        let inboxes = state.withLock { s -> [CallInbox] in
            if s.closed == nil { s.closed = reason }
            return Array(s.inFlight.values)
        }
        for inbox in inboxes { inbox.push(.failed(reason)) }
        outboxInput.finish()
    }
}

extension JSONObject {
    func removingValue(forKey key: String) -> JSONObject {
        var copy = self
        copy[key] = nil
        return copy
    }
}
