public import MCPCore

extension MCPApp {
    /// Adds a tool whose calls run as tasks for clients that declare the `io.modelcontextprotocol/tasks` extension:
    /// the call answers at once with a `CreateTaskResult`, and the client polls `tasks/get` for the outcome.
    ///
    /// - Parameters:
    ///   - support: `.optional` also answers other clients in the call itself; `.required` refuses them (-32021).
    ///   - prepare: runs in the call before the task exists. It may ask for input the 2026-07-28 way
    ///     (`input_required`); what it returns reaches `handler` as ``MCPRequestContext/prepared``.
    ///   - handler: the work. Input it asks for parks the task as `input_required` until `tasks/update` brings
    ///     the answers; `tasks/cancel` cancels it.
    public mutating func taskTool<Input: Decodable & Sendable>(
        _ name: String, title: String? = nil, description: String, input: Input.Type, inputSchema: JSONValue, outputSchema: JSONValue? = nil,
        annotations: ToolAnnotations? = nil, support: TaskSupport = .optional,
        prepare: (@Sendable (Input, MCPRequestContext) async throws -> JSONValue)? = nil,
        handler: @escaping @Sendable (Input, MCPRequestContext) async throws -> ToolResult
    ) {
        tool(
            name, title: title, description: description, input: input, inputSchema: inputSchema, outputSchema: outputSchema,
            annotations: annotations, handler: handler)
        tools[tools.count - 1].taskSupport = support
        if let prepare {
            tools[tools.count - 1].prepare = { arguments, context in try await prepare(try Self.decode(Input.self, arguments), context) }
        }
    }
}
