/// What an operator sees of one upstream.
public struct UpstreamStatus: Sendable, Equatable {
    public var name: String
    public var kind: String
    public var phase: UpstreamPhase
    /// The negotiated protocol version, while running.
    public var protocolVersion: String?
    /// The upstream's `serverInfo.name`, while running.
    public var serverName: String?
    public var tools = 0
    public var resources = 0
    public var prompts = 0
    /// Starts so far, the first included.
    public var starts = 0
    /// Restarts so far (starts after the first).
    public var restarts: Int { max(0, starts - 1) }
    /// Why it last went away or failed; `nil` until something went wrong.
    public var lastError: String?
    /// When it last reached `running` (milliseconds since 1970); `nil` while it is not running.
    public var startedAt: Int64?
    /// The running child's process id (stdio upstreams).
    public var pid: Int32?
    /// The last lines the child wrote to stderr (stdio upstreams).
    public var stderr: [String] = []

    public init(name: String, kind: String, phase: UpstreamPhase) {
        self.name = name
        self.kind = kind
        self.phase = phase
    }
}

/// One tool of an upstream: its own name and the one Pier's clients call it by.
public struct UpstreamTool: Sendable, Equatable {
    /// The upstream's own name.
    public var name: String
    /// The name in Pier's catalogue; `nil` when the server's `tools` filter leaves the tool out.
    public var exposedAs: String?
    public var title: String?
    public var description: String?

    public init(name: String, exposedAs: String?, title: String?, description: String?) {
        self.name = name
        self.exposedAs = exposedAs
        self.title = title
        self.description = description
    }
}
