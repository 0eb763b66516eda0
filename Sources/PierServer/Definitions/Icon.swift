public import MCPCore

/// An icon for a tool, resource, template, prompt or implementation (2025-11-25).
public struct Icon: Sendable, Equatable {
    /// An `https:` URL or a `data:` URI.
    public var src: String
    public var mimeType: String?
    /// Sizes such as `"48x48"` or `"any"`.
    public var sizes: [String]?
    /// `"light"` or `"dark"`.
    public var theme: String?
    /// Other icon fields, written as they are.
    public var extra: JSONObject

    public init(src: String, mimeType: String? = nil, sizes: [String]? = nil, theme: String? = nil, extra: JSONObject = [:]) {
        self.src = src
        self.mimeType = mimeType
        self.sizes = sizes
        self.theme = theme
        self.extra = extra
    }

    /// The wire form.
    public var json: JSONValue {
        var o: JSONObject = ["src": .string(src)]
        if let mimeType { o["mimeType"] = .string(mimeType) }
        if let sizes { o["sizes"] = .array(sizes.map { .string($0) }) }
        if let theme { o["theme"] = .string(theme) }
        o.merge(extra)
        return .object(o)
    }
}

extension [Icon] {
    var json: JSONValue { .array(map(\.json)) }
}
