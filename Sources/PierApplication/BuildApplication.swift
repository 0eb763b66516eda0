import Foundation
public import Hummingbird
public import Logging
import MCPCore
import PierAdminAPI
import PierAuthHTTP
import PierConsole
import PierTelemetry
import PierApps
public import PierHTTP
public import PierServer
public import PierGateway
public import PierStore
import PierStorePostgres
import PierStoreSQLite
import PierStdio
import PierWeb
public import PierWidgets
import UnixSignals
public import ServiceLifecycle

/// Pier's version string.
public let pierVersion = "0.1.0"

/// Builds the Pier application from its configuration: the store, the apps, the MCP runtime, the HTTP routes and
/// every long-running service. This is the one place where the parts are chosen and put together.
public func buildApplication(
    _ config: PierConfiguration, logger: Logger, http: MCPHTTPConfiguration? = nil, extraApps: [AppFactory] = []
) throws -> some ApplicationProtocol {
    // First, before anything that must be shut down exists: an unusable certificate stops start-up here.
    let certificates = try config.tlsCertificateFile.map { file throws(TLSSetupError) in try TLSCertificates(certificateFile: file, keyFile: config.tlsKeyFile ?? "") }
    if config.metrics { PrometheusBackend.bootstrap() }
    let tracing = OTLPTracing.isConfigured() ? try OTLPTracing.bootstrap(serviceName: ProcessInfo.processInfo.environment["OTEL_SERVICE_NAME"] ?? "pier") : nil
    var storage = try buildStorage(config, logger: logger)
    // PostgreSQL joins the instances on it; SQLite has one.
    let cluster = storage.postgres.map { PostgresClusterBus(instance: InstancePresence.newID(), store: $0, logger: logger) }
    if config.metrics || tracing != nil {
        storage = PierStorage(backend: MeteredStore(storage.backend, tracing: tracing != nil), service: storage.service, rateLimits: storage.rateLimits)
    }
    let activity = ActivityRecorder(store: storage.backend, logger: logger)
    let built = try buildServer(
        config, store: storage.backend, logger: logger, extraApps: extraApps, callObserver: config.activityCalls ? activity.record : nil, tracing: tracing != nil,
        cluster: cluster)
    let disconnects = DisconnectMonitor()
    let transport = {
        var transport = http ?? config.httpConfiguration
        // Legacy sessions live in the store, so every instance on it serves every session id.
        transport.sessionDirectory = StoreSessionDirectory(store: storage.backend)
        transport.cluster = cluster
        return transport
    }()
    let auth = try buildAuth(config, store: storage.backend, logger: logger)
    let sharedLimits = storage.rateLimits.map { StoreRateLimiter(store: $0, logger: logger) }
    let limits = callerLimits(config, limiter: sharedLimits ?? LocalRateLimiter())
    let endpoint = MCPEndpoint(server: built.server, configuration: transport, disconnects: disconnects, access: auth?.access, limits: limits, logger: logger)
    let connectors = connectorEndpoints(
        config, server: built.server, transport: transport, disconnects: disconnects, access: auth?.access, limits: limits, logger: logger)
    let gateway = buildGateway(config, server: built.server, tasks: built.upstreamTasks, logger: logger)
    let manager = buildServerManager(config, store: storage.backend, gateway: gateway, cluster: cluster, logger: logger)
    var admin = try buildAdmin(config, store: storage.backend, manager: manager, server: built.server, endpoints: [endpoint] + connectors, logger: logger)
    if config.rateLimitPerMinute > 0 { admin.api.rateLimit = (sharedLimits ?? LocalRateLimiter(), RateLimit(perMinute: config.rateLimitPerMinute)) }
    let pages = try ConsolePages()
    let router = try buildRouter(
        endpoint: endpoint, connectors: connectors, gateway: gateway.gateway, assets: built.assets.merging(pages.assets), playground: config.playground,
        metrics: config.metrics, tracing: OTLPTracing.isConfigured())
    let everyEndpoint = [endpoint] + connectors
    if config.metrics {
        let gauges = ScrapeGauges(gateway: gateway.gateway, endpoints: everyEndpoint)
        let api = admin.api
        let access: MetricsEndpoint<PierRequestContext>.Access =
            config.isLoopback || config.metricsPublic ? .open : .restricted { request, context in await api.admits(request, context: context) }
        MetricsEndpoint(access: access, refresh: gauges.refresh).addRoutes(to: router)
    }
    Readiness(store: storage.backend, gateway: gateway.gateway, logger: logger).addRoutes(to: router)
    let publicURL = PublicURL(baseURL: transport.publicBaseURL, trustForwarded: config.trustForwardedHeaders)
    LandingPage(pages: pages, url: publicURL) { [gateway] in
        ConsoleViews.overview(config: config, server: built.server, endpoints: everyEndpoint, gateway: gateway.gateway, dashboard: config.dashboard)
    }.addRoutes(to: router)
    if config.dashboard {
        let data = DashboardViews.data(
            config: config, server: built.server, endpoints: everyEndpoint, gateway: gateway.gateway, manager: manager, store: storage.backend,
            authorization: auth?.server?.service, logger: logger)
        Dashboard(pages: pages, data: data, sessions: DashboardSessions(store: storage.backend), url: publicURL).addRoutes(to: router)
    }
    gateway.assets.addRoutes(to: router)
    admin.api.addRoutes(to: router)
    auth?.addRoutes(to: router)
    var app = Application(
        router: router,
        server: try certificates.map { try disconnects.tls(certificates: $0, http2: config.http2) } ?? disconnects.http1(),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Pier/\(pierVersion)"),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? config.port
            let host = config.host == "0.0.0.0" || config.host == "::" ? "127.0.0.1" : config.host
            let scheme = certificates == nil ? "http" : "https"
            let url = transport.publicBaseURL ?? "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
            logger.notice("Pier is serving: open \(url)/ in a browser; MCP clients connect to \(url)/mcp")
        },
        logger: logger)
    if let service = storage.service { app.addServices(service) }
    if let sharedLimits { app.addServices(sharedLimits) }
    if let tracing { app.addServices(tracing) }
    if let certificates { app.addServices(CertificateReloader(certificates: certificates, logger: logger)) }
    let store = storage.backend
    let policy = StoreMaintenance.Policy(
        activityRetention: .seconds(config.activityRetentionDays * 86_400), sessionIdle: .seconds(config.sessionIdleSeconds))
    // Services that query the store's tables from their start wait until `prepare` has found the schema current.
    let storeReady = CancelSignal()
    for connector in connectors { app.addServices(connector.sessionReaper, connector.eventFanout) }
    app.addServices(endpoint.sessionReaper, endpoint.eventFanout, TaskService(server: built.server))
    app.addServices(AfterStoreReady.each(built.presence, StoreMaintenance(store: store, policy: policy, logger: logger), after: storeReady))
    app.addServices(activity, gateway.http, gateway.gateway)
    app.addServices(AfterStoreReady.each(manager, after: storeReady))
    if let cluster { app.addServices(cluster, ClusterLink(bus: cluster, server: built.server, endpoints: everyEndpoint, manager: manager)) }
    let migrate = config.migrateOnStart
    app.beforeServerStarts {
        try await prepare(store, migrate: migrate, logger: logger)
        storeReady.fire()
        try await bootstrapUser(config, store: store, logger: logger)
        try await bootstrapClient(config, store: store, logger: logger)
    }
    return app
}

/// The chosen store and, for PostgreSQL, the connection pool to run as a service and the rate-limit buckets every
/// instance shares.
public struct PierStorage: Sendable {
    public let backend: any StoreBackend
    public let service: (any Service)?
    public var rateLimits: (any RateLimitStore)? = nil
    /// The PostgreSQL store itself (under any metering wrapper), whose `LISTEN`/`NOTIFY` joins the instances.
    var postgres: PostgresStore? = nil
}

/// The MCP endpoints' rate limits, or `nil` when both are off.
func callerLimits(_ config: PierConfiguration, limiter: any RateLimiter) -> CallerLimits? {
    let perCaller = config.rateLimitPerMinute > 0 ? RateLimit(perMinute: config.rateLimitPerMinute) : nil
    let perTool = config.toolRateLimit > 0 ? RateLimit(perMinute: config.toolRateLimit) : nil
    guard perCaller != nil || perTool != nil else { return nil }
    return CallerLimits(limiter: limiter, perCaller: perCaller, perTool: perTool, trustForwarded: config.trustForwardedHeaders)
}

/// PostgreSQL when configured, else SQLite in the data directory (created on first use).
public func buildStorage(_ config: PierConfiguration, logger: Logger) throws -> PierStorage {
    if let postgres = config.postgres {
        let store = PostgresStore(settings: postgres, logger: logger)
        return PierStorage(backend: store, service: store.client, rateLimits: store, postgres: store)
    }
    return PierStorage(backend: try SQLiteStore(path: config.sqlitePath), service: nil)
}

/// Runs migrations, or, when start-up must not migrate, checks that the schema is current.
public func prepare(_ store: any StoreBackend, migrate: Bool, logger: Logger) async throws {
    if migrate {
        try await store.migrate()
    }
    let version = try await store.schemaVersion()
    guard version.applied == version.known else {
        let advice = version.applied < version.known ? "run `pier migrate`" : "upgrade Pier"
        throw StoreError(.schemaTooNew, "the \(store.name) database is at schema version \(version.applied), this Pier expects \(version.known); \(advice)")
    }
    logger.info("store ready", metadata: ["backend": "\(store.name)", "schema": "\(version.applied)"])
}

/// The connectors' endpoints: the built-in read-only one, then those configured, each at
/// `/connectors/<name>/mcp` on the same server.
public func connectorEndpoints(
    _ config: PierConfiguration, server: MCPServer, transport: MCPHTTPConfiguration, disconnects: DisconnectMonitor?, access: (any EndpointAccess)? = nil,
    limits: CallerLimits? = nil, logger: Logger
) -> [MCPEndpoint] {
    let readOnly = CatalogView(
        name: ConnectorSettings.builtInReadOnly, readOnly: true,
        info: Implementation(name: "pier-readonly", version: pierVersion, title: "Pier (read-only)"),
        instructions: "Pier's read-only connector: only tools that change nothing.")
    let views = [readOnly] + config.connectors.map { $0.view(sources: config.sources(of: $0)) }
    return views.map { view in
        var configuration = transport
        configuration.endpointPath = "/connectors/\(view.name)/mcp"
        return MCPEndpoint(server: server, view: view, configuration: configuration, disconnects: disconnects, access: access, limits: limits, logger: logger)
    }
}

/// The HTTP routes: the edge checks, `/health`, the MCP endpoint and the connectors', widget assets and the
/// playground.
public func buildRouter(
    endpoint: MCPEndpoint, connectors: [MCPEndpoint] = [], gateway: Gateway? = nil, assets: AssetCatalog = AssetCatalog(), playground: Bool = false,
    metrics: Bool = false, tracing: Bool = false
) throws -> Router<PierRequestContext> {
    let router = Router(context: PierRequestContext.self)
    // Outermost, so that the edge's refusals are counted (and traced) too.
    if metrics { router.add(middleware: HTTPMetricsMiddleware()) }
    // A span per HTTP request, continuing the caller's `traceparent`; the MCP span is its child.
    if tracing { router.add(middleware: TracingMiddleware()) }
    router.add(middleware: EdgeMiddleware(configuration: endpoint.configuration))
    router.get("/health") { _, _ in
        HealthStatus(
            status: "ok", version: pierVersion, sessions: connectors.reduce(endpoint.liveSessionCount) { $0 + $1.liveSessionCount },
            upstreams: (gateway?.statuses ?? []).map { UpstreamHealth(name: $0.name, state: $0.phase.description, tools: $0.tools) },
            connectors: ([endpoint] + connectors).map {
                ConnectorHealth(path: $0.configuration.endpointPath, tools: $0.server.tools(in: $0.view).count)
            })
    }
    endpoint.addRoutes(to: router)
    for connector in connectors { connector.addRoutes(to: router) }
    var catalog = assets
    if playground {
        let page = try PlaygroundEndpoint()
        page.addRoutes(to: router)
        catalog = catalog.merging(page.assets)
    }
    AssetEndpoint(catalog: catalog).addRoutes(to: router)
    return router
}

struct HealthStatus: ResponseEncodable {
    let status: String
    let version: String
    let sessions: Int
    /// Each upstream's state and tool count (no reasons or stderr: `/health` answers anyone).
    let upstreams: [UpstreamHealth]
    /// The tools each endpoint lists (clients cap them: Cursor at 40, VS Code and the OpenAI API at 128).
    let connectors: [ConnectorHealth]
}

struct ConnectorHealth: Codable {
    let path: String
    let tools: Int
}

struct UpstreamHealth: Codable {
    let name: String
    let state: String
    let tools: Int
}

/// Serves the configured apps on stdin/stdout until input ends (`pier serve --stdio`). Logs go to stderr.
public func runStdio(_ config: PierConfiguration, logger: Logger, extraApps: [AppFactory] = []) async throws {
    let storage = try buildStorage(config, logger: logger)
    // Nothing serves /assets over stdio, so widgets carry their assets inline.
    var inline = config
    inline.widgets.inlineAssets = true
    let built = try buildServer(inline, store: storage.backend, logger: logger, extraApps: extraApps)
    let server = built.server
    let gateway = buildGateway(config, server: server, tasks: built.upstreamTasks, logger: logger)
    let manager = buildServerManager(config, store: storage.backend, gateway: gateway, logger: logger)
    let storeReady = CancelSignal()
    let session = StdioSession(
        store: storage.backend, storeReady: storeReady,
        transport: StdioTransport(server: server, logger: logger, maximumMessageBytes: config.maxBodyBytes), gateway: gateway.gateway, logger: logger)
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
    if let pool = storage.service { services.append(.init(service: pool)) }
    services.append(.init(service: TaskService(server: server)))
    services.append(contentsOf: AfterStoreReady.each(built.presence, after: storeReady).map { .init(service: $0) })
    services.append(.init(service: gateway.http))
    services.append(.init(service: gateway.gateway))
    services.append(contentsOf: AfterStoreReady.each(manager, after: storeReady).map { .init(service: $0) })
    // End of input ends the session, and with it the whole group.
    services.append(.init(service: session, successTerminationBehavior: .gracefullyShutdownGroup))
    let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
}

/// Prepares the store, lets the upstreams connect, then serves stdin/stdout.
struct StdioSession: Service {
    let store: any StoreBackend
    /// Fired once the store is prepared (see ``AfterStoreReady``).
    let storeReady: CancelSignal
    let transport: StdioTransport
    let gateway: Gateway
    let logger: Logger

    func run() async throws {
        try await prepare(store, migrate: true, logger: logger)
        storeReady.fire()
        await gateway.waitUntilSettled(timeout: .seconds(15))
        try await transport.run()
    }
}
