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

/// One open legacy session (Streamable HTTP or HTTP+SSE).
public struct SessionRow: Sendable {
    public var id: String
    public var transport: String
    public var endpoint: String
    public var client: String
    public var protocolVersion: String
    public var idleSeconds: Double

    public init(id: String, transport: String, endpoint: String, client: String, protocolVersion: String, idleSeconds: Double) {
        self.id = id
        self.transport = transport
        self.endpoint = endpoint
        self.client = client
        self.protocolVersion = protocolVersion
        self.idleSeconds = idleSeconds
    }
}

/// One recently seen 2026-07-28 client.
public struct ClientRow: Sendable {
    public var client: String
    public var protocolVersion: String
    public var endpoint: String
    public var subject: String?
    public var firstSeen: String
    public var lastSeen: String
    public var requests: Int

    public init(client: String, protocolVersion: String, endpoint: String, subject: String?, firstSeen: String, lastSeen: String, requests: Int) {
        self.client = client
        self.protocolVersion = protocolVersion
        self.endpoint = endpoint
        self.subject = subject
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.requests = requests
    }
}

/// Which activity to show.
public struct ActivityQuery: Sendable, Equatable {
    public var tool: String?
    public var server: String?
    public var subject: String?
    /// `ok`, `error`, … (the event's status).
    public var outcome: String?
    /// `tool_call`, `auth` or `admin`.
    public var kind: String?
    /// Only events older than this id (the next page).
    public var before: Int64?
    /// Only events newer than this id (live updates).
    public var after: Int64?
    public var limit: Int

    public init(
        tool: String? = nil, server: String? = nil, subject: String? = nil, outcome: String? = nil, kind: String? = nil, before: Int64? = nil,
        after: Int64? = nil, limit: Int = 50
    ) {
        self.tool = tool
        self.server = server
        self.subject = subject
        self.outcome = outcome
        self.kind = kind
        self.before = before
        self.after = after
        self.limit = limit
    }
}

/// One activity-log event.
public struct ActivityRow: Sendable, Equatable {
    public var id: Int64
    /// ISO 8601.
    public var at: String
    public var kind: String
    public var server: String
    /// The tool, or the auth or admin action.
    public var action: String
    public var status: String
    public var subject: String?
    public var durationMilliseconds: Int64
    public var detail: String?

    public init(id: Int64, at: String, kind: String, server: String, action: String, status: String, subject: String?, durationMilliseconds: Int64, detail: String?) {
        self.id = id
        self.at = at
        self.kind = kind
        self.server = server
        self.action = action
        self.status = status
        self.subject = subject
        self.durationMilliseconds = durationMilliseconds
        self.detail = detail
    }
}

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

/// The Clients and keys page: OAuth clients, the grants people gave them, and API keys.
public struct ClientsPage: Sendable {
    public var clients: [OAuthClientRow]
    public var grants: [GrantRow]
    public var keys: [KeyRow]

    public init(clients: [OAuthClientRow], grants: [GrantRow], keys: [KeyRow]) {
        self.clients = clients
        self.grants = grants
        self.keys = keys
    }
}

/// One OAuth client: registered (DCR or at start-up), or known by its metadata document (CIMD).
public struct OAuthClientRow: Sendable {
    public var id: String
    public var name: String
    /// `DCR`, `CIMD` or `pre-registered`.
    public var kind: String
    public var redirectURIs: [String]
    public var created: String?
    public var grants: Int

    public init(id: String, name: String, kind: String, redirectURIs: [String], created: String?, grants: Int) {
        self.id = id
        self.name = name
        self.kind = kind
        self.redirectURIs = redirectURIs
        self.created = created
        self.grants = grants
    }
}

/// One grant: a user's consent to a client, alive while any of its tokens is.
public struct GrantRow: Sendable {
    public var family: String
    public var client: String
    public var subject: String
    public var scopes: String
    public var resource: String?
    public var expires: String

    public init(family: String, client: String, subject: String, scopes: String, resource: String?, expires: String) {
        self.family = family
        self.client = client
        self.subject = subject
        self.scopes = scopes
        self.resource = resource
        self.expires = expires
    }
}

/// One admin API key (only its prefix is ever shown).
public struct KeyRow: Sendable {
    public var name: String
    public var prefix: String
    public var created: String
    public var revoked: String?

    public init(name: String, prefix: String, created: String, revoked: String?) {
        self.name = name
        self.prefix = prefix
        self.created = created
        self.revoked = revoked
    }
}
