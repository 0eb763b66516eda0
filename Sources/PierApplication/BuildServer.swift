public import Logging
import MCPCore
import PierAuth
import PierApps
public import PierGateway
public import PierServer
public import PierStore
public import PierWidgets

/// The MCP runtime and the assets its widgets need served.
public struct BuiltServer: Sendable {
    public let server: MCPServer
    public let assets: AssetCatalog
    public let widgets: WidgetKit
    /// Routes `tasks/*` for tasks upstream servers run; the gateway files them here.
    public let upstreamTasks: UpstreamTasks
    /// This instance's mark in the store, by which others tell that its tasks died with it; run it as a service.
    let presence: InstancePresence
}

/// The MCP runtime with the configured apps and any `extraApps`; the cart keeps its state in `store`.
/// - Throws: ``WidgetError`` when a widget names a missing asset, ``RegistrationError`` for a malformed tool.
public func buildServer(
    _ config: PierConfiguration, store: any StateStore, logger: Logger, extraApps: [AppFactory] = [], callObserver: (@Sendable (CallRecord) -> Void)? = nil,
    tracing: Bool = false, cluster: (any ClusterBus)? = nil
) throws -> BuiltServer {
    let library = try WidgetLibrary()
    let assets = extraApps.reduce(library.assets) { $0.merging($1.assets) }
    let kit = WidgetKit(settings: config.widgets.settings(baseURL: config.publicBaseURL), assets: assets)
    // The gallery lists every widget, so it is built after the others.
    let order = ["demo", "cart", "dashboard", "lab", "conformance", "extra", "gallery"]
    var apps: [MCPApp] = []
    for name in order where config.apps.contains(name) || name == "extra" {
        switch name {
        case "demo": apps.append(DemoApp.make())
        case "cart": apps.append(try CartApp.make(kit: kit, library: library, store: store))
        case "dashboard": apps.append(try DashboardApp.make(kit: kit, library: library, serverName: "Pier", version: pierVersion))
        case "lab": apps.append(try LabApp.make(kit: kit, library: library))
        case "conformance": apps.append(ConformanceApp.make())
        case "extra": for factory in extraApps { apps.append(try factory.make(kit, store)) }
        default: apps.append(try GalleryApp.make(kit: kit, library: library))
        }
    }
    let upstreamTasks = UpstreamTasks()
    let presence = cluster.map { InstancePresence(id: $0.instance, store: store, logger: logger) } ?? InstancePresence(store: store, logger: logger)
    var runtime = ServerConfiguration(pageSize: config.pageSize, stateSecret: config.stateSecret.map { Array($0.utf8) })
    runtime.callObserver = callObserver
    // A requestState is single-use across every instance on the store.
    runtime.nonceLedger = StoreNonceLedger(store: store)
    runtime.tracing = tracing
    // With a bus, a task's relay is woken when another instance leaves it a message; the timer only catches one
    // whose message was missed.
    if cluster != nil { runtime.taskRelayIntervalMilliseconds = 2_000 }
    runtime.logArguments = config.logArguments && config.logLevel == .trace
    if config.authMode != "none" {
        let policy = ScopePolicy(overrides: config.toolScopes, optional: !config.authOptional.isEmpty)
        runtime.toolDescriptors = { name, descriptor, readOnly in policy.describe(name, descriptor, readOnly: readOnly) }
    }
    let server = try MCPServer(
        info: Implementation(name: "pier", version: pierVersion, title: "Pier"),
        instructions: "Pier hosts MCP tools and widget apps. Call tools/list to see what is available.",
        apps: apps,
        configuration: runtime,
        taskLedger: StoreTaskLedger(store: store, presence: presence, cluster: cluster), taskRouters: [upstreamTasks], logger: logger)
    return BuiltServer(server: server, assets: assets, widgets: kit, upstreamTasks: upstreamTasks, presence: presence)
}
