public import Hummingbird
import HTTPTypes
public import Logging
import MCPCore
public import PierServer
import NIOCore

/// The `/mcp` endpoint: Streamable HTTP for both protocol eras on one path.
///
/// - 2026-07-28 requests (version in `_meta` or a modern `MCP-Protocol-Version`) are served statelessly, after
///   the mirrored headers are checked against the body.
/// - Legacy requests use `initialize`. Pier issues an `Mcp-Session-Id` but never requires it back; an id it
///   knows has ended gets 404. GET with a session id opens the server→client stream; DELETE ends the session.
///
/// ```swift
/// let endpoint = MCPEndpoint(server: server, configuration: MCPHTTPConfiguration(), logger: logger)
/// let router = Router()
/// endpoint.addRoutes(to: router)
/// ```
public struct MCPEndpoint: Sendable {
    public let server: MCPServer
    public let configuration: MCPHTTPConfiguration
    let sessions: SessionStore
    let sseConnections: SSEConnectionStore
    let watcher: CallWatcher
    let logger: Logger

    public init(server: MCPServer, configuration: MCPHTTPConfiguration, logger: Logger = Logger(label: "pier.http")) {
        self.server = server
        self.configuration = configuration
        self.sessions = SessionStore(configuration: configuration)
        self.sseConnections = SSEConnectionStore(limit: configuration.maxSSEStreams, remembered: configuration.maxRememberedExpiredSessions)
        self.watcher = CallWatcher(threshold: configuration.slowCallThreshold)
        self.logger = logger
    }

    /// The service that delivers list-changed and resource-updated notifications to legacy clients.
    public var eventFanout: EventFanout { EventFanout(server: server, sessions: sessions, connections: sseConnections) }

    /// The service that cancels slow calls whose client has gone; run it in the application's service group.
    public var callWatcher: CallWatcherService { CallWatcherService(watcher: watcher, interval: .milliseconds(50)) }

    /// The service that expires idle legacy sessions; run it in the application's service group.
    public var sessionReaper: SessionReaper {
        SessionReaper(store: sessions, interval: min(.seconds(60), configuration.sessionIdleTimeout / 2), logger: logger)
    }

    /// The number of live legacy sessions (Streamable HTTP sessions and HTTP+SSE streams).
    public var liveSessionCount: Int { sessions.count + sseConnections.count }

    /// Registers POST, GET and DELETE on the endpoint path.
    public func addRoutes<Context: ConnectionAwareRequestContext>(to router: Router<Context>) {
        let path = RouterPath(configuration.endpointPath)
        router.post(path) { request, context in await self.post(request, liveness: self.liveness(context)) }
        router.get(path) { request, context in await self.get(request, liveness: self.liveness(context)) }
        router.delete(path) { request, _ in self.delete(request) }
        // The 2024-11-05 HTTP+SSE transport.
        router.get("/sse") { request, context in self.openLegacySSE(request, liveness: self.liveness(context)) }
        router.post(RouterPath(messagesPath)) { request, _ in await self.postLegacyMessage(request) }
    }

    func liveness(_ context: some ConnectionAwareRequestContext) -> Liveness? {
        guard configuration.watchDisconnects, let channel = context.channel else { return nil }
        return Liveness(channel: channel)
    }

    // MARK: POST

    func post(_ request: Request, liveness: Liveness?) async -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > configuration.maxBodyBytes {
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
        let call = IncomingCall(request: request, liveness: liveness)
        if let headerVersion = call.headerVersionText, ProtocolVersion(rawValue: headerVersion) == nil {
            return HTTPReply.jsonRPCError(status: .badRequest, error: .unsupportedVersion(requested: headerVersion))
        }
        if case .array(let items) = json { return await batch(items, call: call) }
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage(json: json)
        } catch {
            return HTTPReply.jsonRPCError(status: .badRequest, error: error)
        }
        switch message {
        case .request(let r) where r.meta[MetaKey.protocolVersion] != nil || call.headerVersion?.isModern == true || r.method == Method.discover:
            return await modern(r, call: call)
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

    func modern(_ r: JSONRPCRequest, call: IncomingCall) async -> Response {
        let client: ClientContext
        do throws(MCPError) {
            guard case .string(let bodyVersion)? = r.meta[MetaKey.protocolVersion] else {
                throw MCPError.invalidParams("Missing _meta[\"\(MetaKey.protocolVersion)\"]")
            }
            guard let headerVersion = call.headerVersionText else { throw MCPError.headerMismatch("Missing MCP-Protocol-Version header") }
            guard headerVersion == bodyVersion else {
                throw MCPError.headerMismatch("MCP-Protocol-Version header does not match _meta protocol version")
            }
            client = try MCPServer.modernClientContext(for: r)
            try HeaderValidation.check(r, headers: call.request.headers, tool: r.method == Method.toolsCall ? r.params["name"]?.stringValue.flatMap(server.tool(named:)) : nil)
            guard server.supports(method: r.method, modern: true) else { throw MCPError.methodNotFound(r.method) }
        } catch {
            return HTTPReply.jsonRPCError(status: HTTPReply.modernStatus(for: error), error: error, id: r.id)
        }
        if r.method == Method.subscriptionsListen { return listen(r, call: call) }
        return await respond(r, client: client, session: nil, call: call)
    }

    // MARK: legacy

    func legacy(_ message: JSONRPCMessage, call: IncomingCall) async -> Response {
        var session: LegacySession?
        if let id = call.sessionID {
            switch sessions.lookup(id) {
            case .live(let s):
                s.touch()
                session = s
            case .expired:
                return HTTPReply.jsonRPCError(status: .notFound, error: .invalidRequest("Session not found or expired"))
            case .unknown:
                // Never required: an id from another instance or an earlier run is served without a session.
                break
            }
        }
        switch message {
        case .request(let r) where r.method == Method.initialize:
            return initialize(r, call: call)
        case .request(let r):
            let client = session?.clientContext ?? ClientContext(version: call.headerVersion ?? ProtocolVersion.assumedWithoutHeader)
            let response = await respond(r, client: client, session: session, call: call)
            if response.status == .ok, let session {
                session.apply(r)
            }
            return response
        case .notification(let n):
            if n.method == Method.cancelled, let id = n.params["requestId"].flatMap(JSONRPCID.init(json:)) {
                session?.cancel(id)
            }
            return HTTPReply.accepted(headers: sessionHeader(session))
        case .response(let response):
            // The answer to a request a handler sent on one of this session's POST streams. One nobody waits for
            // any more (the call was cancelled or ended) is dropped: answering late is not the client's error.
            if session?.deliver(response) != true {
                logger.debug("dropped a response no call is waiting for", metadata: ["id": "\(response.id.map { "\($0)" } ?? "null")"])
            }
            return HTTPReply.accepted(headers: sessionHeader(session))
        }
    }

    func initialize(_ r: JSONRPCRequest, call: IncomingCall) -> Response {
        let version = ProtocolVersion.negotiateLegacy(requested: r.params["protocolVersion"]?.stringValue)
        let session = sessions.create(
            version: version, capabilities: r.params["capabilities"]?.objectValue ?? [:], clientInfo: r.params["clientInfo"]?.objectValue)
        let result = server.initializeResult(version: version)
        logger.debug("legacy session opened", metadata: ["session": "\(session.id)", "version": "\(version)"])
        return HTTPReply.json(JSONRPCMessage.response(JSONRPCResponse(id: r.id, result: result)).json, headers: sessionHeader(session))
    }

    func sessionHeader(_ session: LegacySession?) -> HTTPFields {
        guard let session else { return [:] }
        return [.mcpSessionID: session.id]
    }

    /// JSON-RPC batches: accepted only under 2025-03-26, the one revision that had them.
    func batch(_ items: [JSONValue], call: IncomingCall) async -> Response {
        var session: LegacySession?
        if let id = call.sessionID, case .live(let s) = sessions.lookup(id) { session = s }
        let version = session?.version ?? call.headerVersion ?? ProtocolVersion.assumedWithoutHeader
        guard version.allowsBatches else {
            return HTTPReply.jsonRPCError(status: .badRequest, error: .invalidRequest("JSON-RPC batches are not supported in protocol version \(version)"))
        }
        guard !items.isEmpty else { return HTTPReply.jsonRPCError(status: .badRequest, error: .invalidRequest("Empty batch")) }
        let client = session?.clientContext ?? ClientContext(version: version)
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
                if let response = await server.handle(r, client: client, sink: .discard) { replies.append(JSONRPCMessage.response(response).json) }
            case .notification(let n):
                if n.method == Method.cancelled, let id = n.params["requestId"].flatMap(JSONRPCID.init(json:)) { session?.cancel(id) }
            case .response:
                break
            }
        }
        return replies.isEmpty ? HTTPReply.accepted() : HTTPReply.json(.array(replies), headers: sessionHeader(session))
    }

    // MARK: DELETE

    func delete(_ request: Request) -> Response {
        if ProtocolVersion(rawValue: request.headers[.mcpProtocolVersion] ?? "")?.isModern == true {
            return Response(status: .methodNotAllowed, headers: [.allow: "POST"])
        }
        guard let id = request.headers[.mcpSessionID] else {
            return HTTPReply.jsonRPCError(status: .badRequest, error: .invalidRequest("DELETE needs an Mcp-Session-Id header"))
        }
        guard sessions.remove(id) else {
            return HTTPReply.jsonRPCError(status: .notFound, error: .invalidRequest("Session not found or expired"))
        }
        return Response(status: .noContent)
    }
}

/// One POST, with what the era decisions read from it (read once).
struct IncomingCall: Sendable {
    let request: Request
    /// Whether the client is still connected, when that can be known.
    let liveness: Liveness?
    let acceptsSSE: Bool
    let acceptsJSON: Bool

    init(request: Request, liveness: Liveness?) {
        self.request = request
        self.liveness = liveness
        var sse = false
        var json = false
        var any = false
        var sawAccept = false
        for value in request.headers[values: .accept] {
            sawAccept = true
            sse = sse || value.utf8.containsASCII("text/event-stream")
            json = json || value.utf8.containsASCII("application/json")
            any = any || value.utf8.containsASCII("*/*")
        }
        self.acceptsSSE = sse || any
        self.acceptsJSON = json || any || !sawAccept
    }

    var headerVersionText: String? { request.headers[.mcpProtocolVersion] }
    var headerVersion: ProtocolVersion? { headerVersionText.flatMap(ProtocolVersion.init(rawValue:)) }
    var sessionID: String? { request.headers[.mcpSessionID] }
}

extension String.UTF8View {
    /// Case-insensitive search for an ASCII needle, without the generic string machinery.
    func containsASCII(_ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard n > 0, count >= n else { return false }
        let bytes = Array(self)
        let pattern = needle.utf8Start
        func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }
        var i = 0
        while i + n <= bytes.count {
            var j = 0
            while j < n, lower(bytes[i + j]) == pattern[j] { j += 1 }
            if j == n { return true }
            i += 1
        }
        return false
    }
}
