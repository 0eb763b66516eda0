public import Logging
import MCPClient
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
}

/// The gateway for the configured upstreams (`mcpServers`): one ``UpstreamService`` per enabled entry, their
/// transports chosen here (the gateway itself sees only `ClientTransport`).
public func buildGateway(
    _ config: PierConfiguration, server: MCPServer, tasks: UpstreamTasks? = nil, environment: [String: String]? = nil, logger: Logger
) -> BuiltGateway {
    let http = UpstreamHTTPClient()
    let environment = environment ?? ProcessInfo.processInfo.environment
    let session = ClientSession.Configuration(
        clientInfo: ["name": "pier", "title": "Pier", "version": .string(pierVersion)],
        capabilities: [
            "elicitation": ["form": [:]], "sampling": [:], "roots": [:],
            "extensions": ["io.modelcontextprotocol/ui": ["mimeTypes": ["text/html;profile=mcp-app"]]],
        ])
    let childSlots = ConcurrencyGate(limit: config.maxConcurrentServers, queueLimit: 100_000)
    var services: [UpstreamService] = []
    var proxies: [String: AssetProxy] = [:]
    for settings in config.upstreams where settings.enabled {
        var spec = UpstreamSpec(
            name: settings.name, naming: ToolNaming(prefix: settings.effectivePrefix, separator: config.toolSeparator), description: settings.description,
            kind: "stdio", autoRestart: settings.autoRestart, timeout: .milliseconds(Int((settings.timeoutSeconds ?? config.serverTimeoutSeconds) * 1000)),
            maximumConcurrency: settings.maximumConcurrency, tools: NameFilter(include: settings.include, exclude: settings.exclude), transports: [])
        if let probe = settings.probeSeconds { spec.probeInterval = .milliseconds(Int(probe * 1000)) }
        if let restarts = settings.maximumRestarts { spec.policy.maximumRestarts = restarts }
        if let origin = settings.assets {
            spec.assets = AssetRewrite(
                upstreamOrigin: origin, publicPrefix: "\(config.publicBaseURL)/upstreams/\(settings.name)", publicOrigin: config.publicBaseURL)
            proxies[settings.name] = AssetProxy(origin: origin, client: http.client)
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
            processInfo = { (transport.pid, transport.stderr.lastLines(20)) }
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
        services.append(
            UpstreamService(spec: spec, server: server, configuration: session, childSlots: childSlots, tasks: tasks, processInfo: processInfo, logger: logger))
    }
    return BuiltGateway(gateway: Gateway(upstreams: services, logger: logger), http: http, assets: UpstreamAssetsEndpoint(proxies: proxies))
}
