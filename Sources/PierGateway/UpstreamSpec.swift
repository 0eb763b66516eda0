public import MCPClient
public import PierServer

/// One upstream server as the gateway runs it: its name, how its names appear on Pier, its limits, and how to
/// reach it (transport factories, so the gateway never sees a concrete transport).
public struct UpstreamSpec: Sendable {
    /// Makes a fresh transport for one connection attempt.
    public typealias TransportFactory = @Sendable () -> any ClientTransport

    /// The key in `mcpServers`.
    public var name: String
    public var naming: ToolNaming
    public var description: String?
    /// `stdio`, `http`, `sse` or `auto` (HTTP, falling back to SSE), for status pages.
    public var kind: String
    public var autoRestart: Bool
    /// How long one forwarded request may take.
    public var timeout: Duration
    /// Calls in flight to this upstream at once; `nil` for no limit.
    public var maximumConcurrency: Int?
    /// How many more calls may wait for a place.
    public var queueLimit: Int
    /// Which of the upstream's tools (by the upstream's own names) Pier serves.
    public var tools: NameFilter
    /// Tried in order on each start until one negotiates; the one that did is used first next time.
    public var transports: [TransportFactory]
    /// How often a running upstream is probed (`ping`, or `server/discover` for 2026-07-28).
    public var probeInterval: Duration
    /// Whether this upstream is a child process (counted against `MAX_CONCURRENT_SERVERS`).
    public var isChildProcess: Bool
    /// How its widgets' asset URLs move to Pier, when Pier serves its assets.
    public var assets: AssetRewrite?
    /// How it is restarted.
    public var policy: SupervisorPolicy
    /// How often its lists are read again even without a change notification (a backstop for upstreams whose
    /// notifications cannot reach Pier).
    public var relistInterval: Duration = .seconds(300)

    public init(
        name: String, naming: ToolNaming, description: String? = nil, kind: String, autoRestart: Bool = true, timeout: Duration = .seconds(30),
        maximumConcurrency: Int? = nil, queueLimit: Int = 64, tools: NameFilter = NameFilter(), transports: [TransportFactory],
        probeInterval: Duration = .seconds(15), isChildProcess: Bool = false, assets: AssetRewrite? = nil, policy: SupervisorPolicy = SupervisorPolicy()
    ) {
        self.assets = assets
        self.policy = policy
        self.name = name
        self.naming = naming
        self.description = description
        self.kind = kind
        self.autoRestart = autoRestart
        self.timeout = timeout
        self.maximumConcurrency = maximumConcurrency
        self.queueLimit = queueLimit
        self.tools = tools
        self.transports = transports
        self.probeInterval = probeInterval
        self.isChildProcess = isChildProcess
    }

    /// The catalogue source this upstream's entries belong to.
    public var source: String { Self.source(for: name) }

    /// The catalogue source of upstream `name`.
    public static func source(for name: String) -> String { sourcePrefix + name }
    /// What every upstream's catalogue source starts with.
    public static let sourcePrefix = "upstream/"
}
