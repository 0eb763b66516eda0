public import MCPCore

/// A tool of Pier's own: its typed descriptor fields and its handler. ``entry()`` turns it into the
/// ``ToolEntry`` the dispatcher holds, with Pier's policy for its own tools applied.
///
/// Most authors use ``MCPApp/tool(_:title:description:input:inputSchema:outputSchema:annotations:icons:meta:extra:handler:)``
/// with a typed `Decodable` input; this initializer takes the arguments untyped. Adapters that pass another
/// server's JSON through build a ``ToolEntry`` instead.
public struct ToolDefinition: Sendable {
    public typealias Handler = @Sendable (_ arguments: JSONObject, _ context: MCPRequestContext) async throws -> ToolResult

    public var name: String
    public var title: String?
    public var description: String?
    public var inputSchema: JSONValue
    public var outputSchema: JSONValue?
    public var annotations: ToolAnnotations?
    public var icons: [Icon]
    public var meta: JSONObject?
    /// Other descriptor fields, written as they are (for example `securitySchemes` or `execution`).
    public var extra: JSONObject
    public var handler: Handler
    /// Whether calls may (or must) run as tasks for clients that declare the tasks extension.
    public var taskSupport: TaskSupport = .forbidden
    /// For task tools: runs in the call itself before the task is created, so it can ask for input through
    /// `input_required`; what it returns reaches the handler as ``MCPRequestContext/prepared``.
    public var prepare: Preparer?

    public typealias Preparer = @Sendable (_ arguments: JSONObject, _ context: MCPRequestContext) async throws -> JSONValue

    public init(
        name: String, title: String? = nil, description: String? = nil, inputSchema: JSONValue = JSONSchema.object(),
        outputSchema: JSONValue? = nil, annotations: ToolAnnotations? = nil, icons: [Icon] = [], meta: JSONObject? = nil,
        extra: JSONObject = [:], handler: @escaping Handler
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.annotations = annotations
        self.icons = icons
        self.meta = meta
        self.extra = extra
        self.handler = handler
    }

    /// The `Tool` object `tools/list` returns.
    public var descriptor: JSONObject {
        var o: JSONObject = ["name": .string(name)]
        if let title { o["title"] = .string(title) }
        if let description { o["description"] = .string(description) }
        o["inputSchema"] = inputSchema
        if let outputSchema { o["outputSchema"] = outputSchema }
        if let annotations { o["annotations"] = annotations.json }
        if !icons.isEmpty { o["icons"] = icons.json }
        if taskSupport != .forbidden { o["execution"] = ["taskSupport": .string(taskSupport.rawValue)] }
        o.merge(extra)
        if let meta { o["_meta"] = .object(meta) }
        return o
    }

    /// Checks the name against the 2025-11-25 rules: 1–128 characters of `[A-Za-z0-9_.-]`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 128
            && name.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2E || b == 0x2D
            }
    }

    /// Why this tool cannot be registered, or `nil`. Every tool must have a valid name, an object `inputSchema`,
    /// and explicit `readOnlyHint`, `destructiveHint` and `openWorldHint` (ChatGPT requires all three, and a
    /// default would be a guess about what the tool does).
    public var registrationProblem: String? {
        guard Self.isValidName(name) else { return "tool name \"\(name)\" must be 1–128 characters of A-Z a-z 0-9 _ . -" }
        guard inputSchema["type"]?.stringValue == "object" else { return "tool \"\(name)\" needs an inputSchema of type \"object\"" }
        let hints: [(String, Bool?)] = [
            ("readOnlyHint", annotations?.readOnlyHint), ("destructiveHint", annotations?.destructiveHint), ("openWorldHint", annotations?.openWorldHint),
        ]
        let missing = hints.filter { $0.1 == nil }.map(\.0)
        guard missing.isEmpty else {
            return "tool \"\(name)\" must state \(missing.joined(separator: ", ")) in its annotations; Pier requires all three and does not guess them"
        }
        return nil
    }
}
