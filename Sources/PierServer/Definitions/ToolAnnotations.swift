public import MCPCore

/// Behaviour hints on a tool. ChatGPT requires `readOnlyHint`, `destructiveHint` and `openWorldHint`.
public struct ToolAnnotations: Sendable, Equatable {
    public var title: String?
    public var readOnlyHint: Bool?
    public var destructiveHint: Bool?
    public var idempotentHint: Bool?
    public var openWorldHint: Bool?
    /// Other annotation fields, written as they are (after the typed ones, which they may replace).
    public var extra: JSONObject

    public init(
        title: String? = nil, readOnlyHint: Bool? = nil, destructiveHint: Bool? = nil, idempotentHint: Bool? = nil, openWorldHint: Bool? = nil,
        extra: JSONObject = [:]
    ) {
        self.title = title
        self.readOnlyHint = readOnlyHint
        self.destructiveHint = destructiveHint
        self.idempotentHint = idempotentHint
        self.openWorldHint = openWorldHint
        self.extra = extra
    }

    /// A tool that only reads or computes, touching nothing outside Pier.
    public static let readOnly = ToolAnnotations(readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false)

    /// The wire form.
    public var json: JSONValue {
        var o = JSONObject()
        if let title { o["title"] = .string(title) }
        if let readOnlyHint { o["readOnlyHint"] = .bool(readOnlyHint) }
        if let destructiveHint { o["destructiveHint"] = .bool(destructiveHint) }
        if let idempotentHint { o["idempotentHint"] = .bool(idempotentHint) }
        if let openWorldHint { o["openWorldHint"] = .bool(openWorldHint) }
        o.merge(extra)
        return .object(o)
    }
}
