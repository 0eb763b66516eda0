import Logging
import MCPCore
public import PierAdminAPI
import PierAuth
import PierGateway
import PierHTTP
import PierServer
import PierStore
import PierUpstreamStdio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The control plane: the registry applied to the gateway, and the admin API over it.
public struct BuiltAdmin: Sendable {
    /// Run it in the service group after the gateway (it stops first).
    public let manager: ServerManager
    public var api: AdminAPI
}

/// The server manager for the gateway, with the policy and installer the configuration sets.
func buildServerManager(
    _ config: PierConfiguration, store: any StoreBackend, gateway: BuiltGateway, cluster: (any ClusterBus)? = nil, logger: Logger
) -> ServerManager {
    let policy = ServerPolicy(
        allowedCommands: config.allowedCommands, allowedEnvironment: Set(config.allowedEnvironment), refusedEnvironment: { ChildEnvironment.isRefused($0) })
    let parent = ProcessInfo.processInfo.environment
    var installEnvironment: [String: String] = [:]
    for name in ["PATH", "HOME", "LANG", "TMPDIR", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_NO_INDEX", "PIP_CACHE_DIR"] {
        if let value = parent[name] { installEnvironment[name] = value }
    }
    let timeout = Duration.milliseconds(Int(config.installTimeoutSeconds * 1000))
    let installer = GitInstaller(
        root: absolutePath(config.dataDirectory), python: config.python, environment: installEnvironment,
        run: { step in
            let outcome = try await CommandRunner.run(
                StdioCommand(command: step.program, arguments: step.arguments, environment: step.environment, workingDirectory: step.directory), timeout: timeout)
            return (outcome.exitCode, outcome.output)
        })
    var settings = ServerManager.Settings()
    settings.pollInterval = .milliseconds(Int(config.registryPollSeconds * 1000))
    settings.installTimeout = timeout
    if let cluster { settings.announce = { await cluster.publish(ClusterMessage(.registryChanged, [:])) } }
    return ServerManager(
        store: store, gateway: gateway.gateway, builder: gateway.factory, policy: policy, configured: config.upstreams.map(UpstreamFactory.definition(of:)),
        installer: installer, settings: settings, logger: logger)
}

/// The admin API over `manager`.
/// - Throws: ``ConfigurationError`` for a bootstrap key shorter than 32 characters.
func buildAdmin(
    _ config: PierConfiguration, store: any StoreBackend, manager: ServerManager, server: MCPServer, endpoints: [MCPEndpoint], logger: Logger
) throws(ConfigurationError) -> BuiltAdmin {
    let keys: APIKeys
    do {
        keys = try APIKeys(store: store, bootstrapKey: config.adminAPIKey, limiter: FailureLimiter(limit: config.adminAuthFailuresPerMinute))
    } catch {
        throw ConfigurationError(key: "PIER_ADMIN_API_KEY", expected: "at least 32 characters", got: "shorter")
    }
    let views = AdminViews.make(server: server, endpoints: endpoints, publicBaseURL: config.publicBaseURL)
    return BuiltAdmin(manager: manager, api: AdminAPI(keys: keys, manager: manager, store: store, views: views, trustForwarded: config.trustForwardedHeaders, logger: logger))
}

/// `path` made absolute against the working directory.
func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    let base = FileManager.default.currentDirectoryPath
    let relative = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    return base + "/" + relative
}
