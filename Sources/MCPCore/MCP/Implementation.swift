/// Name and version of an MCP client or server (`Implementation` in the schema).
public struct Implementation: Sendable, Equatable {
    public var name: String
    public var version: String
    public var title: String?
    public var description: String?
    public var websiteURL: String?

    public init(name: String, version: String, title: String? = nil, description: String? = nil, websiteURL: String? = nil) {
        self.name = name
        self.version = version
        self.title = title
        self.description = description
        self.websiteURL = websiteURL
    }

    /// The wire form.
    public var json: JSONValue {
        var o: JSONObject = ["name": .string(name), "version": .string(version)]
        if let title { o["title"] = .string(title) }
        if let description { o["description"] = .string(description) }
        if let websiteURL { o["websiteUrl"] = .string(websiteURL) }
        return .object(o)
    }
}
