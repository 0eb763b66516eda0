public import MCPCore

/// Settings of the MCP runtime that do not depend on a transport.
public struct ServerConfiguration: Sendable {
    /// Items per page of `tools/list`, `resources/list`, `resources/templates/list` and `prompts/list`.
    public var pageSize: Int
    /// `ttlMs` on list results and `server/discover` (2026-07-28 caching hints).
    public var listTTLMilliseconds: Int
    /// `ttlMs` on `resources/read` results.
    public var readTTLMilliseconds: Int
    /// `cacheScope` on cacheable results: `"public"` when lists do not depend on who asks.
    public var cacheScope: String
    /// The key that signs `requestState` of multi-round calls. Random per process by default; instances behind one
    /// load balancer must share it (`PIER_SECRET`).
    public var stateSecret: [UInt8]
    /// Where `requestState` nonces are claimed; `nil`: in this process, so a state could be used once per instance.
    public var nonceLedger: (any NonceLedger)?
    /// How long a task stays readable through `tasks/get` after it was created (its `ttlMs`).
    public var taskTTLMilliseconds = 600_000
    /// How often clients should poll `tasks/get` (`pollIntervalMs`).
    public var taskPollIntervalMilliseconds = 500
    /// Tasks running at once; past this, a tool that may run synchronously does, and one that must be a task is
    /// refused.
    public var maxRunningTasks = 256
    /// How often a running task refreshes its shared copy and collects messages from other instances.
    public var taskRelayIntervalMilliseconds = 200
    /// Rewrites each tool's descriptor as it enters the catalogue, from any source (the authorization mode's
    /// `securitySchemes`, say); it gets the tool's name, its descriptor and whether it is read-only.
    public var toolDescriptors: (@Sendable (_ name: String, _ descriptor: JSONObject, _ readOnly: Bool) -> JSONObject)?
    /// Told of every finished `tools/call` (tool, source, subject, outcome, duration): the activity log. It runs
    /// on the call's path, so it must only hand the record on.
    public var callObserver: (@Sendable (CallRecord) -> Void)?
    /// Make a span per request (set when a tracer is bootstrapped; without one, spans would cost and show nothing).
    public var tracing = false
    /// Log each request's arguments at `trace` (they may hold what a user typed; off unless asked for).
    public var logArguments = false

    public init(
        pageSize: Int = 100, listTTLMilliseconds: Int = 60_000, readTTLMilliseconds: Int = 0, cacheScope: String = "public",
        stateSecret: [UInt8]? = nil
    ) {
        self.pageSize = pageSize
        self.listTTLMilliseconds = listTTLMilliseconds
        self.readTTLMilliseconds = readTTLMilliseconds
        self.cacheScope = cacheScope
        if let stateSecret {
            self.stateSecret = stateSecret
        } else {
            var g = SystemRandomNumberGenerator()
            self.stateSecret = (0..<32).map { _ in g.next() }
        }
    }
}
