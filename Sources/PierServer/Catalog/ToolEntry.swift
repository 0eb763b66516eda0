public import MCPCore

/// What a `tools/call` produced: a `CallToolResult`, or a `CreateTaskResult` for a call that now runs as a task.
public enum ToolOutcome: Sendable, Equatable {
    case result(JSONObject)
    case task(JSONObject)
}

/// One tool as the dispatcher holds it: the descriptor `tools/list` serves verbatim, and the call that answers
/// `tools/call`.
///
/// The source that owns the entry owns its JSON: the catalogue patches nothing but `name`, and the call gets the
/// arguments and returns the result as raw JSON, so unknown fields pass both ways. Pier's own tools get their
/// entries from ``MCPApp``, which adds Pier's policy (the three required hints, schema checks, typed input, the
/// text mirror of structured output); an adapter such as the gateway builds them from an upstream's JSON.
///
/// ```swift
/// let entry = try ToolEntry(descriptor: upstreamTool) { arguments, context in
///     .result(try await upstream.call(name, arguments))
/// }
/// ```
public struct ToolEntry: Sendable {
    public typealias Call = @Sendable (_ arguments: JSONObject, _ context: MCPRequestContext) async throws -> ToolOutcome

    /// The name clients call it by.
    public let name: String
    /// The `Tool` object, served as it is (with `name` set to ``name``).
    public let descriptor: JSONObject
    public let call: Call
    /// The source the entry belongs to; set by the catalogue when the source registers it.
    public internal(set) var source = ""
    /// The input properties mirrored in `Mcp-Param-*` headers (`x-mcp-header`), read once from the schema.
    public let headerParameters: [HeaderParameter]
    let descriptorValue: JSONValue

    /// An input property a 2026-07-28 client mirrors in an `Mcp-Param-{header}` HTTP header.
    public struct HeaderParameter: Sendable, Equatable {
        public let property: String
        public let header: String
    }

    /// An entry named `name`, whose descriptor is `descriptor` with its `name` replaced.
    /// - Throws: ``RegistrationError`` when the name is not 1–128 characters of `A-Z a-z 0-9 _ . -`.
    public init(name: String, descriptor: JSONObject, call: @escaping Call) throws(RegistrationError) {
        guard ToolDefinition.isValidName(name) else {
            throw RegistrationError(message: "tool name \"\(name)\" must be 1–128 characters of A-Z a-z 0-9 _ . -")
        }
        var patched = descriptor
        patched["name"] = .string(name)
        self.name = name
        self.descriptor = patched
        self.descriptorValue = .object(patched)
        self.call = call
        var mirrored: [HeaderParameter] = []
        for property in descriptor["inputSchema"]?["properties"]?.objectValue ?? [:] {
            if let header = property.value["x-mcp-header"]?.stringValue { mirrored.append(HeaderParameter(property: property.key, header: header)) }
        }
        self.headerParameters = mirrored
    }

    /// An entry named by its descriptor's `name`.
    /// - Throws: ``RegistrationError`` when the descriptor has no valid string `name`.
    public init(descriptor: JSONObject, call: @escaping Call) throws(RegistrationError) {
        guard case .string(let name)? = descriptor["name"] else { throw RegistrationError(message: "a tool descriptor needs a string \"name\"") }
        try self.init(name: name, descriptor: descriptor, call: call)
    }

    /// `annotations.readOnlyHint` is `true`: the tool changes nothing (what a read-only view admits).
    public var isReadOnly: Bool { descriptor["annotations"]?["readOnlyHint"] == true }

    /// The tool's `inputSchema`, as declared.
    public var inputSchema: JSONValue? { descriptor["inputSchema"] }

    /// `execution.taskSupport`, when the tool declares one other than `forbidden`.
    var runsAsTask: Bool {
        guard let support = descriptor["execution"]?["taskSupport"]?.stringValue else { return false }
        return support != TaskSupport.forbidden.rawValue
    }
}
