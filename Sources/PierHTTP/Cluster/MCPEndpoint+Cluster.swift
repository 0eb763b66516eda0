import AsyncAlgorithms
import Hummingbird
import HTTPTypes
import MCPCore
import NIOCore
public import PierServer
import PierSync

/// What this endpoint's sessions and streams exchange with the other instances over the ``ClusterBus`` (see
/// ``MCPHTTPConfiguration/cluster``).
extension MCPEndpoint {
    /// Takes a message another instance sent. Quick work is done before this returns; what may take long (feeding
    /// a stream to the instance that resumes it, handing a message to a busy HTTP+SSE stream) is returned, for the
    /// caller to run beside its reading of the bus.
    public func receive(_ message: ClusterMessage) async -> (@Sendable () async -> Void)? {
        if message.topic == .streamEvent || message.topic == .legacyTaken {
            tickets.deliver(message)
            return nil
        }
        guard message["endpoint"] == configuration.endpointPath else { return nil }
        switch message.topic {
        case .sessionChanged:
            if let id = message["session"] { await sessions.refresh(id) }
        case .sessionEnded:
            if let id = message["session"] { sessions.endedElsewhere(id) }
        case .sessionInput:
            guard let id = message["session"], case .live(let session) = sessions.lookup(id), let json = message.body["message"],
                let input = try? JSONRPCMessage(json: json)
            else { return nil }
            switch input {
            case .response(let response): session.connection.receive(response)
            case .notification(let notification): session.connection.receive(notification)
            case .request: break
            }
        case .streamFollow:
            return { await self.feed(message) }
        case .legacyMessage:
            return await takeLegacyMessage(message)
        default:
            break
        }
        return nil
    }

    /// Passes a client's message for `session` to the other instances, where the call it concerns may run (the
    /// answer to a request that call sent, or its cancellation).
    func forwardInput(_ input: JSONRPCMessage, for session: LegacySession) async {
        guard let bus = configuration.cluster else { return }
        await bus.publish(
            ClusterMessage(.sessionInput, ["endpoint": .string(configuration.endpointPath), "session": .string(session.id), "message": input.json]))
    }

    // MARK: resuming a stream another instance holds

    /// GET with a `Last-Event-ID` from `owner`'s log: asks `owner` for that stream's events after `sequence`, and
    /// relays them as they come, up to the call's response. 404 when the owner does not answer (it has stopped:
    /// the call went with it) or no longer has the stream.
    func followRemote(_ session: LegacySession, owner: String, stream: Int, after sequence: Int, headers: HTTPFields, liveness: Liveness?) async -> Response {
        guard let (ticket, replies) = await askToFeed(session, owner: owner, stream: stream, after: sequence) else {
            return HTTPReply.jsonRPCError(
                status: .notFound, error: .invalidRequest("That event stream is gone: the Pier instance that held it has stopped or expired it"))
        }
        let keepAlive = configuration.keepAliveInterval
        let lastHeard = HeardFrom()
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let open = OpenStreams("session", endpoint: self.metricsName)
                defer {
                    open.close()
                    self.tickets.close(ticket)
                }
                let outbox = AsyncChannel<ByteBuffer>()
                // The owner that stops talking has gone (killed mid-call): the stream ends rather than idling on.
                let silent: @Sendable () -> Bool = { ContinuousClock.now - lastHeard.at.withLock { $0 } > Self.feedSilenceLimit }
                try await pumpSSE(outbox, to: &writer, keepAlive: keepAlive, liveness: liveness, isIdle: silent) { group in
                    group.addTask {
                        for await reply in replies {
                            lastHeard.at.withLock { $0 = .now }
                            if reply.body["end"] == true { break }
                            if let event = Self.sseEvent(of: reply) { await outbox.send(event) }
                        }
                        outbox.finish()
                    }
                }
                try await writer.finish(nil)
            })
    }

    /// Asks `owner` to feed `stream` of `session` after `sequence`: the ticket and its replies once the owner has
    /// said it has the stream; `nil` (the ticket closed) when it does not, or does not answer in time.
    func askToFeed(_ session: LegacySession, owner: String, stream: Int, after sequence: Int) async -> (String, AsyncStream<ClusterMessage>)? {
        guard let bus = configuration.cluster else { return nil }
        let (ticket, replies) = tickets.open()
        await bus.publish(
            ClusterMessage(
                .streamFollow,
                [
                    "endpoint": .string(configuration.endpointPath), "session": .string(session.id), "stream": .int(stream), "after": .int(sequence),
                    "ticket": .string(ticket),
                ], to: owner))
        guard await ClusterTickets.first(of: replies, within: configuration.clusterReplyTimeout)?.body["start"] == true else {
            tickets.close(ticket)
            return nil
        }
        return (ticket, replies)
    }

    /// The SSE event a fed event reply carries; `nil` for a heartbeat or the end.
    static func sseEvent(of reply: ClusterMessage) -> ByteBuffer? {
        guard let id = reply["id"], let json = reply.body["message"], let message = try? JSONRPCMessage(json: json) else { return nil }
        return SSEEvent.message(message, id: id)
    }

    /// What `owner`'s log holds of the session's standalone stream after `sequence` (the events a client that
    /// comes back here missed while its GET stream was there), as SSE events; none when `owner` does not answer.
    func replayRemote(_ session: LegacySession, owner: String, after sequence: Int) async -> [ByteBuffer] {
        guard let (ticket, replies) = await askToFeed(session, owner: owner, stream: LegacySession.standaloneStream, after: sequence) else { return [] }
        defer { tickets.close(ticket) }
        let timeout = configuration.clusterReplyTimeout
        return await withTaskGroup(of: [ByteBuffer]?.self) { group in
            group.addTask {
                var events: [ByteBuffer] = []
                for await reply in replies {
                    if reply.body["end"] == true { break }
                    if let event = Self.sseEvent(of: reply) { events.append(event) }
                }
                return events
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let replayed = await group.next() ?? nil
            group.cancelAll()
            return replayed ?? []
        }
    }

    /// Serves a ``ClusterTopic/streamFollow``: this instance's events of the stream after the sequence asked, sent
    /// to the asker as they are logged, then the end (or at once, that the stream is not here).
    func feed(_ request: ClusterMessage) async {
        guard let bus = configuration.cluster, let ticket = request["ticket"] else { return }
        let reply: @Sendable (JSONObject) async -> Void = { body in
            var body = body
            body["ticket"] = .string(ticket)
            await bus.publish(ClusterMessage(.streamEvent, body, to: request.sender))
        }
        guard let id = request["session"], case .live(let session) = sessions.lookup(id), let stream = request.body["stream"]?.intValue,
            let after = request.body["after"]?.intValue, stream == LegacySession.standaloneStream || session.knows(stream: stream)
        else {
            await reply(["missing": true])
            return
        }
        await reply(["start": true])
        guard stream != LegacySession.standaloneStream else {
            // The standalone stream goes on where the client is now: what it missed here is all it needs from here.
            for event in session.read(stream, after: after).events { await reply(["id": .string(event.id), "message": event.message.json]) }
            await reply(["end": true])
            return
        }
        await withDiscardingTaskGroup { group in
            // While the call is silent, the asker still hears that this instance is there.
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.feedHeartbeat)
                    if !Task.isCancelled { await reply(["alive": true]) }
                }
            }
            reading: for await batch in session.follow(stream, after: after) {
                for event in batch {
                    await reply(["id": .string(event.id), "message": event.message.json])
                    if case .response = event.message { break reading }
                }
            }
            group.cancelAll()
        }
        await reply(["end": true])
    }

    /// How often an instance feeding a stream to another says it is still there.
    static let feedHeartbeat = Duration.seconds(5)
    /// How long a relayed stream goes on without a word from the instance feeding it (then that one has gone).
    static let feedSilenceLimit = Duration.seconds(15)

    // MARK: HTTP+SSE streams another instance holds

    /// Hands a message POSTed here to the instance holding HTTP+SSE stream `id`: `true` once that instance has
    /// taken it, `false` when none did within ``MCPHTTPConfiguration/clusterReplyTimeout``.
    func forwardLegacy(_ message: JSONRPCMessage, answered: Bool, stream id: String) async -> Bool {
        guard let bus = configuration.cluster else { return false }
        let (ticket, replies) = tickets.open()
        defer { tickets.close(ticket) }
        var body: JSONObject = [
            "endpoint": .string(configuration.endpointPath), "stream": .string(id), "message": message.json, "ticket": .string(ticket),
        ]
        if answered { body["answered"] = true }
        await bus.publish(ClusterMessage(.legacyMessage, body))
        return await ClusterTickets.first(of: replies, within: configuration.clusterReplyTimeout) != nil
    }

    /// Serves a ``ClusterTopic/legacyMessage`` for a stream held here: says so to the sender at once, and returns
    /// the hand-over to the stream (which waits while the stream is busy). Streams held elsewhere stay silent.
    func takeLegacyMessage(_ request: ClusterMessage) async -> (@Sendable () async -> Void)? {
        guard let bus = configuration.cluster, let id = request["stream"], let stream = sseConnections.connection(id), !stream.draining.isFired,
            let ticket = request["ticket"], let json = request.body["message"], let message = try? JSONRPCMessage(json: json)
        else { return nil }
        await bus.publish(ClusterMessage(.legacyTaken, ["ticket": .string(ticket)], to: request.sender))
        stream.touch()
        let answered = request.body["answered"] == true
        return {
            switch message {
            case .request(let r): await stream.inbox.send(.request(r))
            case .response(let response) where answered: await stream.inbox.send(.answered(response))
            case .response(let response): stream.connection.receive(response)
            case .notification(let n): stream.connection.receive(n)
            }
        }
    }
}

/// When an instance feeding a stream was last heard from.
private final class HeardFrom: Sendable {
    let at = Locked(ContinuousClock.now)
}
