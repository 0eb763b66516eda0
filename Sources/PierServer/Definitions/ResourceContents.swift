public import MCPCore

/// The contents of one resource, as `resources/read` returns them.
public struct ResourceContents: Sendable, Equatable {
    /// Text or base64 binary.
    public enum Body: Sendable, Equatable {
        case text(String)
        case blob(base64: String)
    }

    public var uri: String
    public var mimeType: String?
    public var body: Body
    public var meta: JSONObject?
    /// Other fields of the contents object, written as they are.
    public var extra: JSONObject = [:]

    public init(uri: String, mimeType: String? = nil, text: String, meta: JSONObject? = nil) {
        self.uri = uri
        self.mimeType = mimeType
        self.body = .text(text)
        self.meta = meta
    }

    public init(uri: String, mimeType: String? = nil, blob base64: String, meta: JSONObject? = nil) {
        self.uri = uri
        self.mimeType = mimeType
        self.body = .blob(base64: base64)
        self.meta = meta
    }

    /// The wire form.
    public var json: JSONValue {
        var o: JSONObject = ["uri": .string(uri)]
        if let mimeType { o["mimeType"] = .string(mimeType) }
        switch body {
        case .text(let t): o["text"] = .string(t)
        case .blob(let b): o["blob"] = .string(b)
        }
        o.merge(extra)
        if let meta { o["_meta"] = .object(meta) }
        return .object(o)
    }
}
