public import MCPCore
public import PierServer

extension MCPApp {
    /// Adds a ChatGPT-ready tool: a title, all three required hints, `securitySchemes` at top level and mirrored in
    /// `_meta`, and, with `widget`, the `_meta` that renders it (`ui.resourceUri` + `openai/outputTemplate`,
    /// visibility in both dialects, status texts of at most 64 characters).
    ///
    /// - Throws: ``WidgetError`` for a status text that is empty or too long.
    public mutating func tool<Input: Decodable & Sendable>(
        _ name: String, title: String, description: String, input: Input.Type, inputSchema: JSONValue, outputSchema: JSONValue? = nil,
        annotations: ToolAnnotations, widget: RenderedWidget? = nil, invoking: String? = nil, invoked: String? = nil,
        visibility: ToolVisibility = .modelAndApp, securitySchemes: [SecurityScheme] = [.noAuth],
        handler: @escaping @Sendable (Input, MCPRequestContext) async throws -> ToolResult
    ) throws(WidgetError) {
        let (meta, extra) = try Self.chatGPTFields(widget: widget, invoking: invoking, invoked: invoked, visibility: visibility, securitySchemes: securitySchemes)
        tool(
            name, title: title, description: description, input: input, inputSchema: inputSchema, outputSchema: outputSchema,
            annotations: annotations, meta: meta, extra: extra, handler: handler)
    }

    /// The same for a tool without arguments.
    public mutating func tool(
        _ name: String, title: String, description: String, outputSchema: JSONValue? = nil, annotations: ToolAnnotations,
        widget: RenderedWidget? = nil, invoking: String? = nil, invoked: String? = nil, visibility: ToolVisibility = .modelAndApp,
        securitySchemes: [SecurityScheme] = [.noAuth], handler: @escaping @Sendable (MCPRequestContext) async throws -> ToolResult
    ) throws(WidgetError) {
        let (meta, extra) = try Self.chatGPTFields(widget: widget, invoking: invoking, invoked: invoked, visibility: visibility, securitySchemes: securitySchemes)
        tool(name, title: title, description: description, outputSchema: outputSchema, annotations: annotations, meta: meta, extra: extra, handler: handler)
    }

    static func chatGPTFields(
        widget: RenderedWidget?, invoking: String?, invoked: String?, visibility: ToolVisibility, securitySchemes: [SecurityScheme]
    ) throws(WidgetError) -> (meta: JSONObject, extra: JSONObject) {
        var meta: JSONObject = [:]
        if let widget {
            meta = try widget.toolMeta(invoking: invoking, invoked: invoked, visibility: visibility)
        } else {
            if invoking != nil || invoked != nil { throw WidgetError("invoking/invoked status texts are shown only for tools with a widget") }
            meta["ui"] = ["visibility": .array(visibility.audiences.map { .string($0) })]
        }
        let schemes = JSONValue.array(securitySchemes.map(\.json))
        meta["securitySchemes"] = schemes
        return (meta, ["securitySchemes": schemes])
    }
}
