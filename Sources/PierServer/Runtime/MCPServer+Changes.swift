import MCPCore
import Synchronization

extension MCPServer {
    /// Server events as they happen; the stream ends when the caller stops iterating.
    public func events() -> AsyncStream<ServerEvent> { hub.stream() }

    /// Adds or replaces a tool at run time, and tells clients the list changed.
    public func addTool(_ tool: ToolDefinition) throws(RegistrationError) {
        try registry.withLock { r throws(RegistrationError) in try r.insert(tool) }
        hub.publish(.toolsChanged)
    }

    /// Removes a tool; returns whether it was there.
    @discardableResult
    public func removeTool(named name: String) -> Bool {
        let removed = registry.withLock { $0.removeTool(name) }
        if removed { hub.publish(.toolsChanged) }
        return removed
    }

    /// Adds or replaces a resource at run time.
    public func addResource(_ resource: ResourceDefinition) {
        registry.withLock { $0.insert(resource) }
        hub.publish(.resourcesChanged)
    }

    /// Removes a resource; returns whether it was there.
    @discardableResult
    public func removeResource(uri: String) -> Bool {
        let removed = registry.withLock { $0.removeResource(uri) }
        if removed { hub.publish(.resourcesChanged) }
        return removed
    }

    /// Adds or replaces a prompt at run time.
    public func addPrompt(_ prompt: PromptDefinition) {
        registry.withLock { $0.insert(prompt) }
        hub.publish(.promptsChanged)
    }

    /// Removes a prompt; returns whether it was there.
    @discardableResult
    public func removePrompt(named name: String) -> Bool {
        let removed = registry.withLock { $0.removePrompt(name) }
        if removed { hub.publish(.promptsChanged) }
        return removed
    }

    /// Tells clients subscribed to `uri` that its contents changed.
    public func resourceUpdated(uri: String) { hub.publish(.resourceUpdated(uri: uri)) }
}

extension Registry {
    mutating func insert(_ tool: ToolDefinition) throws(RegistrationError) {
        if let problem = tool.registrationProblem { throw RegistrationError(message: problem) }
        tools[tool.name] = tool
        indexTools()
    }

    mutating func removeTool(_ name: String) -> Bool {
        guard tools.removeValue(forKey: name) != nil else { return false }
        indexTools()
        return true
    }

    mutating func insert(_ resource: ResourceDefinition) {
        resources[resource.uri] = resource
        indexResources()
    }

    mutating func removeResource(_ uri: String) -> Bool {
        guard resources.removeValue(forKey: uri) != nil else { return false }
        indexResources()
        return true
    }

    mutating func insert(_ prompt: PromptDefinition) {
        prompts[prompt.name] = prompt
        indexPrompts()
    }

    mutating func removePrompt(_ name: String) -> Bool {
        guard prompts.removeValue(forKey: name) != nil else { return false }
        indexPrompts()
        return true
    }
}
