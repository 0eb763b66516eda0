public import Hummingbird
import Logging
import MCPCore
import PierApps
import PierHTTP
import PierServer

/// Pier's version string.
public let pierVersion = "0.1.0"

/// Builds the Pier application from its configuration: the apps, the MCP runtime, the HTTP routes and every
/// long-running service. This is the one place where the parts are chosen and put together.
public func buildApplication(_ config: PierConfiguration, logger: Logger, http: MCPHTTPConfiguration? = nil) throws -> some ApplicationProtocol {
    let server = try buildServer(config, logger: logger)
    let endpoint = MCPEndpoint(server: server, configuration: http ?? config.httpConfiguration, logger: logger)
    let router = buildRouter(endpoint: endpoint)
    var app = Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: [InputClosedTracker()])),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Pier/\(pierVersion)"),
        logger: logger)
    app.addServices(endpoint.sessionReaper, endpoint.callWatcher)
    return app
}

/// The MCP runtime with the configured apps.
public func buildServer(_ config: PierConfiguration, logger: Logger) throws -> MCPServer {
    let apps: [MCPApp] = config.apps.map { name in
        switch name {
        case "conformance": ConformanceApp.make()
        default: DemoApp.make()
        }
    }
    return try MCPServer(
        info: Implementation(name: "pier", version: pierVersion, title: "Pier"),
        instructions: "Pier hosts MCP tools and widget apps. Call tools/list to see what is available.",
        apps: apps,
        configuration: ServerConfiguration(pageSize: config.pageSize),
        logger: logger)
}

/// The HTTP routes: the edge checks, `/health`, and the MCP endpoint.
public func buildRouter(endpoint: MCPEndpoint) -> Router<PierRequestContext> {
    let router = Router(context: PierRequestContext.self)
    router.add(middleware: EdgeMiddleware(configuration: endpoint.configuration))
    router.get("/health") { _, _ in
        HealthStatus(status: "ok", version: pierVersion, sessions: endpoint.liveSessionCount)
    }
    endpoint.addRoutes(to: router)
    return router
}

struct HealthStatus: ResponseEncodable {
    let status: String
    let version: String
    let sessions: Int
}
