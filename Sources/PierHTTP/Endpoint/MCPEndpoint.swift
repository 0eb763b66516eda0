public import Hummingbird
import AsyncAlgorithms
import HTTPTypes
public import Logging
import MCPCore
public import PierServer
import NIOCore

/// The `/mcp` endpoint: Streamable HTTP for both protocol eras on one path, serving one view of an
/// ``MCPServer``'s catalogue. Several endpoints (connectors) can serve one server, each with its own view, path and
/// sessions.
///
/// - 2026-07-28 requests (version in `_meta` or a modern `MCP-Protocol-Version`) are served statelessly, after
///   the mirrored headers are checked against the body.
/// - Handshake-era requests use `initialize`. Pier issues an `Mcp-Session-Id` but never requires it back; an id it
///   knows has ended gets 404. GET with a session id opens the server→client stream; DELETE ends the session.
///
/// ```swift
/// let endpoint = MCPEndpoint(server: server, configuration: MCPHTTPConfiguration(), disconnects: disconnects)
/// let readonly = MCPEndpoint(server: server, view: .readOnly, configuration: readonlyHTTP, disconnects: disconnects)
/// let router = Router(context: PierRequestContext.self)
/// endpoint.addRoutes(to: router)
/// readonly.addRoutes(to: router)
/// ```
public final class MCPEndpoint: Sendable {
    public let server: MCPServer
    /// What this endpoint shows of the catalogue.
    public let view: CatalogView
    public let configuration: MCPHTTPConfiguration
    let sessions: SessionStore
    let sseConnections: SSEConnectionStore
    let disconnects: DisconnectMonitor?
    let logger: Logger
    /// Delivers list-changed and resource-updated notifications to this endpoint's handshake-era clients; run it
    /// in the application's service group.
    public let eventFanout: EventFanout
    /// Expires this endpoint's idle sessions; run it in the application's service group.
    public let sessionReaper: SessionReaper
    /// Who may use the endpoint (a resource server's bearer check); `nil`: anyone.
    public let access: (any EndpointAccess)?
    /// The rate limits per caller and per tool; `nil`: none.
    public let limits: CallerLimits?
    /// What this instance waits for from the others (see ``receive(_:)``).
    let tickets = ClusterTickets()

    /// - Parameter disconnects: tells the endpoint when clients leave (its ``DisconnectMonitor/handler()`` must be
    ///   on the HTTP server's pipeline); without it, only a failed write shows that a client has gone.
    public init(
        server: MCPServer, view: CatalogView = .everything, configuration: MCPHTTPConfiguration, disconnects: DisconnectMonitor? = nil,
        access: (any EndpointAccess)? = nil, limits: CallerLimits? = nil, logger: Logger = Logger(label: "pier.http")
    ) {
        self.access = access
        self.limits = limits
        self.server = server
        self.view = view
        self.configuration = configuration
        self.disconnects = disconnects
        self.logger = logger
        let sessions = SessionStore(server: server, view: view, configuration: configuration, logger: logger)
        let connections = SSEConnectionStore(
            server: server, view: view, limit: configuration.maxSSEStreams, remembered: configuration.maxRememberedExpiredSessions)
        self.sessions = sessions
        self.sseConnections = connections
        self.eventFanout = EventFanout(server: server, sessions: sessions, connections: connections)
        self.sessionReaper = SessionReaper(store: sessions, interval: min(.seconds(60), configuration.sessionIdleTimeout / 2), logger: logger)
    }

    /// The live handshake-era sessions (Streamable HTTP sessions, then HTTP+SSE streams), for operators.
    public var openSessions: [SessionSummary] {
        let now = ContinuousClock.now
        let path = configuration.endpointPath
        return sessions.all.map { SessionSummary(session: $0, endpoint: path, now: now) }
            + sseConnections.all.map { SessionSummary(connection: $0, endpoint: path, now: now) }
    }

    /// Ends the live session or HTTP+SSE stream `id` (an operator's "end session"), on every instance when sessions
    /// are shared; `false` when there is none.
    public func endSession(_ id: String) async -> Bool {
        if await sessions.remove(id) { return true }
        guard let stream = sseConnections.connection(id) else { return false }
        sseConnections.close(id)
        // Ends the stream's writer; its own clean-up runs as it returns.
        stream.inbox.finish()
        stream.finishNotices()
        return true
    }

    /// The number of live handshake-era sessions (Streamable HTTP sessions and HTTP+SSE streams).
    public var liveSessionCount: Int { sessions.count + sseConnections.count }

    /// Registers POST, GET and DELETE on the endpoint path, and the 2024-11-05 HTTP+SSE routes beside it.
    public func addRoutes<Context: ConnectionAwareRequestContext>(to router: Router<Context>) {
        let path = RouterPath(configuration.endpointPath)
        router.post(path) { request, context in
            switch await self.admit(request) {
            case .refuse(let answer): return answer
            case .allow(let principal):
                let (caller, refused) = await self.limit(request, principal: principal, context: context)
                if let refused { return refused }
                let requestID = RequestID.of(request)
                var response = await self.post(request, liveness: self.liveness(context), principal: principal, caller: caller, requestID: requestID)
                response.headers[RequestID.field] = requestID
                return response
            }
        }
        router.get(path) { request, context in
            switch await self.admit(request) {
            case .refuse(let answer): return answer
            case .allow(let principal):
                if let refused = await self.limit(request, principal: principal, context: context).refusal { return refused }
                return await self.get(request, liveness: self.liveness(context), principal: principal)
            }
        }
        router.delete(path) { request, context in
            switch await self.admit(request) {
            case .refuse(let answer): return answer
            case .allow(let principal):
                if let refused = await self.limit(request, principal: principal, context: context).refusal { return refused }
                return await self.delete(request)
            }
        }
        router.get(RouterPath(ssePath)) { request, context in
            switch await self.admit(request) {
            case .refuse(let answer): return answer
            case .allow(let principal):
                if let refused = await self.limit(request, principal: principal, context: context).refusal { return refused }
                return self.openLegacySSE(request, liveness: self.liveness(context), principal: principal)
            }
        }
        router.post(RouterPath(messagesPath)) { request, context in
            switch await self.admit(request) {
            case .refuse(let answer): return answer
            case .allow(let principal):
                let (caller, refused) = await self.limit(request, principal: principal, context: context)
                if let refused { return refused }
                return await self.postLegacyMessage(request, principal: principal, caller: caller)
            }
        }
    }

    func liveness(_ context: some ConnectionAwareRequestContext) -> Liveness? {
        guard configuration.watchDisconnects, let disconnects, let channel = context.channel else { return nil }
        return Liveness(monitor: disconnects, channel: channel)
    }

    // MARK: POST

    func post(_ request: Request, liveness: Liveness?, principal: Principal? = nil, caller: String = "", requestID: String? = nil) async -> Response {
        let headers = MCPHeaders(request.headers)
        if let refusal = headers.mediaTypeRefusal { return HTTPReply.jsonRPCError(status: refusal.status, error: .invalidRequest(refusal.message)) }
        if let length = headers.contentLength.flatMap({ Int($0) }), length > configuration.maxBodyBytes {
            return tooLarge()
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
        } catch {
            return tooLarge()
        }
        let json: JSONValue
        do {
            json = try buffer.withUnsafeReadableBytes { bytes throws(JSONParseError) in try JSONValue(parsing: bytes) }
        } catch {
            return HTTPReply.jsonRPCError(status: .badRequest, error: .parseError("Parse error: \(error.description)"))
        }
        let call = IncomingCall(request: request, headers: headers, liveness: liveness, principal: principal, caller: caller, requestID: requestID)
        if let headerVersion = call.headerVersionText, call.headerVersion == nil {
            return HTTPReply.jsonRPCError(status: .badRequest, error: .unsupportedVersion(requested: headerVersion))
        }
        if case .array(let items) = json { return await batch(items, call: call) }
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage(json: json)
        } catch {
            return HTTPReply.jsonRPCError(status: .badRequest, error: error)
        }
        // The era and the method are decided here, once per message.
        switch message {
        case .request(let r) where r.meta[MetaKey.protocolVersion] != nil || call.headerVersion?.isModern == true || r.method == Method.discover:
            return await modern(r, spec: MethodSpec.named(r.method), call: call)
        case .notification where call.headerVersion?.isModern == true:
            // 2026-07-28 has no client notifications that need an answer; cancellation is closing the stream.
            return HTTPReply.accepted()
        case .response where call.headerVersion?.isModern == true:
            return HTTPReply.jsonRPCError(status: .badRequest, error: .invalidRequest("Clients must not send responses under 2026-07-28"))
        default:
            return await legacy(message, call: call)
        }
    }

    func tooLarge() -> Response {
        HTTPReply.jsonRPCError(
            status: .contentTooLarge, error: .invalidRequest("Request body exceeds \(configuration.maxBodyBytes) bytes"))
    }

    // MARK: 2026-07-28

    func modern(_ r: JSONRPCRequest, spec: MethodSpec?, call: IncomingCall) async -> Response {
        var client: ClientContext
        do throws(MCPError) {
            guard case .string(let bodyVersion)? = r.meta[MetaKey.protocolVersion] else {
                throw MCPError.invalidParams("Missing _meta[\"\(MetaKey.protocolVersion)\"]")
            }
            guard let headerVersion = call.headerVersionText else { throw MCPError.headerMismatch("Missing MCP-Protocol-Version header") }
            guard headerVersion == bodyVersion else {
                throw MCPError.headerMismatch("MCP-Protocol-Version header does not match _meta protocol version")
            }
            client = try MCPServer.modernClientContext(for: r)
            client.principal = call.principal
            client.requestID = call.requestID
            server.recentClients.saw(info: client.info, protocolVersion: bodyVersion, endpoint: configuration.endpointPath, subject: call.principal?.subject)
            try HeaderValidation.check(r, spec: spec, headers: call.headers, fields: call.fields) { name in
                server.tool(named: name, in: view, principal: client.principal)
            }
            guard let spec, spec.serves(modern: true) else { throw MCPError.methodNotFound(r.method) }
            if spec.isStream { return listen(r, call: call) }
        } catch {
            return HTTPReply.jsonRPCError(status: HTTPReply.modernStatus(for: error), error: error, id: r.id)
        }
        return await respond(r, spec: spec, client: client, session: nil, call: call)
    }

    // MARK: handshake era

    func legacy(_ message: JSONRPCMessage, call: IncomingCall) async -> Response {
        var session: LegacySession?
        if let id = call.sessionID {
            switch await sessions.find(id) {
            case .live(let s):
                s.touch()
                session = s
            case .expired:
                return HTTPReply.jsonRPCError(status: .notFound, error: .invalidRequest("Session not found or expired"))
            case .unknown:
                // Never required: an id no instance holds (from an earlier run without a shared store, say) is served
                // without a session.
                break
            }
        }
        switch message {
        case .request(let r) where r.method == Method.initialize:
            // A refused initialize opens nothing (and evicts no other session at the cap).
            if let error = ConnectionStateMachine.initializeParamsError(r.params) {
                return HTTPReply.jsonRPCError(status: .badRequest, error: error, id: r.id)
            }
            guard let session = await sessions.create() else {
                return HTTPReply.jsonRPCError(
                    status: .serviceUnavailable, error: .invalidRequest("Too many open sessions; try again shortly"), id: r.id,
                    headers: [.retryAfter: "\(Self.fullRetrySeconds)"])
            }
            let response = await session.connection.serve(r, sink: .discard)
            await sessions.share(session, isNew: true)
            logger.debug("legacy session opened", metadata: ["session": "\(session.id)", "version": "\(session.version)"])
            return HTTPReply.message(.response(response ?? JSONRPCResponse(id: r.id, error: .internalError())), headers: sessionHeader(session))
        case .request(let r):
            var client = session?.connection.client ?? ClientContext(version: call.headerVersion ?? ProtocolVersion.assumedWithoutHeader)
            client.principal = call.principal
            client.requestID = call.requestID
            return await respond(r, spec: MethodSpec.named(r.method), client: client, session: session, call: call)
        case .notification(let n):
            session?.connection.receive(n)
            // The call it cancels may run on another instance.
            if let session, n.method == "notifications/cancelled" { await forwardInput(message, for: session) }
            return HTTPReply.accepted(headers: sessionHeader(session))
        case .response(let response):
            // The answer to a request a handler sent on one of this session's POST streams, here or (in a cluster)
            // on another instance. One nobody waits for any more (the call was cancelled or ended) is dropped:
            // answering late is not the client's error.
            if let session, session.connection.receive(response) != true {
                if configuration.cluster != nil {
                    await forwardInput(message, for: session)
                } else {
                    logger.debug("dropped a response no call is waiting for", metadata: ["id": "\(response.id.map { "\($0)" } ?? "null")"])
                }
            }
            return HTTPReply.accepted(headers: sessionHeader(session))
        }
    }

    /// `Retry-After` on a 503 for a full session table.
    static let fullRetrySeconds = 5

    func sessionHeader(_ session: LegacySession?) -> HTTPFields {
        guard let session else { return [:] }
        return [.mcpSessionID: session.id]
    }

    /// JSON-RPC batches: accepted only under 2025-03-26, the one revision that had them. In a session, each
    /// request goes through the session's connection like any other.
    func batch(_ items: [JSONValue], call: IncomingCall) async -> Response {
        var session: LegacySession?
        if let id = call.sessionID, case .live(let s) = await sessions.find(id) { session = s }
        let version = session?.version ?? call.headerVersion ?? ProtocolVersion.assumedWithoutHeader
        guard version.allowsBatches else {
            return HTTPReply.jsonRPCError(status: .badRequest, error: .invalidRequest("JSON-RPC batches are not supported in protocol version \(version)"))
        }
        guard !items.isEmpty else { return HTTPReply.jsonRPCError(status: .badRequest, error: .invalidRequest("Empty batch")) }
        var client = ClientContext(version: version)
        client.principal = call.principal
        client.requestID = call.requestID
        // A batch is refused whole when any call in it is (a missing scope gets the one 403 that can step up).
        for item in items {
            if case .request(let r)? = try? JSONRPCMessage(json: item), let refused = await refusal(of: r, principal: call.principal, caller: call.caller) {
                return refused.response
            }
        }
        var replies: [JSONValue] = []
        for item in items {
            let message: JSONRPCMessage
            do {
                message = try JSONRPCMessage(json: item)
            } catch {
                replies.append(JSONRPCMessage.response(JSONRPCResponse(id: error.requestID, error: error)).json)
                continue
            }
            switch message {
            case .request(let r) where r.method == Method.initialize:
                replies.append(JSONRPCMessage.response(JSONRPCResponse(id: r.id, error: .invalidRequest("initialize cannot be batched"))).json)
            case .request(let r):
                let response =
                    if let session {
                        await session.connection.serve(r, sink: .discard, principal: call.principal)
                    } else {
                        await server.handle(r, method: MethodSpec.named(r.method), client: client, view: view, sink: .discard)
                    }
                if let response { replies.append(JSONRPCMessage.response(response).json) }
                if let session, response?.error == nil, SessionChange(r) != nil { await sessions.share(session) }
            case .notification(let n):
                session?.connection.receive(n)
            case .response(let response):
                session?.connection.receive(response)
            }
        }
        return replies.isEmpty ? HTTPReply.accepted() : HTTPReply.json(.array(replies), headers: sessionHeader(session))
    }

    // MARK: DELETE

    func delete(_ request: Request) async -> Response {
        if ProtocolVersion(rawValue: request.headers[.mcpProtocolVersion] ?? "")?.isModern == true {
            return Response(status: .methodNotAllowed, headers: [.allow: "POST"])
        }
        guard let id = request.headers[.mcpSessionID] else {
            return HTTPReply.jsonRPCError(status: .badRequest, error: .invalidRequest("DELETE needs an Mcp-Session-Id header"))
        }
        guard await sessions.remove(id) else {
            return HTTPReply.jsonRPCError(status: .notFound, error: .invalidRequest("Session not found or expired"))
        }
        return Response(status: .noContent)
    }
}
