public import MCPCore

/// What a tool returns: content for the model, optional structured content, and widget-only `_meta`.
///
/// When `structuredContent` is set, Pier adds its JSON text as the last text block (unless a block already is
/// exactly that), as the spec recommends for clients that read only `content`.
public struct ToolResult: Sendable, Equatable {
    public var content: [Content]
    public var structuredContent: JSONValue?
    public var isError: Bool
    public var meta: JSONObject?
    /// Other result fields, written as they are.
    public var extra: JSONObject = [:]

    public init(content: [Content] = [], structuredContent: JSONValue? = nil, isError: Bool = false, meta: JSONObject? = nil) {
        self.content = content
        self.structuredContent = structuredContent
        self.isError = isError
        self.meta = meta
    }

    /// A single text block.
    public static func text(_ text: String) -> ToolResult { ToolResult(content: [.text(text)]) }

    /// A tool execution error the model can read and act on.
    public static func error(_ message: String) -> ToolResult { ToolResult(content: [.text(message)], isError: true) }

    /// Structured output encoded from a value, mirrored as JSON text.
    public static func structured(_ value: some Encodable & Sendable, text: String? = nil) throws -> ToolResult {
        let json = try JSONValueEncoder().encode(value)
        return ToolResult(content: text.map { [.text($0)] } ?? [], structuredContent: json)
    }

    /// The wire form (`CallToolResult`, without the era decorations).
    public var json: JSONObject {
        var blocks = content
        // The spec's mirror: clients that read only `content` still get the structured result, as JSON text.
        if let structuredContent {
            let mirror = Content.text(structuredContent.serializedString())
            if !blocks.contains(mirror) { blocks.append(mirror) }
        }
        var o: JSONObject = ["content": .array(blocks.map(\.json))]
        if let structuredContent { o["structuredContent"] = structuredContent }
        if isError { o["isError"] = true }
        o.merge(extra)
        if let meta { o["_meta"] = .object(meta) }
        return o
    }
}

/// Throw this from a tool handler to return an `isError: true` result with `message` for the model. Thrown from a
/// prompt or resource handler, it becomes a JSON-RPC error (-32603) carrying `message`.
public struct ToolError: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
