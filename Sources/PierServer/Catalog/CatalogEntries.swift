/// Everything one source serves (an app, later an upstream server), handed to the catalogue in one step by
/// ``MCPServer/replace(source:with:)``.
public struct CatalogEntries: Sendable {
    public var tools: [ToolEntry]
    public var resources: [ResourceEntry]
    public var templates: [TemplateEntry]
    public var prompts: [PromptEntry]

    public init(tools: [ToolEntry] = [], resources: [ResourceEntry] = [], templates: [TemplateEntry] = [], prompts: [PromptEntry] = []) {
        self.tools = tools
        self.resources = resources
        self.templates = templates
        self.prompts = prompts
    }

    /// `true` when the source serves nothing.
    public var isEmpty: Bool { tools.isEmpty && resources.isEmpty && templates.isEmpty && prompts.isEmpty }

    mutating func stamp(_ source: String) {
        for i in tools.indices { tools[i].source = source }
        for i in resources.indices { resources[i].source = source }
        for i in templates.indices { templates[i].source = source }
        for i in prompts.indices { prompts[i].source = source }
    }
}

/// Why a set of entries cannot be served: a malformed name, a tool without the hints Pier requires, or a name
/// another source already serves. Nothing changes when registration fails.
public struct RegistrationError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }

    public init(message: String) { self.message = message }

    func prefixed(_ prefix: String) -> RegistrationError { RegistrationError(message: "\(prefix): \(message)") }
}
