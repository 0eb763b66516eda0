public import MCPCore
import Synchronization

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

    private struct State {
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
    private let onNotification: NotificationHandler
    private let state = Mutex(State())
    private let outbox: AsyncStream<Outbound>
    private let outboxInput: AsyncStream<Outbound>.Continuation

    public init(transport: any ClientTransport, configuration: Configuration, onNotification: @escaping NotificationHandler) {
        self.transport = transport
        self.configuration = configuration
        self.onNotification = onNotification
        (outbox, outboxInput) = AsyncStream.makeStream(of: Outbound.self, bufferingPolicy: .bufferingOldest(256))
    }

    /// What negotiation settled; `nil` before it ends.
    public var negotiated: Negotiated? { state.withLock { $0.negotiated } }

    /// Requests in flight now.
    public var inFlightCount: Int { state.withLock { $0.inFlight.count } }

    // MARK: Negotiation

    /// Negotiates the era: `server/discover` first (2026-07-28), then `initialize` (2025-11-25 down to
    /// 2024-11-05) with `notifications/initialized`.
    @discardableResult
    public func negotiate() async throws(ClientError) -> Negotiated {
        let negotiated: Negotiated
        if configuration.preferModern, let modern = await discover() {
            negotiated = modern
        } else {
            negotiated = try await initialize()
        }
        state.withLock { s in
            s.negotiated = negotiated
            s.generation += 1
        }
        await transport.sessionEstablished(protocolVersion: negotiated.version.rawValue)
        return negotiated
    }

    /// `server/discover`; `nil` when the upstream does not speak 2026-07-28 (any error counts as that).
    private func discover() async -> Negotiated? {
        let meta: JSONObject = [
            MetaKey.protocolVersion: .string(ProtocolVersion.v2026_07_28.rawValue),
            MetaKey.clientCapabilities: .object(configuration.capabilities),
            MetaKey.clientInfo: .object(configuration.clientInfo),
        ]
        do {
            let result = try await send(
                Method.discover, params: ["_meta": .object(meta)], protocolVersion: ProtocolVersion.v2026_07_28.rawValue, name: nil,
                timeout: configuration.negotiationTimeout, observer: nil)
            return Negotiated.fromDiscover(result)
        } catch {
            return nil
        }
    }

    private func initialize() async throws(ClientError) -> Negotiated {
        await transport.resetSession()
        let params: JSONObject = [
            "protocolVersion": .string(ProtocolVersion.latestLegacy.rawValue),
            "capabilities": .object(configuration.capabilities.removingValue(forKey: "extensions")),
            "clientInfo": .object(configuration.clientInfo),
        ]
        let result: JSONObject
        do {
            result = try await send(Method.initialize, params: params, protocolVersion: nil, name: nil, timeout: configuration.negotiationTimeout, observer: nil)
        } catch let error as ClientError {
            throw error
        } catch {
            throw .closed
        }
        let negotiated = try Negotiated.fromInitialize(result)
        do {
            try await transport.send(
                Outbound(.notification(JSONRPCNotification(method: Method.initialized)), protocolVersion: negotiated.version.rawValue), replies: { _ in })
        } catch let error as ClientTransportError {
            throw .transport(error)
        } catch {
            throw .closed
        }
        return negotiated
    }

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
        var stamped = params
        if negotiated.isModern {
            var meta = params["_meta"]?.objectValue ?? [:]
            meta[MetaKey.protocolVersion] = .string(negotiated.version.rawValue)
            meta[MetaKey.clientCapabilities] = .object(clientCapabilities ?? configuration.capabilities)
            meta[MetaKey.clientInfo] = .object(configuration.clientInfo)
            stamped["_meta"] = .object(meta)
        }
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

    /// One request on the wire: registered, sent, and its events handled in this task until the response.
    ///
    /// No task is spawned per request. A transport that answers inline (HTTP) hands the replies to this task
    /// while the exchange lasts, and gives up at the deadline itself. For one that does not (stdio), the request
    /// is written and the task waits on its inbox, where ``runOutbox()``'s sweeper puts a timeout when the
    /// deadline passes.
    private func send(
        _ method: String, params: JSONObject, protocolVersion: String?, name: String?, timeout: Duration?, observer: CallObserver?
    ) async throws -> JSONObject {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        let (id, inbox) = try register(asking: observer != nil, wantsProgress: observer?.wantsProgress ?? false, deadline: deadline, timeout: timeout)
        var params = params
        if let token = inbox.progressToken {
            var meta = params["_meta"]?.objectValue ?? [:]
            meta[MetaKey.progressToken] = token
            params["_meta"] = .object(meta)
        }
        let outbound = Outbound(
            .request(JSONRPCRequest(id: id, method: method, params: params)), protocolVersion: protocolVersion, name: name, deadline: deadline)
        var answered = false
        defer {
            unregister(id)
            if !answered, method != Method.initialize, method != Method.discover {
                let reason = Task.isCancelled ? "cancelled by the client" : "abandoned by Pier"
                post(
                    .notification(JSONRPCNotification(method: Method.cancelled, params: ["requestId": id.json, "reason": .string(reason)])),
                    protocolVersion: protocolVersion)
            }
        }
        do {
            if transport.answersInline {
                try await transport.send(outbound) { reply in try await self.inline(reply, for: id, inbox: inbox, observer: observer, protocolVersion: protocolVersion) }
                if !inbox.hasEnded { throw ClientError.transport(.closed("the upstream ended its answer without a response")) }
            } else {
                try await transport.send(outbound) { _ in }
            }
        } catch ClientTransportError.deadlineExceeded {
            throw ClientError.timeout(timeout ?? .zero)
        } catch let error as ClientTransportError {
            throw ClientError.transport(error)
        }
        while let event = await inbox.next() {
            switch event {
            case .response(let response):
                answered = true
                switch response.outcome {
                case .result(let result): return result
                case .error(let error): throw ClientError.rpc(error)
                }
            case .failed(let error):
                throw error
            case .notification(let notification):
                await observer?.notification(notification)
            case .request(let request):
                try await answer(request, with: observer, protocolVersion: protocolVersion)
            }
        }
        throw CancellationError()
    }

    /// A reply on an inline exchange, handled in the sending task: the response goes to the inbox, notifications
    /// and questions to the observer at once.
    private func inline(_ reply: JSONRPCMessage, for id: JSONRPCID, inbox: CallInbox, observer: CallObserver?, protocolVersion: String?) async throws {
        switch reply {
        case .response(let response) where response.id == id:
            inbox.push(.response(response))
        case .notification(let notification) where notification.method == Method.progress || notification.method == Method.message:
            if let observer { await observer.notification(notification) } else { await onNotification(notification) }
        case .request(let request) where request.method != Method.ping:
            try await answer(request, with: observer, protocolVersion: protocolVersion)
        default:
            await route(reply, to: id)
        }
    }

    /// Answers a request the upstream asked while one of ours ran, through the observer.
    private func answer(_ request: JSONRPCRequest, with observer: CallObserver?, protocolVersion: String?) async throws {
        let outcome: JSONRPCResponse.Outcome
        if let observer {
            outcome = try await observer.request(request)
        } else {
            outcome = .error(MCPError.methodNotFound(request.method))
        }
        let response = JSONRPCResponse(id: request.id, outcome: outcome)
        try await transport.send(Outbound(.response(response), protocolVersion: protocolVersion), replies: { _ in })
    }

    private func register(asking: Bool, wantsProgress: Bool, deadline: ContinuousClock.Instant?, timeout: Duration?) throws(ClientError) -> (JSONRPCID, CallInbox) {
        try state.withLock { s throws(ClientError) in
            if let closed = s.closed { throw closed }
            let id = JSONRPCID.int(s.nextID)
            let inbox = CallInbox(progressToken: wantsProgress ? .string("pier-\(s.nextID)") : nil, deadline: deadline, timeout: timeout)
            s.nextID += 1
            s.inFlight[id] = inbox
            if asking { s.asking.append(id) }
            return (id, inbox)
        }
    }

    private func unregister(_ id: JSONRPCID) {
        state.withLock { s in
            s.inFlight[id] = nil
            if let index = s.asking.lastIndex(of: id) { s.asking.remove(at: index) }
        }
    }

    // MARK: Inbound

    /// Takes one message from the transport (everything that did not come back on a send of its own).
    public func receive(_ message: JSONRPCMessage) async {
        await route(message, to: nil)
    }

    /// Routes a message to the request it belongs to: `owner` when it came back on that request's own stream,
    /// else by response id, progress token, or (for upstream requests on a shared stream) the newest request in
    /// flight that takes them.
    private func route(_ message: JSONRPCMessage, to owner: JSONRPCID?) async {
        switch message {
        case .response(let response):
            guard let id = response.id, let inbox = state.withLock({ $0.inFlight[id] }) else { return }
            inbox.push(.response(response))
        case .notification(let notification):
            if notification.method == Method.progress, let token = notification.params["progressToken"] {
                let inbox = state.withLock { s in s.inFlight.values.first { $0.progressToken == token } }
                inbox?.push(.notification(notification))
            } else if notification.method == Method.cancelled {
                // The upstream withdrew a request of its own; the answer, if any, is ignored on its side.
            } else if let owner, notification.method == Method.message, let inbox = state.withLock({ $0.inFlight[owner] }) {
                inbox.push(.notification(notification))
            } else {
                await onNotification(notification)
            }
        case .request(let request):
            if request.method == Method.ping {
                post(.response(JSONRPCResponse(id: request.id, result: [:])))
                return
            }
            let inbox = state.withLock { s -> CallInbox? in
                if let owner, let inbox = s.inFlight[owner] { return inbox }
                return s.asking.last.flatMap { s.inFlight[$0] }
            }
            if inbox?.push(.request(request)) != true {
                post(.response(JSONRPCResponse(id: request.id, error: MCPError(code: ErrorCode.methodNotFound, message: "No request in flight takes \(request.method) now"))))
            }
        }
    }

    // MARK: Lifecycle

    /// Queues a message that nobody waits to send.
    private func post(_ message: JSONRPCMessage, protocolVersion: String? = nil) {
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
