/// One upstream or app on the Servers page.
public struct ServerRow: Sendable {
    public var name: String
    /// `app`, `stdio`, `streamable-http`, `sse`, …
    public var kind: String
    public var state: String
    /// Where it comes from: `app`, `config` (the file; not changed here) or `api` (added live).
    public var source: String
    public var uptimeSeconds: Int?
    public var restarts: Int
    public var tools: Int
    public var lastError: String?
    public var stderr: [String]
    public var figures: [ToolFigures]

    public init(
        name: String, kind: String, state: String, source: String, uptimeSeconds: Int?, restarts: Int, tools: Int, lastError: String?, stderr: [String],
        figures: [ToolFigures]
    ) {
        self.name = name
        self.kind = kind
        self.state = state
        self.source = source
        self.uptimeSeconds = uptimeSeconds
        self.restarts = restarts
        self.tools = tools
        self.lastError = lastError
        self.stderr = stderr
        self.figures = figures
    }
}

/// One tool's recent calls on this instance.
public struct ToolFigures: Sendable {
    public var tool: String
    public var calls: Int
    public var errors: Int
    public var p50Milliseconds: Double
    public var p95Milliseconds: Double

    public init(tool: String, calls: Int, errors: Int, p50Milliseconds: Double, p95Milliseconds: Double) {
        self.tool = tool
        self.calls = calls
        self.errors = errors
        self.p50Milliseconds = p50Milliseconds
        self.p95Milliseconds = p95Milliseconds
    }
}
