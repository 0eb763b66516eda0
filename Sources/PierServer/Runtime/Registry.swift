import MCPCore

/// Why a set of apps cannot be served.
public struct RegistrationError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Everything the server serves, indexed for lookup, with list order fixed (sorted by name or URI) so that
/// `tools/list` is deterministic.
struct Registry: Sendable {
    var tools: [String: ToolDefinition] = [:]
    var toolOrder: [String] = []
    var toolDescriptors: [JSONValue] = []
    var resources: [String: ResourceDefinition] = [:]
    var resourceDescriptors: [JSONValue] = []
    var templates: [ResourceTemplateDefinition] = []
    var templateDescriptors: [JSONValue] = []
    var prompts: [String: PromptDefinition] = [:]
    var promptDescriptors: [JSONValue] = []

    init(apps: [MCPApp]) throws(RegistrationError) {
        for app in apps {
            for tool in app.tools {
                if let problem = tool.registrationProblem { throw RegistrationError(message: "app \(app.name): \(problem)") }
                guard tools[tool.name] == nil else { throw RegistrationError(message: "app \(app.name): duplicate tool name \"\(tool.name)\"") }
                tools[tool.name] = tool
            }
            for resource in app.resources {
                guard resources[resource.uri] == nil else { throw RegistrationError(message: "app \(app.name): duplicate resource URI \(resource.uri)") }
                resources[resource.uri] = resource
            }
            templates.append(contentsOf: app.resourceTemplates)
            for prompt in app.prompts {
                guard prompts[prompt.name] == nil else { throw RegistrationError(message: "app \(app.name): duplicate prompt name \"\(prompt.name)\"") }
                prompts[prompt.name] = prompt
            }
        }
        indexTools()
        indexResources()
        templates.sort { $0.template.pattern < $1.template.pattern }
        templateDescriptors = templates.map { .object($0.descriptor) }
        indexPrompts()
    }

    /// Recomputes the sorted tool list (deterministic `tools/list` order).
    mutating func indexTools() {
        toolOrder = tools.keys.sorted()
        toolDescriptors = toolOrder.map { .object(tools[$0]!.descriptor) }
    }

    mutating func indexResources() {
        resourceDescriptors = resources.values.filter(\.listed).sorted { $0.uri < $1.uri }.map { .object($0.descriptor) }
    }

    mutating func indexPrompts() {
        promptDescriptors = prompts.keys.sorted().map { .object(prompts[$0]!.descriptor) }
    }
}
