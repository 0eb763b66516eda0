import AsyncAlgorithms
import Hummingbird
import HTTPTypes
import MCPCore
import NIOCore
import PierServer

extension MCPEndpoint {
    /// Runs a request and frames its answer as JSON or as an SSE stream.
    func respond(_ r: JSONRPCRequest, client: ClientContext, session: LegacySession?, call: IncomingCall) async -> Response {
        let wantsNotifications = r.meta[MetaKey.progressToken] != nil || client.logLevel != nil
        // A handshake-era handler may ask the client something mid-call; that request rides this POST's stream.
        let mayAsk = session?.canBeAsked == true && MCPServer.interactiveMethods.contains(r.method)
        let useSSE: Bool
        switch configuration.responseMode {
        case .json: useSSE = !call.acceptsJSON && call.acceptsSSE
        case .sse: useSSE = call.acceptsSSE
        case .auto: useSSE = call.acceptsSSE && (wantsNotifications || mayAsk || !call.acceptsJSON)
        }
        let signal = CancelSignal()
        session?.register(r.id, signal: signal)
        if useSSE { return streamed(r, client: client, session: session, call: call, signal: signal, mayAsk: mayAsk) }
        defer { session?.unregister(r.id) }
        guard let response = await run(r, client: client, sink: .discard, signal: signal, liveness: cancelsOnDisconnect(session) ? call.liveness : nil) else {
            // Cancelled: the client has stopped waiting, so no JSON-RPC response is sent.
            return HTTPReply.accepted(headers: sessionHeader(session))
        }
        let status: HTTPResponse.Status = client.version.isModern ? response.error.map(HTTPReply.modernStatus(for:)) ?? .ok : .ok
        return HTTPReply.json(status: status, JSONRPCMessage.response(response).json, headers: sessionHeader(session))
    }

    /// Whether a client leaving ends its call. For a 2026-07-28 request closing the stream is cancellation, and
    /// without a session nobody could resume the call or cancel it. In a handshake-era session disconnection is
    /// not cancellation: the call goes on, its events stay in the session log for `Last-Event-ID`, and
    /// `notifications/cancelled` (or the session ending) stops it.
    func cancelsOnDisconnect(_ session: LegacySession?) -> Bool { session == nil }

    /// Runs the handler under `signal`: the call ends when the handler finishes or the signal fires first
    /// (`notifications/cancelled`, or the ``CallWatcher`` seeing the client leave), which cancels the handler.
    func run(_ r: JSONRPCRequest, client: ClientContext, sink: NotificationSink, signal: CancelSignal, liveness: Liveness?) async -> JSONRPCResponse? {
        let ticket = liveness.map { watcher.register($0, signal: signal) }
        defer { if let ticket { watcher.unregister(ticket) } }
        return await server.handle(r, client: client, sink: sink, until: signal)
    }

    /// An SSE response: notifications as the handler sends them, then the response, then the end of the stream.
    /// Writes apply backpressure. A failed write (the client left) cancels the handler, except in a handshake-era
    /// session, where the call goes on into the session log (see ``cancelsOnDisconnect(_:)``).
    /// With `mayAsk`, the handler's requests to the client (elicitation, sampling, roots) go out on this stream
    /// too, and the client's answers, POSTed under the session id, come back to it.
    func streamed(
        _ r: JSONRPCRequest, client: ClientContext, session: LegacySession?, call: IncomingCall, signal: CancelSignal, mayAsk: Bool
    ) -> Response {
        var headers = sseHeaders
        if let session { headers[.mcpSessionID] = session.id }
        let stream = session?.openStream()
        let keepAlive = configuration.keepAliveInterval
        let liveness = cancelsOnDisconnect(session) ? call.liveness : nil
        // 2025-11-25: an id with empty data first, so the client can resume this stream from its start.
        let priming: ByteBuffer? =
            if let session, let stream, session.version >= .v2025_11_25 {
                SSEEvent.priming(id: "\(stream)-0", retryMilliseconds: configuration.retryMilliseconds)
            } else {
                nil
            }
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                defer {
                    session?.unregister(r.id)
                    if let stream { session?.finishStream(stream) }
                }
                let channel = AsyncChannel<ByteBuffer>()
                var client = client
                if mayAsk, let session, let stream {
                    let asker = ClientRequestChannel(idPrefix: "pier-\(stream)") { request in
                        let message = JSONRPCMessage.request(request)
                        await channel.send(SSEEvent.message(message, id: session.record(message, stream: stream)))
                    }
                    client.requests = asker
                    session.attachAsker(asker, stream: stream)
                }
                defer { if mayAsk, let stream { session?.detachAsker(stream: stream) } }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { [client] in
                        let sink = NotificationSink { notification in
                            let message = JSONRPCMessage.notification(notification)
                            let id = stream.flatMap { s in session?.record(message, stream: s) }
                            await channel.send(SSEEvent.message(message, id: id))
                        }
                        if let response = await self.run(r, client: client, sink: sink, signal: signal, liveness: liveness) {
                            let message = JSONRPCMessage.response(response)
                            let id = stream.flatMap { s in session?.record(message, stream: s) }
                            await channel.send(SSEEvent.message(message, id: id))
                        }
                        channel.finish()
                    }
                    group.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: keepAlive)
                            await channel.send(SSEEvent.keepAlive)
                        }
                    }
                    do {
                        if let priming { try await writer.write(priming) }
                        for await chunk in channel { try await writer.write(chunk) }
                    } catch {
                        if cancelsOnDisconnect(session) {
                            signal.fire()
                        } else {
                            // The client left a session stream: the call goes on into the session log, where a GET
                            // with Last-Event-ID picks it up.
                            for await _ in channel {}
                        }
                        group.cancelAll()
                        throw error
                    }
                    group.cancelAll()
                }
                try await writer.finish(nil)
            })
    }

    var sseHeaders: HTTPFields {
        [.contentType: "text/event-stream", .cacheControl: "no-cache", .xAccelBuffering: "no"]
    }
}
