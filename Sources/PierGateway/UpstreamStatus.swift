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
