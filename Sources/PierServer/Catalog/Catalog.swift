import MCPCore

/// Everything the server serves, kept per source and merged into one index with a fixed order (tools and prompts
/// by name, resources and templates by URI), so that lists are deterministic.
///
/// A source replaces its whole set in one step: the merged index is rebuilt once (`O(n log n)` for `n` entries of
/// a kind), and each kind whose descriptors changed yields one event, however many entries the batch had.
struct Catalog: Sendable {
    private(set) var sources: [String: CatalogEntries] = [:]
    private(set) var tools: [String: ToolEntry] = [:]
    /// Tools in list order, and their descriptors (the unfiltered `tools/list`).
    private(set) var toolList: [ToolEntry] = []
    private(set) var toolDescriptors: [JSONValue] = []
    private(set) var resources: [String: ResourceEntry] = [:]
    /// Listed resources in list order.
    private(set) var resourceList: [ResourceEntry] = []
    private(set) var resourceDescriptors: [JSONValue] = []
    private(set) var templates: [TemplateEntry] = []
    private(set) var templateDescriptors: [JSONValue] = []
    private(set) var prompts: [String: PromptEntry] = [:]
    private(set) var promptList: [PromptEntry] = []
    private(set) var promptDescriptors: [JSONValue] = []
    /// Whether any prompt or template answers `completion/complete`.
    private(set) var completes = false
    /// Whether any tool may run as a task.
    private(set) var offersTasks = false

    /// Replaces everything `source` serves with `entries` (an empty set removes the source).
    ///
    /// - Returns: one event per kind whose descriptors changed.
    /// - Throws: ``RegistrationError`` when a name or URI repeats within `entries` or belongs to another source;
    ///   the catalogue is then unchanged.
    mutating func replace(source: String, with new: CatalogEntries) throws(RegistrationError) -> [ServerEvent] {
        var new = new
        new.stamp(source)
        let old = sources[source] ?? CatalogEntries()
        let tools = try Self.merge(self.tools, removing: old.tools, adding: new.tools, key: \.name, what: "tool name")
        let resources = try Self.merge(self.resources, removing: old.resources, adding: new.resources, key: \.uri, what: "resource URI")
        let templateIndex = try Self.merge(
            Dictionary(uniqueKeysWithValues: templates.map { ($0.template.pattern, $0) }), removing: old.templates, adding: new.templates,
            key: \.template.pattern, what: "resource template")
        let prompts = try Self.merge(self.prompts, removing: old.prompts, adding: new.prompts, key: \.name, what: "prompt name")

        sources[source] = new.isEmpty ? nil : new
        var events: [ServerEvent] = []
        if !(old.tools.isEmpty && new.tools.isEmpty) {
            self.tools = tools
            toolList = tools.values.sorted { $0.name < $1.name }
            toolDescriptors = toolList.map(\.descriptorValue)
            offersTasks = toolList.contains(where: \.runsAsTask)
            if old.tools.map(\.descriptor) != new.tools.map(\.descriptor) { events.append(.toolsChanged) }
        }
        if !(old.resources.isEmpty && new.resources.isEmpty && old.templates.isEmpty && new.templates.isEmpty) {
            self.resources = resources
            resourceList = resources.values.filter(\.listed).sorted { $0.uri < $1.uri }
            resourceDescriptors = resourceList.map(\.descriptorValue)
            templates = templateIndex.values.sorted { $0.template.pattern < $1.template.pattern }
            templateDescriptors = templates.map(\.descriptorValue)
            if old.resources.map(\.descriptor) != new.resources.map(\.descriptor) || old.templates.map(\.descriptor) != new.templates.map(\.descriptor) {
                events.append(.resourcesChanged)
            }
        }
        if !(old.prompts.isEmpty && new.prompts.isEmpty) {
            self.prompts = prompts
            promptList = prompts.values.sorted { $0.name < $1.name }
            promptDescriptors = promptList.map(\.descriptorValue)
            if old.prompts.map(\.descriptor) != new.prompts.map(\.descriptor) { events.append(.promptsChanged) }
        }
        completes = promptList.contains { $0.complete != nil } || templates.contains { $0.complete != nil }
        return events
    }

    /// `index` without `removing` and with `adding`, refusing a key that repeats or belongs to another source.
    private static func merge<Entry: SourcedEntry>(
        _ index: [String: Entry], removing: [Entry], adding: [Entry], key: KeyPath<Entry, String>, what: String
    ) throws(RegistrationError) -> [String: Entry] {
        guard !(removing.isEmpty && adding.isEmpty) else { return index }
        var merged = index
        for entry in removing { merged[entry[keyPath: key]] = nil }
        for entry in adding {
            let name = entry[keyPath: key]
            if let existing = merged[name] {
                let owner = existing.source == entry.source ? "" : ", already served by \(existing.source)"
                throw RegistrationError(message: "duplicate \(what) \"\(name)\"\(owner)")
            }
            merged[name] = entry
        }
        return merged
    }

    /// The first template in list order, among those `view` shows, that matches `uri`, with its variables.
    func template(matching uri: String, in view: CatalogView) -> (TemplateEntry, [String: String])? {
        for t in templates where view.admits(source: t.source) {
            if let variables = t.template.match(uri) { return (t, variables) }
        }
        return nil
    }

    /// The tools `view` shows `principal`, in list order.
    func tools(in view: CatalogView, principal: Principal?) -> [ToolEntry] {
        view.isEverything ? toolList : toolList.filter { view.admits($0, principal: principal) }.map(view.present)
    }
}

/// An entry the catalogue files under its source.
protocol SourcedEntry { var source: String { get } }
extension ToolEntry: SourcedEntry {}
extension ResourceEntry: SourcedEntry {}
extension TemplateEntry: SourcedEntry {}
extension PromptEntry: SourcedEntry {}
