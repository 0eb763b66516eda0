import PierConsole
import PierGateway
import PierHTTP
import PierServer

/// What Pier's own pages show of the catalogue, the endpoints and the upstreams.
enum ConsoleViews {
    static func overview(config: PierConfiguration, server: MCPServer, endpoints: [MCPEndpoint], gateway: Gateway, dashboard: Bool) -> ConsoleOverview {
        let optional = Set(config.authOptional)
        let shown = endpoints.map { endpoint in
            let path = endpoint.configuration.endpointPath
            return ConsoleOverview.Endpoint(
                name: path == "/mcp" ? "main" : endpoint.view.name, path: path, tools: server.tools(in: endpoint.view).count,
                readOnly: endpoint.view.readOnly, signInRequired: config.authMode != "none" && !optional.contains(path))
        }
        let upstreams = gateway.statuses.map { status in
            ConsoleOverview.Source(name: status.name, kind: .upstream, state: status.phase.description, tools: status.tools)
        }
        return ConsoleOverview(
            version: pierVersion, authMode: config.authMode, endpoints: shown, sources: apps(config: config, server: server) + upstreams,
            playground: config.playground, dashboard: dashboard)
    }

    /// Pier's own apps (the configured ones in order, then any other source of tools) with their tool counts.
    static func apps(config: PierConfiguration, server: MCPServer) -> [ConsoleOverview.Source] {
        var counts: [String: Int] = [:]
        for tool in server.tools(in: .everything) where !tool.source.hasPrefix(UpstreamSpec.sourcePrefix) { counts[tool.source, default: 0] += 1 }
        var apps = config.apps.map { ConsoleOverview.Source(name: $0, kind: .app, state: "running", tools: counts[$0] ?? 0) }
        for (name, tools) in counts.sorted(by: { $0.key < $1.key }) where !config.apps.contains(name) {
            apps.append(ConsoleOverview.Source(name: name, kind: .app, state: "running", tools: tools))
        }
        return apps
    }
}
