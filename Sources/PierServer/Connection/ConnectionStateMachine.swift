public import MCPCore

/// The state of one client connection, whatever carries it (a Streamable HTTP session, an HTTP+SSE stream,
/// stdio), as a value: what `initialize` negotiated, the calls in flight that `notifications/cancelled` may stop,
/// the session changes kept so far, the server→client requests waiting for an answer, and open listens.
///
/// It does no I/O and fires nothing: each method changes the state and returns what the caller must do (a
/// signal to fire, a slot to fill). ``MCPConnection`` runs it; tests drive it directly.
///
/// One rule holds on every transport: a request's session change (log level, resource subscriptions) is kept
/// only when the request was answered without an error.
public struct ConnectionStateMachine: Sendable {
    /// What the transport implies: the version assumed before `initialize`, and whether 2026-07-28 messages (with
    /// `_meta` versions) are served on the connection too.
    public struct Setup: Sendable, Equatable {
        public var fallbackVersion: ProtocolVersion
        public var servesModern: Bool
        /// The session id stamped into client contexts, for transports that have one.
        public var sessionID: String?

        public init(fallbackVersion: ProtocolVersion, servesModern: Bool, sessionID: String? = nil) {
            self.fallbackVersion = fallbackVersion
            self.servesModern = servesModern
            self.sessionID = sessionID
        }

        /// A Streamable HTTP session (opened by `initialize`; 2026-07-28 requests never reach it).
        public static func session(_ id: String) -> Setup { Setup(fallbackVersion: .assumedWithoutHeader, servesModern: false, sessionID: id) }
        /// A 2024-11-05 HTTP+SSE stream.
        public static func httpSSE(_ id: String) -> Setup { Setup(fallbackVersion: .v2024_11_05, servesModern: false, sessionID: id) }
        /// stdin/stdout, where both eras meet.
        public static let stdio = Setup(fallbackVersion: .latestLegacy, servesModern: true)
    }

    /// Where a request goes; decided once per message.
    public enum Route: Sendable {
        /// `initialize`: negotiate with ``initialize(_:)``.
        case initialize
        /// A method for the runtime, from this client.
        case call(MethodSpec?, ClientContext)
        /// A 2026-07-28 `subscriptions/listen`.
        case listen(SubscriptionFilter)
        /// Answer with this error.
        case reject(MCPError)
    }

    /// How far the connection is from its end.
    public enum Phase: Sendable, Equatable {
        case open
        /// The client's input ended: listens close, calls in flight may finish.
        case closing
        /// The client is gone (or the session ended): nothing more runs for it.
        case gone
    }

    public let setup: Setup
    /// The client as `initialize` described it, with the log level set since.
    public private(set) var client: ClientContext?
    /// Resource URIs subscribed to.
    public private(set) var subscriptions: Set<String> = []
    public private(set) var phase = Phase.open
    private var inFlight: [JSONRPCID: CancelSignal] = [:]
    private var listens: [JSONRPCID: SubscriptionFilter] = [:]
    private var waiting: [JSONRPCID: ResponseSlot] = [:]
    private var requestsSent = 0

    public init(setup: Setup) { self.setup = setup }

    /// The client a handshake-era request speaks for: the initialized one, or the transport's assumption.
    var legacyClient: ClientContext { client ?? ClientContext(version: setup.fallbackVersion, sessionID: setup.sessionID) }

    /// Classifies `request`: its era (from its own `_meta` where the transport serves 2026-07-28, else the
    /// connection's) and its method, once.
    public func route(_ request: JSONRPCRequest) -> Route {
        let spec = MethodSpec.named(request.method)
        if setup.servesModern, request.meta[MetaKey.protocolVersion] != nil || request.method == Method.discover {
            let client: ClientContext
            do {
                client = try MCPServer.modernClientContext(for: request)
            } catch {
                return .reject(error)
            }
            guard spec?.isStream == true else { return .call(spec, client) }
            do {
                return .listen(try SubscriptionFilter(params: request.params))
            } catch {
                return .reject(error)
            }
        }
        if request.method == Method.initialize {
            if let error = Self.initializeParamsError(request.params) { return .reject(error) }
            return .initialize
        }
        return .call(spec, legacyClient)
    }

    /// What is wrong with `initialize`'s params: a `protocolVersion` that is not a string, `capabilities` or
    /// `clientInfo` that are not objects. Missing ones are tolerated (the newest legacy revision, no capabilities).
    public static func initializeParamsError(_ params: JSONObject) -> MCPError? {
        if let version = params["protocolVersion"], version.stringValue == nil { return .invalidParams("protocolVersion must be a string") }
        if let capabilities = params["capabilities"], capabilities.objectValue == nil { return .invalidParams("capabilities must be an object") }
        if let info = params["clientInfo"], info.objectValue == nil { return .invalidParams("clientInfo must be an object") }
        return nil
    }

    /// Negotiates `initialize` and keeps the client it describes (a repeated `initialize` starts over, keeping
    /// subscriptions). Returns the version to answer with.
    public mutating func initialize(_ request: JSONRPCRequest) -> ProtocolVersion {
        let version = ProtocolVersion.negotiateLegacy(requested: request.params["protocolVersion"]?.stringValue)
        client = ClientContext(
            version: version, capabilities: request.params["capabilities"]?.objectValue ?? [:], info: request.params["clientInfo"]?.objectValue,
            sessionID: setup.sessionID)
        return version
    }

    /// Takes up a session another instance negotiated: its client (version, capabilities, info and log level) and
    /// its subscriptions, as if `initialize` and the changes since had been served here.
    public mutating func restore(_ client: ClientContext, subscriptions: Set<String>) {
        var client = client
        client.sessionID = setup.sessionID
        self.client = client
        self.subscriptions = subscriptions
    }

    /// `true` when the client declared a capability that lets a handler ask it something mid-call.
    public var canBeAsked: Bool {
        guard let client, !client.version.isModern else { return false }
        return ["elicitation", "sampling", "roots"].contains { client.capabilities[$0] != nil }
    }

    // MARK: calls

    /// A call starts: `notifications/cancelled` naming its id will return `signal`. Returns `false` when the
    /// client has gone, in which case the caller fires `signal` at once.
    public mutating func begin(_ id: JSONRPCID, signal: CancelSignal) -> Bool {
        inFlight[id] = signal
        return phase != .gone
    }

    /// A call ended with `response` (`nil`: cancelled, nothing sent). Its session change is kept only when it was
    /// answered without an error.
    public mutating func end(_ request: JSONRPCRequest, spec: MethodSpec?, response: JSONRPCResponse?) {
        inFlight[request.id] = nil
        guard let response, response.error == nil, let change = SessionChange(request, spec: spec) else { return }
        var client: ClientContext? = legacyClient
        change.apply(to: &client, subscriptions: &subscriptions)
        self.client = client
    }

    /// The signal of call `id`, for `notifications/cancelled`; `nil` when no such call runs.
    public func signal(for id: JSONRPCID) -> CancelSignal? { inFlight[id] }

    /// The client vanished, or its session ended: every call in flight (listens included) is to be cancelled, and
    /// calls that start later are cancelled at once.
    public mutating func abandon() -> [CancelSignal] {
        phase = .gone
        waiting = [:]
        return Array(inFlight.values)
    }

    // MARK: listens

    /// A listen opens. Returns `false` when input has already ended, in which case the caller fires `signal` (the
    /// listen ends with a result at once).
    public mutating func openListen(_ id: JSONRPCID, filter: SubscriptionFilter, signal: CancelSignal) -> Bool {
        listens[id] = filter
        inFlight[id] = signal
        return phase == .open
    }

    /// A listen closed; `true` when the server closed it (input ended), so it ends with a result, `false` when the
    /// client cancelled it.
    public mutating func closeListen(_ id: JSONRPCID) -> Bool {
        listens[id] = nil
        inFlight[id] = nil
        return phase != .open
    }

    /// Input ended: the signals of open listens, which now end with a result.
    public mutating func endListens() -> [CancelSignal] {
        if phase == .open { phase = .closing }
        return listens.keys.compactMap { inFlight[$0] }
    }

    /// The notifications `event` becomes for this client: the plain one for a handshake-era client (when it
    /// concerns its subscriptions), and one stamped with the subscription id per open listen that asked for it.
    public func notifications(for event: ServerEvent) -> [JSONRPCNotification] {
        var out: [JSONRPCNotification] = []
        let legacy = client ?? (setup.servesModern ? nil : legacyClient)
        if let legacy, !legacy.version.isModern, event.concerns(subscriptions: subscriptions) { out.append(event.notification) }
        for (id, filter) in listens where filter.matches(event) { out.append(SubscriptionFilter.notification(event, subscription: id)) }
        return out
    }

    // MARK: server→client requests

    /// Files `slot` under a fresh request id (unique on the connection) for the answer to come.
    public mutating func expect(_ slot: ResponseSlot) -> JSONRPCID {
        requestsSent += 1
        let id = JSONRPCID.string("pier-\(requestsSent)")
        waiting[id] = slot
        return id
    }

    /// Stops waiting for an answer to `id`.
    public mutating func forget(_ id: JSONRPCID) { waiting[id] = nil }

    /// The slot waiting for `response`, taken out; `nil` when nobody waits for it (late or unknown answers).
    public mutating func take(_ response: JSONRPCResponse) -> ResponseSlot? {
        guard let id = response.id else { return nil }
        return waiting.removeValue(forKey: id)
    }
}
