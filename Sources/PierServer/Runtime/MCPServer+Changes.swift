import MCPCore
import PierSync

extension MCPServer {
    /// Server events as they happen; the stream ends when the caller stops iterating.
    public func events() -> AsyncStream<ServerEvent> { hub.stream() }

    /// The events published by this instance only (not those ``receiveClusterEvent(_:)`` brought in): what a
    /// ``ClusterBus`` passes on to the other instances.
    public func localEvents() -> AsyncStream<ServerEvent> { hub.stream(localOnly: true) }

    /// An event another instance published (a resource it changed): this instance's clients hear it as their own,
    /// and it is not passed on again.
    public func receiveClusterEvent(_ event: ServerEvent) { hub.publish(event, remote: true) }

    /// Server events as they happen, numbered, and the number of the last one before them: for a transport that
    /// announces a change before the answer of the call that made it (see ``EventCursor``).
    public func numberedEvents() -> (events: AsyncStream<NumberedEvent>, after: Int) { hub.numberedStream() }

    /// The number of the last event published (0 before the first).
    public var lastEventNumber: Int { hub.lastNumber }

    /// Replaces everything `source` serves with `entries` in one step (an empty set removes the source): the lists
    /// are re-indexed once, and clients hear one change per kind whose descriptors changed.
    /// - Throws: ``RegistrationError`` when a name or URI repeats within `entries` or belongs to another source;
    ///   nothing changes then.
    public func replace(source: String, with entries: CatalogEntries) throws(RegistrationError) {
        let entries = try decorated(entries)
        let events = try catalog.withLock { c throws(RegistrationError) in try c.replace(source: source, with: entries) }
        for event in events { hub.publish(event) }
    }

    /// `entries` with ``ServerConfiguration/toolDescriptors`` applied to each tool.
    func decorated(_ entries: CatalogEntries) throws(RegistrationError) -> CatalogEntries {
        try Self.decorated(entries, with: configuration)
    }

    static func decorated(_ entries: CatalogEntries, with configuration: ServerConfiguration) throws(RegistrationError) -> CatalogEntries {
        guard let rewrite = configuration.toolDescriptors else { return entries }
        var out = entries
        out.tools = []
        for tool in entries.tools { out.tools.append(try ToolEntry(name: tool.name, descriptor: rewrite(tool.name, tool.descriptor, tool.isReadOnly), call: tool.call)) }
        return out
    }

    /// What `source` serves now (empty for an unknown source).
    public func entries(of source: String) -> CatalogEntries { catalog.withLock { $0.sources[source] } ?? CatalogEntries() }

    /// The sources that serve something, sorted.
    public var sources: [String] { catalog.withLock { $0.sources.keys.sorted() } }

    /// Changes one source's set under the lock, then publishes what changed.
    func edit(_ source: String, _ change: (inout CatalogEntries) throws(RegistrationError) -> Bool) throws(RegistrationError) -> Bool {
        let (changed, events) = try catalog.withLock { c throws(RegistrationError) -> (Bool, [ServerEvent]) in
            var entries = c.sources[source] ?? CatalogEntries()
            guard try change(&entries) else { return (false, []) }
            return (true, try c.replace(source: source, with: try decorated(entries)))
        }
        for event in events { hub.publish(event) }
        return changed
    }

    /// Adds a tool to `source` (by default ``runtimeSource``), replacing one of the same name there.
    /// - Throws: ``RegistrationError`` when another source serves a tool of that name.
    public func addTool(_ entry: ToolEntry, source: String = MCPServer.runtimeSource) throws(RegistrationError) {
        try upsert(entry, in: source, kind: \.tools, key: \.name)
    }

    /// Adds a tool defined the typed way, with Pier's local policy (see ``MCPApp``).
    /// - Throws: ``RegistrationError`` for a malformed tool or one another source serves.
    public func addTool(_ tool: ToolDefinition) throws(RegistrationError) { try addTool(try tool.entry()) }

    /// Removes a tool from whichever source serves it; returns whether it was there.
    @discardableResult
    public func removeTool(named name: String) -> Bool {
        remove(catalog.withLock { $0.tools[name]?.source }, \.tools) { $0.name == name }
    }

    /// Adds or replaces a resource in ``runtimeSource``.
    /// - Throws: ``RegistrationError`` when another source serves that URI.
    public func addResource(_ resource: ResourceDefinition) throws(RegistrationError) {
        try upsert(resource.entry(), in: Self.runtimeSource, kind: \.resources, key: \.uri)
    }

    /// Removes a resource from whichever source serves it; returns whether it was there.
    @discardableResult
    public func removeResource(uri: String) -> Bool {
        remove(catalog.withLock { $0.resources[uri]?.source }, \.resources) { $0.uri == uri }
    }

    /// Adds or replaces a prompt in ``runtimeSource``.
    /// - Throws: ``RegistrationError`` when another source serves that name.
    public func addPrompt(_ prompt: PromptDefinition) throws(RegistrationError) {
        try upsert(prompt.entry(), in: Self.runtimeSource, kind: \.prompts, key: \.name)
    }

    /// Removes a prompt from whichever source serves it; returns whether it was there.
    @discardableResult
    public func removePrompt(named name: String) -> Bool {
        remove(catalog.withLock { $0.prompts[name]?.source }, \.prompts) { $0.name == name }
    }

    /// Puts `entry` into `source`'s entries of one kind, in place of one with the same key.
    private func upsert<Entry>(
        _ entry: Entry, in source: String, kind: WritableKeyPath<CatalogEntries, [Entry]>, key: KeyPath<Entry, String>
    ) throws(RegistrationError) {
        _ = try edit(source) { e in
            e[keyPath: kind].removeAll { $0[keyPath: key] == entry[keyPath: key] }
            e[keyPath: kind].append(entry)
            return true
        }
    }

    /// Removes the entries of one kind that match from `source`; whether any was there. Removing never conflicts.
    private func remove<Entry>(
        _ source: String?, _ kind: WritableKeyPath<CatalogEntries, [Entry]>, where matches: @escaping (Entry) -> Bool
    ) -> Bool {
        guard let source else { return false }
        return (try? edit(source) { e in
            let before = e[keyPath: kind].count
            e[keyPath: kind].removeAll(where: matches)
            return e[keyPath: kind].count != before
        }) ?? false
    }

    /// Tells clients subscribed to `uri` that its contents changed.
    public func resourceUpdated(uri: String) { hub.publish(.resourceUpdated(uri: uri)) }
}
