/// One MCP endpoint on the Connectors page.
public struct ConnectorRow: Sendable {
    public var name: String
    public var path: String
    public var tools: [String]
    /// Clients whose last copy of the tool list differs from the live one.
    public var stale: [StaleCopy]

    public init(name: String, path: String, tools: [String], stale: [StaleCopy]) {
        self.name = name
        self.path = path
        self.tools = tools
        self.stale = stale
    }
}

/// A client that fetched an endpoint's tool list before it last changed.
public struct StaleCopy: Sendable {
    public var client: String
    /// When it fetched its copy (ISO 8601).
    public var fetchedAt: String
    /// The tools its copy had that the live list no longer has, and the other way round.
    public var missing: Int
    public var added: Int

    public init(client: String, fetchedAt: String, missing: Int, added: Int) {
        self.client = client
        self.fetchedAt = fetchedAt
        self.missing = missing
        self.added = added
    }
}
