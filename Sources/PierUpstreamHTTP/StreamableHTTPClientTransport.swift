public import Logging
public import MCPClient
public import MCPCore
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import PierSync

/// A remote upstream over Streamable HTTP: each message is a POST, answered with JSON, an event stream, or 202.
///
/// A handshake-era session keeps the upstream's `Mcp-Session-Id` and opens the GET stream for the upstream's own
/// notifications once the session is established (reopened with backoff when it drops; an upstream that answers
/// 405 has none). A 404 on a request with a session id reports ``ClientTransportError/sessionExpired`` so the
/// session initialises again. A 2026-07-28 request carries `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name`.
public final class StreamableHTTPClientTransport: ClientTransport {
    public let upstream: HTTPUpstream
    private let logger: Logger
    private struct State {
        var sessionID: String?
        var protocolVersion: String?
        /// Bumped when a session is established, waking the listener.
        var sessions = 0
        var listenerWaiter: CheckedContinuation<Void, Never>?
    }
    private let state = Locked(State())

    public init(upstream: HTTPUpstream, logger: Logger) {
        self.upstream = upstream
        self.logger = logger
    }

    public var label: String { upstream.url }
    public var answersInline: Bool { true }

    public func run(connected: @Sendable () async -> Void, deliver: @escaping @Sendable (JSONRPCMessage) async -> Void) async throws {
        await connected()
        var seen = 0
        while !Task.isCancelled {
            let (session, version, generation) = await nextSession(after: seen)
            seen = generation
            guard let session, let version else { continue }
            var delay = Duration.milliseconds(500)
            while !Task.isCancelled, state.withLock({ $0.sessions == generation }) {
                do {
                    let open = try await listen(session: session, version: version, deliver: deliver)
                    if !open { break }
                    delay = .milliseconds(500)
                } catch is CancellationError {
                    return
                } catch {
                    logger.debug("upstream listening stream dropped", metadata: ["upstream": "\(upstream.url)", "error": "\(error)"])
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(30))
            }
        }
        throw CancellationError()
    }

    /// Waits until a session newer than `seen` is established; `(nil, nil, n)` for a session without an id.
    private func nextSession(after seen: Int) async -> (String?, String?, Int) {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { s -> Bool in
                    if s.sessions > seen || Task.isCancelled { return true }
                    s.listenerWaiter = c
                    return false
                }
                if ready { c.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                defer { s.listenerWaiter = nil }
                return s.listenerWaiter
            }
            waiter?.resume()
        }
        return state.withLock { ($0.sessionID, $0.protocolVersion, $0.sessions) }
    }

    /// One GET stream; `false` when the upstream offers none (405) or the session is gone.
    private func listen(session: String, version: String, deliver: @Sendable (JSONRPCMessage) async -> Void) async throws -> Bool {
        var request = upstream.request(.GET)
        request.headers.add(name: "Accept", value: "text/event-stream")
        request.headers.add(name: "Mcp-Session-Id", value: session)
        request.headers.add(name: "MCP-Protocol-Version", value: version)
        let response = try await upstream.client.execute(request, deadline: .distantFuture, logger: nil)
        guard response.status == .ok else {
            _ = try? await upstream.collect(response)
            return false
        }
        try await upstream.events(response) { event in
            for message in HTTPUpstream.messages(Array(event.data.utf8)) { await deliver(message) }
        }
        return true
    }

    public func send(_ outbound: Outbound, replies: @escaping @Sendable (JSONRPCMessage) async throws -> Void) async throws {
        var headers = upstream.postHeaders
        let session = state.withLock { $0.sessionID }
        if let session { headers.add(name: "Mcp-Session-Id", value: session) }
        var isInitialize = false
        let modern = outbound.protocolVersion.flatMap(ProtocolVersion.init(rawValue:))?.isModern == true
        switch outbound.message {
        case .request(let r):
            isInitialize = r.method == Method.initialize
            if modern {
                headers.add(name: "Mcp-Method", value: r.method)
                if let name = outbound.name { headers.add(name: "Mcp-Name", value: name) }
            }
        case .notification(let n) where modern:
            headers.add(name: "Mcp-Method", value: n.method)
        default:
            break
        }
        if let version = outbound.protocolVersion, !isInitialize { headers.add(name: "MCP-Protocol-Version", value: version) }
        var answered = false
        for try await event in try upstream.exchange(outbound, headers: headers) {
            switch event {
            case .message(let message):
                if case .response = message { answered = true }
                try await replies(message)
            case .end(let status, let sessionID, let body):
                if isInitialize, let sessionID { state.withLock { $0.sessionID = sessionID } }
                if (200..<300).contains(status) { return }
                if status == 404, session != nil { throw ClientTransportError.sessionExpired }
                // A JSON-RPC error in a 4xx body is the upstream's answer (an unsupported version, say).
                if answered { return }
                throw ClientTransportError.status(status, String(decoding: body.prefix(200), as: UTF8.self))
            }
        }
    }

    public func sessionEstablished(protocolVersion: String) async {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.protocolVersion = protocolVersion
            s.sessions += 1
            defer { s.listenerWaiter = nil }
            return s.listenerWaiter
        }
        waiter?.resume()
    }

    public func resetSession() async {
        let (session, version) = state.withLock { s -> (String?, String?) in
            defer { s.sessionID = nil }
            return (s.sessionID, s.protocolVersion)
        }
        guard let session else { return }
        // Tell the upstream the old session is over (best effort).
        var request = upstream.request(.DELETE)
        request.headers.add(name: "Mcp-Session-Id", value: session)
        if let version { request.headers.add(name: "MCP-Protocol-Version", value: version) }
        if let response = try? await upstream.client.execute(request, timeout: .seconds(2), logger: nil) { _ = try? await upstream.collect(response) }
    }
}
