import AsyncAlgorithms
import Hummingbird
import HTTPTypes
import Logging
import MCPCore
import NIOCore
import PierServer

/// The 2024-11-05 HTTP+SSE transport: `GET /sse` (or `GET /mcp` without a session) opens a stream whose first event
/// is `endpoint`; messages POSTed to `/mcp/messages?sessionId=…` get 202 and their replies travel on the stream.
extension MCPEndpoint {
    /// The message endpoint path.
    var messagesPath: String { configuration.endpointPath + "/messages" }

    func openLegacySSE(_ request: Request, liveness: Liveness?) -> Response {
        guard let connection = sseConnections.open() else {
            return HTTPReply.jsonRPCError(status: .serviceUnavailable, error: .invalidRequest("Too many open SSE streams"))
        }
        logger.debug("HTTP+SSE stream opened", metadata: ["session": "\(connection.id)"])
        let keepAlive = configuration.keepAliveInterval
        let idleTimeout = configuration.sseIdleTimeout
        let endpoint = "\(messagesPath)?sessionId=\(connection.id)"
        var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache", .xAccelBuffering: "no"]
        headers[.connection] = "keep-alive"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                defer {
                    sseConnections.close(connection.id)
                    connection.inbox.finish()
                    connection.finishNotices()
                    logger.debug("HTTP+SSE stream closed", metadata: ["session": "\(connection.id)"])
                }
                let outbox = AsyncChannel<ByteBuffer>()
                connection.requests = ClientRequestChannel { request in await outbox.send(SSEEvent.message(.request(request))) }
                try await writer.write(SSEEvent.named("endpoint", data: endpoint))
                try await pumpSSE(
                    outbox, to: &writer, keepAlive: keepAlive, liveness: liveness,
                    isIdle: { ContinuousClock.now - connection.lastActive > idleTimeout }
                ) { group in
                    // Every message of the connection runs here, so closing the stream cancels them all.
                    group.addTask {
                        await withDiscardingTaskGroup { calls in
                            for await request in connection.inbox {
                                calls.addTask { await self.answer(request, on: connection, outbox: outbox) }
                            }
                        }
                    }
                    group.addTask {
                        for await event in connection.notices { await outbox.send(SSEEvent.message(.notification(event.notification))) }
                    }
                }
                try await writer.finish(nil)
            })
    }

    /// Answers one request of an HTTP+SSE connection on its stream.
    func answer(_ r: JSONRPCRequest, on connection: SSEConnection, outbox: AsyncChannel<ByteBuffer>) async {
        let response: JSONRPCResponse?
        if r.method == Method.initialize {
            let version = ProtocolVersion.negotiateLegacy(requested: r.params["protocolVersion"]?.stringValue)
            connection.setClient(
                ClientContext(version: version, capabilities: r.params["capabilities"]?.objectValue ?? [:], info: r.params["clientInfo"]?.objectValue, sessionID: connection.id))
            response = JSONRPCResponse(id: r.id, result: server.initializeResult(version: version))
        } else if !server.supports(method: r.method, modern: false) {
            response = JSONRPCResponse(id: r.id, error: .methodNotFound(r.method))
        } else {
            let signal = CancelSignal()
            connection.register(r.id, signal)
            defer { connection.unregister(r.id) }
            let sink = NotificationSink { n in await outbox.send(SSEEvent.message(.notification(n))) }
            response = await server.handle(r, client: connection.client, sink: sink, until: signal)
            if response?.error == nil, let change = SessionChange(r) { connection.apply(change) }
        }
        if let response { await outbox.send(SSEEvent.message(.response(response))) }
    }

    /// `POST /mcp/messages?sessionId=…`: 202 once the stream has the message; 404 for a closed or unknown stream.
    func postLegacyMessage(_ request: Request) async -> Response {
        guard let id = request.uri.queryParameters["sessionId"].map(String.init) ?? request.uri.queryParameters["session_id"].map(String.init) else {
            return HTTPReply.jsonRPCError(status: .badRequest, error: .invalidRequest("Missing sessionId query parameter"))
        }
        guard let connection = sseConnections.connection(id) else {
            return HTTPReply.jsonRPCError(status: .notFound, error: .invalidRequest("Unknown or closed SSE session"))
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
        } catch {
            return tooLarge()
        }
        let message: JSONRPCMessage
        do {
            let json = try buffer.withUnsafeReadableBytes { bytes throws(JSONParseError) in try JSONValue(parsing: bytes) }
            message = try JSONRPCMessage(json: json)
        } catch let error as JSONParseError {
            return HTTPReply.jsonRPCError(status: .badRequest, error: .parseError("Parse error: \(error.description)"))
        } catch let error as MCPError {
            return HTTPReply.jsonRPCError(status: .badRequest, error: error)
        } catch {
            return HTTPReply.jsonRPCError(status: .badRequest, error: .invalidRequest("Invalid message"))
        }
        connection.touch()
        switch message {
        case .request(let r):
            await connection.inbox.send(r)
        case .notification(let n):
            if n.method == Method.cancelled, let requestID = n.params["requestId"].flatMap(JSONRPCID.init(json:)) { connection.cancel(requestID) }
        case .response(let response):
            connection.requests?.deliver(response)
        }
        return HTTPReply.accepted()
    }
}
