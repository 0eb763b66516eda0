import Hummingbird
import HTTPTypes
import MCPCore
import NIOCore

extension MCPEndpoint {
    /// GET on the endpoint: with a session id, the legacy server→client stream of that session (or a replay after
    /// `Last-Event-ID`); without one, the 2024-11-05 HTTP+SSE stream (the fallback legacy clients take after a
    /// failed POST). 2026-07-28 has no GET stream, so a modern GET gets 405.
    func get(_ request: Request, liveness: Liveness?) async -> Response {
        let version = request.headers[.mcpProtocolVersion].flatMap(ProtocolVersion.init(rawValue:))
        let acceptsSSE = request.headers[values: .accept].contains(where: { $0.utf8.containsASCII("text/event-stream") })
        guard version?.isModern != true else { return Response(status: .methodNotAllowed, headers: [.allow: "POST"]) }
        guard let id = request.headers[.mcpSessionID] else {
            guard acceptsSSE else { return Response(status: .methodNotAllowed, headers: [.allow: "POST, DELETE"]) }
            return openLegacySSE(request, liveness: liveness)
        }
        guard acceptsSSE else {
            return HTTPReply.jsonRPCError(status: .notAcceptable, error: .invalidRequest("GET needs Accept: text/event-stream"))
        }
        guard case .live(let session) = sessions.lookup(id) else {
            return HTTPReply.jsonRPCError(status: .notFound, error: .invalidRequest("Session not found or expired"))
        }
        session.touch()
        var resumeStream = LegacySession.standaloneStream
        var resumeAfter: Int?
        if let lastEventID = request.headers[.lastEventID] {
            guard let parsed = EventLog.parse(lastEventID) else {
                return HTTPReply.jsonRPCError(status: .badRequest, error: .invalidRequest("Malformed Last-Event-ID"))
            }
            resumeStream = parsed.stream
            resumeAfter = parsed.sequence
        }
        var headers = sseHeaders
        headers[.mcpSessionID] = session.id
        if resumeStream != LegacySession.standaloneStream {
            return resume(session, stream: resumeStream, after: resumeAfter ?? 0, headers: headers)
        }
        guard let wake = session.claimStandalone() else {
            return HTTPReply.jsonRPCError(status: .conflict, error: .invalidRequest("This session already has an open GET stream"))
        }
        let keepAlive = configuration.keepAliveInterval
        let retry = configuration.retryMilliseconds
        let start = resumeAfter ?? session.lastSequence
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                defer { session.releaseStandalone() }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    if let liveness {
                        group.addTask {
                            await liveness.waitForClose()
                            if !Task.isCancelled { session.releaseStandalone() }
                        }
                    }
                    group.addTask {
                        // Ticks wake the writer loop, which sends a keep-alive when nothing new arrived.
                        while !Task.isCancelled {
                            try await Task.sleep(for: keepAlive)
                            session.poke()
                        }
                    }
                    try await writer.write(SSEEvent.priming(id: "\(LegacySession.standaloneStream)-\(start)", retryMilliseconds: retry))
                    var sent = start
                    for await _ in wake {
                        let events = session.replay(after: sent, stream: LegacySession.standaloneStream)
                        if events.isEmpty {
                            try await writer.write(SSEEvent.keepAlive)
                        } else {
                            for event in events { try await writer.write(SSEEvent.message(event.message, id: event.id)) }
                            sent = events.last!.sequence
                        }
                    }
                    group.cancelAll()
                }
                try await writer.finish(nil)
            })
    }

    /// Resuming a POST's response stream (`Last-Event-ID` naming it): what it sent after that event, then what it
    /// sends next, until its response has gone out. The call may still be running: a client that left does not
    /// cancel it.
    func resume(_ session: LegacySession, stream: Int, after sequence: Int, headers: HTTPFields) -> Response {
        let keepAlive = configuration.keepAliveInterval
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                var sent = sequence
                var quiet = ContinuousClock.now
                while !Task.isCancelled, !session.isClosed {
                    let open = session.isStreamOpen(stream)
                    let events = session.replay(after: sent, stream: stream)
                    for event in events { try await writer.write(SSEEvent.message(event.message, id: event.id)) }
                    if let last = events.last {
                        sent = last.sequence
                        quiet = .now
                        if case .response = last.message { break }
                    } else if !open {
                        break  // the call ended and everything it sent is out (or fell off the log)
                    } else if ContinuousClock.now - quiet >= keepAlive {
                        try await writer.write(SSEEvent.keepAlive)
                        quiet = .now
                    }
                    // A resumed stream is rare; a short poll of the session log keeps it simple.
                    try await Task.sleep(for: .milliseconds(50))
                }
                try await writer.finish(nil)
            })
    }
}
