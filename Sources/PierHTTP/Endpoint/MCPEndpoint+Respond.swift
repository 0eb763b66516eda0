import AsyncAlgorithms
import Hummingbird
import HTTPTypes
import MCPCore
import NIOCore
import PierServer

extension MCPEndpoint {
    /// Runs a request (statelessly, or through `session`'s connection) and frames its answer as JSON or as an SSE
    /// stream.
    func respond(_ r: JSONRPCRequest, spec: MethodSpec?, client: ClientContext, session: LegacySession?, call: IncomingCall) async -> Response {
        if let refused = await refusal(of: r, principal: call.principal, caller: call.caller) { return refused.response }
        let wantsNotifications = r.meta[MetaKey.progressToken] != nil || client.logLevel != nil
        // A handshake-era handler may ask the client something mid-call; that request rides this POST's stream.
        let mayAsk = spec?.interactive == true && session?.connection.canBeAsked == true
        let useSSE: Bool
        switch configuration.responseMode {
        case .json: useSSE = !call.acceptsJSON && call.acceptsSSE
        case .sse: useSSE = call.acceptsSSE
        case .auto: useSSE = call.acceptsSSE && (wantsNotifications || mayAsk || !call.acceptsJSON)
        }
        let exchange = Exchange(endpoint: self, request: r, spec: spec, client: client, session: session, liveness: call.liveness)
        if useSSE { return streamed(exchange, mayAsk: mayAsk) }
        guard let response = await exchange.run(sink: .discard, send: nil) else {
            // Cancelled: the client has stopped waiting, so no JSON-RPC response is sent.
            return HTTPReply.accepted(headers: sessionHeader(session))
        }
        let status: HTTPResponse.Status = client.version.isModern ? response.error.map(HTTPReply.modernStatus(for:)) ?? .ok : .ok
        return HTTPReply.message(status: status, .response(response), headers: sessionHeader(session))
    }

    /// An SSE response: notifications as the handler sends them, then the response, then the end of the stream.
    /// In a session every event is also logged for `Last-Event-ID`, and a client that leaves does not stop the
    /// call (see ``Exchange/cancelsOnDisconnect``); otherwise leaving cancels it. With `mayAsk`, the handler's
    /// requests to the client (elicitation, sampling, roots) go out on this stream too, and the client's answers,
    /// POSTed under the session id, come back to it through the session's connection.
    func streamed(_ exchange: Exchange, mayAsk: Bool) -> Response {
        let session = exchange.session
        var headers = sseHeaders
        if let session { headers[.mcpSessionID] = session.id }
        let stream = session?.openStream()
        // 2025-11-25: an id with empty data first, so the client can resume this stream from its start.
        let priming: ByteBuffer? =
            if let session, let stream, session.version >= .v2025_11_25 {
                SSEEvent.priming(id: session.eventID(stream: stream, sequence: 0), retryMilliseconds: configuration.retryMilliseconds)
            } else {
                nil
            }
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let open = OpenStreams("response", endpoint: self.metricsName)
                defer {
                    open.close()
                    if let stream { session?.finishStream(stream) }
                }
                try await self.pump(exchange, stream: stream, priming: priming, mayAsk: mayAsk, to: &writer)
                try await writer.finish(nil)
            })
    }

    /// Runs the exchange with its events going out on `writer` (and into the session log, on `stream`).
    func pump(_ exchange: Exchange, stream: Int?, priming: ByteBuffer?, mayAsk: Bool, to writer: inout any ResponseBodyWriter) async throws {
        let session = exchange.session
        let outbox = AsyncChannel<ByteBuffer>()
        let emit: @Sendable (JSONRPCMessage) async -> Void = { message in
            let id = stream.flatMap { session?.record(message, stream: $0) }
            await outbox.send(SSEEvent.message(message, id: id))
        }
        let liveness = exchange.cancelsOnDisconnect ? exchange.liveness : nil
        var send: MCPConnection.RequestSender?
        if mayAsk { send = { request in await emit(.request(request)) } }
        let sender = send
        try await pumpSSE(
            outbox, to: &writer, first: priming, keepAlive: configuration.keepAliveInterval, liveness: liveness,
            drainWhenGone: !exchange.cancelsOnDisconnect
        ) { group in
            group.addTask {
                let sink = NotificationSink { notification in await emit(.notification(notification)) }
                if let response = await exchange.run(sink: sink, send: sender) { await emit(.response(response)) }
                outbox.finish()
            }
        }
    }

    var sseHeaders: HTTPFields {
        [.contentType: "text/event-stream", .cacheControl: "no-cache", .xAccelBuffering: "no"]
    }
}
