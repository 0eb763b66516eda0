public import Logging
public import MCPClient
public import MCPCore
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

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
    private let state = Mutex(State())

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

    public func send(_ outbound: Outbound, replies: @escaping @Sendable (JSONRPCMessage) async -> Void) async throws {
        var request = upstream.request(.POST)
        request.headers.add(name: "Accept", value: "application/json, text/event-stream")
        let session = state.withLock { $0.sessionID }
        if let session { request.headers.add(name: "Mcp-Session-Id", value: session) }
        var isInitialize = false
        if case .request(let r) = outbound.message {
            isInitialize = r.method == Method.initialize
            if outbound.protocolVersion.flatMap(ProtocolVersion.init(rawValue:))?.isModern == true {
                request.headers.add(name: "Mcp-Method", value: r.method)
                if let name = outbound.name { request.headers.add(name: "Mcp-Name", value: name) }
            }
        } else if case .notification(let n) = outbound.message, outbound.protocolVersion.flatMap(ProtocolVersion.init(rawValue:))?.isModern == true {
            request.headers.add(name: "Mcp-Method", value: n.method)
        }
        if let version = outbound.protocolVersion, !isInitialize { request.headers.add(name: "MCP-Protocol-Version", value: version) }
        let response = try await upstream.post(outbound.message, request)
        if isInitialize, let id = response.headers.first(name: "Mcp-Session-Id") {
            state.withLock { $0.sessionID = id }
        }
        let contentType = response.headers.first(name: "Content-Type")?.lowercased() ?? ""
        switch response.status.code {
        case 202, 204:
            _ = try? await upstream.collect(response)
        case 200..<300 where contentType.hasPrefix("text/event-stream"):
            do {
                try await upstream.events(response) { event in
                    for message in HTTPUpstream.messages(Array(event.data.utf8)) { await replies(message) }
                }
            } catch {
                throw HTTPUpstream.failure(error, url: upstream.url)
            }
        case 404 where session != nil:
            _ = try? await upstream.collect(response)
            throw ClientTransportError.sessionExpired
        default:
            let bytes = try await upstream.collect(response)
            let messages = HTTPUpstream.messages(bytes)
            // A JSON-RPC error in a 4xx body is the upstream's answer (an unsupported version, say).
            if !messages.isEmpty, (200..<300).contains(response.status.code) || messages.allSatisfy({ if case .response = $0 { true } else { false } }) {
                for message in messages { await replies(message) }
                return
            }
            throw ClientTransportError.status(Int(response.status.code), String(decoding: bytes.prefix(200), as: UTF8.self))
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
