import MCPCore
import PierServer

/// One request on its way through the endpoint: who asks, through which session (if any), and how to run it.
struct Exchange: Sendable {
    let endpoint: MCPEndpoint
    let request: JSONRPCRequest
    let spec: MethodSpec?
    let client: ClientContext
    let session: LegacySession?
    let liveness: Liveness?

    /// Whether a client leaving ends its call. For a 2026-07-28 request closing the stream is cancellation, and
    /// without a session nobody could resume the call or cancel it. In a handshake-era session disconnection is
    /// not cancellation: the call goes on, its events stay in the session log for `Last-Event-ID`, and
    /// `notifications/cancelled` (or the session ending) stops it.
    var cancelsOnDisconnect: Bool { session == nil }

    /// Runs the request: through the session's connection, which keeps its cancellation and session changes, or
    /// statelessly, cancelled when the client leaves.
    func run(sink: NotificationSink, send: MCPConnection.RequestSender?) async -> JSONRPCResponse? {
        if let session {
            let response = await session.connection.serve(request, sink: sink, send: send, principal: client.principal)
            // A new log level or subscription is saved for the other instances (the connection kept it only if the
            // request succeeded).
            if response?.error == nil, SessionChange(request, spec: spec) != nil { await endpoint.sessions.share(session) }
            return response
        }
        let server = endpoint.server
        guard let liveness else { return await server.handle(request, method: spec, client: client, view: endpoint.view, sink: sink) }
        return await liveness.cancelling { signal in
            if let signal { return await server.handle(request, method: spec, client: client, view: endpoint.view, sink: sink, until: signal) }
            return await server.handle(request, method: spec, client: client, view: endpoint.view, sink: sink)
        }
    }
}
