/// What Pier serves, as the landing page and the dashboard show it: a snapshot taken per page view.
public struct ConsoleOverview: Sendable {
    /// One MCP endpoint: `/mcp`, or a connector's.
    public struct Endpoint: Sendable {
        /// `main` for `/mcp`, else the connector's name.
        public var name: String
        public var path: String
        public var tools: Int
        public var readOnly: Bool
        /// Whether a caller must sign in here (`false` when signing in is optional or there is no auth).
        public var signInRequired: Bool

        public init(name: String, path: String, tools: Int, readOnly: Bool, signInRequired: Bool) {
            self.name = name
            self.path = path
            self.tools = tools
            self.readOnly = readOnly
            self.signInRequired = signInRequired
        }
    }

    /// One source of tools: one of Pier's apps, or an upstream server.
    public struct Source: Sendable {
        public enum Kind: String, Sendable { case app, upstream }
        public var name: String
        public var kind: Kind
        /// `running` for an app; an upstream's phase (`starting`, `running`, `unhealthy`, `stopped`, `failed`).
        public var state: String
        public var tools: Int

        public init(name: String, kind: Kind, state: String, tools: Int) {
            self.name = name
            self.kind = kind
            self.state = state
            self.tools = tools
        }
    }

    public var version: String
    /// `none`, `oauth` (Pier's own authorization server) or `external` (an identity provider's tokens).
    public var authMode: String
    public var endpoints: [Endpoint]
    public var sources: [Source]
    /// Whether `/playground` is served.
    public var playground: Bool
    /// Whether `/dashboard` is served.
    public var dashboard: Bool

    public init(version: String, authMode: String, endpoints: [Endpoint], sources: [Source], playground: Bool, dashboard: Bool) {
        self.version = version
        self.authMode = authMode
        self.endpoints = endpoints
        self.sources = sources
        self.playground = playground
        self.dashboard = dashboard
    }
}
