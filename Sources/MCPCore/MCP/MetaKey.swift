/// Reserved `_meta` keys Pier reads and writes.
public enum MetaKey {
    /// 2026-07-28: the protocol version a request speaks (required on every request).
    public static let protocolVersion = "io.modelcontextprotocol/protocolVersion"
    /// 2026-07-28: the client's capabilities (required on every request).
    public static let clientCapabilities = "io.modelcontextprotocol/clientCapabilities"
    /// 2026-07-28: the client's implementation info.
    public static let clientInfo = "io.modelcontextprotocol/clientInfo"
    /// 2026-07-28: the server's implementation info, put in every result's `_meta`.
    public static let serverInfo = "io.modelcontextprotocol/serverInfo"
    /// 2026-07-28: the per-request log level that opts in to `notifications/message`.
    public static let logLevel = "io.modelcontextprotocol/logLevel"
    /// 2026-07-28: the subscription a notification belongs to.
    public static let subscriptionID = "io.modelcontextprotocol/subscriptionId"
    /// The token progress notifications echo.
    public static let progressToken = "progressToken"
}

/// MCP method names.
public enum Method {
    public static let initialize = "initialize"
    public static let initialized = "notifications/initialized"
    public static let ping = "ping"
    public static let discover = "server/discover"
    public static let toolsList = "tools/list"
    public static let toolsCall = "tools/call"
    public static let resourcesList = "resources/list"
    public static let resourcesRead = "resources/read"
    public static let resourcesTemplatesList = "resources/templates/list"
    public static let resourcesSubscribe = "resources/subscribe"
    public static let resourcesUnsubscribe = "resources/unsubscribe"
    public static let promptsList = "prompts/list"
    public static let promptsGet = "prompts/get"
    public static let complete = "completion/complete"
    public static let setLevel = "logging/setLevel"
    public static let subscriptionsListen = "subscriptions/listen"
    public static let cancelled = "notifications/cancelled"
    public static let progress = "notifications/progress"
    public static let message = "notifications/message"
    public static let rootsListChanged = "notifications/roots/list_changed"
}
