public import MCPCore

/// A resource with a fixed URI.
public struct ResourceDefinition: Sendable {
    public typealias Reader = @Sendable (_ context: MCPRequestContext) async throws -> [ResourceContents]

    public var uri: String
    public var name: String
    public var title: String?
    public var description: String?
    public var mimeType: String?
    public var size: Int?
    public var icons: [Icon]
    public var meta: JSONObject?
    /// Leave out of `resources/list` (for example UI-only resources); still readable.
    public var listed: Bool
    /// Other descriptor fields, written as they are.
    public var extra: JSONObject = [:]
    public var read: Reader

    public init(
        uri: String, name: String, title: String? = nil, description: String? = nil, mimeType: String? = nil, size: Int? = nil,
        icons: [Icon] = [], meta: JSONObject? = nil, listed: Bool = true, read: @escaping Reader
    ) {
        self.uri = uri
        self.name = name
        self.title = title
        self.description = description
        self.mimeType = mimeType
        self.size = size
        self.icons = icons
        self.meta = meta
        self.listed = listed
        self.read = read
    }

    /// The `Resource` object `resources/list` returns.
    public var descriptor: JSONObject {
        var o: JSONObject = ["uri": .string(uri), "name": .string(name)]
        if let title { o["title"] = .string(title) }
        if let description { o["description"] = .string(description) }
        if let mimeType { o["mimeType"] = .string(mimeType) }
        if let size { o["size"] = .int(size) }
        if !icons.isEmpty { o["icons"] = icons.json }
        o.merge(extra)
        if let meta { o["_meta"] = .object(meta) }
        return o
    }
}

/// Suggests values for one argument; `context` holds the other arguments already chosen.
public typealias CompletionProvider = @Sendable (_ value: String, _ context: [String: String]) async throws -> [String]

/// A family of resources addressed by an RFC 6570 (level 1) URI template such as `test://template/{id}/data`.
public struct ResourceTemplateDefinition: Sendable {
    public typealias Reader = @Sendable (_ uri: String, _ variables: [String: String], _ context: MCPRequestContext) async throws -> [ResourceContents]

    public var template: URITemplate
    public var name: String
    public var title: String?
    public var description: String?
    public var mimeType: String?
    public var icons: [Icon]
    public var meta: JSONObject?
    /// Completions for template variables, by variable name.
    public var completions: [String: CompletionProvider]
    /// Other descriptor fields, written as they are.
    public var extra: JSONObject = [:]
    public var read: Reader

    public init(
        uriTemplate: String, name: String, title: String? = nil, description: String? = nil, mimeType: String? = nil,
        icons: [Icon] = [], meta: JSONObject? = nil, completions: [String: CompletionProvider] = [:], read: @escaping Reader
    ) {
        self.template = URITemplate(uriTemplate)
        self.name = name
        self.title = title
        self.description = description
        self.mimeType = mimeType
        self.icons = icons
        self.meta = meta
        self.completions = completions
        self.read = read
    }

    /// The `ResourceTemplate` object `resources/templates/list` returns.
    public var descriptor: JSONObject {
        var o: JSONObject = ["uriTemplate": .string(template.pattern), "name": .string(name)]
        if let title { o["title"] = .string(title) }
        if let description { o["description"] = .string(description) }
        if let mimeType { o["mimeType"] = .string(mimeType) }
        if !icons.isEmpty { o["icons"] = icons.json }
        o.merge(extra)
        if let meta { o["_meta"] = .object(meta) }
        return o
    }
}
