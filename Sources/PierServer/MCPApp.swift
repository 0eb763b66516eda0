public import MCPCore

/// A bundle of tools, resources, resource templates and prompts that Pier serves, defined the typed way.
///
/// A server files an app's definitions as the catalogue entries of the source named after the app
/// (``catalogEntries()``), with Pier's policy for its own tools applied there: the three required hints, argument
/// and output checks, typed input, the text mirror of structured output.
///
/// ```swift
/// struct EchoInput: Decodable, Sendable { var text: String }
///
/// var app = MCPApp(name: "demo")
/// app.tool(
///     "echo", description: "Use this when you need text repeated back.",
///     input: EchoInput.self,
///     inputSchema: JSONSchema.object(properties: [("text", JSONSchema.string())], required: ["text"]),
///     annotations: .readOnly
/// ) { input, _ in .text(input.text) }
/// ```
public struct MCPApp: Sendable {
    public var name: String
    public var tools: [ToolDefinition] = []
    public var resources: [ResourceDefinition] = []
    public var resourceTemplates: [ResourceTemplateDefinition] = []
    public var prompts: [PromptDefinition] = []

    public init(name: String) { self.name = name }

    /// Adds a tool whose arguments decode into `Input`.
    ///
    /// Arguments are checked against `inputSchema` first; a failure, or a failure to decode, reaches the
    /// model as an `isError: true` result naming the problem.
    public mutating func tool<Input: Decodable & Sendable>(
        _ name: String, title: String? = nil, description: String, input: Input.Type, inputSchema: JSONValue,
        outputSchema: JSONValue? = nil, annotations: ToolAnnotations? = nil, icons: [Icon] = [], meta: JSONObject? = nil,
        extra: JSONObject = [:], handler: @escaping @Sendable (Input, MCPRequestContext) async throws -> ToolResult
    ) {
        tools.append(
            ToolDefinition(
                name: name, title: title, description: description, inputSchema: inputSchema, outputSchema: outputSchema,
                annotations: annotations, icons: icons, meta: meta, extra: extra
            ) { arguments, context in try await handler(try Self.decode(Input.self, arguments), context) })
    }

    /// Adds a tool that takes no arguments.
    public mutating func tool(
        _ name: String, title: String? = nil, description: String, outputSchema: JSONValue? = nil,
        annotations: ToolAnnotations? = nil, icons: [Icon] = [], meta: JSONObject? = nil, extra: JSONObject = [:],
        handler: @escaping @Sendable (MCPRequestContext) async throws -> ToolResult
    ) {
        tools.append(
            ToolDefinition(
                name: name, title: title, description: description, inputSchema: JSONSchema.object(), outputSchema: outputSchema,
                annotations: annotations, icons: icons, meta: meta, extra: extra
            ) { _, context in try await handler(context) })
    }

    /// Adds a tool as it is.
    public mutating func add(_ tool: ToolDefinition) { tools.append(tool) }
    /// Adds a resource.
    public mutating func add(_ resource: ResourceDefinition) { resources.append(resource) }
    /// Adds a resource template.
    public mutating func add(_ template: ResourceTemplateDefinition) { resourceTemplates.append(template) }
    /// Adds a prompt.
    public mutating func add(_ prompt: PromptDefinition) { prompts.append(prompt) }

    /// Adds a text resource with fixed contents.
    public mutating func textResource(uri: String, name: String, title: String? = nil, description: String? = nil, mimeType: String = "text/plain", text: String) {
        add(
            ResourceDefinition(uri: uri, name: name, title: title, description: description, mimeType: mimeType) { _ in
                [ResourceContents(uri: uri, mimeType: mimeType, text: text)]
            })
    }
}

extension MCPApp {
    /// Decodes tool arguments, turning a mismatch into a message the model can act on.
    static func decode<Input: Decodable>(_ type: Input.Type, _ arguments: JSONObject) throws -> Input {
        do {
            return try JSONValueDecoder().decode(Input.self, from: .object(arguments))
        } catch let error as DecodingError {
            throw ToolError("Invalid arguments: \(error.readableDescription)")
        }
    }
}

extension DecodingError {
    /// A description fit for the model: the path and what was wrong, without type names from the code.
    var readableDescription: String {
        func path(_ p: [any CodingKey]) -> String {
            p.isEmpty ? "input" : p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch self {
        case .keyNotFound(let key, let ctx): return "\(path(ctx.codingPath + [key])): missing required property"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
            return "\(path(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default: return "the arguments could not be read"
        }
    }
}
