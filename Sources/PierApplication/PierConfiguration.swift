public import PierHTTP
public import Logging
public import PierStorePostgres
import PierAuth
import PierGateway
import PierStore
import MCPCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything `pier serve` is configured with.
///
/// Values come from, lowest precedence first: defaults, a JSON config file, environment variables, command-line
/// flags. The file uses the lower-case names below (`port`, `base_url`, …); the environment uses the upper-case
/// ones (`PORT`, `BASE_URL`, …).
public struct PierConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The public URL Pier is reached at (`https://pier.example.com`), used for allowed hosts and origins.
    public var baseURL: String?
    /// `nil` means derived: loopback names plus the `BASE_URL` host (or any host when bound to all interfaces).
    public var allowedHosts: [String]?
    public var corsOrigins: [String] = []
    public var logLevel: Logger.Level = .info
    /// `text` (swift-log's lines) or `json` (one JSON object per line) on standard error (`LOG_FORMAT`).
    public var logFormat = "text"
    /// At `LOG_LEVEL=trace`, also log each request's arguments (`PIER_LOG_ARGUMENTS`); never at other levels.
    public var logArguments = false
    public var dataDirectory = "./.pier"
    /// The apps to serve. The three widget apps are on by default; drop a name to turn it off.
    public var apps: [String] = ["demo", "dashboard", "gallery", "cart"]
    public var pageSize = 100
    public var maxBodyBytes = 4 * 1024 * 1024
    public var responseMode: MCPHTTPConfiguration.ResponseMode = .auto
    public var trustForwardedHeaders = false
    /// PEM certificate chain and private key: Pier serves HTTPS itself (`TLS_CERT_FILE`, `TLS_KEY_FILE`); SIGHUP
    /// re-reads both. Unset: plain HTTP (behind a proxy that terminates TLS).
    public var tlsCertificateFile: String?
    public var tlsKeyFile: String?
    /// Offer HTTP/2 by ALPN on the TLS listener (`PIER_HTTP2`).
    public var http2 = true
    /// How long SIGTERM waits for calls in flight before it ends them (`PIER_SHUTDOWN_GRACE_SECONDS`).
    public var shutdownGraceSeconds = 10.0
    public var keepAliveSeconds = 15.0
    public var sessionIdleSeconds = 3600.0
    /// Legacy sessions one instance holds at most (`PIER_MAX_SESSIONS`).
    public var maxSessions = 10_000
    /// PostgreSQL, from `DATABASE_URL` (or `database_url` in the file) or the `PG*` variables; `nil` means SQLite.
    public var postgres: PostgresSettings?
    /// Run migrations when `pier serve` starts; otherwise a database not at the current schema stops start-up.
    public var migrateOnStart = true
    /// Days the activity log keeps its events.
    public var activityRetentionDays = 30.0
    /// Whether each tool call goes to the activity log (`PIER_ACTIVITY_CALLS`); auth and admin events always do.
    public var activityCalls = true
    /// The key that signs multi-round `requestState`; instances behind one load balancer must share it.
    /// `nil`: a random key per process.
    public var stateSecret: String?
    /// How widgets are rendered and where their assets come from.
    public var widgets = WidgetOptions()
    /// Serve the `/playground` page.
    public var playground = true
    /// Serve the dashboard at `/dashboard` (`PIER_DASHBOARD`).
    public var dashboard = true
    /// Serve `/metrics` (Prometheus text) on the main listener (`PIER_METRICS`).
    public var metrics = true
    /// Let anyone read `/metrics` when Pier listens beyond loopback (`PIER_METRICS_PUBLIC`); else it needs an
    /// admin API key there. On loopback it is always open.
    public var metricsPublic = false
    /// The upstream MCP servers (`mcpServers` in the file), in the file's order.
    public var upstreams: [UpstreamSettings] = []
    /// More MCP endpoints (`connectors` in the file), each showing part of the catalogue.
    public var connectors: [ConnectorSettings] = []
    /// Between an upstream's prefix and its tool and prompt names (`tool_separator`).
    public var toolSeparator = "__"
    /// How many stdio upstreams may run at once (`MAX_CONCURRENT_SERVERS`).
    public var maxConcurrentServers = 32
    /// How long a forwarded request may take, unless an upstream sets its own (`SERVER_TIMEOUT`, seconds).
    public var serverTimeoutSeconds = 30.0
    /// The admin API key this Pier accepts besides the stored ones (`PIER_ADMIN_API_KEY`, at least 32 characters).
    public var adminAPIKey: String?
    /// The programs servers added through the admin API may run (`PIER_ALLOWED_COMMANDS`); `nil`: any.
    public var allowedCommands: [String]?
    /// Variables servers added through the API may set although the denylist names them (`PIER_ALLOWED_ENV`).
    public var allowedEnvironment: [String] = []
    /// How often the server registry is read for changes other instances made (`PIER_REGISTRY_POLL_SECONDS`).
    public var registryPollSeconds = 5.0
    /// The Python that makes the virtualenvs of servers installed from git (`PIER_PYTHON`).
    public var python = "python3"
    /// How long one install from git may take (`PIER_INSTALL_TIMEOUT`, seconds).
    public var installTimeoutSeconds = 600.0
    /// `none` (anyone reaches every MCP endpoint), `oauth` (Pier's own authorization server; every endpoint
    /// needs its bearer token) or `external` (an external identity provider's JWTs) (`PIER_AUTH`).
    public var authMode = "none"
    /// Under `external`: the identity provider's issuer (`PIER_OAUTH_ISSUER`), an audience accepted besides each
    /// endpoint's URL (`PIER_OAUTH_AUDIENCE`), and its key set's URL when its metadata does not give it
    /// (`PIER_OAUTH_JWKS_URL`).
    public var externalIssuer: String?
    public var externalAudience: String?
    public var externalJWKSURL: String?
    /// A client registered at start-up (`OAUTH_CLIENT_ID`, `OAUTH_CLIENT_SECRET`, `OAUTH_REDIRECT_URI`,
    /// `OAUTH_SCOPE`: the seed's pre-registered client); `nil` secret makes it a public client.
    public var preregisteredClient: (id: String, secret: String?, redirectURI: String, scope: String?)?
    /// Under `oauth`, the endpoints (paths such as `/mcp`) where signing in is optional (`PIER_AUTH_OPTIONAL`).
    public var authOptional: [String] = []
    /// The scope a tool needs, by its name in the catalogue, instead of `mcp:read`/`mcp:write` by its
    /// `readOnlyHint` (`tool_scopes`, `PIER_TOOL_SCOPES=name=scope,…`); a new scope is offered too.
    public var toolScopes: [String: String] = [:]
    /// Whether clients may sign in with a Client ID Metadata Document (an https `client_id`) (`PIER_OAUTH_CIMD`).
    public var cimd = true
    /// When set, the only hosts whose metadata documents are accepted (`PIER_OAUTH_CIMD_HOSTS`).
    public var cimdHosts: [String]?
    /// A test switch: fetch metadata documents from loopback addresses too (`PIER_OAUTH_CIMD_ALLOW_LOOPBACK`).
    public var cimdAllowLoopback = false
    /// A PEM file of trust roots for metadata-document fetches instead of the system's (`PIER_OAUTH_CIMD_CA_FILE`).
    public var cimdTrustRoots: String?
    /// Access-token lifetime (`ACCESS_TOKEN_EXPIRE_MINUTES`).
    public var accessTokenMinutes = 60.0
    /// Refresh-token lifetime (`REFRESH_TOKEN_EXPIRE_DAYS`).
    public var refreshTokenDays = 30.0
    /// A user created at start-up when missing (`PIER_ADMIN_USER`, with `PIER_ADMIN_PASSWORD`).
    public var adminUser: String?
    public var adminPassword: String?
    /// Failed admin API attempts one client address may make per minute before it is refused for the rest of it
    /// (`PIER_ADMIN_AUTH_FAILURES`).
    public var adminAuthFailuresPerMinute = 10
    /// Requests a minute each caller (token subject, else client address) may make to the MCP endpoints
    /// (`RATE_LIMIT_PER_MINUTE`; 0: no limit).
    public var rateLimitPerMinute = 100
    /// Calls a minute each caller may make of each tool (`TOOL_RATE_LIMIT`; 0: no limit).
    public var toolRateLimit = 0

    public init() {}

    /// The apps Pier knows by name.
    public static let knownApps = ["demo", "dashboard", "gallery", "cart", "conformance", "lab"]

    /// Reads the file at `path` (if any), then `environment`, then `flags`, on top of the defaults.
    public static func load(
        file path: String?, environment: [String: String], flags: CommandLineSettings = CommandLineSettings()
    ) throws(ConfigurationError) -> PierConfiguration {
        var config = PierConfiguration()
        let filePath = path ?? environment["PIER_CONFIG"]
        if let filePath {
            let source = try ConfigSource.file(filePath)
            try config.apply(source)
            if case .file(let path, let object) = source.origin {
                config.upstreams = try UpstreamSettings.parseAll(object, path: path, environment: environment)
                config.connectors = try ConnectorSettings.parseAll(object, path: path, environment: environment)
            }
        }
        try config.apply(ConfigSource.environment(environment))
        try config.apply(ConfigSource(origin: .flags(flags.layer)))
        if config.postgres == nil {
            do {
                config.postgres = try PostgresSettings.from(environment: environment.filter { $0.key.hasPrefix("PG") })
            } catch {
                throw ConfigurationError(key: "PGHOST/PGPORT/PGSSLMODE", expected: "valid PostgreSQL settings", got: error.message)
            }
        }
        try config.validate()
        return config
    }

    mutating func apply(_ s: ConfigSource) throws(ConfigurationError) {
        if let v = try s.string("host", env: "HOST") { host = v }
        if let v = try s.int("port", env: "PORT", range: 1...65535) { port = v }
        if let v = try s.string("base_url", env: "BASE_URL") { baseURL = v.isEmpty ? nil : v }
        if let v = try s.list("allowed_hosts", env: "ALLOWED_HOSTS") { allowedHosts = v }
        if let v = try s.list("cors_origins", env: "CORS_ORIGINS") { corsOrigins = v }
        if let v = try s.string("log_level", env: "LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: v.lowercased()) else {
                throw ConfigurationError(key: s.name("log_level", env: "LOG_LEVEL"), expected: "one of trace, debug, info, notice, warning, error, critical", got: v)
            }
            logLevel = level
        }
        if let v = try s.string("log_format", env: "LOG_FORMAT") {
            guard v == "text" || v == "json" else { throw ConfigurationError(key: s.name("log_format", env: "LOG_FORMAT"), expected: "text or json", got: v) }
            logFormat = v
        }
        if let v = try s.bool("log_arguments", env: "PIER_LOG_ARGUMENTS") { logArguments = v }
        if let v = try s.string("data_dir", env: "PIER_DATA_DIR") { dataDirectory = v }
        if let v = try s.list("apps", env: "PIER_APPS") { apps = v }
        if let v = try s.int("page_size", env: "PIER_PAGE_SIZE", range: 1...10_000) { pageSize = v }
        if let v = try s.int("max_body_bytes", env: "PIER_MAX_BODY_BYTES", range: 1024...1_073_741_824) { maxBodyBytes = v }
        if let v = try s.string("response_mode", env: "PIER_RESPONSE_MODE") {
            guard let mode = MCPHTTPConfiguration.ResponseMode(rawValue: v) else {
                throw ConfigurationError(key: s.name("response_mode", env: "PIER_RESPONSE_MODE"), expected: "one of auto, json, sse", got: v)
            }
            responseMode = mode
        }
        if let v = try s.bool("trust_forwarded_headers", env: "PIER_TRUST_FORWARDED") { trustForwardedHeaders = v }
        if let v = try s.string("tls_cert_file", env: "TLS_CERT_FILE") { tlsCertificateFile = v.isEmpty ? nil : v }
        if let v = try s.string("tls_key_file", env: "TLS_KEY_FILE") { tlsKeyFile = v.isEmpty ? nil : v }
        if let v = try s.bool("http2", env: "PIER_HTTP2") { http2 = v }
        if let v = try s.double("shutdown_grace_seconds", env: "PIER_SHUTDOWN_GRACE_SECONDS", range: 0...3600) { shutdownGraceSeconds = v }
        if let v = try s.double("keep_alive_seconds", env: "PIER_KEEP_ALIVE_SECONDS", range: 0.1...3600) { keepAliveSeconds = v }
        if let v = try s.double("session_idle_seconds", env: "PIER_SESSION_IDLE_SECONDS", range: 1...604_800) { sessionIdleSeconds = v }
        if let v = try s.int("max_sessions", env: "PIER_MAX_SESSIONS", range: 1...1_000_000) { maxSessions = v }
        if let v = try s.bool("migrate_on_start", env: "PIER_MIGRATE_ON_START") { migrateOnStart = v }
        if let v = try s.double("activity_retention_days", env: "PIER_ACTIVITY_RETENTION_DAYS", range: 0.01...3650) { activityRetentionDays = v }
        if let v = try s.bool("activity_calls", env: "PIER_ACTIVITY_CALLS") { activityCalls = v }
        if let v = try s.string("secret", env: "PIER_SECRET") {
            guard v.utf8.count >= 32 else {
                throw ConfigurationError(key: s.name("secret", env: "PIER_SECRET"), expected: "at least 32 characters of random text", got: "\(v.utf8.count) characters")
            }
            stateSecret = v
        }
        if let v = try s.bool("playground", env: "PIER_PLAYGROUND") { playground = v }
        if let v = try s.bool("dashboard", env: "PIER_DASHBOARD") { dashboard = v }
        if let v = try s.bool("metrics", env: "PIER_METRICS") { metrics = v }
        if let v = try s.bool("metrics_public", env: "PIER_METRICS_PUBLIC") { metricsPublic = v }
        if let v = try s.string("tool_separator", env: "TOOL_SEPARATOR") {
            guard !v.isEmpty, v.count <= 4, ToolNamingRules.isValidServerName(v) else {
                throw ConfigurationError(key: s.name("tool_separator", env: "TOOL_SEPARATOR"), expected: "1–4 characters of A-Z a-z 0-9 _ -", got: v)
            }
            toolSeparator = v
        }
        if let v = try s.int("max_concurrent_servers", env: "MAX_CONCURRENT_SERVERS", range: 1...10_000) { maxConcurrentServers = v }
        if let v = try s.double("server_timeout", env: "SERVER_TIMEOUT", range: 0.1...86_400) { serverTimeoutSeconds = v }
        if let v = try s.string("admin_api_key", env: "PIER_ADMIN_API_KEY"), !v.isEmpty {
            guard v.utf8.count >= 32 else {
                throw ConfigurationError(
                    key: s.name("admin_api_key", env: "PIER_ADMIN_API_KEY"), expected: "at least 32 characters of random text (`pier apikey create` makes one)",
                    got: "\(v.utf8.count) characters")
            }
            adminAPIKey = v
        }
        if let v = try s.list("allowed_commands", env: "PIER_ALLOWED_COMMANDS") { allowedCommands = v.isEmpty ? nil : v }
        if let v = try s.list("allowed_env", env: "PIER_ALLOWED_ENV") { allowedEnvironment = v }
        if let v = try s.double("registry_poll_seconds", env: "PIER_REGISTRY_POLL_SECONDS", range: 0.2...3600) { registryPollSeconds = v }
        if let v = try s.string("python", env: "PIER_PYTHON"), !v.isEmpty { python = v }
        if let v = try s.string("auth_mode", env: "PIER_AUTH") {
            guard ["none", "oauth", "external"].contains(v) else {
                throw ConfigurationError(key: s.name("auth_mode", env: "PIER_AUTH"), expected: "none, oauth or external", got: v)
            }
            authMode = v
        }
        if let v = try s.string("oauth_issuer", env: "PIER_OAUTH_ISSUER"), !v.isEmpty {
            guard baseURLParts(v) != nil else { throw ConfigurationError(key: s.name("oauth_issuer", env: "PIER_OAUTH_ISSUER"), expected: "the identity provider's issuer URL", got: v) }
            externalIssuer = v
        }
        if let v = try s.string("oauth_audience", env: "PIER_OAUTH_AUDIENCE"), !v.isEmpty { externalAudience = v }
        if let v = try s.string("oauth_jwks_url", env: "PIER_OAUTH_JWKS_URL"), !v.isEmpty {
            guard baseURLParts(v) != nil else { throw ConfigurationError(key: s.name("oauth_jwks_url", env: "PIER_OAUTH_JWKS_URL"), expected: "an http or https URL", got: v) }
            externalJWKSURL = v
        }
        if let id = try s.string("oauth_client_id", env: "OAUTH_CLIENT_ID"), !id.isEmpty {
            guard let redirect = try s.string("oauth_redirect_uri", env: "OAUTH_REDIRECT_URI"), !redirect.isEmpty else {
                throw ConfigurationError(key: s.name("oauth_redirect_uri", env: "OAUTH_REDIRECT_URI"), expected: "the client's redirect URI (with OAUTH_CLIENT_ID)", got: "unset")
            }
            let secret = try s.string("oauth_client_secret", env: "OAUTH_CLIENT_SECRET")
            if let secret, secret.utf8.count < 32 {
                throw ConfigurationError(key: s.name("oauth_client_secret", env: "OAUTH_CLIENT_SECRET"), expected: "at least 32 characters", got: "\(secret.utf8.count) characters")
            }
            preregisteredClient = (id, secret, redirect, try s.string("oauth_scope", env: "OAUTH_SCOPE"))
        }
        if let v = try s.list("auth_optional", env: "PIER_AUTH_OPTIONAL") {
            for path in v where !path.hasPrefix("/") {
                throw ConfigurationError(key: s.name("auth_optional", env: "PIER_AUTH_OPTIONAL"), expected: "endpoint paths such as /mcp", got: path)
            }
            authOptional = v
        }
        if let v = try s.map("tool_scopes", env: "PIER_TOOL_SCOPES") {
            for (tool, scope) in v where !ScopePolicy.isValidScope(scope) || Scopes.identity.contains(scope) {
                throw ConfigurationError(
                    key: s.name("tool_scopes", env: "PIER_TOOL_SCOPES") + "." + tool, expected: "a scope of letters, digits and : . _ - (not an OpenID scope)", got: scope)
            }
            toolScopes = v
        }
        if let v = try s.bool("oauth_cimd", env: "PIER_OAUTH_CIMD") { cimd = v }
        if let v = try s.list("oauth_cimd_hosts", env: "PIER_OAUTH_CIMD_HOSTS") { cimdHosts = v.isEmpty ? nil : v.map { $0.lowercased() } }
        if let v = try s.bool("oauth_cimd_allow_loopback", env: "PIER_OAUTH_CIMD_ALLOW_LOOPBACK") { cimdAllowLoopback = v }
        if let v = try s.string("oauth_cimd_ca_file", env: "PIER_OAUTH_CIMD_CA_FILE"), !v.isEmpty { cimdTrustRoots = v }
        if let v = try s.double("access_token_expire_minutes", env: "ACCESS_TOKEN_EXPIRE_MINUTES", range: 1...1_440) { accessTokenMinutes = v }
        if let v = try s.double("refresh_token_expire_days", env: "REFRESH_TOKEN_EXPIRE_DAYS", range: 0.01...365) { refreshTokenDays = v }
        if let v = try s.string("admin_user", env: "PIER_ADMIN_USER"), !v.isEmpty { adminUser = v }
        if let v = try s.string("admin_password", env: "PIER_ADMIN_PASSWORD"), !v.isEmpty {
            guard v.count >= 12 else {
                throw ConfigurationError(key: s.name("admin_password", env: "PIER_ADMIN_PASSWORD"), expected: "at least 12 characters", got: "\(v.count) characters")
            }
            adminPassword = v
        }
        if let v = try s.int("admin_auth_failures", env: "PIER_ADMIN_AUTH_FAILURES", range: 1...1_000_000) { adminAuthFailuresPerMinute = v }
        if let v = try s.int("rate_limit_per_minute", env: "RATE_LIMIT_PER_MINUTE", range: 0...10_000_000) { rateLimitPerMinute = v }
        if let v = try s.int("tool_rate_limit", env: "TOOL_RATE_LIMIT", range: 0...10_000_000) { toolRateLimit = v }
        if let v = try s.double("install_timeout_seconds", env: "PIER_INSTALL_TIMEOUT", range: 1...86_400) { installTimeoutSeconds = v }
        try widgets.apply(s)
        if let v = try s.string("database_url", env: "DATABASE_URL"), !v.isEmpty {
            do {
                postgres = try PostgresSettings(url: v)
            } catch {
                throw ConfigurationError(key: s.name("database_url", env: "DATABASE_URL"), expected: "postgres://user:password@host:5432/database", got: error.message)
            }
        }
    }

    /// The SQLite file used when no PostgreSQL is configured.
    public var sqlitePath: String { dataDirectory + "/pier.sqlite" }

    /// Checks values that depend on each other.
    public func validate() throws(ConfigurationError) {
        if let baseURL, baseURLParts(baseURL) == nil {
            throw ConfigurationError(key: "BASE_URL", expected: "an http or https URL such as https://pier.example.com", got: baseURL)
        }
        for app in apps where !Self.knownApps.contains(app) {
            throw ConfigurationError(key: "apps", expected: "names among \(Self.knownApps.joined(separator: ", "))", got: app)
        }
        for connector in connectors {
            for server in connector.servers where !upstreams.contains(where: { $0.name == server }) && !apps.contains(server) {
                throw ConfigurationError(key: "connectors.\(connector.name).servers", expected: "names from mcpServers or apps", got: server)
            }
        }
        if authMode != "none", !isLoopback, baseURL.flatMap(baseURLParts)?.scheme != "https" {
            throw ConfigurationError(
                key: "BASE_URL", expected: "an https URL when PIER_AUTH=\(authMode) and Pier listens beyond loopback (it names the protected resources)", got: baseURL ?? "unset")
        }
        if authMode == "external", externalIssuer == nil {
            throw ConfigurationError(key: "PIER_OAUTH_ISSUER", expected: "the identity provider's issuer URL (PIER_AUTH=external)", got: "unset")
        }
        if (tlsCertificateFile == nil) != (tlsKeyFile == nil) {
            throw ConfigurationError(key: "TLS_CERT_FILE/TLS_KEY_FILE", expected: "both set, or neither", got: tlsKeyFile == nil ? "a certificate only" : "a key only")
        }
        if (adminUser == nil) != (adminPassword == nil) {
            throw ConfigurationError(key: "PIER_ADMIN_USER/PIER_ADMIN_PASSWORD", expected: "both set, or neither", got: adminUser == nil ? "a password only" : "a user only")
        }
        var prefixes: [String: String] = [:]
        for upstream in upstreams where upstream.enabled && !upstream.effectivePrefix.isEmpty {
            if let other = prefixes[upstream.effectivePrefix] {
                throw ConfigurationError(
                    key: "mcpServers.\(upstream.name).prefix", expected: "a prefix no other server uses (\(other) uses it too)", got: upstream.effectivePrefix)
            }
            prefixes[upstream.effectivePrefix] = upstream.name
        }
    }

    /// The URL clients and browsers reach Pier at: `BASE_URL`, else the listening address (`localhost` for a
    /// wildcard bind).
    public var publicBaseURL: String {
        if let baseURL {
            var b = baseURL
            while b.hasSuffix("/") { b.removeLast() }
            return b
        }
        let name = host == "0.0.0.0" || host == "::" ? "localhost" : host.contains(":") ? "[\(host)]" : host
        return "\(servesTLS ? "https" : "http")://\(name):\(port)"
    }

    /// `true` when Pier terminates TLS itself.
    public var servesTLS: Bool { tlsCertificateFile != nil }

    /// `true` when Pier listens on a loopback address only.
    public var isLoopback: Bool { host == "127.0.0.1" || host == "localhost" || host == "::1" }

    /// `(scheme, host, port?)` of a URL string.
    func baseURLParts(_ url: String) -> (scheme: String, host: String)? {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty else { return nil }
        return (scheme, authority.lowercased())
    }

    /// The catalogue sources of connector `connector`'s servers; `nil` (every source) when it names none.
    public func sources(of connector: ConnectorSettings) -> Set<String>? {
        guard !connector.servers.isEmpty else { return nil }
        return Set(connector.servers.map { name in upstreams.contains { $0.name == name } ? UpstreamSpec.source(for: name) : name })
    }

    /// The transport settings this configuration implies.
    public var httpConfiguration: MCPHTTPConfiguration {
        var c = MCPHTTPConfiguration()
        c.publicBaseURL = baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let base = baseURL.flatMap(baseURLParts)
        if let allowedHosts {
            c.allowedHosts = allowedHosts
        } else if isLoopback || base != nil {
            c.allowedHosts = ["localhost", "127.0.0.1", "[::1]"] + (base.map { [$0.host] } ?? [])
        } else {
            c.allowedHosts = ["*"]
        }
        c.corsOrigins = corsOrigins
        c.originExemptPrefixes.append("/upstreams/")
        // OAuth's metadata and its cookie-less endpoints answer any origin (browser-based clients register and
        // exchange codes from their own origin); /auth/authorize keeps the check (its form uses a cookie).
        c.originExemptPrefixes += ["/.well-known/", "/auth/token", "/auth/register", "/auth/revoke", "/auth/userinfo", "/auth/jwks.json"]
        c.allowedOrigins = base.map { ["\($0.scheme)://\($0.host)"] } ?? []
        c.allowLocalhostOrigins = isLoopback
        c.maxBodyBytes = maxBodyBytes
        c.responseMode = responseMode
        c.trustForwardedHeaders = trustForwardedHeaders
        c.keepAliveInterval = .milliseconds(Int(keepAliveSeconds * 1000))
        c.sessionIdleTimeout = .milliseconds(Int(sessionIdleSeconds * 1000))
        c.maxSessions = maxSessions
        return c
    }
}
