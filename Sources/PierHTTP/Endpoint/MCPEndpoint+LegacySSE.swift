import AsyncAlgorithms
import Hummingbird
import ServiceLifecycle
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
    /// The stream path: `/sse` beside `/mcp` (`/connectors/x/sse` beside `/connectors/x/mcp`).
    var ssePath: String {
        let path = configuration.endpointPath
        return (path.hasSuffix("/mcp") ? String(path.dropLast(4)) : path) + "/sse"
    }

    func openLegacySSE(_ request: Request, liveness: Liveness?, principal: Principal? = nil) -> Response {
        guard let stream = sseConnections.open() else {
            return HTTPReply.jsonRPCError(status: .serviceUnavailable, error: .invalidRequest("Too many open SSE streams"))
        }
        stream.principal = principal
        logger.debug("HTTP+SSE stream opened", metadata: ["session": "\(stream.id)"])
        let keepAlive = configuration.keepAliveInterval
        let idleTimeout = configuration.sseIdleTimeout
        var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache", .xAccelBuffering: "no"]
        headers[.connection] = "keep-alive"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let open = OpenStreams("legacy_sse", endpoint: self.metricsName)
                defer {
                    open.close()
                    self.sseConnections.close(stream.id)
                    stream.inbox.finish()
                    stream.finishNotices()
                    stream.connection.abandon()
                    self.logger.debug("HTTP+SSE stream closed", metadata: ["session": "\(stream.id)"])
                }
                let outbox = AsyncChannel<ByteBuffer>()
                try await pumpSSE(
                    outbox, to: &writer, first: SSEEvent.named("endpoint", data: "\(self.messagesPath)?sessionId=\(stream.id)"), keepAlive: keepAlive,
                    liveness: liveness, isIdle: { ContinuousClock.now - stream.lastActive > idleTimeout }
                ) { group in
                    // Graceful shutdown takes no new messages; the calls running finish, then the stream ends.
                    group.addTask {
                        await withGracefulShutdownHandler {
                            await stream.draining.wait()
                        } onGracefulShutdown: {
                            stream.draining.fire()
                            stream.inbox.finish()
                        }
                    }
                    // Every message of the connection runs here, so closing the stream cancels them all.
                    group.addTask {
                        await withDiscardingTaskGroup { calls in
                            for await inbound in stream.inbox {
                                guard case .request(let request) = inbound else {
                                    if case .answered(let answer) = inbound { await outbox.send(SSEEvent.message(.response(answer))) }
                                    continue
                                }
                                calls.addTask {
                                    let sink = NotificationSink { await outbox.send(SSEEvent.message(.notification($0))) }
                                    let send: MCPConnection.RequestSender = { await outbox.send(SSEEvent.message(.request($0))) }
                                    if let response = await stream.connection.serve(request, sink: sink, send: send, principal: stream.principal) {
                                        await outbox.send(SSEEvent.message(.response(response)))
                                    }
                                }
                            }
                        }
                        // The inbox ends with the stream, or with graceful shutdown once its calls have answered.
                        if stream.draining.isFired { outbox.finish() }
                    }
                    group.addTask {
                        for await notice in stream.notices { await outbox.send(SSEEvent.message(.notification(notice))) }
                    }
                }
                try await writer.finish(nil)
            })
    }

    /// `POST /mcp/messages?sessionId=…`: 202 once the stream has the message; 404 for a closed or unknown stream.
    /// In a cluster the stream may be held by another instance, which then takes the message (see
    /// ``forwardLegacy(_:answered:stream:)``).
    func postLegacyMessage(_ request: Request, principal: Principal? = nil, caller: String = "") async -> Response {
        guard let id = request.uri.queryParameters["sessionId"].map(String.init) ?? request.uri.queryParameters["session_id"].map(String.init) else {
            return HTTPReply.jsonRPCError(status: .badRequest, error: .invalidRequest("Missing sessionId query parameter"))
        }
        let unknown = HTTPReply.jsonRPCError(status: .notFound, error: .invalidRequest("Unknown or closed SSE session"))
        let stream = sseConnections.connection(id)
        guard stream != nil || (configuration.cluster != nil && !sseConnections.hasEnded(id)) else { return unknown }
        if let stream, stream.draining.isFired {
            return HTTPReply.jsonRPCError(
                status: .serviceUnavailable, error: .invalidRequest("This server is shutting down; open a new SSE stream"), headers: [.retryAfter: "1"])
        }
        if let refusal = MCPHeaders(request.headers).contentTypeRefusal {
            return HTTPReply.jsonRPCError(status: refusal.status, error: .invalidRequest(refusal.message))
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
        if case .request(let r) = message, let refused = await refusal(of: r, principal: principal, caller: caller) {
            // A JSON-RPC answer goes on the stream, as every response of this transport does.
            guard let answer = refused.streamAnswer else { return refused.response }
            guard let stream else {
                return await forwardLegacy(.response(answer), answered: true, stream: id) ? HTTPReply.accepted() : unknown
            }
            stream.touch()
            await stream.inbox.send(.answered(answer))
            return HTTPReply.accepted()
        }
        guard let stream else { return await forwardLegacy(message, answered: false, stream: id) ? HTTPReply.accepted() : unknown }
        stream.touch()
        switch message {
        case .request(let r): await stream.inbox.send(.request(r))
        case .notification(let n): stream.connection.receive(n)
        case .response(let response): stream.connection.receive(response)
        }
        return HTTPReply.accepted()
    }
}
