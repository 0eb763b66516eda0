import AsyncAlgorithms
import Hummingbird
import HTTPTypes
import MCPCore
import NIOCore
import PierServer

extension MCPEndpoint {
    /// GET on the endpoint: with a session id, the session's server→client stream, or the replay of one of its
    /// streams after `Last-Event-ID`; without one, the 2024-11-05 HTTP+SSE stream (the fallback handshake-era
    /// clients take after a failed POST). 2026-07-28 has no GET stream, so a modern GET gets 405.
    func get(_ request: Request, liveness: Liveness?, principal: Principal? = nil) async -> Response {
        let fields = MCPHeaders(request.headers)
        let version = fields.protocolVersion.flatMap(ProtocolVersion.init(rawValue:))
        let acceptsSSE = fields.acceptsEventStream
        guard version?.isModern != true else { return Response(status: .methodNotAllowed, headers: [.allow: "POST"]) }
        guard let id = fields.sessionID else {
            // A browser or a bare curl: still 405 (no MCP rule bends), with a word on what this is and how to connect.
            guard acceptsSSE else { return EndpointHelp.response(for: request, configuration: configuration) }
            return openLegacySSE(request, liveness: liveness, principal: principal)
        }
        guard acceptsSSE else {
            return HTTPReply.jsonRPCError(status: .notAcceptable, error: .invalidRequest("GET needs Accept: text/event-stream"))
        }
        guard case .live(let session) = await sessions.find(id) else {
            return HTTPReply.jsonRPCError(status: .notFound, error: .invalidRequest("Session not found or expired"))
        }
        session.touch()
        var stream = LegacySession.standaloneStream
        var after: Int?
        var replayed: [ByteBuffer] = []
        var headers = sseHeaders
        headers[.mcpSessionID] = session.id
        if let lastEventID = fields.lastEventID {
            guard let parsed = EventLog.parse(lastEventID) else {
                return HTTPReply.jsonRPCError(status: .badRequest, error: .invalidRequest("Malformed Last-Event-ID"))
            }
            stream = parsed.stream
            after = parsed.sequence
            if let owner = parsed.owner, owner != session.owner {
                // Another instance's log. A POST stream is fed from there, up to its call's response. The standalone
                // stream carries what every instance hears itself: what the client missed comes from there, then
                // this instance's log goes on from now.
                guard stream == LegacySession.standaloneStream else {
                    return await followRemote(session, owner: owner, stream: stream, after: parsed.sequence, headers: headers, liveness: liveness)
                }
                replayed = await replayRemote(session, owner: owner, after: parsed.sequence)
                after = nil
            }
        }
        guard stream == LegacySession.standaloneStream else {
            // Resuming a POST's response stream: what it sent after that event, then what it sends next, until its
            // response has gone out. The call may still be running: a client that left does not cancel it.
            return follow(session, stream: stream, after: after ?? 0, priming: nil, headers: headers, liveness: liveness)
        }
        guard session.claimStandalone() else {
            return HTTPReply.jsonRPCError(status: .conflict, error: .invalidRequest("This session already has an open GET stream"))
        }
        let start = after ?? session.lastSequence
        // Replayed events first; the priming id after them is where this instance's log takes over.
        var first = ByteBuffer()
        for var event in replayed { first.writeBuffer(&event) }
        var priming = SSEEvent.priming(id: session.eventID(stream: LegacySession.standaloneStream, sequence: start), retryMilliseconds: configuration.retryMilliseconds)
        first.writeBuffer(&priming)
        return follow(session, stream: stream, after: start, priming: first, headers: headers, liveness: liveness)
    }

    /// A stream that follows one of the session's logged streams: its events after `sequence` as they are logged.
    /// A POST stream ends after its response; the standalone stream ends with the session or the client (and is
    /// then free for the next GET).
    func follow(_ session: LegacySession, stream: Int, after sequence: Int, priming: ByteBuffer?, headers: HTTPFields, liveness: Liveness?) -> Response {
        let keepAlive = configuration.keepAliveInterval
        let standalone = stream == LegacySession.standaloneStream
        let events = session.follow(stream, after: sequence)
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let open = OpenStreams("session", endpoint: self.metricsName)
                defer {
                    open.close()
                    if standalone { session.releaseStandalone() }
                }
                let outbox = AsyncChannel<ByteBuffer>()
                try await pumpSSE(outbox, to: &writer, first: priming, keepAlive: keepAlive, liveness: liveness, endsOnShutdown: standalone) { group in
                    group.addTask {
                        reading: for await batch in events {
                            for event in batch {
                                await outbox.send(SSEEvent.message(event.message, id: event.id))
                                if !standalone, case .response = event.message { break reading }
                            }
                        }
                        outbox.finish()
                    }
                }
                try await writer.finish(nil)
            })
    }
}
