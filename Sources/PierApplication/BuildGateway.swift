public import Logging
import MCPClient
public import PierAdminAPI
import MCPCore
public import PierGateway
public import PierServer
public import PierUpstreamHTTP
import PierUpstreamStdio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The gateway and the HTTP client its remote upstreams share. Run `http` before `gateway` in the service group, so
/// that the upstreams stop before the client shuts down.
public struct BuiltGateway: Sendable {
    public let gateway: Gateway
    public let http: UpstreamHTTPClient
    /// Serves the widget assets of upstreams with an `assets` origin.
    public let assets: UpstreamAssetsEndpoint
    /// Makes upstreams for servers added later (the admin API).
    public let factory: UpstreamFactory
}

/// The gateway for the configured upstreams (`mcpServers`): one ``UpstreamService`` per entry (those disabled
/// in the file kept stopped), their transports chosen by ``UpstreamFactory``.
public func buildGateway(
    _ config: PierConfiguration, server: MCPServer, tasks: UpstreamTasks? = nil, environment: [String: String]? = nil, logger: Logger
) -> BuiltGateway {
    let http = UpstreamHTTPClient()
    let factory = UpstreamFactory(config: config, server: server, tasks: tasks, http: http, environment: environment ?? ProcessInfo.processInfo.environment, logger: logger)
    var services: [UpstreamService] = []
    var proxies: [String: AssetProxy] = [:]
    for settings in config.upstreams {
        let built = factory.make(settings)
        services.append(built.service)
        if let proxy = built.assets { proxies[settings.name] = proxy }
    }
    let stopped = Set(config.upstreams.filter { !$0.enabled }.map(\.name))
    return BuiltGateway(
        gateway: Gateway(upstreams: services, stopped: stopped, logger: logger), http: http, assets: UpstreamAssetsEndpoint(proxies: proxies), factory: factory)
}

/// Makes the running upstream for one server, from the config file or from the admin API: the one place where
/// its transports (a child process, Streamable HTTP, legacy SSE) are chosen.
public struct UpstreamFactory: UpstreamBuilder {
    let config: PierConfiguration
    let server: MCPServer
    let tasks: UpstreamTasks?
    let http: UpstreamHTTPClient
    let environment: [String: String]
    let logger: Logger
    let session: ClientSession.Configuration
    /// Shared by every stdio upstream (`MAX_CONCURRENT_SERVERS`).
    let childSlots: ConcurrencyGate

    init(config: PierConfiguration, server: MCPServer, tasks: UpstreamTasks?, http: UpstreamHTTPClient, environment: [String: String], logger: Logger) {
        self.config = config
        self.server = server
        self.tasks = tasks
        self.http = http
        self.environment = environment
        self.logger = logger
        self.session = ClientSession.Configuration(
            clientInfo: ["name": "pier", "title": "Pier", "version": .string(pierVersion)],
            capabilities: [
                "elicitation": ["form": [:]], "sampling": [:], "roots": [:],
                "extensions": ["io.modelcontextprotocol/ui": ["mimeTypes": ["text/html;profile=mcp-app"]]],
            ])
        self.childSlots = ConcurrencyGate(limit: config.maxConcurrentServers, queueLimit: 100_000)
    }

    /// The upstream for `settings`, and the proxy of its widget assets when it has an `assets` origin.
    func make(_ settings: UpstreamSettings) -> (service: UpstreamService, assets: AssetProxy?) {
        var spec = UpstreamSpec(
            name: settings.name, naming: ToolNaming(prefix: settings.effectivePrefix, separator: config.toolSeparator), description: settings.description,
            kind: "stdio", autoRestart: settings.autoRestart, timeout: .milliseconds(Int((settings.timeoutSeconds ?? config.serverTimeoutSeconds) * 1000)),
            maximumConcurrency: settings.maximumConcurrency, tools: NameFilter(include: settings.include, exclude: settings.exclude), transports: [])
        if let probe = settings.probeSeconds { spec.probeInterval = .milliseconds(Int(probe * 1000)) }
        if let restarts = settings.maximumRestarts { spec.policy.maximumRestarts = restarts }
        var proxy: AssetProxy?
        if let origin = settings.assets {
            spec.assets = AssetRewrite(
                upstreamOrigin: origin, publicPrefix: "\(config.publicBaseURL)/upstreams/\(settings.name)", publicOrigin: config.publicBaseURL)
            proxy = AssetProxy(origin: origin, client: http.client)
        }
        var processInfo: (@Sendable () -> (pid: Int32?, stderr: [String]))?
        switch settings.transport {
        case .stdio(let command, let arguments, let declared, let directory):
            let transport = StdioClientTransport(
                command: StdioCommand(
                    command: command, arguments: arguments, environment: ChildEnvironment.build(declared: declared, parent: environment),
                    workingDirectory: directory),
                serverName: settings.name, maximumMessageBytes: config.maxBodyBytes, logger: logger)
            spec.transports = [{ transport }]
            spec.isChildProcess = true
            processInfo = { (transport.pid, transport.stderr.lastLines(1_000)) }
        case .remote(let url, let type, let headers):
            let upstream = HTTPUpstream(
                url: url, headers: headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, maximumMessageBytes: config.maxBodyBytes, client: http.client)
            let streamable: UpstreamSpec.TransportFactory = { StreamableHTTPClientTransport(upstream: upstream, logger: logger) }
            let legacy: UpstreamSpec.TransportFactory = { LegacySSEClientTransport(upstream: upstream, logger: logger) }
            spec.kind = type
            switch type {
            case "http": spec.transports = [streamable]
            case "sse": spec.transports = [legacy]
            default: spec.transports = [streamable, legacy]
            }
        }
        let service = UpstreamService(
            spec: spec, server: server, configuration: session, childSlots: childSlots, tasks: tasks, processInfo: processInfo, logger: logger)
        return (service, proxy)
    }

    /// The upstream for a server added through the admin API.
    public func upstream(for definition: ServerDefinition) throws(AdminError) -> UpstreamService {
        let transport: UpstreamSettings.Transport
        switch definition.transport {
        case .stdio(let command, let arguments, let environment, let directory):
            transport = .stdio(command: command, arguments: arguments, environment: environment, workingDirectory: directory)
        case .remote(let url, let type, let headers):
            transport = .remote(url: url, type: type == "sse" ? "sse" : "http", headers: headers)
        case .git:
            throw .invalid("github_url", "a server from git runs once it is installed")
        }
        var settings = UpstreamSettings(name: definition.name, transport: transport)
        settings.prefix = definition.prefix
        settings.description = definition.description
        settings.enabled = definition.enabled
        settings.autoRestart = definition.autoRestart
        settings.timeoutSeconds = definition.timeoutSeconds
        settings.include = definition.include
        settings.exclude = definition.exclude
        return make(settings).service
    }

    /// A definition for the admin API's listing of a config-file server.
    static func definition(of settings: UpstreamSettings) -> ServerDefinition {
        let transport: ServerDefinition.Transport
        switch settings.transport {
        case .stdio(let command, let arguments, let environment, let directory):
            transport = .stdio(command: command, arguments: arguments, environment: environment, workingDirectory: directory)
        case .remote(let url, let type, let headers):
            transport = .remote(url: url, type: type == "sse" ? "sse" : "streamable-http", headers: headers)
        }
        var definition = ServerDefinition(name: settings.name, transport: transport)
        definition.description = settings.description
        definition.enabled = settings.enabled
        definition.autoRestart = settings.autoRestart
        definition.prefix = settings.prefix
        definition.timeoutSeconds = settings.timeoutSeconds
        definition.include = settings.include
        definition.exclude = settings.exclude
        return definition
    }
}
