public import PierServer

/// Settings of the Streamable HTTP transport.
public struct MCPHTTPConfiguration: Sendable {
    /// How request responses are framed.
    public enum ResponseMode: String, Sendable {
        /// JSON, unless the request asked for progress or log messages and the client accepts SSE.
        case auto
        /// Always one JSON object (notifications during the call are dropped).
        case json
        /// Always an SSE stream when the client accepts it.
        case sse
    }

    /// The MCP endpoint path.
    public var endpointPath: String = "/mcp"
    /// Pier's public URL (`BASE_URL`), for answers meant for people; nil: the request's own host.
    public var publicBaseURL: String?
    /// Largest request body accepted; larger ones get 413.
    public var maxBodyBytes: Int = 4 * 1024 * 1024
    /// `Host` values accepted (names, optionally with `:port`); `"*"` accepts any.
    public var allowedHosts: [String] = ["localhost", "127.0.0.1", "[::1]"]
    /// Browser origins accepted on `/mcp` besides the CORS origins (`Origin` header, exact match); `"*"` accepts any.
    public var allowedOrigins: [String] = []
    /// Accept `http://localhost:*`-style origins (when bound to loopback).
    public var allowLocalhostOrigins: Bool = true
    /// Paths whose requests skip the `Origin` check: public, read-only, credential-free content such as widget
    /// assets, which sandboxed frames (`Origin: null`) and any host must be able to load.
    public var originExemptPrefixes: [String] = ["/assets/"]
    /// Origins that get CORS headers (and are therefore allowed); `"*"` for any.
    public var corsOrigins: [String] = []
    /// Use `Forwarded` (RFC 7239) or `X-Forwarded-For` / `-Host` / `-Proto` from a trusted proxy.
    public var trustForwardedHeaders: Bool = false
    public var responseMode: ResponseMode = .auto
    /// Interval of `:` keep-alive comments on SSE streams.
    public var keepAliveInterval: Duration = .seconds(15)
    /// The `retry:` (milliseconds) sent with priming events: how long a client waits before resuming a stream.
    public var retryMilliseconds = 1000
    /// A legacy session idle for this long expires; its id then gets 404.
    public var sessionIdleTimeout: Duration = .seconds(3600)
    /// Events kept per legacy session for `Last-Event-ID` resumption.
    public var eventLogCapacity: Int = 256
    /// Live legacy sessions at most; beyond it the least recently used one with no open stream is ended, and when
    /// every one has a stream open, `initialize` gets 503 with `Retry-After`.
    public var maxSessions: Int = 10_000
    /// Keeps sessions beyond this process, so every instance serves every session id; `nil`: in this process only.
    public var sessionDirectory: (any SessionDirectory)?
    /// How often an instance marks a session it serves as used in ``sessionDirectory``, which is also when it takes
    /// up changes made through other instances (a log level, a subscription) and learns that one ended it.
    public var sessionTouchInterval: Duration = .seconds(2)
    /// How the instances sharing ``sessionDirectory`` reach one another: a session changed or ended on one is changed
    /// or ended on all at once, a client's answer reaches the instance whose call asked, a stream is resumed on
    /// any instance, and an HTTP+SSE message is handed to the instance holding its stream. `nil`: one instance.
    public var cluster: (any ClusterBus)?
    /// How long an instance waits for another to take a message meant for a stream it holds.
    public var clusterReplyTimeout: Duration = .seconds(3)
    /// Expired or deleted session ids remembered (to answer 404) at most.
    public var maxRememberedExpiredSessions: Int = 10_000
    /// Open 2024-11-05 HTTP+SSE streams at most; more get 503.
    public var maxSSEStreams: Int = 1000
    /// An HTTP+SSE stream with no message for this long is closed.
    public var sseIdleTimeout: Duration = .seconds(3600)
    /// Cancel a call when its client disconnects (see ``DisconnectMonitor``). Needs a live connection; router-level
    /// tests turn it off.
    public var watchDisconnects: Bool = true

    public init() {}
}
