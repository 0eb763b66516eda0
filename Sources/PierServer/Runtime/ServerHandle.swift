public import MCPCore

/// What a handler may do with the server running it (``MCPRequestContext/server``): read its figures and the tools
/// the caller can see, and change what it offers. Nothing here reaches the transports or another caller's view.
public struct ServerHandle: Sendable {
    let runtime: MCPServer
    let view: CatalogView
    let principal: Principal?

    /// The server's implementation info.
    public var info: Implementation { runtime.info }

    /// Uptime, what is registered, and the tool calls so far.
    public var statistics: ServerStatistics { runtime.statistics }

    /// The tools the caller can see through its view, in list order.
    public var tools: [ToolEntry] { runtime.tools(in: view, principal: principal) }

    /// Adds a tool at run time (to ``MCPServer/runtimeSource``); clients hear that the list changed.
    /// - Throws: ``RegistrationError`` for a malformed tool or a name another source serves.
    public func addTool(_ tool: ToolDefinition) throws(RegistrationError) { try runtime.addTool(tool) }

    /// Removes a tool; returns whether it was there.
    @discardableResult
    public func removeTool(named name: String) -> Bool { runtime.removeTool(named: name) }

    /// Tells clients subscribed to `uri` that its contents changed.
    public func resourceUpdated(uri: String) { runtime.resourceUpdated(uri: uri) }
}
